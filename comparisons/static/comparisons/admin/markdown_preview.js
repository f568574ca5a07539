// A live preview of the Markdown body beside its text area, rendered by the server with the
// same code as the page (POST to markdown-preview/). An external file: the admin's CSP allows
// no inline script. Without JavaScript the form works as before.
"use strict";
window.addEventListener("load", function () {
  var body = document.getElementById("id_body");
  var form = body && body.form;
  var address = body && body.getAttribute("data-preview-url");
  if (!form || !address || !window.fetch) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var preview = document.createElement("div");
  preview.className = "markdown-preview";
  preview.setAttribute("aria-live", "polite");
  preview.setAttribute("aria-label", "Preview of the body");
  body.parentNode.insertBefore(preview, body.nextSibling);
  body.parentNode.classList.add("markdown-with-preview");
  var timer = null;
  function refresh() {
    var data = new FormData();
    data.append("body", body.value);
    fetch(address, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {"X-CSRFToken": token ? token.value : ""}
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      // Sanitised by the server (bleach), as on the page.
      preview.innerHTML = html;
    }).catch(function () {});
  }
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  refresh();
});
