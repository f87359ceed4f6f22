// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  // The installable app: the service worker keeps the shell and visited pages for use without signal.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the app works without it */ });
    });
  }
  // Offline field forms: each submission carries a client_id made here, so the server takes it once
  // however often the outbox (in the service worker) has to send it.
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline") || event.defaultPrevented) { return; }
    var field = form.querySelector("input[name=client_id]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden"; field.name = "client_id";
      form.appendChild(field);
    }
    if (!field.value) { field.value = uuid(); }
    if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
  });
  // Send what waits in the outbox whenever the app opens or the signal returns; show how much waits.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "outbox") { return; }
      var banner = document.getElementById("outbox-banner");
      if (banner) {
        banner.hidden = !event.data.count;
        banner.querySelector("[data-count]").textContent = event.data.count;
      }
      document.dispatchEvent(new CustomEvent("outbox-changed"));
    });
    var ask = function (message) {
      navigator.serviceWorker.ready.then(function (reg) { if (reg.active) { reg.active.postMessage(message); } });
    };
    window.addEventListener("online", function () { ask("flush"); });
    window.addEventListener("load", function () {
      ask("count");
      if (!navigator.onLine) { return; }
      ask("flush");
      // Keep the pages linked as the day's work (route stops, my jobs) for use without signal.
      var links = Array.prototype.map.call(document.querySelectorAll("a[data-offline-link]"), function (a) { return a.href; });
      if (links.length) { ask({ type: "precache", urls: links }); }
    });
    window.fieldsvcOutbox = { flush: function () { ask("flush"); }, count: function () { ask("count"); } };
  }
  // Ask before a destructive or irreversible action.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
