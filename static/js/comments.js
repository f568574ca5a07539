/* Comments: when "Add new comment" or "Reply" is pressed, load the per-visitor form (captcha
   + CSRF token) into the cached page, post and preview it in place, and show the visitor's
   own comment where the form was; swap captcha images and sounds. Nothing is loaded before
   the visitor asks (each form shown stores a captcha). Without JS every link leads to the
   same form on its own page. */
(function () {
  "use strict";

  function bindCaptcha(root) {
    root.querySelectorAll("[data-captcha-refresh]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var box = button.closest(".captcha");
        fetch(button.getAttribute("data-captcha-refresh"), {
          credentials: "same-origin",
          headers: { "X-Requested-With": "XMLHttpRequest" }
        })
          .then(function (response) {
            if (!response.ok) { throw response; }
            return response.json();
          })
          .then(function (data) {
            var inputs = box.querySelectorAll("input");
            var image = box.querySelector("[data-captcha-image]");
            image.srcset = data.image_url.replace(/\/$/, "@2/") + " 2x";
            image.src = data.image_url;
            var audio = box.querySelector("[data-captcha-audio]");
            var audioLink = box.querySelector("[data-captcha-audio-link]");
            if (audio && data.audio_url) {
              audio.pause();
              audio.src = data.audio_url;
              audioLink.href = data.audio_url;
            }
            inputs[0].value = data.key;
            inputs[1].value = "";
            say(box, "");
            inputs[1].focus();
          })
          .catch(function (failure) {
            // Keep the form as it is (what the visitor typed, the code shown) and say why.
            say(box, failure && failure.status === 429
              ? "Too many new codes for now: wait a minute, then press New image again. " +
                "What you typed stays in the form."
              : "No new code could be loaded: try again in a moment, or type this one.");
          });
      });
    });
  }

  function say(box, text) {
    var status = box.querySelector("[data-captcha-status]");
    if (!status) {
      status = document.createElement("span");
      status.className = "captcha__status";
      status.setAttribute("role", "status");
      status.setAttribute("data-captcha-status", "");
      box.appendChild(status);
    }
    status.textContent = text;
  }

  function focusFirst(root, selectors) {
    for (var i = 0; i < selectors.length; i++) {
      var found = root.querySelector(selectors[i]);
      if (found) { found.focus(); return; }
    }
  }

  var section = document.querySelector("[data-comments]");
  if (!section) {
    bindCaptcha(document);
    focusFirst(document, ["[data-error-summary]"]);
    return;
  }
  var slot = section.querySelector("[data-comment-form-slot]");
  var addLink = section.querySelector("[data-comment-form-link]");
  if (!slot || !addLink || !window.fetch) { return; }
  var home = slot.parentNode;
  var loadedFor = null;   // "" for a new comment, a comment id for a reply, null: nothing yet
  var pendingFor = null;  // what the request in flight loads, null: none
  var opener = null;      // the link that opened the form, focused again on Cancel

  function show(html, parentId) {
    slot.innerHTML = html;
    loadedFor = parentId;
    // One control: the form's own heading replaces "Add new comment" while it is shown.
    addLink.parentNode.hidden = parentId === "" && !!slot.querySelector("form");
    bindCaptcha(slot);
    bindForm(parentId);
  }

  function load(parentId, fallbackUrl) {
    if (pendingFor === parentId) { return; }
    if (pendingFor === null && loadedFor === parentId && slot.querySelector("form")) {
      focusFirst(slot, ["input:not([type=hidden])", "textarea"]);
      return;
    }
    var url = slot.getAttribute("data-url") + "?fragment=1" +
      (parentId ? "&parent=" + encodeURIComponent(parentId) : "");
    pendingFor = parentId;
    slot.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("form failed to load"); }
        return response.text();
      })
      .then(function (html) {
        if (pendingFor !== parentId) { return; }  // a later request replaced this one
        pendingFor = null;
        show(html, parentId);
        slot.removeAttribute("aria-busy");
        focusFirst(slot, ["input:not([type=hidden])", "textarea"]);
      })
      .catch(function () {
        if (pendingFor !== parentId) { return; }
        pendingFor = null;
        if (fallbackUrl) { window.location.href = fallbackUrl; }
      });
  }

  function bindForm(parentId) {
    var form = slot.querySelector("form.comment-form__form");
    var cancel = slot.querySelector("[data-comment-cancel]");
    if (cancel) {
      cancel.addEventListener("click", function () { close(); });
    }
    var posted = slot.querySelector("[data-comment-posted]");
    if (posted) {
      var permalink = posted.getAttribute("data-permalink");
      if (permalink) { window.location.href = permalink; return; }
      focusFirst(posted, ["[role=status]"]);
      return;
    }
    focusFirst(slot, ["[data-error-summary]", "[data-comment-preview]"]);
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      slot.setAttribute("aria-busy", "true");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("text/html") !== 0) { throw new Error("unexpected answer"); }
          return response.text();
        })
        .then(function (html) {
          slot.removeAttribute("aria-busy");
          show(html, parentId);
        })
        .catch(function () { form.submit(); });  // the page without JS handles it
    });
  }

  function close() {
    slot.innerHTML = "";
    loadedFor = null;
    if (slot.parentNode !== home) { home.appendChild(slot); }
    addLink.parentNode.hidden = false;
    (opener || addLink).focus();
  }

  addLink.addEventListener("click", function (event) {
    event.preventDefault();
    opener = addLink;
    if (slot.parentNode !== home) { home.appendChild(slot); loadedFor = null; }
    load("", addLink.href);
  });

  section.addEventListener("click", function (event) {
    var reply = event.target.closest("[data-comment-reply]");
    if (!reply) { return; }
    event.preventDefault();
    opener = reply;
    addLink.parentNode.hidden = false;
    var comment = reply.closest(".comment");
    if (comment.nextElementSibling !== slot) {
      comment.insertAdjacentElement("afterend", slot);
      slot.innerHTML = "";
      loadedFor = null;
    }
    load(reply.getAttribute("data-comment-reply"), reply.href);
  });
})();
