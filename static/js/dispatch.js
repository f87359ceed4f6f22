// Dispatch pages, progressive enhancement only: every form works without this file.
// - [data-since]: the live "minutes since the call" clock of emergencies (the server renders the start).
// - form[data-geo]: fills the hidden lat/lng fields from the phone's position before sending, when allowed.
// - input[data-downscale]: shrinks chosen photos in the browser before upload (the server re-encodes anyway).
(function () {
  "use strict";

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-since"));
      if (!isNaN(start)) { el.textContent = String(Math.max(0, Math.floor((now - start) / 60000))); }
    });
  }

  function withPosition(form) {
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    if (!lat || !lng || lat.value || !navigator.geolocation) { return false; }
    var sent = false;
    function send() {
      if (sent) { return; }
      sent = true;
      HTMLFormElement.prototype.submit.call(form);
    }
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      send();
    }, send, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    // Never keep a technician waiting on a phone that does not answer.
    window.setTimeout(send, 10000);
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-geo")) { return; }
    if (withPosition(form)) {
      event.preventDefault();
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  });

  function shrink(file, maxSide) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type) || !window.createImageBitmap) { resolve(file); return; }
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 1500000) { resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.85);
      }, function () { resolve(file); });
    });
  }

  function preview(input, files) {
    var box = document.querySelector("[data-previews-for='" + input.id + "']");
    if (!box) { return; }
    box.textContent = "";
    files.forEach(function (f) {
      var img = document.createElement("img");
      img.src = URL.createObjectURL(f);
      img.alt = f.name;
      box.appendChild(img);
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-downscale]") || input.dataset.shrunk === "1") { return; }
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length || typeof DataTransfer === "undefined") { preview(input, files); return; }
    var maxSide = parseInt(input.getAttribute("data-downscale"), 10) || 1600;
    var buttons = input.form ? input.form.querySelectorAll("button[type=submit]") : [];
    buttons.forEach(function (b) { b.disabled = true; });  // not sent half-shrunk
    Promise.all(files.map(function (f) { return shrink(f, maxSide); })).then(function (small) {
      var dt = new DataTransfer();
      small.forEach(function (f) { dt.items.add(f); });
      input.dataset.shrunk = "1";
      input.files = dt.files;
      input.dataset.shrunk = "";
      preview(input, small);
    }).finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  });

  tick();
  window.setInterval(tick, 20000);
})();
