// Checks a built Bullpen site in headless Chromium, as a reader would:
// no console errors, no horizontal scrolling on a 375 px phone, no serious
// or critical axe-core violations, and a search that finds a playbook by a
// word of its body. Writes desktop and phone screenshots.
//
//   node tests/browser/run.mjs SITE_DIR SCREENSHOT_DIR
//
// Prints one line per check and closes with "N passed, M failed".
import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [site, shots] = process.argv.slice(2);
if (!site || !shots) {
  console.error("usage: node run.mjs SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".atom": "application/atom+xml", ".png": "image/png" };
const server = http.createServer((request, response) => {
  let file = path.join(site, decodeURIComponent(new URL(request.url, "http://localhost").pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!file.startsWith(path.resolve(site)) && !file.startsWith(site)) file = path.join(site, "404.html");
  if (!fs.existsSync(file)) {
    response.writeHead(404, { "content-type": types[".html"] });
    response.end(fs.readFileSync(path.join(site, "404.html")));
    return;
  }
  response.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  response.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const pages = [
  ["home", ""],
  ["team", "people/marcus-bell/"],
  ["rep", "people/sofia-marquez/"],
  ["playbook", "playbooks/discovery/first-call/"],
  ["coaching-plan", "coaching/luis-herrera/2026-q3/"],
  ["report", "reports/2026-q3-qbr/"],
];
const viewports = [["desktop", { width: 1280, height: 900 }], ["phone", { width: 375, height: 812 }]];
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed += 1; else failed += 1;
  console.log(`${ok ? "ok    " : "FAILED"} ${name}${ok || !detail ? "" : ": " + detail}`);
}

const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
for (const [name, url] of pages) {
  for (const [viewportName, viewport] of viewports) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(String(error)));
    const response = await page.goto(base + url, { waitUntil: "networkidle" });
    check(`${name} (${viewportName}) loads`, response && response.ok(), `status ${response && response.status()}`);
    check(`${name} (${viewportName}) has no console errors`, errors.length === 0, errors.join("; "));
    if (viewportName === "phone") {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(`${name} (phone) does not scroll sideways`, overflow <= 0, `${overflow} px too wide`);
    }
    await page.screenshot({ path: path.join(shots, `${name}-${viewportName}.png`), fullPage: true });
    if (viewportName === "desktop") {
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const results = await window.axe.run(document, { resultTypes: ["violations"] });
        return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length}): ${v.help}`);
      });
      check(`${name} has no serious or critical accessibility violations`, violations.length === 0, violations.join("; "));
    }
    await context.close();
  }
}

// Search: a word from a playbook's body finds it, from the keyboard.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base, { waitUntil: "networkidle" });
  await page.focus("#search-box");
  await page.keyboard.type("hypotheses");
  const link = page.locator('#search-results a[href$="playbooks/discovery/first-call/"]');
  const found = await link.first().waitFor({ timeout: 5000 }).then(() => true, () => false);
  check("search finds a playbook by a word from its body", found);
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("href"));
  check("search results are reachable from the keyboard", Boolean(focused && focused.endsWith("playbooks/discovery/first-call/")), `focus on ${focused}`);
  await page.screenshot({ path: path.join(shots, "search-desktop.png") });
  await page.close();
}

await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
