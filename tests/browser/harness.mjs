// What the browser checks share: a static host on 127.0.0.1 serving a
// built site, and headless Chromium started as the project's guide says.

import { createServer } from "node:http";
import { mkdir, readFile, stat } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml",
  ".xml": "application/xml", ".json": "application/json", ".png": "image/png",
  ".jpg": "image/jpeg", ".txt": "text/plain; charset=utf-8", ".js": "text/javascript",
  ".bin": "application/octet-stream",
};

/** Serves `siteDir` as a static host does: folders serve their index.html,
 * missing files the site's 404.html. Resolves to { origin, close }. */
export async function serveSite(siteDir) {
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
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Headless Chromium (Debian's, or $CHROMIUM). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** The text of axe-core, to add to a page. */
export function axeSource() {
  return readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
}

/** Runs axe-core (`axeSource`) on a loaded page in light and dark mode;
 * resolves to every violation as { scheme, impact, id, help, where }. */
export async function axeViolations(page, axeSource) {
  await page.addScriptTag({ content: axeSource });
  const found = [];
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
      found.push({ scheme, impact: v.impact, id: v.id, help: v.help, where });
    }
  }
  return found;
}

/** The violations a page must not have: serious and critical ones, as text. */
export async function seriousAxeProblems(page, axeSource, path) {
  return (await axeViolations(page, axeSource))
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path} (${v.scheme}): axe ${v.impact}: ${v.id}: ${v.help} [${v.where}]`);
}

/** What a page check needs: the site served, Chromium, axe, a screenshot
 * folder, and a list of problems with `check(ok, what)` to add to it;
 * `finish(summary)` closes everything, prints the problems and the summary
 * and exits with their verdict. */
export async function startCheck(siteDir, screenshotDir) {
  const server = await serveSite(siteDir);
  const browser = await launchChromium();
  const axe = await axeSource();
  await mkdir(screenshotDir, { recursive: true });
  const problems = [];
  return {
    server, browser, axe, problems,
    check: (ok, what) => { if (!ok) problems.push(what); },
    finish: async (summary) => {
      await browser.close();
      server.close();
      for (const p of problems) console.log(p);
      console.log(`${summary}, ${problems.length} problem(s); screenshots in ${screenshotDir}`);
      process.exit(problems.length === 0 ? 0 : 1);
    },
  };
}
