// Browser test of the members' pages of a built site, in headless Chromium
// at a phone's width (390 px). Run by tests/integration/search.rs as
// `node pages.js BASE_URL [--search-across-groups] [--owner-across-pages]`
// against a local server; exits 1 (printing what failed) when a check fails.
//
// - no page of each kind (home, groups, group, meeting, people, person,
//   actions, item, decisions, search) is wider than the viewport;
// - every meeting's <title> differs from every other's;
// - the people list sorts by meetings attended as numbers;
// - search snippets show no markdown table syntax and no list of emails or
//   handles;
// - with --search-across-groups: a word every group uses finds results of
//   more than one group among the first 20 (and among the first 10);
// - with --owner-across-pages: the actions index, filtered by an owner, lists
//   that owner's items from every page of the index, with their count.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");

const base = process.argv[2];
const flags = new Set(process.argv.slice(3));
if (!base) {
  console.error("usage: node pages.js http://127.0.0.1:PORT/ [--search-across-groups] [--owner-across-pages]");
  process.exit(2);
}
const WIDTH = 390;

const failures = [];
function check(ok, what) {
  console.log(`${ok ? "ok" : "FAIL"} - ${what}`);
  if (!ok) failures.push(what);
}

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r.json();
}
async function getText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r.text();
}
// Links of a page (relative to the site root) whose path matches `re`.
function linksIn(html, pageUrl, re) {
  const out = new Set();
  for (const m of html.matchAll(/href="([^"#?]+)"/g)) {
    const u = new URL(m[1], pageUrl).href;
    if (u.startsWith(base) && re.test(u.slice(base.length))) out.add(u.slice(base.length));
  }
  return [...out];
}

// How far a page's content reaches past the viewport (0 when it fits).
async function overflow(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const doc = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    let worst = "";
    if (doc > w) {
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && !el.closest(".scroll")) { worst = el.tagName.toLowerCase() + (el.className ? "." + el.className : ""); break; }
      }
    }
    return { over: doc - w, worst };
  });
}

async function settled(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status");
    const n = document.querySelectorAll("[data-search-results] li").length;
    return s && (n > 0 || /^No results/.test(s.textContent) || /failed/.test(s.textContent));
  }, null, { timeout: 15000 });
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: WIDTH, height: 844 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] || (await context.newPage());
  const jsErrors = [];
  page.on("pageerror", (e) => jsErrors.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) jsErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) jsErrors.push(`HTTP ${r.status()} for ${r.url()}`); });

  try {
    // The pages of each kind, found from the site's own lists.
    const meetings = await getJson(base + "meetings.json");
    const items = await getJson(base + "actions.json");
    const groupsHtml = await getText(base + "groups/");
    const peopleHtml = await getText(base + "people/");
    const groups = linksIn(groupsHtml, base + "groups/", /^groups\/[^/]+\/$/);
    const people = linksIn(peopleHtml, base + "people/", /^people\/[^/]+\/$/);
    const meetingUrls = meetings.map((m) => (m.url || "").replace(/^\//, "")).filter(Boolean);
    check(groups.length > 0 && people.length > 0 && meetingUrls.length > 0 && items.length > 0,
      `the site lists groups (${groups.length}), people (${people.length}), meetings (${meetingUrls.length}) and items (${items.length})`);
    const every = (list, n) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / n)) === 0);
    const planned = meetings.filter((m) => m.status === "planned").map((m) => m.url.replace(/^\//, ""));
    const pages = ["", "groups/", "people/", "actions/", "decisions/", "search/?q=meeting"]
      .concat(groups, every(meetingUrls, 12), planned.slice(0, 2), every(people, 8),
        every(items.map((i) => i.url.replace(/^\//, "")), 8));
    const wide = [];
    for (const p of pages) {
      await page.goto(base + p);
      if (p.startsWith("search/")) await settled(page);
      const o = await overflow(page);
      if (o.over > 0) wide.push(`${p || "home"} (${o.over}px wider${o.worst ? ", " + o.worst : ""})`);
    }
    check(wide.length === 0, `no page of ${pages.length} is wider than ${WIDTH}px` + (wide.length ? ": " + wide.join("; ") : ""));

    // The people list sorts by meetings attended as numbers, not by the
    // words a phone shows beside them ("attended 11" after "attended 5").
    await page.goto(base + "people/");
    const sorted = await page.evaluate(() => {
      const table = document.querySelector("table.people");
      const th = table && [...table.tHead.rows[0].cells].find((c) => /Attended/.test(c.textContent));
      const button = th && th.querySelector("button");
      if (!button) return null;
      button.click();
      const col = [...table.tHead.rows[0].cells].indexOf(th);
      return [...table.tBodies[0].rows].map((r) => Number(r.cells[col].textContent.replace(/\D+/g, "")));
    });
    check(Array.isArray(sorted) && sorted.length > 1 && sorted.every((n, i) => i === 0 || sorted[i - 1] <= n),
      `sorting the people by meetings attended orders them by number (${JSON.stringify(sorted)})`);

    // Every meeting's <title> is its own.
    const titles = new Map();
    for (const u of meetingUrls) {
      const html = await getText(base + u);
      const t = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || "";
      if (!titles.has(t)) titles.set(t, []);
      titles.get(t).push(u);
    }
    const dup = [...titles].filter(([, us]) => us.length > 1);
    check(dup.length === 0, `the ${meetingUrls.length} meeting titles are unique` +
      (dup.length ? ": " + dup.slice(0, 3).map(([t, us]) => `"${t}" on ${us.join(", ")}`).join("; ") : ""));
    const sample = await getText(base + meetingUrls[0]);
    const h1 = ((/<h1>([^]*?)<\/h1>/.exec(sample) || [])[1] || "").replace(/<[^>]*>/g, "");
    check(/<title>[^<]*\d{4}-\d\d-\d\d/.test(sample) && /\d{4}-\d\d-\d\d/.test(h1),
      "a meeting's title and heading hold its date");

    // Handles and emails of people, from their pages.
    const handles = [];
    for (const p of people) {
      const html = await getText(base + p);
      const h = /<dt>Handle<\/dt><dd>@([^<]+)<\/dd>/.exec(html);
      if (h) handles.push(h[1].toLowerCase());
    }

    // Snippets: plain text, no index fields.
    const snippetIssues = [];
    for (const q of ["meeting", "review", "budget", "release", "charter"]) {
      await page.goto(base + "search/?q=" + q);
      await settled(page);
      const snippets = await page.$$eval("[data-search-results] li > p:not(.meta)", (ps) => ps.map((p) => p.textContent));
      for (const s of snippets) {
        const low = s.toLowerCase();
        if (/\|\s*:?-{3}/.test(s)) snippetIssues.push(`table syntax in "${s.slice(0, 80)}"`);
        if (/[\w.+-]+@[\w-]+\.\w+/.test(s) || /(^|\s)@\w/.test(s)) snippetIssues.push(`an email or @handle in "${s.slice(0, 80)}"`);
        if (/\b(owner|present|chairs):/i.test(s)) snippetIssues.push(`an index field in "${s.slice(0, 80)}"`);
        const hs = handles.filter((h) => new RegExp(`\\b${h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(low));
        if (hs.length) snippetIssues.push(`handles ${hs.join(", ")} in "${s.slice(0, 80)}"`);
      }
    }
    check(snippetIssues.length === 0, "no search snippet shows `| ---`, emails, handles or index fields" +
      (snippetIssues.length ? ": " + snippetIssues.slice(0, 4).join("; ") : ""));

    if (flags.has("--search-across-groups")) {
      // Documents are numbered by group: ranking must not fall back on that
      // order (one group's results in a run before another's).
      for (const q of ["triage", "release"]) {
        await page.goto(base + "search/?q=" + q);
        await settled(page);
        // Every group the word finds, from the group filter's counts.
        const matching = await page.$$eval("#search-filters fieldset", (fss) => {
          const g = fss.find((f) => f.querySelector("legend").textContent === "Group");
          return g ? g.querySelectorAll("label").length : 0;
        });
        await page.click("#search-more");
        await page.waitForFunction(() => document.querySelectorAll("[data-search-results] li").length >= 20, null, { timeout: 10000 });
        const metas = await page.$$eval("[data-search-results] li .meta", (ms) => ms.slice(0, 20).map((m) => m.textContent));
        const groupNames = await page.$$eval("#search-filters fieldset", (fss) => {
          const g = fss.find((f) => f.querySelector("legend").textContent === "Group");
          return g ? Array.from(g.querySelectorAll("input")).map((i) => i.value) : [];
        });
        const groupsOf = (ms) => new Set(ms.flatMap((m) => groupNames.filter((g) => m.split(" · ").includes(g))));
        const seen = groupsOf(metas), first10 = groupsOf(metas.slice(0, 10));
        check(matching > 1 && seen.size > 1 && first10.size > 1,
          `?q=${q}: ${matching} groups match; the first 20 results come from ${seen.size} of them (${[...seen].join(", ")}), the first 10 from ${first10.size}`);
      }
    }

    if (flags.has("--owner-across-pages")) {
      // An owner with items on page 2 of the index, and on page 1.
      const p2 = await getText(base + "actions/_page/2/");
      const p1 = await getText(base + "actions/");
      // The owner is a row's third cell (cells carry no class; end tags are left out).
      const owned = (html) => new Set([...html.matchAll(/<tr><td><a href="[^"]*actions\/[^]*?<td>[^]*?<td>([^]*?)<td>/g)]
        .flatMap((m) => [...m[1].matchAll(/>([^<]+)<\/a>/g)].map((a) => a[1])));
      const on1 = owned(p1);
      const owner = [...owned(p2)].find((o) => on1.has(o));
      check(!!owner, `an owner has items on pages 1 and 2 of the actions index (${owner})`);
      if (owner) {
        const want = items.filter((i) => i.owners.includes(owner)).map((i) => i.url.replace(/^\//, ""));
        await page.goto(base + "actions/");
        await page.fill("#f-owner", owner);
        await page.waitForFunction(() => /match/.test(document.getElementById("f-count").textContent), null, { timeout: 10000 });
        const count = await page.textContent("#f-count");
        const got = await page.$$eval("#item-pages tbody td:first-child > a", (as) => as.map((a) => a.getAttribute("href")));
        const gotUrls = got.map((h) => new URL(h, page.url()).href.slice(base.length));
        check(want.length > 0 && want.every((u) => gotUrls.includes(u)) && gotUrls.length === want.length,
          `the owner filter lists all ${want.length} items of ${owner} from every page (listed ${gotUrls.length})`);
        check(count.startsWith(`${want.length} action item`), `the result count says ${want.length}: "${count}"`);
        check(new URL(page.url()).searchParams.get("owner") === owner, "the owner filter is in the address");
        // The address alone gives the same list.
        await page.goto(base + "actions/?owner=" + encodeURIComponent(owner));
        await page.waitForFunction(() => /match/.test(document.getElementById("f-count").textContent), null, { timeout: 10000 });
        const again = await page.$$eval("#item-pages tbody td:first-child > a", (as) => as.length);
        check(again === want.length, `actions/?owner=… lists the same ${want.length} items (${again})`);
        const o = await overflow(page);
        check(o.over <= 0, `the filtered actions index fits ${WIDTH}px (${o.over}px over)`);
      }
    }
  } catch (e) {
    failures.push(String(e && e.stack || e));
    console.log("FAIL - " + e);
  }
  check(jsErrors.length === 0, "no JavaScript errors" + (jsErrors.length ? ": " + jsErrors.slice(0, 5).join("; ") : ""));
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(`browser checks: ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
