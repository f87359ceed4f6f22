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
    // When the reader typed it, by the phone's clock: a form replayed hours later keeps its own time
    // (the server takes it only within sane bounds). Set once, so a repeat is the very same form.
    var at = form.querySelector("input[name=client_recorded_at]");
    if (at && !at.value) { at.value = new Date().toISOString(); }
    if (!form.querySelector("input[name=_title]")) {  // how the outbox names the form while it waits
      var title = document.createElement("input");
      title.type = "hidden"; title.name = "_title";
      title.value = document.title.split(" · ").slice(0, -1).join(" · ") || document.title;
      form.appendChild(title);
    }
    persist();
  });
  // Ask the browser not to evict the outbox and the day's pages when the phone runs short of space.
  function persist() {
    if (navigator.storage && navigator.storage.persist && navigator.storage.persisted) {
      navigator.storage.persisted().then(function (yes) { if (!yes) { navigator.storage.persist(); } })
        .catch(function () { /* not granted: the outbox still works */ });
    }
  }
  // "Data as of HH:MM" on the day's pages when what shows is the phone's copy (no signal, or an old copy).
  var AS_OF_AFTER_MS = 2 * 60 * 1000;
  function two(n) { return ("0" + n).slice(-2); }
  function showAsOf() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-as-of]"), function (el) {
      var at = new Date(el.getAttribute("data-as-of"));
      if (isNaN(at.getTime())) { return; }
      var copy = !navigator.onLine || Date.now() - at.getTime() > AS_OF_AFTER_MS;
      el.hidden = !copy;
      if (!copy) { return; }
      var time = two(at.getHours()) + ":" + two(at.getMinutes());
      if (at.toDateString() !== new Date().toDateString()) { time = (at.getMonth() + 1) + "-" + two(at.getDate()) + " " + time; }
      el.textContent = (el.getAttribute("data-as-of-text") || "{time}").replace("{time}", time);
    });
  }
  showAsOf();
  window.addEventListener("pageshow", showAsOf);
  window.addEventListener("online", showAsOf);
  window.addEventListener("offline", showAsOf);
  // A form kept on the phone brought the user back here (the next stop, the job): say it waits to be sent.
  if (window.location.hash === "#saved-offline") {
    var saved = document.getElementById("saved-offline");
    if (saved) { saved.hidden = false; }
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  // A job's page from the phone's copy still offers the move just kept in the outbox: offer the one after it
  // instead (rendered hidden by the server at the version the kept move will leave). Moves of one order are
  // sent in the order they were made, so both arrive.
  function showKeptMoves(queued) {
    var forms = document.querySelectorAll("form.wo-move");
    if (!forms.length) { return; }
    var action = forms[0].action, last = null;
    queued.forEach(function (item) { if (item.action === action && item.state === "pending" && item.to) { last = item.to; } });
    if (!last) { return; }
    Array.prototype.forEach.call(forms, function (form) {
      var after = form.getAttribute("data-offline-after");
      var shown = after === last;
      form.hidden = !shown;
      var wrap = form.closest("details.wo-reject");
      if (wrap) { wrap.hidden = true; }
    });
  }
  // Send what waits in the outbox whenever the app opens or the signal returns; show how much waits.
  if ("serviceWorker" in navigator) {
    var waiting = 0;  // forms that wait to be sent (not those waiting for the user: conflicts, refusals)
    var settling = [];  // who waits for the end of the next flush
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "outbox") { return; }
      waiting = event.data.pending || 0;
      if (event.data.flushed) { settling.splice(0).forEach(function (resolve) { resolve(event.data); }); }
      var banner = document.getElementById("outbox-banner");
      if (banner) {
        banner.hidden = !event.data.count;
        banner.querySelector("[data-count]").textContent = event.data.count;
      }
      showKeptMoves(event.data.queued || []);
      document.dispatchEvent(new CustomEvent("outbox-changed", { detail: event.data }));
    });
    var ask = function (message) {
      navigator.serviceWorker.ready.then(function (reg) { if (reg.active) { reg.active.postMessage(message); } });
    };
    window.addEventListener("online", function () { ask("flush"); });
    // The signal is there but the server did not answer (restarting, overloaded): try again now and then.
    window.setInterval(function () { if (waiting && navigator.onLine) { ask("flush"); } }, 10000);
    window.addEventListener("load", function () {
      ask("count");
      persist();
      if (!navigator.onLine) { return; }
      ask("flush");
      // Keep the pages linked as the day's work (route stops, my jobs) for use without signal.
      // (a link marked data-offline-link, or any element naming the page in that attribute, e.g. a job's
      // completion form)
      // data-offline-stamp, when given, changes with the linked page: an unchanged page is not fetched again.
      var links = Array.prototype.map.call(document.querySelectorAll("[data-offline-link]"), function (el) {
        return { url: el.href || new URL(el.getAttribute("data-offline-link"), window.location.href).href,
                 stamp: el.getAttribute("data-offline-stamp") || "" };
      });
      if (links.length) { ask({ type: "precache", urls: links }); }
    });
    window.fieldsvcOutbox = {
      flush: function () { ask("flush"); },
      count: function () { ask("count"); },
      // Send what waits and resolve, once that try is over, with {count, pending}: the outbox is idle.
      settled: function () {
        return new Promise(function (resolve) { settling.push(resolve); ask("flush"); });
      }
    };
  }
  // Ask before a destructive or irreversible action.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
