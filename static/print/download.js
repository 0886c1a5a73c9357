/*
 * PDF / Excel download buttons: <a href="…" class="btn" data-pdf-download>Tải PDF</a>, and every link to
 * the print layer's download URLs (…/tai-pdf/, …/tai-excel/, …/ke-hoach/<pk>/pdf/). Loaded by base.html.
 * While the file is being made (a province report takes a few seconds) the button is disabled and
 * shows a spinner with its data-busy-text ("Đang tạo tệp PDF…"); the file is then saved under the
 * name the server gives. No inline script (the site's CSP forbids it).
 */
(function () {
  "use strict";

  function filenameFrom(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : fallback;
  }

  function setBusy(button, busy) {
    if (busy) {
      button.dataset.label = button.innerHTML;
      button.classList.add("disabled");
      button.setAttribute("aria-disabled", "true");
      button.setAttribute("aria-busy", "true");
      var text = button.dataset.busyText || "Đang tạo tệp PDF…";
      button.innerHTML = '<span class="spinner-border spinner-border-sm me-1" role="status" aria-hidden="true"></span>';
      button.appendChild(document.createTextNode(text));
    } else {
      button.innerHTML = button.dataset.label || button.innerHTML;
      button.classList.remove("disabled");
      button.removeAttribute("aria-disabled");
      button.removeAttribute("aria-busy");
    }
  }

  function download(event) {
    var button = event.currentTarget;
    if (!window.fetch || !window.URL || button.getAttribute("aria-busy") === "true") {
      if (button.getAttribute("aria-busy") === "true") { event.preventDefault(); }
      return;
    }
    event.preventDefault();
    setBusy(button, true);
    fetch(button.href, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("text/html") === 0) {
          // An error page or a redirect to the report with a message: show it as a page.
          window.location.href = response.url || button.href;
          return null;
        }
        return response.blob().then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = filenameFrom(response, "tai-lieu");
          document.body.appendChild(link);
          link.click();
          setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
        });
      })
      .catch(function () { window.location.href = button.href; })
      .finally(function () { setBusy(button, false); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var selector = "[data-pdf-download], a[href$='/tai-pdf/'], a[href$='/tai-excel/'], a[href*='/bao-cao/ke-hoach/']";
    document.querySelectorAll(selector).forEach(function (button) {
      if (!button.dataset.busyText && /tai-excel/.test(button.getAttribute("href") || "")) {
        button.dataset.busyText = "Đang tạo tệp Excel…";
      }
      button.addEventListener("click", download);
    });
  });
})();
