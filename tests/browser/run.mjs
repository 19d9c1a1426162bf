// Checks a built Bullpen site in headless Chromium, as a reader would:
// no console errors, no horizontal scrolling on a 390 px phone, every chart
// and table on screen there (a wide table only inside a scroll box that
// pins its first column), nothing wider than its card, prose tables that
// wrap, no serious or critical axe-core violations, a search that finds a
// playbook by a word of its body (served and opened from disk) and marks
// the matched words, and a team edition whose search has no coaching
// plans. Writes desktop and phone screenshots, light and dark, and PDFs.
//
//   node tests/browser/run.mjs SITE_DIR SCREENSHOT_DIR [TEAM_SITE_DIR]
//
// Prints one line per check and closes with "N passed, M failed".
import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [site, shots, teamSite] = process.argv.slice(2);
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
const viewports = [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]];
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed += 1; else failed += 1;
  console.log(`${ok ? "ok    " : "FAILED"} ${name}${ok || !detail ? "" : ": " + detail}`);
}

// At phone width: every drawn chart lies within the viewport (so its
// latest period shows), and every table either fits or scrolls inside a
// box whose first column stays pinned on screen. Runs in the page.
function offScreenAtPhoneWidth() {
  const width = window.innerWidth;
  const problems = [];
  for (const svg of document.querySelectorAll(".chart svg")) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue; // the drawing for the other width
    if (box.left < 0 || box.right > width + 0.5) problems.push(`chart ${svg.closest(".chart").id} spans ${Math.round(box.left)}–${Math.round(box.right)} px`);
  }
  for (const table of document.querySelectorAll("main table")) {
    if (table.closest("details:not([open])")) continue;
    const box = table.getBoundingClientRect();
    if (box.right <= width + 0.5) continue;
    const wrap = table.closest(".table-wrap");
    const first = table.querySelector("tbody tr > :first-child");
    const scrolls = wrap && wrap.scrollWidth > wrap.clientWidth && getComputedStyle(wrap).overflowX === "auto";
    const pinned = first && (getComputedStyle(first).position === "sticky" || table.closest(".prose"));
    const wrapBox = wrap && wrap.getBoundingClientRect();
    if (!scrolls || !pinned || wrapBox.right > width + 0.5) problems.push(`table under “${(table.closest("section")?.querySelector("h2")?.textContent || "?").trim()}” is ${Math.round(box.width)} px wide without a pinned first column`);
  }
  return problems;
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
      const offScreen = await page.evaluate(offScreenAtPhoneWidth);
      check(`${name} (phone) shows every chart whole and every table's first column`, offScreen.length === 0, offScreen.join("; "));
    }
    const spilled = await page.evaluate(() => Array.from(document.querySelectorAll(".tile, .chart, .card, .standing"))
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className} ${(el.id || el.textContent.trim().slice(0, 30))}: ${el.scrollWidth} > ${el.clientWidth}`));
    check(`${name} (${viewportName}): nothing is wider than its card`, spilled.length === 0, spilled.join("; "));
    const nowrap = await page.evaluate(() => Array.from(document.querySelectorAll(".prose td, .prose th"))
      .filter((td) => getComputedStyle(td).whiteSpace === "nowrap").length);
    check(`${name} (${viewportName}): prose tables wrap`, nowrap === 0, `${nowrap} cells do not wrap`);
    await page.screenshot({ path: path.join(shots, `${name}-${viewportName}.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(shots, `${name}-${viewportName}-dark.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    if (viewportName === "desktop" && name === "rep") {
      const history = await page.evaluate(() => {
        const wrap = document.querySelector("table.rep-history")?.closest(".table-wrap");
        return wrap ? wrap.scrollWidth - wrap.clientWidth : -1;
      });
      check("the rep's history fits 1280 px without scrolling sideways", history === 0, history < 0 ? "no history table" : `${history} px too wide`);
    }
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

// Search opened straight from disk, where fetch is refused: the index is a
// script. Ranked, with the matched words marked, in the team edition too.
for (const [edition, dir] of [["managers", site], ["team", teamSite]]) {
  if (!dir) continue;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto("file://" + path.resolve(dir, "index.html"));
  await page.focus("#search-box");
  await page.keyboard.type("hypotheses");
  const first = page.locator("#search-results a").first();
  const found = await first.waitFor({ timeout: 5000 }).then(() => true, () => false);
  const href = found ? await first.getAttribute("href") : "";
  check(`search from disk (${edition}) finds a playbook by a word of its body`, found && href.endsWith("playbooks/discovery/first-call/"), `first result ${href}`);
  const marks = await page.locator("#search-results .snippet mark").allTextContents();
  check(`search from disk (${edition}) shows the matched text, marked`, marks.some((m) => m.toLowerCase() === "hypotheses"), `marks: ${marks.join(", ")}`);
  await page.screenshot({ path: path.join(shots, `search-file-${edition}-phone.png`) });
  // A title outranks a body word.
  await page.fill("#search-box", "");
  await page.keyboard.type("forecast");
  await first.waitFor({ timeout: 5000 }).catch(() => {});
  const titles = await page.locator("#search-results a strong").allTextContents();
  check(`search (${edition}) ranks a title match first`, titles.length > 0 && /forecast/i.test(titles[0]), titles.join(" | "));
  await page.fill("#search-box", "");
  await page.keyboard.type("east");
  await first.waitFor({ timeout: 5000 }).catch(() => {});
  const people = await page.locator("#search-results .snippet").allTextContents();
  check(`search (${edition}) reads a person as “Rep · East · …”`, people.some((p) => /^Rep · East · /.test(p)), people.join(" | "));
  const entries = await page.evaluate(() => window.bullpenSearchIndex.map((e) => e.u));
  const plans = entries.filter((u) => u.startsWith("coaching/"));
  if (edition === "team") check("the team edition's search has no coaching plans", plans.length === 0, plans.join(", "));
  else check("the managers' edition's search finds coaching plans", plans.length > 0);
  check(`search from disk (${edition}) raises no errors`, errors.length === 0, errors.join("; "));
  await page.close();
}

// Print: the dashboard, a playbook and the rep page (the 1:1 handout) on
// paper; the handout fits two pages.
for (const [name, url] of [["home", ""], ["playbook", "playbooks/discovery/first-call/"], ["rep", "people/sofia-marquez/"]]) {
  const page = await browser.newPage();
  await page.goto(base + url, { waitUntil: "networkidle" });
  if (name === "rep") {
    // On paper the handout shows what a 1:1 works from, and leaves out
    // what only the screen needs.
    await page.emulateMedia({ media: "print" });
    const handout = await page.evaluate(() => {
      const shown = (selector) => Array.from(document.querySelectorAll(selector)).filter((el) => el.getClientRects().length > 0);
      const notes = shown(".handout-notes")[0];
      return {
        notes: notes ? Math.round(notes.getBoundingClientRect().height) : 0,
        recent: shown("table.recent tbody tr").length,
        actions: shown(".handout-actions li").length,
        sessions: shown(".handout-sessions .sessions li").length,
        goalTables: shown("table.goals").length,
        goalCharts: shown("#chart-goals").length,
        history: shown("table.rep-history").length,
      };
    });
    check("the rep handout has space for notes", handout.notes >= 100, `${handout.notes} px`);
    check("the rep handout shows the last four periods", handout.recent >= 1 && handout.recent <= 4, `${handout.recent} rows`);
    check("the rep handout shows open actions", handout.actions >= 1, `${handout.actions} actions`);
    check("the rep handout shows the last sessions", handout.sessions >= 1, `${handout.sessions} sessions`);
    check("the rep handout prints the goals once, and not the full history", handout.goalTables === 1 && handout.goalCharts === 0 && handout.history === 0, JSON.stringify(handout));
    await page.emulateMedia({ media: "screen" });
    const hidden = await page.evaluate(() => document.querySelectorAll(".handout-only").length > 0 && Array.from(document.querySelectorAll(".handout-only")).every((el) => el.getClientRects().length === 0));
    check("the handout's print-only parts stay off the screen", hidden);
    // page.pdf prints with the emulated media: back to the default (print).
    await page.emulateMedia({ media: null });
  }
  const file = path.join(shots, `${name}-print.pdf`);
  await page.pdf({ path: file, format: "A4", printBackground: true });
  const pages = (fs.readFileSync(file, "latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  if (name === "rep") check("the rep handout prints on at most two A4 pages", pages >= 1 && pages <= 2, `${pages} pages`);
  else check(`${name} prints`, pages >= 1, `${pages} pages`);
  await page.close();
}

await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
