/* Comments: load the per-visitor form (captcha + CSRF token) into the cached page when the
   comments come into view, "Add new comment" or "Reply" is pressed; swap captcha images.
   Without JS every link leads to the same form on its own page. */
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
            if (!response.ok) { throw new Error("captcha refresh failed"); }
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
            inputs[1].focus();
          })
          .catch(function () { window.location.reload(); });
      });
    });
    var summary = root.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  var section = document.querySelector("[data-comments]");
  if (!section) {
    bindCaptcha(document);
    return;
  }
  var slot = section.querySelector("[data-comment-form-slot]");
  var addLink = section.querySelector("[data-comment-form-link]");
  if (!slot || !addLink || !window.fetch) { return; }
  var home = slot.parentNode;
  var loadedFor = null;   // "" for a new comment, a comment id for a reply, null: nothing yet
  var pendingFor = null;  // what the request in flight loads, null: none
  var focusWhenLoaded = false;

  function load(parentId, focus, fallbackUrl) {
    if (pendingFor === parentId) {
      focusWhenLoaded = focusWhenLoaded || focus;
      return;
    }
    if (pendingFor === null && loadedFor === parentId) {
      if (focus) { focusForm(); }
      return;
    }
    var url = slot.getAttribute("data-url") + "?fragment=1" +
      (parentId ? "&parent=" + encodeURIComponent(parentId) : "");
    pendingFor = parentId;
    focusWhenLoaded = focus;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("form failed to load"); }
        return response.text();
      })
      .then(function (html) {
        if (pendingFor !== parentId) { return; }  // a later request replaced this one
        slot.innerHTML = html;
        loadedFor = parentId;
        pendingFor = null;
        bindCaptcha(slot);
        if (focusWhenLoaded) { focusForm(); }
      })
      .catch(function () {
        if (pendingFor !== parentId) { return; }
        pendingFor = null;
        if (fallbackUrl) { window.location.href = fallbackUrl; }
      });
  }

  function focusForm() {
    var field = slot.querySelector("input:not([type=hidden]), textarea");
    if (field) { field.focus(); }
  }

  addLink.addEventListener("click", function (event) {
    event.preventDefault();
    if (slot.parentNode !== home) { home.appendChild(slot); }
    load("", true, addLink.href);
  });

  section.addEventListener("click", function (event) {
    var reply = event.target.closest("[data-comment-reply]");
    if (!reply) { return; }
    event.preventDefault();
    reply.closest(".comment").insertAdjacentElement("afterend", slot);
    load(reply.getAttribute("data-comment-reply"), true, reply.href);
  });

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        if (loadedFor === null && pendingFor === null) { load("", false, null); }
      }
    }, { rootMargin: "200px" });
    observer.observe(section);
  }
})();
