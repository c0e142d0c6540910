// quorum: the decisions register's filters (group, year, state), also read
// from the page's query (?group=…&year=…&state=…). Without it every row shows.
(function () {
  "use strict";
  var form = document.querySelector("[data-decision-filters]");
  var table = document.querySelector("table.decisions");
  if (!form || !table || !table.tBodies[0]) return;
  var keys = ["group", "year", "state"];
  var params = new URLSearchParams(window.location.search);
  keys.forEach(function (k) {
    var select = form.querySelector("select[name=" + k + "]");
    if (select && params.get(k)) select.value = params.get(k);
  });
  function apply() {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      row.hidden = !keys.every(function (k) {
        var select = form.querySelector("select[name=" + k + "]");
        var v = select ? select.value : "";
        return !v || row.getAttribute("data-" + k) === v;
      });
    });
  }
  form.addEventListener("change", apply);
  apply();
})();
