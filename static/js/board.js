// The dispatcher's pages, progressive enhancement only: every page works without this file.
// - #board-live: the board keeps itself current. Every 10 s it asks /dispatch/board/live with the ETag it
//   holds; the server answers 304 (one cheap query) while nothing changed, else the new fragment, which is
//   swapped in — but not under the chief's hands (a picker chosen or focused waits until they are done).
//   A new emergency is announced: a banner (role=alert), a short beep and, where allowed, a notification.
// - form[data-new-order]: fields that the chosen type does not use are hidden (and not sent), and the
//   "Assign to" block is drawn again for the type and place chosen so far (who to send, best first).
(function () {
  "use strict";

  var POLL_MS = 10000;

  // --- sound: a short two-tone beep made with WebAudio (no file to fetch) ----------------------------
  var audio = null;
  function unlockAudio() {  // browsers let a page make sound only after the user touched it once
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return null; }
    if (!audio) { try { audio = new Ctx(); } catch { return null; } }
    if (audio.state === "suspended" && audio.resume) { audio.resume().catch(function () {}); }
    return audio;
  }
  function beep() {
    var ctx = unlockAudio();
    if (!ctx) { return; }
    [0, 0.25].forEach(function (start, i) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = i ? 660 : 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + 0.18);
    });
  }

  // --- the live board --------------------------------------------------------------------------------
  function emergencies(root) {
    var out = {};
    root.querySelectorAll("[data-emergency]").forEach(function (el) {
      out[el.getAttribute("data-emergency")] = el.getAttribute("data-announce") || "";
    });
    return out;
  }

  function announce(alerts, fresh) {
    var title = alerts.getAttribute("data-new-emergency") || "";
    Object.keys(fresh).forEach(function (id) {
      var box = document.createElement("div");
      box.className = "flash flash-error board-alert";
      box.setAttribute("role", "alert");
      box.setAttribute("data-order", id);
      var link = document.createElement("a");
      link.href = "/dispatch/orders/" + encodeURIComponent(id);
      link.textContent = title + ": " + fresh[id];
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn btn-small";
      close.textContent = alerts.getAttribute("data-dismiss") || "×";
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(link);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(close);
      alerts.appendChild(box);
      if ("Notification" in window && Notification.permission === "granted") {
        try { new Notification(title, { body: fresh[id], tag: "emergency-" + id }); } catch { /* some phones allow it only from the service worker */ }
      }
    });
    beep();
  }

  function notifyButton(button) {
    if (!button || !("Notification" in window) || Notification.permission !== "default") { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      unlockAudio();
      Promise.resolve(Notification.requestPermission()).then(function () { button.hidden = true; });
    });
  }

  function liveBoard(live) {
    var url = live.getAttribute("data-live-url");
    var etag = live.getAttribute("data-etag");
    var alerts = document.getElementById("board-alerts");
    var known = emergencies(live);
    var waiting = null;  // a newer board held back while the chief is choosing someone
    var asking = false;

    function busy() {  // the chief has a picker chosen or in hand: do not pull it away
      var active = document.activeElement;
      if (active && live.contains(active) && active.matches("select, input, textarea")) { return true; }
      return Array.prototype.some.call(live.querySelectorAll("select"), function (s) { return s.value !== ""; });
    }
    function swap(html) {
      if (busy()) { waiting = html; return; }
      waiting = null;
      live.innerHTML = html;
      live.dispatchEvent(new CustomEvent("board:updated", { bubbles: true }));
    }
    function received(html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var now = emergencies(template.content);
      var fresh = {};
      Object.keys(now).forEach(function (id) { if (!(id in known)) { fresh[id] = now[id]; } });
      known = now;
      if (alerts && Object.keys(fresh).length) { announce(alerts, fresh); }
      swap(html);
    }
    function ask() {
      if (asking || !url) { return; }
      asking = true;
      var headers = { "Accept": "text/html" };
      if (etag) { headers["If-None-Match"] = etag; }
      // redirect "manual": a lapsed login answers with a redirect to the login page, which is not a board
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: headers, redirect: "manual" })
        .then(function (r) {
          if (r.status !== 200) { return null; }
          etag = r.headers.get("ETag") || etag;
          return r.text();
        })
        .then(function (html) { if (html !== null) { received(html); } })
        .catch(function () { /* no signal: ask again at the next tick */ })
        .then(function () { asking = false; });
    }
    live.addEventListener("focusout", function () {
      window.setTimeout(function () { if (waiting !== null) { swap(waiting); } }, 0);
    });
    live.addEventListener("change", function () {
      if (waiting !== null) { window.setTimeout(function () { if (waiting !== null) { swap(waiting); } }, 0); }
    });
    window.setInterval(ask, POLL_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { ask(); } });
    document.addEventListener("pointerdown", unlockAudio, { once: true });
    document.addEventListener("keydown", unlockAudio, { once: true });
    notifyButton(document.getElementById("board-notify"));
  }

  // --- the new-order form ----------------------------------------------------------------------------
  function newOrderForm(form) {
    var type = form.querySelector("[name=type]");
    var slot = form.querySelector("#wo-suggest");
    var timer = null;

    function fitType() {
      form.querySelectorAll("[data-types]").forEach(function (box) {
        var on = box.getAttribute("data-types").split(" ").indexOf(type.value) >= 0;
        box.hidden = !on;
        box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !on; });
      });
    }
    function refresh() {
      if (!slot) { return; }
      var params = new URLSearchParams();
      ["type", "account_no", "district_id", "assignee_id"].forEach(function (name) {
        var el = form.querySelector("[name=" + name + "]");
        if (el && el.value) { params.set(name, el.value.trim()); }
      });
      fetch(slot.getAttribute("data-url") + "?" + params.toString(),
            { credentials: "same-origin", cache: "no-store", redirect: "manual" })
        .then(function (r) { return r.status === 200 ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          slot.innerHTML = html;
          slot.setAttribute("data-for", params.toString());
        })
        .catch(function () { /* offline: the list drawn with the page stays */ });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }
    type.addEventListener("change", function () { fitType(); later(); });
    ["account_no", "district_id"].forEach(function (name) {
      var el = form.querySelector("[name=" + name + "]");
      if (el) { el.addEventListener("change", later); }
    });
    fitType();
  }

  var live = document.getElementById("board-live");
  if (live) { liveBoard(live); }
  var form = document.querySelector("form[data-new-order]");
  if (form) { newOrderForm(form); }
})();
