// Browser test of the search page on the built example site, in headless
// Chromium. Run by tests/integration/search.rs as `node search.js BASE_URL`
// against a local server; exits 1 (printing what failed) when a check fails.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");

const base = process.argv[2];
if (!base) {
  console.error("usage: node search.js http://127.0.0.1:PORT/");
  process.exit(2);
}

const failures = [];
function check(ok, what) {
  console.log(`${ok ? "ok" : "FAIL"} - ${what}`);
  if (!ok) failures.push(what);
}

// Waits for the search to settle: results listed, or "No results".
async function settled(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status");
    const n = document.querySelectorAll("[data-search-results] li").length;
    return s && (n > 0 || /^No results/.test(s.textContent) || /failed/.test(s.textContent));
  }, null, { timeout: 15000 });
}
async function results(page) {
  return page.$$eval("[data-search-results] li", (lis) =>
    lis.map((li) => ({
      href: li.querySelector("a").getAttribute("href"),
      title: li.querySelector("a").textContent,
      meta: (li.querySelector(".meta") || {}).textContent || "",
      marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent.toLowerCase()),
    })));
}
async function total(page) {
  const t = await page.textContent("#search-status");
  const m = /^(\d+) result/.exec(t);
  return m ? Number(m[1]) : 0;
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] || (await context.newPage());
  const jsErrors = [];
  page.on("pageerror", (e) => jsErrors.push(`${page.url()}: ${e.message}`));
  // A failed load is reported by the response handler below (favicon aside).
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) jsErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) jsErrors.push(`HTTP ${r.status()} for ${r.url()}`); });

  try {
    // ?q= runs the search on load; a word finds the expected meeting.
    await page.goto(base + "search/?q=charter");
    await settled(page);
    let rs = await results(page);
    check(rs.some((r) => r.href.endsWith("groups/steering/2025-02-05/")),
      "?q=charter finds the steering meeting of 2025-02-05");
    check(rs.length > 0 && rs[0].title.toLowerCase().includes("charter"),
      "the first result has charter in its title (title matches rank first)");
    check(rs.some((r) => r.marks.includes("charter")), "matched words are highlighted");
    check((await page.inputValue("#search-q")) === "charter", "the query is in the search box");

    // A filter narrows the results, and is kept in the address.
    const before = await total(page);
    await page.check('#search-filters input[name="kind"][value="meeting"]');
    await page.waitForFunction((n) => {
      const m = /^(\d+) result/.exec(document.getElementById("search-status").textContent);
      return m && Number(m[1]) < n;
    }, before, { timeout: 10000 });
    rs = await results(page);
    check(rs.length > 0 && rs.every((r) => r.meta.startsWith("meeting")),
      `the kind=meeting filter leaves only meetings (${before} -> ${await total(page)})`);
    check(new URL(page.url()).searchParams.get("kind") === "meeting", "the filter is in the address");

    // A stemmed form matches.
    await page.goto(base + "search/?q=drafts");
    await settled(page);
    rs = await results(page);
    check(rs.some((r) => r.title === "Draft the embargo policy for coordinated disclosure"),
      "drafts finds the item 'Draft the embargo policy…'");

    // An action item is found by its owner's name, typed into the box.
    await page.fill("#search-q", "Quintero");
    await page.press("#search-q", "Enter");
    await page.waitForFunction(() => /Quintero/.test(document.getElementById("search-status").textContent), null, { timeout: 10000 });
    await settled(page);
    rs = await results(page);
    check(rs.some((r) => r.href.includes("actions/steering-20260603-1/")),
      "typing Quintero finds his action item steering-20260603-1");

    // The person filter (loaded on demand) narrows to his items.
    await page.goto(base + "search/?q=policy&kind=action&person=" + encodeURIComponent("Rafael Quintero"));
    await settled(page);
    rs = await results(page);
    check(rs.length > 0 && rs.every((r) => r.meta.startsWith("action")) &&
      rs.some((r) => r.href.includes("actions/steering-20260603-1/")),
    "policy + kind=action + person=Rafael Quintero lists his insurance policy item");

    // The box in the header of every page leads to the search page.
    await page.goto(base);
    await page.fill('header input[type="search"]', "embargo");
    await Promise.all([page.waitForURL(/search\/\?q=embargo/), page.press('header input[type="search"]', "Enter")]);
    await settled(page);
    check((await results(page)).length > 0, "the header search box on the home page finds embargo");

    // Nothing found is said so.
    await page.goto(base + "search/?q=zzzyqx");
    await settled(page);
    check(/^No results/.test(await page.textContent("#search-status")), "a word nowhere in the site says No results");
  } catch (e) {
    failures.push(String(e && e.stack || e));
    console.log("FAIL - " + e);
  }
  check(jsErrors.length === 0, "no JavaScript errors" + (jsErrors.length ? ": " + jsErrors.join("; ") : ""));
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(`browser checks: ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
