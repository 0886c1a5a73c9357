/* Entry pages of a submission: live rate of numerator/denominator pairs, and adding rows to lists.
 * Loaded as a file (no inline scripts: the Content Security Policy forbids them). */
(function () {
  "use strict";

  // "2.419" / "2 419" / "2419" -> 2419; anything else -> null.
  function parseWhole(text) {
    var t = (text || "").trim().replace(/\u00a0/g, " ");
    if (!/^\d{1,3}(?:[.\s]\d{3})+$|^\d+$/.test(t)) { return null; }
    return parseInt(t.replace(/[.\s]/g, ""), 10);
  }

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // Rate with one decimal, half up, Vietnamese separators: 2419/2468 -> "98,0%"; no rate -> "-".
  function formatRate(num, den) {
    if (num === null || den === null || den === 0) { return "-"; }
    var tenths = Math.floor((2 * num * 1000 + den) / (2 * den)); // round(num*1000/den) half up, exact
    var whole = Math.floor(tenths / 10);
    return group(String(whole)) + "," + String(tenths % 10) + "%";
  }

  function updatePair(pair) {
    var inputs = pair.querySelectorAll("input.figure");
    var out = pair.querySelector("[data-rate-output]");
    if (inputs.length < 2 || !out) { return; }
    out.textContent = formatRate(parseWhole(inputs[0].value), parseWhole(inputs[1].value));
  }

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var tpl = document.getElementById(prefix + "-empty");
    var box = document.querySelector('[data-rows="' + prefix + '"] tbody');
    if (!total || !tpl || !box) { return; }
    var index = parseInt(total.value, 10) || 0;
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    var numberCell = row.querySelector("td");
    if (numberCell) { numberCell.textContent = String(index + 1); }
    box.appendChild(row);
    if (window.appLabelTables) { window.appLabelTables(box.closest("[data-rows]")); }
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rate-pair]").forEach(function (pair) {
      pair.addEventListener("input", function () { updatePair(pair); });
      updatePair(pair);
    });
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button.getAttribute("data-add-row")); });
    });
  });

  window.entryFormatRate = formatRate; // for the browser tests
})();
