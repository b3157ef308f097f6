// Loads pages of a built site in headless Chromium, served from 127.0.0.1,
// and fails when a page logs a console error, fails to load a resource, or
// has serious or critical accessibility violations (axe-core). Screenshots
// at phone and desktop widths are written for a person to look at.
//
// usage: node check.mjs SITE_DIR SCREENSHOT_DIR PATH...

import { createServer } from "node:http";
import { readFile, stat, mkdir } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [siteDir, screenshotDir, ...paths] = process.argv.slice(2);
if (!siteDir || !screenshotDir || paths.length === 0) {
  console.error("usage: node check.mjs SITE_DIR SCREENSHOT_DIR PATH...");
  process.exit(2);
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml",
  ".xml": "application/xml", ".json": "application/json", ".png": "image/png",
  ".jpg": "image/jpeg", ".txt": "text/plain; charset=utf-8", ".js": "text/javascript",
};

// A static host: folders serve their index.html, missing files 404.html.
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.includes("..")) { res.writeHead(400).end(); return; }
  let file = join(siteDir, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    const body = await readFile(join(siteDir, "404.html")).catch(() => "not found");
    res.writeHead(404, { "content-type": TYPES[".html"] }).end(body);
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
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
    if (width === 1280) {
      await page.addScriptTag({ content: axeSource });
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
        for (const v of result.violations) {
          if (v.impact === "serious" || v.impact === "critical") {
            const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
            problems.push(`${path} (${scheme}): axe ${v.impact}: ${v.id}: ${v.help} [${where}]`);
          }
        }
      }
    }
    await page.close();
  }
}
await browser.close();
server.close();

for (const p of problems) console.log(p);
console.log(`${paths.length} page(s) checked at 390 and 1280 px, ${problems.length} problem(s); screenshots in ${screenshotDir}`);
process.exit(problems.length === 0 ? 0 : 1);
