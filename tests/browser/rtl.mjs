// Loads pages of a right-to-left (Arabic) site built by
// tests/languages.rs in headless Chromium and checks that they read right
// to left: the page's direction, the mirrored layout (neighbours, quote
// rule, skip link), mixed Arabic and Latin text in the right order, no
// console errors, and axe clean in light and dark. Screenshots at phone and
// desktop widths are written for a person to look at.
//
// usage: node rtl.mjs SITE_DIR SCREENSHOT_DIR

import { join } from "node:path";
import { startCheck, seriousAxeProblems } from "./harness.mjs";

const [siteDir, screenshotDir] = process.argv.slice(2);
if (!siteDir || !screenshotDir) {
  console.error("usage: node rtl.mjs SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}

const PAGES = {
  article: "/2025/03/06/mixed/",
  home: "/",
  month: "/2025/03/",
  archive: "/archive/",
  tag: "/tags/premier-league/",
  search: "/search/?q=manchester",
};

const { server, browser, axe: axeSource, problems, check, finish } = await startCheck(siteDir, screenshotDir);

for (const [name, path] of Object.entries(PAGES)) {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    // The browser's own request for /favicon.ico (the test site has none) is no page's error.
    page.on("console", (msg) => {
      if (msg.type() === "error" && !msg.location().url.endsWith("/favicon.ico")) problems.push(`${path} @${width}: console error: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => problems.push(`${path} @${width}: script error: ${err.message}`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`${path} @${width}: ${r.status()} for ${r.url()}`); });
    const response = await page.goto(server.origin + path, { waitUntil: "load" });
    check(response && response.status() === 200, `${path}: HTTP ${response?.status()}`);
    if (name === "search") await page.waitForSelector(".search-result", { timeout: 5000 }).catch(() => problems.push(`${path}: no result`));
    const direction = await page.evaluate(() => [document.documentElement.dir, getComputedStyle(document.body).direction]);
    check(direction[0] === "rtl" && direction[1] === "rtl", `${path}: direction is ${direction}`);
    await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
    if (width === 1280) problems.push(...(await seriousAxeProblems(page, axeSource, path)));
    if (name === "article" && width === 1280) {
      const layout = await page.evaluate(() => {
        const box = (selector) => document.querySelector(selector)?.getBoundingClientRect();
        // The box of the first occurrence of `text` inside `selector`.
        const textBox = (selector, text) => {
          const element = document.querySelector(selector);
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(text);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + text.length);
              return range.getBoundingClientRect();
            }
          }
          return null;
        };
        const quote = getComputedStyle(document.querySelector(".article-body blockquote"));
        const authors = [...document.querySelectorAll(".byline a")].map((a) => a.getBoundingClientRect());
        const skip = getComputedStyle(document.querySelector(".skip-link"));
        return {
          older: box('.article-neighbours a[rel="prev"]'),
          newer: box('.article-neighbours a[rel="next"]'),
          quoteRight: quote.borderRightWidth,
          quoteLeft: quote.borderLeftWidth,
          firstAuthor: authors[0],
          secondAuthor: authors[1],
          arabicWord: textBox(".headline", "فوز"),
          latinWord: textBox(".headline", "Arsenal"),
          skip: [parseFloat(skip.left), parseFloat(skip.right)],
        };
      });
      check(layout.older && layout.newer && layout.older.left > layout.newer.left,
        `older article is not on the right: ${JSON.stringify([layout.older, layout.newer])}`);
      check(layout.quoteRight === "4px" && layout.quoteLeft === "0px",
        `the quote's rule is not on the right: ${layout.quoteRight} / ${layout.quoteLeft}`);
      check(layout.firstAuthor && layout.secondAuthor && layout.firstAuthor.left > layout.secondAuthor.left,
        "the first author is not read first (on the right) in the byline");
      check(layout.arabicWord && layout.latinWord && layout.arabicWord.left > layout.latinWord.left,
        "the headline's first (Arabic) word is not on the right of its last (Latin) one");
      check(layout.skip[1] < 40 && layout.skip[0] > 600, `the skip link is not at the right edge: left, right = ${layout.skip}`);
    }
    await page.close();
  }
}
await finish(`${Object.keys(PAGES).length} right-to-left page(s) checked at 390 and 1280 px`);
