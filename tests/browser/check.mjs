// Loads pages of a built site in headless Chromium, served from 127.0.0.1,
// and fails when a page logs a console error, fails to load a resource, or
// has serious or critical accessibility violations (axe-core). Screenshots
// at phone and desktop widths are written for a person to look at.
//
// usage: node check.mjs SITE_DIR SCREENSHOT_DIR PATH...

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveSite, launchChromium, axeSource as readAxe, seriousAxeProblems } from "./harness.mjs";

const [siteDir, screenshotDir, ...paths] = process.argv.slice(2);
if (!siteDir || !screenshotDir || paths.length === 0) {
  console.error("usage: node check.mjs SITE_DIR SCREENSHOT_DIR PATH...");
  process.exit(2);
}

const server = await serveSite(siteDir);
const origin = server.origin;
const browser = await launchChromium();
const axeSource = await readAxe();
await mkdir(screenshotDir, { recursive: true });

const problems = [];
for (const path of paths) {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on("console", (msg) => { if (msg.type() === "error") problems.push(`${path} @${width}: console error: ${msg.text()}`); });
    page.on("pageerror", (err) => problems.push(`${path} @${width}: script error: ${err.message}`));
    page.on("requestfailed", (r) => problems.push(`${path} @${width}: request failed: ${r.url()}`));
    page.on("response", (r) => { if (r.status() >= 400 && r.url() !== origin + path) problems.push(`${path} @${width}: ${r.status()} for ${r.url()}`); });
    page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`${path} @${width}: request to another host: ${r.url()}`); });
    const response = await page.goto(origin + path, { waitUntil: "load" });
    if (!response || response.status() !== 200) problems.push(`${path}: HTTP ${response?.status()}`);
    const name = (path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home") + `-${width}.png`;
    await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
    if (width === 1280) problems.push(...(await seriousAxeProblems(page, axeSource, path)));
    await page.close();
  }
}
await browser.close();
server.close();

for (const p of problems) console.log(p);
console.log(`${paths.length} page(s) checked at 390 and 1280 px, ${problems.length} problem(s); screenshots in ${screenshotDir}`);
process.exit(problems.length === 0 ? 0 : 1);
