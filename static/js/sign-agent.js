// One click signing: hand the one-time link to the signing agent on this computer (docs/signing.md).
(function () {
  "use strict";
  var button = document.getElementById("agent-sign");
  if (!button) { return; }
  var out = document.getElementById("agent-result");
  function show(text, ok) {
    out.textContent = text;
    out.className = "mt-2 small " + (ok ? "text-success" : "text-danger");
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    show("Đang chờ trình ký (nhập mã PIN của USB token)…", true);
    out.className = "mt-2 small text-muted";
    fetch(button.dataset.agent + "/sign", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({request_url: button.dataset.spec})
    }).then(function (r) { return r.json(); }).then(function (answer) {
      show(answer.message || (answer.ok ? "Đã ký." : "Không ký được."), !!answer.ok);
      if (answer.ok) { window.location.assign(button.dataset.return); } else { button.disabled = false; }
    }).catch(function () {
      show("Không kết nối được với trình ký trên máy này: hãy chạy trình ký (python -m agent serve) rồi bấm lại, " +
           "hoặc tải tệp về để ký bằng phần mềm khác.", false);
      button.disabled = false;
    });
  });
})();
