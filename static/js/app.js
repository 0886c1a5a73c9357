/* Shared page behaviour (loaded on every page as a file: the Content Security Policy forbids inline scripts).
 * - Stacked tables on phones: each cell of a table.table-stack gets its column's name as data-label.
 * - Forms with data-confirm ask before doing what cannot be undone (the text says what will happen). */
(function () {
  "use strict";

  function labelTable(table) {
    var heads = table.querySelectorAll("thead tr:last-child > th");
    if (!heads.length) { return; }
    var labels = Array.prototype.map.call(heads, function (th) {
      return (th.getAttribute("data-label") || th.textContent || "").trim();
    });
    table.querySelectorAll("tbody > tr").forEach(function (tr) {
      var i = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        if (!cell.hasAttribute("data-label") && labels[i] !== undefined) { cell.setAttribute("data-label", labels[i]); }
        i += cell.colSpan || 1;
      });
    });
  }

  window.appLabelTables = function (root) {
    (root || document).querySelectorAll("table.table-stack").forEach(labelTable);
  };

  // Confirmation before a step that cannot be undone: <form data-confirm="what will happen"
  // data-confirm-title="…" data-confirm-button="…">. A Bootstrap dialog when Bootstrap is loaded, else confirm().
  var dialog = null;
  function confirmDialog() {
    if (dialog) { return dialog; }
    var el = document.createElement("div");
    el.className = "modal fade";
    el.id = "confirm-dialog";
    el.tabIndex = -1;
    el.setAttribute("aria-hidden", "true");
    el.innerHTML = '<div class="modal-dialog modal-dialog-centered"><div class="modal-content">' +
      '<div class="modal-header"><h2 class="modal-title fs-5"></h2>' +
      '<button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Đóng"></button></div>' +
      '<div class="modal-body"></div><div class="modal-footer">' +
      '<button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">Hủy</button>' +
      '<button type="button" class="btn btn-danger" data-confirm-ok></button></div></div></div>';
    document.body.appendChild(el);
    dialog = el;
    return el;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || form.querySelector("[type=submit]");
    // A button may carry its own confirmation (a form with several actions).
    var src = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    var text = src.getAttribute("data-confirm");
    if (!text || form.getAttribute("data-confirmed") === "1") { return; }
    event.preventDefault();
    var go = function () {
      form.setAttribute("data-confirmed", "1");
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    };
    if (!(window.bootstrap && window.bootstrap.Modal)) {
      if (window.confirm(text)) { go(); }
      return;
    }
    var el = confirmDialog();
    el.querySelector(".modal-title").textContent = src.getAttribute("data-confirm-title") || "Xác nhận";
    var body = el.querySelector(".modal-body");
    body.textContent = "";
    text.split("\n").forEach(function (line) {
      var p = document.createElement("p");
      p.className = "mb-2";
      p.textContent = line;
      body.appendChild(p);
    });
    var ok = el.querySelector("[data-confirm-ok]");
    ok.textContent = src.getAttribute("data-confirm-button") || (submitter ? submitter.textContent.trim() : "Đồng ý");
    var modal = window.bootstrap.Modal.getOrCreateInstance(el);
    ok.onclick = function () { ok.onclick = null; modal.hide(); go(); };
    modal.show();
  });

  // "Select all" checkboxes: <input type="checkbox" data-check-all="unit"> toggles every name="unit" in its form;
  // [data-selected-count] in the form shows how many are chosen.
  function updateCount(form) {
    var out = form.querySelector("[data-selected-count]");
    if (!out) { return; }
    var n = form.querySelectorAll('input[type=checkbox][name]:checked').length;
    if (!out.hasAttribute("data-empty-text")) { out.setAttribute("data-empty-text", out.textContent); }
    out.textContent = n ? "Đã chọn " + n + " đơn vị" : out.getAttribute("data-empty-text");
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.form) { return; }
    var name = box.getAttribute("data-check-all");
    if (name) {
      box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    }
    updateCount(box.form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    window.appLabelTables(document);
  });
})();
