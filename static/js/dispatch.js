// Dispatch pages, progressive enhancement only: every form works without this file.
// - [data-since]: the live "minutes since the call" clock of emergencies (the server renders the start).
// Photos and the phone's position (GPS on a move or a completion) are photos.js's.
(function () {
  "use strict";

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-since"));
      if (isNaN(start)) { return; }
      var minutes = Math.max(0, Math.floor((now - start) / 60000));
      var just = minutes < 1 && el.getAttribute("data-just");  // "刚刚来电", not "0 分钟前"
      el.textContent = just || String(minutes);
      var unit = el.nextElementSibling;
      if (unit && unit.classList.contains("since-unit")) { unit.hidden = Boolean(just); }
    });
  }

  tick();
  window.setInterval(tick, 20000);
})();
