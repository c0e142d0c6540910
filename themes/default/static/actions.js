// quorum: sortable tables, and a filter for tables of action items.
// Pages are complete without it; this only adds controls.
(function () {
  "use strict";
  function text(cell) {
    var t = cell ? cell.textContent.trim() : "";
    return t;
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
    count += 1;
    var form = document.createElement("div");
    form.className = "filters";
    var id = "filter_" + count, sid = "status_" + count;
    form.innerHTML =
      '<label for="' + id + '">Filter</label> <input type="search" id="' + id + '"> ' +
      '<label for="' + sid + '">Status</label> <select id="' + sid + '">' +
      '<option value="">any</option><option value="open">open (any)</option>' +
      '<option>in-progress</option><option>blocked</option><option>done</option><option>dropped</option>' +
      '<option value="overdue">overdue</option><option value="stale">stale</option></select>';
    table.parentNode.insertBefore(form, table);
    var input = form.querySelector("input"), select = form.querySelector("select");
    function apply() {
      var q = input.value.trim().toLowerCase(), s = select.value;
      Array.prototype.forEach.call(body.rows, function (row) {
        var status = row.getAttribute("data-status") || "";
        var all = row.textContent.toLowerCase();
        var ok = (!q || all.indexOf(q) >= 0);
        if (s === "open") ok = ok && ["open", "in-progress", "blocked"].indexOf(status) >= 0;
        else if (s === "overdue" || s === "stale") ok = ok && all.indexOf(s) >= 0;
        else if (s) ok = ok && status === s;
        row.hidden = !ok;
      });
    }
    input.addEventListener("input", apply);
    select.addEventListener("change", apply);
  });
})();
