/* Messenger Defense Scorecard: sortable, filterable tables as progressive enhancement.
   Without JavaScript every table is complete and readable; this only adds controls.
   Served from the site itself; no third-party code. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var sort = cell.getAttribute("data-sort");
    if (sort !== null && sort !== "") return parseFloat(sort);
    return cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || !table.tBodies.length) return;
    var headerRow = head.rows[head.rows.length - 1];
    Array.prototype.forEach.call(headerRow.cells, function (th, index) {
      if (th.tagName !== "TH") return;
      var button = document.createElement("button");
      button.type = "button";
      if (th.querySelector("a")) {
        // A header that is a link keeps its link; a separate small button sorts (no nested controls).
        button.className = "sc-sort sc-sort--icon";
        button.textContent = "\u21C5";
        button.setAttribute("aria-label", "Sort by " + th.textContent.trim());
        th.appendChild(button);
      } else {
        button.className = "sc-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
      }
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function (event) {
        if (event.target.closest("a")) event.preventDefault();
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headerRow.cells, function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function buildControls(table) {
    var controls = document.createElement("div");
    controls.className = "sc-controls";
    controls.innerHTML =
      '<label>Name <input type="search" data-filter="name" placeholder="Filter by name"></label>' +
      '<label>Kind <select data-filter="kind"><option value="">All kinds</option></select></label>';
    var select = controls.querySelector("[data-filter=kind]");
    (window.scorecardRegistry || { kinds: [] }).kinds.forEach(function (kind) {  // assets/registry.js
      select.add(new Option(kind.label, kind.id));
    });
    table.closest(".sc-table-wrap").before(controls);
    return controls;
  }

  function makeFilterable(table) {
    var wrap = table.closest(".sc-table-wrap");
    var controls = wrap && wrap.previousElementSibling;
    if (!controls || !controls.classList.contains("sc-controls")) controls = buildControls(table);
    controls.hidden = false;
    var inputs = controls.querySelectorAll("[data-filter]");
    function apply() {
      var name = "", kind = "", fn = "";
      inputs.forEach(function (input) {
        var key = input.getAttribute("data-filter");
        if (key === "name") name = input.value.trim().toLowerCase();
        if (key === "kind") kind = input.value;
        if (key === "function") fn = input.value;
      });
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var show = (!name || (row.getAttribute("data-name") || "").indexOf(name) !== -1) &&
                   (!kind || row.getAttribute("data-kind") === kind);
        row.hidden = !show;
      });
      table.querySelectorAll("[data-function]").forEach(function (cell) {
        cell.hidden = !!fn && cell.getAttribute("data-function") !== fn;
      });
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", apply);
      input.addEventListener("change", apply);
    });
    // Phones: the matrix shows one function at a time (the first, until the reader picks another).
    var fnSelect = controls.querySelector("select[data-filter=function]");
    if (fnSelect && !fnSelect.value && window.matchMedia("(max-width: 37.5em)").matches && fnSelect.options.length > 1) {
      fnSelect.value = fnSelect.options[1].value;
      apply();
    }
  }

  // A visible cue above every table that is wider than its box (recomputed when the window is resized).
  function markScrolling() {
    document.querySelectorAll(".sc-table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      var has = hint && hint.classList.contains("sc-scroll-hint");
      if (scrolls && !has) {
        hint = document.createElement("p");
        hint.className = "sc-scroll-hint";
        hint.textContent = "This table scrolls sideways \u2192";
        wrap.before(hint);
      } else if (!scrolls && has) {
        hint.remove();
      }
      wrap.classList.toggle("sc-scrolls", scrolls);
      // A box that scrolls must be reachable with the keyboard (WCAG 2.1.1), and named.
      if (scrolls) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  // Citations carry the reader's access date; every .sc-copy block and code snippet gets a Copy button.
  function addCopyButtons() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".sc-access-date").forEach(function (el) { el.textContent = today; });
    document.querySelectorAll(".sc-copy, .sc-embed pre").forEach(function (block) {
      if (!navigator.clipboard) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sc-copy-button";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(block.textContent.trim()).then(function () {
          button.textContent = "Copied";
        }, function () {
          button.textContent = "Copy failed: select the text instead";
        });
      });
      block.after(button);
    });
  }

  function init() {
    addCopyButtons();
    document.querySelectorAll("table.sc-sortable").forEach(makeSortable);
    document.querySelectorAll("table.sc-filterable").forEach(makeFilterable);
    markScrolling();  // after the controls exist: the cue goes between them and the table
    window.addEventListener("resize", markScrolling);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
