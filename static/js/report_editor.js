/* Report text editor: bound figures are protected, labelled elements; what staff type is plain text.
 * Each block's editable box writes its text back into the block's textarea on submit, every bound figure
 * as its placeholder ({{count:conference.count}}) and every footnote mark as [^n], so the server keeps the
 * figures bound. Without this script the textareas (placeholder notation) are used as they are.
 * Loaded as a file (no inline scripts: the Content Security Policy forbids them). */
(function () {
  "use strict";

  function serialise(node) {
    var out = "";
    node.childNodes.forEach(function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += child.nodeValue;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.dataset && child.dataset.placeholder) {
          out += child.dataset.placeholder;
        } else if (child.tagName === "BR") {
          out += " ";
        } else {
          if (child.tagName === "DIV" || child.tagName === "P") { out += " "; }
          out += serialise(child);
        }
      }
    });
    return out;
  }

  function clean(text) {
    return text.replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim();
  }

  function insertPlainText(text) {
    var selection = window.getSelection();
    if (!selection || !selection.rangeCount) { return; }
    var range = selection.getRangeAt(0);
    range.deleteContents();
    var node = document.createTextNode(text);
    range.insertNode(node);
    range.setStartAfter(node);
    range.collapse(true);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("edit-form");
    if (!form) { return; }
    var editors = form.querySelectorAll(".report-editor");
    editors.forEach(function (editor) {
      var source = document.getElementById(editor.dataset.source);
      if (!source) { return; }
      source.hidden = true;
      source.setAttribute("aria-hidden", "true");
      editor.hidden = false;
      var preview = editor.parentNode.querySelector(".figure-preview");
      if (preview) { preview.hidden = true; }
      // Typing and pasting give plain text only: a pasted figure is a typed number, never a fake bound one.
      editor.addEventListener("paste", function (event) {
        event.preventDefault();
        var text = (event.clipboardData || window.clipboardData).getData("text/plain");
        insertPlainText(text.replace(/\s+/g, " "));
      });
      editor.addEventListener("drop", function (event) { event.preventDefault(); });
      editor.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }  // one block is one paragraph
      });
      // A bound figure is never overwritten: typing while it is selected goes after it (it may be deleted whole).
      editor.addEventListener("beforeinput", function (event) {
        if (event.inputType.indexOf("insert") !== 0) { return; }
        var selection = window.getSelection();
        if (!selection || !selection.rangeCount || selection.isCollapsed) { return; }
        var range = selection.getRangeAt(0);
        var touched = Array.prototype.some.call(editor.querySelectorAll("[data-placeholder]"), function (chip) {
          return range.intersectsNode(chip);
        });
        if (touched) { selection.collapseToEnd(); }
      });
      editor.addEventListener("input", function () {
        source.value = clean(serialise(editor));
      });
    });
    document.querySelectorAll(".editor-help").forEach(function (help) { help.hidden = false; });
    form.addEventListener("submit", function () {
      editors.forEach(function (editor) {
        var source = document.getElementById(editor.dataset.source);
        if (source) { source.value = clean(serialise(editor)); }
      });
    });
  });
})();
