// claimtrack report: optional folding and sorting; the page reads the same without it.
(function () {
  "use strict";
  var main = document.querySelector("main");
  if (!main) return;
  var tools = document.createElement("p");
  tools.className = "tools";
  [["Unfold all", true], ["Fold all", false]].forEach(function (pair) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = pair[0];
    b.addEventListener("click", function () {
      document.querySelectorAll("details").forEach(function (d) { d.open = pair[1]; });
    });
    tools.appendChild(b);
  });
  var head = main.querySelector("header");
  main.insertBefore(tools, head ? head.nextSibling : main.firstChild);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  function key(cell, numeric) {
    if (!cell) return "";
    var v = cell.getAttribute("data-value");
    if (numeric) return parseFloat(v !== null ? v : cell.textContent) || 0;
    return cell.textContent.trim().toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, n) {
      var b = document.createElement("button");
      b.type = "button";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () {
        var numeric = th.getAttribute("data-sort") === "number";
        var down = th.getAttribute("aria-sort") !== "descending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[n], numeric), y = key(b.cells[n], numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (down ? -1 : 1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
      });
    });
  });
})();
