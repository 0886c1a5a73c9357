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

  // ---- Autosave: the section's draft goes to the server while the user types (debounced), with the same
  // checks and the same optimistic lock as "Lưu nháp". Nothing typed is thrown away: on an error or a
  // conflict the page keeps the input and says why; leaving with unsaved input asks first.
  var AUTOSAVE_DELAY = 2500;
  var RETRY_DELAY = 15000;

  function setupAutosave(form) {
    var statusEl = form.querySelector("[data-autosave-status]");
    var conflictEl = document.querySelector("[data-autosave-conflict]");
    var tab = document.querySelector(".section-tabs .nav-link.active");
    var versionInput = form.querySelector("input[name=version]");
    var timer = null, inflight = false, again = false, stopped = false, submitting = false;
    var edits = 0, savedEdits = 0, pendingSubmit = null;

    function dirty() { return edits !== savedEdits; }
    function setStatus(text, css) {
      if (!statusEl) { return; }
      statusEl.textContent = text;
      statusEl.className = "autosave-status align-self-center " + (css || "text-muted");
    }
    var MARK_TEXTS = {done: "đã nhập", empty: "chưa nhập", error: "có lỗi", warning: "cần xem lại"};
    function mark(state) {
      if (!tab || !MARK_TEXTS[state]) { return; }
      tab.setAttribute("data-mark", state);
      if (state === "done") { tab.removeAttribute("title"); }
      var text = tab.querySelector(".tab-mark-text");
      if (text) { text.textContent = " (" + MARK_TEXTS[state] + ")"; }
    }
    // Every tab as the server marks it from the stored figures (the answer of a successful autosave).
    function markTabs(marks) {
      document.querySelectorAll(".section-tabs .nav-link[data-section]").forEach(function (link) {
        var m = marks[link.getAttribute("data-section")];
        if (!m || !MARK_TEXTS[m.state]) { return; }
        link.setAttribute("data-mark", m.state);
        if (m.title) { link.setAttribute("title", m.title); } else { link.removeAttribute("title"); }
        var text = link.querySelector(".tab-mark-text");
        if (text) { text.textContent = " (" + (m.text || MARK_TEXTS[m.state]) + ")"; }
      });
    }
    function clearErrors() {
      form.querySelectorAll(".autosave-feedback").forEach(function (el) { el.remove(); });
      form.querySelectorAll(".is-invalid[data-autosave-invalid]").forEach(function (el) {
        el.classList.remove("is-invalid");
        el.removeAttribute("data-autosave-invalid");
      });
    }
    function showErrors(errors) {
      Object.keys(errors || {}).forEach(function (name) {
        var field = name ? form.querySelector('[name="' + name + '"]') : null;
        var box = document.createElement("div");
        box.className = "invalid-feedback d-block autosave-feedback";
        box.textContent = errors[name].join(" ");
        if (field) {
          field.classList.add("is-invalid");
          field.setAttribute("data-autosave-invalid", "1");
          field.insertAdjacentElement("afterend", box);
        } else {
          box.className = "alert alert-danger py-1 autosave-feedback";
          form.insertAdjacentElement("afterbegin", box);
        }
      });
    }
    function showConflict(body) {
      if (!conflictEl) { return; }
      conflictEl.hidden = false;
      conflictEl.querySelector("[data-conflict-message]").textContent = body.message +
        (body.entered_by ? " Người lưu gần nhất: " + body.entered_by + "." : "");
      var tbody = conflictEl.querySelector("tbody");
      tbody.textContent = "";
      (body.rows || []).forEach(function (r) {
        var tr = document.createElement("tr");
        [r.label, r.typed, r.current].forEach(function (text, i) {
          var td = document.createElement("td");
          td.textContent = text;
          if (i === 1) { td.className = "fw-bold"; }
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      if (window.appLabelTables) { window.appLabelTables(conflictEl); }
      conflictEl.scrollIntoView({block: "nearest"});
    }

    function handle(status, body, sentEdits) {
      if (body.saved) {
        clearErrors();
        if (versionInput && body.version !== undefined) { versionInput.value = String(body.version); }
        savedEdits = sentEdits;
        if (body.marks) {
          markTabs(body.marks);
        } else if (body.changed || (tab && tab.getAttribute("data-mark") !== "empty")) {
          mark("done");
        }
        setStatus(dirty() ? "Đang chờ lưu…" : "Đã tự lưu lúc " + body.at, dirty() ? "text-muted" : "text-success");
        return;
      }
      if (body.conflict) {
        stopped = true;
        mark("error");
        setStatus("Chưa lưu: xung đột với người khác (xem phía trên)", "text-danger");
        showConflict(body);
        return;
      }
      clearErrors();
      if (body.needs_source) {
        // On a unit's behalf, no source recorded yet: the first "Lưu nháp" records it with the figures.
        setStatus(body.message, "text-warning");
        var fields = document.querySelector("[data-testid=behalf-source-fields]");
        if (fields) { fields.classList.add("border-warning"); }
        return;
      }
      showErrors(body.errors);
      var warnBox = document.querySelector("[data-autosave-warnings]");
      if (body.warnings && body.warnings.length && warnBox) {
        var list = warnBox.querySelector("ul");
        list.textContent = "";
        body.warnings.forEach(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          list.appendChild(li);
        });
        warnBox.hidden = false;
      }
      mark(body.warnings && body.warnings.length ? "warning" : "error");
      setStatus(body.message || "Chưa tự lưu", body.warnings && body.warnings.length ? "text-warning" : "text-danger");
    }

    function save() {
      timer = null;
      if (stopped || submitting || !dirty()) { return; }
      if (inflight) { again = true; return; }
      inflight = true;
      var sentEdits = edits;
      var data = new FormData(form);
      data.set("autosave", "1");
      setStatus("Đang tự lưu…");
      fetch(form.getAttribute("action") || window.location.href, {
        method: "POST", body: data, credentials: "same-origin", headers: {"X-Requested-With": "fetch"},
      }).then(function (resp) {
        return resp.json().then(function (body) { return {status: resp.status, body: body}; });
      }).then(function (res) {
        inflight = false;
        handle(res.status, res.body, sentEdits);
        if (pendingSubmit) { var s = pendingSubmit; pendingSubmit = null; form.requestSubmit(s); return; }
        if (again) { again = false; schedule(); }
      }).catch(function () {
        inflight = false;
        setStatus("Mất kết nối: chưa tự lưu, sẽ thử lại; số liệu vẫn còn trên trang", "text-warning");
        if (pendingSubmit) { var s = pendingSubmit; pendingSubmit = null; form.requestSubmit(s); return; }
        if (!timer) { timer = window.setTimeout(save, RETRY_DELAY); }
      });
    }

    function schedule() {
      if (stopped) { return; }
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, AUTOSAVE_DELAY);
    }

    function edited(event) {
      edits += 1;
      setStatus("Chưa lưu…");
      schedule();
    }
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    form.addEventListener("submit", function (event) {
      if (inflight) {  // let the autosave answer first, so the version sent is the current one
        event.preventDefault();
        pendingSubmit = event.submitter || null;
        return;
      }
      if (timer) { window.clearTimeout(timer); timer = null; }
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty() && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.entryAutosave = {save: save, dirty: dirty};  // for the browser tests
  }

  document.addEventListener("DOMContentLoaded", function () {
    var entryForm = document.getElementById("entry-form");
    if (entryForm && entryForm.querySelector("[data-action=save]")) { setupAutosave(entryForm); }
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
