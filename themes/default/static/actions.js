// quorum: sortable tables, and a filter for tables of action items.
// Pages are complete without it; this only adds controls.
(function () {
  "use strict";
  function text(cell) {
    // The words a phone shows beside a figure (".lbl") are not sorted on.
    var t = cell ? cell.textContent : "";
    if (cell) cell.querySelectorAll(".lbl").forEach(function (l) { t = t.replace(l.textContent, ""); });
    return t.trim();
  }
  // A row's status: its last status pill (a meeting's row shows "from → to").
  function status(row) {
    var pills = row.querySelectorAll('[class^="s-"]');
    return pills.length ? pills[pills.length - 1].className.slice(2) : "";
  }
  function compare(a, b) {
    var na = Number(a), nb = Number(b);
    if (a !== "" && b !== "" && !isNaN(na) && !isNaN(nb)) return na - nb;
    if (a === "" && b !== "") return 1;
    if (b === "" && a !== "") return -1;
    return a.localeCompare(b);
  }
  var count = 0;
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body) return;
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(text(r1.cells[col]), text(r2.cells[col]));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    if (!table.classList.contains("items") || body.rows.length < 10) return;
    // The actions index filters across every item (below), not one page.
    if (table.closest("#item-pages")) return;
    count += 1;
    var form = document.createElement("div");
    form.className = "filters";
    var id = "filter_" + count, sid = "status_" + count;
    // Only the statuses this table holds.
    var has = {};
    Array.prototype.forEach.call(body.rows, function (row) {
      has[status(row)] = true;
      if (row.querySelector(".overdue")) has.overdue = true;
      if (row.querySelector(".stale")) has.stale = true;
    });
    var opts = '<option value="">any</option>';
    if (has.open || has["in-progress"] || has.blocked) opts += '<option value="open">open (any)</option>';
    [["open", "open"], ["in-progress", "in progress"], ["blocked", "blocked"], ["done", "done"],
      ["dropped", "dropped"], ["overdue", "overdue"], ["stale", "stale"]].forEach(function (o) {
      if (has[o[0]] && o[0] !== "open") opts += '<option value="' + o[0] + '">' + o[1] + "</option>";
    });
    form.innerHTML =
      '<label for="' + id + '">Filter</label> <input type="search" id="' + id + '"> ' +
      '<label for="' + sid + '">Status</label> <select id="' + sid + '">' + opts + "</select>";
    table.parentNode.insertBefore(form, table);
    var input = form.querySelector("input"), select = form.querySelector("select");
    function apply() {
      var q = input.value.trim().toLowerCase(), s = select.value;
      Array.prototype.forEach.call(body.rows, function (row) {
        var st = status(row);
        var all = row.textContent.toLowerCase();
        var ok = (!q || all.indexOf(q) >= 0);
        if (s === "open") ok = ok && ["open", "in-progress", "blocked"].indexOf(st) >= 0;
        else if (s === "overdue" || s === "stale") ok = ok && !!row.querySelector("." + s);
        else if (s) ok = ok && st === s;
        row.hidden = !ok;
      });
    }
    input.addEventListener("input", apply);
    select.addEventListener("change", apply);
  });

  // The actions index: filters by owner, group, status and due date across
  // every item. The small index (actions/items.json) loads on first use; the
  // filters live in the address, so a filtered list can be linked to.
  var box = document.getElementById("item-filters");
  var pagesBox = document.getElementById("item-pages");
  if (!box || !pagesBox) return;
  var root = box.getAttribute("data-root") || "../";
  var PER = 100;
  var LABEL = { "in-progress": "in progress" };
  var index = null;
  function loadIndex() {
    if (!index) {
      index = fetch(box.getAttribute("data-items-index")).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
    }
    return index;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  box.className = "item-filters";
  box.setAttribute("role", "search");
  box.setAttribute("aria-label", "Filter every action item");
  box.innerHTML =
    '<label for="f-owner">Owner<input id="f-owner" list="f-owners" autocomplete="off" placeholder="any"></label>' +
    '<datalist id="f-owners"></datalist>' +
    '<label for="f-group">Group<select id="f-group"><option value="">any</option></select></label>' +
    '<label for="f-status">Status<select id="f-status"><option value="">any</option>' +
    '<option value="open">open (any)</option><option value="open-only">open, not started</option>' +
    '<option value="in-progress">in progress</option><option value="blocked">blocked</option>' +
    '<option value="overdue">overdue</option><option value="stale">stale</option>' +
    '<option value="closed">closed (any)</option><option value="done">done</option><option value="dropped">dropped</option></select></label>' +
    '<label for="f-due">Due<select id="f-due"><option value="">any</option><option value="overdue">past due</option>' +
    '<option value="7">within 7 days</option><option value="30">within 30 days</option><option value="none">no due date</option></select></label>' +
    '<label for="f-text">Words<input id="f-text" type="search" autocomplete="off"></label>' +
    '<button type="button" id="f-clear">Clear</button>' +
    '<p class="result-count" id="f-count" aria-live="polite"></p>';
  var fOwner = document.getElementById("f-owner"), fGroup = document.getElementById("f-group"),
    fStatus = document.getElementById("f-status"), fDue = document.getElementById("f-due"),
    fText = document.getElementById("f-text"), fCount = document.getElementById("f-count");
  var staticHtml = pagesBox.innerHTML;
  var fields = { owner: fOwner, group: fGroup, status: fStatus, due: fDue, q: fText };
  var page = 1;

  function params() { return new URLSearchParams(location.search); }
  function active() {
    return Object.keys(fields).some(function (k) { return fields[k].value.trim() !== ""; });
  }
  function daysBetween(a, b) { return Math.round((Date.parse(b) - Date.parse(a)) / 86400000); }
  function keep(ix, it) {
    var owner = fOwner.value.trim().toLowerCase(), group = fGroup.value, st = fStatus.value,
      due = fDue.value, q = fText.value.trim().toLowerCase();
    var status = it[3], open = status === "open" || status === "in-progress" || status === "blocked";
    if (owner) {
      var names = it[4].map(function (p) { return ix.people[p][0].toLowerCase(); });
      if (it[5]) names.push(String(it[5]).toLowerCase());
      if (!names.some(function (n) { return n === owner || n.indexOf(owner) >= 0; })) return false;
    }
    if (group && ix.groups[it[6]][0] !== group) return false;
    if (st === "open" && !open) return false;
    if (st === "closed" && open) return false;
    if (st === "open-only" && status !== "open") return false;
    if (st === "overdue" && !(it[9] > 0)) return false;
    if (st === "stale" && !it[10]) return false;
    if (["in-progress", "blocked", "done", "dropped"].indexOf(st) >= 0 && status !== st) return false;
    if (due === "none" && it[7]) return false;
    if (due === "overdue" && !(open && it[7] && it[7] < ix.today)) return false;
    if ((due === "7" || due === "30") && !(open && it[7] && it[7] >= ix.today && daysBetween(ix.today, it[7]) <= Number(due))) return false;
    if (q && (it[2] + " " + it[0]).toLowerCase().indexOf(q) < 0) return false;
    return true;
  }
  function row(ix, it) {
    // The same markup as the built pages' rows (item_table.html): cells carry
    // no class, the phone's labels come from the stylesheet.
    var open = it[3] === "open" || it[3] === "in-progress" || it[3] === "blocked";
    var st = '<span class="s-' + esc(it[3]) + '">' + esc(LABEL[it[3]] || it[3]) + "</span>";
    if (open && it[9] > 0) st += ' <strong class="overdue">overdue by ' + it[9] + " day" + (it[9] === 1 ? "" : "s") + "</strong>";
    if (open && it[10]) st += ' <strong class="stale">stale</strong>';
    if (!open && it[8]) st += " " + esc(it[8]);
    var owner = it[4].length ? it[4].map(function (p) {
      return '<a href="' + esc(root + ix.people[p][1]) + '">' + esc(ix.people[p][0]) + "</a>";
    }).join(", ") : it[5] ? '<span class="group-owner">' + esc(it[5]) + " (the group)</span>" : '<span class="unassigned">Unassigned</span>';
    var g = ix.groups[it[6]];
    return '<tr><td><a href="' + esc(root + it[1]) + '">' + esc(it[2]) +
      '</a> <small>' + esc(it[0]) + "</small><td>" + st + "<td>" + owner +
      '<td><a href="' + esc(root + g[1]) + '">' + esc(g[0]) + "</a><td>" +
      (it[7] ? esc(it[7]) : "") + "<td>" + it[11] + "</tr>";
  }
  function pager(n, label) {
    var pages = Math.ceil(n / PER);
    if (pages <= 1) return "";
    var out = '<nav class="pages" aria-label="' + label + '"><ul>', last = 0;
    if (page > 1) out += '<li><button type="button" data-page="' + (page - 1) + '">← Previous</button></li>';
    for (var p = 1; p <= pages; p++) {
      if (p !== 1 && p !== pages && Math.abs(p - page) > 2) continue;
      if (p > last + 1) out += '<li class="gap" aria-hidden="true">…</li>';
      out += '<li><button type="button" data-page="' + p + '"' + (p === page ? ' aria-current="page"' : "") + ">" + p + "</button></li>";
      last = p;
    }
    if (page < pages) out += '<li><button type="button" data-page="' + (page + 1) + '">Next →</button></li>';
    return out + "</ul></nav>";
  }
  function render() {
    if (!active()) {
      pagesBox.innerHTML = staticHtml;
      fCount.textContent = "";
      return;
    }
    fCount.textContent = "Filtering…";
    loadIndex().then(function (ix) {
      var found = ix.items.filter(function (it) { return keep(ix, it); });
      var n = found.length, pages = Math.max(1, Math.ceil(n / PER));
      if (page > pages) page = pages;
      var from = (page - 1) * PER, shown = found.slice(from, from + PER);
      fCount.textContent = n === 0 ? "No action items match." :
        n + (n === 1 ? " action item matches" : " action items match") +
        (n > PER ? "; " + (from + 1) + "–" + (from + shown.length) + " shown (page " + page + " of " + pages + ")." : ".");
      pagesBox.innerHTML = n === 0 ? "" : pager(n, "Pages of matching items") +
        '<div class="scroll"><table class="items"><caption class="vh">Matching action items</caption><thead><tr>' +
        '<th scope="col">Task</th><th scope="col">Status</th><th scope="col">Owner</th><th scope="col">Group</th>' +
        '<th scope="col">Due</th><th scope="col">Carried</th></tr></thead><tbody>' +
        shown.map(function (it) { return row(ix, it); }).join("") + "</tbody></table></div>" +
        pager(n, "Pages of matching items, again");
    }).catch(function (e) { fCount.textContent = "Filtering failed: " + e.message; });
  }
  function save() {
    var p = params();
    Object.keys(fields).forEach(function (k) {
      var v = fields[k].value.trim();
      if (v) p.set(k, v); else p.delete(k);
    });
    if (page > 1) p.set("page", String(page)); else p.delete("page");
    var qs = p.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }
  function changed() { page = 1; save(); render(); }
  pagesBox.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-page]");
    if (!b) return;
    page = Number(b.getAttribute("data-page"));
    save();
    render();
    box.scrollIntoView();
  });
  var timer = null;
  [fOwner, fText].forEach(function (el) {
    el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(changed, 200); });
  });
  [fGroup, fStatus, fDue].forEach(function (el) { el.addEventListener("change", changed); });
  document.getElementById("f-clear").addEventListener("click", function () {
    Object.keys(fields).forEach(function (k) { fields[k].value = ""; });
    changed();
  });
  // The owner and group lists come with the index, loaded when the reader
  // first reaches for a filter (or at once when the address holds one).
  var filled = false;
  function fill() {
    if (filled) return;
    filled = true;
    loadIndex().then(function (ix) {
      var owns = {};
      ix.items.forEach(function (it) { it[4].forEach(function (p) { owns[p] = true; }); });
      document.getElementById("f-owners").innerHTML = Object.keys(owns).map(Number)
        .sort(function (a, b) { return a - b; })
        .map(function (p) { return '<option value="' + esc(ix.people[p][0]) + '">'; }).join("");
      var want = params().get("group") || fGroup.value;
      fGroup.innerHTML = '<option value="">any</option>' + ix.groups.map(function (g) {
        return "<option>" + esc(g[0]) + "</option>";
      }).join("");
      fGroup.value = want;
    });
  }
  box.addEventListener("focusin", fill);
  box.addEventListener("pointerdown", fill);
  var p0 = params();
  Object.keys(fields).forEach(function (k) {
    if (p0.get(k)) {
      if (fields[k].tagName === "SELECT" && !Array.prototype.some.call(fields[k].options, function (o) { return o.value === p0.get(k); })) {
        var o = document.createElement("option");
        o.textContent = p0.get(k);
        fields[k].appendChild(o);
      }
      fields[k].value = p0.get(k);
    }
  });
  page = Math.max(1, Number(p0.get("page")) || 1);
  if (active()) { fill(); render(); }
})();
