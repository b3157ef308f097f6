// Drives the search page of a built site in headless Chromium, served from
// 127.0.0.1 as a static host would, and prints what a reader sees as JSON
// lines: for each query, the result headlines, the status line, the
// snippets' marked words and the bytes fetched; axe violations of the page
// in light and dark; console errors. tests/search.rs reads the lines.
//
// usage: node search.mjs SITE_DIR STEPS_JSON
//   STEPS_JSON: [{"open": "/search/?q=x"} | {"type": "words"} | {"select": ["section", "city"]}
//               | {"click": "selector"} | {"axe": true}, ...]
// Each step after which the page may have searched prints one line.

import { serveSite, launchChromium, axeSource as readAxe, axeViolations } from "./harness.mjs";

const [siteDir, stepsJson] = process.argv.slice(2);
const steps = JSON.parse(stepsJson);

const server = await serveSite(siteDir);
const origin = server.origin;
const browser = await launchChromium();
const axeSource = await readAxe();
let page = null;
let fetched = [];
const errors = [];

async function newPage() {
  if (page) await page.close();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Browsers ask for /favicon.ico on their own; the test sites have none.
  page.on("console", (m) => { if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) errors.push(`console error: ${m.text()} (${m.location().url})`); });
  page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  page.on("response", async (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`${r.status()} for ${r.url()}`);
    try {
      fetched.push({ url: r.url().slice(origin.length), bytes: (await r.body()).length });
    } catch { /* a redirect has no body */ }
  });
}

// Settled: no search running, and the results as shown.
async function settled() {
  await page.waitForFunction(() => {
    const status = document.querySelector(".search-status");
    return status && status.textContent !== "Searching…";
  }, null, { timeout: 10000 });
  await page.waitForTimeout(400);
  await page.waitForFunction(() => {
    const status = document.querySelector(".search-status");
    return status && status.textContent !== "Searching…";
  }, null, { timeout: 10000 });
  return page.evaluate(() => ({
    url: location.pathname + location.search,
    status: document.querySelector(".search-status").textContent,
    titles: [...document.querySelectorAll(".search-result h2")].map((h) => h.textContent),
    kickers: [...document.querySelectorAll(".search-result")].map((r) => r.querySelector(".kicker")?.textContent ?? null),
    marked: [...document.querySelectorAll(".search-result mark")].map((m) => m.textContent),
    stale: !document.querySelector(".search-stale").hidden,
    more: !document.querySelector(".search-more").hidden,
  }));
}

for (const step of steps) {
  if (step.open) {
    await newPage();
    fetched = [];
    await page.goto(origin + step.open, { waitUntil: "load" });
  } else if (step.type !== undefined) {
    fetched = [];
    await page.fill("#search-query", "");
    await page.type("#search-query", step.type, { delay: 20 });
  } else if (step.select) {
    fetched = [];
    await page.selectOption(`select[name=${step.select[0]}]`, step.select[1]);
  } else if (step.click) {
    fetched = [];
    await page.click(step.click);
  } else if (step.axe) {
    const problems = (await axeViolations(page, axeSource)).map((v) => `${v.scheme}: ${v.impact}: ${v.id}`);
    console.log(JSON.stringify({ axe: problems }));
    continue;
  }
  const seen = await settled();
  const bytes = fetched.reduce((sum, f) => sum + f.bytes, 0);
  const search = fetched.filter((f) => f.url.includes("/search/") && !f.url.startsWith("/search/?") && f.url !== "/search/");
  console.log(JSON.stringify({
    ...seen,
    bytes,
    search_bytes: search.reduce((sum, f) => sum + f.bytes, 0),
    files: fetched.map((f) => `${f.url} ${f.bytes}`),
  }));
}
console.log(JSON.stringify({ errors }));
await browser.close();
server.close();
