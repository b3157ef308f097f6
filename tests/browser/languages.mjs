// Loads pages of a site in English and Russian built by
// tests/multilingual.rs in headless Chromium: every page loads without a
// failed request (stylesheet and script at the root, pages under /ru/), no
// console errors, axe clean in light and dark; the language switcher of an
// article leads to its translation and back, and the masthead's to the
// other language's home. Screenshots are written for a person to look at.
//
// usage: node languages.mjs SITE_DIR SCREENSHOT_DIR

import { join } from "node:path";
import { startCheck, seriousAxeProblems } from "./harness.mjs";

const [siteDir, screenshotDir] = process.argv.slice(2);
if (!siteDir || !screenshotDir) {
  console.error("usage: node languages.mjs SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}

const PAGES = {
  "article-en": "/2025/03/07/budget/",
  "article-ru": "/ru/2025/03/07/budget/",
  "home-en": "/",
  "home-ru": "/ru/",
  "tag-ru": "/ru/tags/biudzhet/",
  "month-ru": "/ru/2025/03/",
  "search-ru": "/ru/search/?q=бюджет",
};

const { server, browser, axe: axeSource, problems, check, finish } = await startCheck(siteDir, screenshotDir);

async function open(path, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.location().url.endsWith("/favicon.ico")) problems.push(`${path}: console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`${path}: script error: ${err.message}`));
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${path}: ${r.status()} for ${r.url()}`); });
  const response = await page.goto(server.origin + path, { waitUntil: "load" });
  check(response && response.status() === 200, `${path}: HTTP ${response?.status()}`);
  return page;
}

for (const [name, path] of Object.entries(PAGES)) {
  for (const width of [390, 1280]) {
    const page = await open(path, width);
    if (name.startsWith("search")) await page.waitForSelector(".search-result", { timeout: 5000 }).catch(() => problems.push(`${path}: no result`));
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".masthead")).borderBottomStyle);
    check(styled === "double", `${path}: the stylesheet did not apply (${styled})`);
    await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
    if (width === 1280) problems.push(...(await seriousAxeProblems(page, axeSource, path)));
    await page.close();
  }
}

// An article's switcher leads to its translation, and that one's back.
const page = await open("/2025/03/07/budget/");
await page.click('.translations a[hreflang="ru"]');
await page.waitForLoadState("load");
check(new URL(page.url()).pathname === "/ru/2025/03/07/budget/", `switcher led to ${page.url()}`);
check(await page.evaluate(() => document.documentElement.lang) === "ru", "the translation is not in Russian");
await page.click('.translations a[hreflang="en"]');
await page.waitForLoadState("load");
check(new URL(page.url()).pathname === "/2025/03/07/budget/", `switcher back led to ${page.url()}`);
// The masthead leads to the other language's home.
await page.click('.masthead nav.languages a[hreflang="ru"]');
await page.waitForLoadState("load");
check(new URL(page.url()).pathname === "/ru/", `masthead switcher led to ${page.url()}`);
const current = await page.evaluate(() => document.querySelector('.masthead nav.languages [aria-current]')?.textContent);
check(current === "Русский", `the current language is marked ${current}`);
await page.close();

await finish(`${Object.keys(PAGES).length} page(s) of two languages checked at 390 and 1280 px`);
