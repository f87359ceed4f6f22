// Photos and position on every field form, progressive enhancement only: every form works without this file.
// - Every photo input (input[type=file] whose accept starts with "image") shrinks the chosen pictures in the
//   phone before they are sent or wait in the offline outbox: a 12 Mpx camera photo becomes a few hundred kB.
//   The longest side is cut to MAX_SIDE (the server's own limit, fieldsvc/uploads.py MAX_SIDE, which
//   re-encodes anyway); data-downscale="N" on an input sets another limit.
// - [data-previews-for="<input id>"]: shows the shrunk pictures under their input.
// - A form with hidden lat/lng fields gets the phone's position before it is sent, when the phone allows it.
(function () {
  "use strict";

  var MAX_SIDE = 1600;
  var KEEP_BELOW_BYTES = 1500000;  // a photo already small enough in both ways is sent as taken
  var JPEG_QUALITY = 0.85;
  var PHOTO_INPUT = "input[type=file][accept^='image']";

  function shrink(file, maxSide) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type) || !window.createImageBitmap) { resolve(file); return; }
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < KEEP_BELOW_BYTES) { resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", JPEG_QUALITY);
      }, function () { resolve(file); });
    });
  }

  function preview(input, files) {
    var box = input.id ? document.querySelector("[data-previews-for='" + input.id + "']") : null;
    if (!box) { return; }
    box.textContent = "";
    files.forEach(function (f) {
      var img = document.createElement("img");
      img.src = URL.createObjectURL(f);
      img.alt = f.name;
      box.appendChild(img);
    });
  }

  // The form's submit buttons stay disabled while any of its photos is being shrunk (never sent half-done);
  // a form may hold several photo inputs, hence the count.
  function busy(form, delta) {
    if (!form) { return; }
    var count = (parseInt(form.getAttribute("data-shrinking") || "0", 10) || 0) + delta;
    if (count > 0) { form.setAttribute("data-shrinking", String(count)); } else { form.removeAttribute("data-shrinking"); }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = count > 0; });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(PHOTO_INPUT) || input.dataset.shrunk === "1") { return; }
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length || typeof DataTransfer === "undefined") { preview(input, files); return; }
    var maxSide = parseInt(input.getAttribute("data-downscale"), 10) || MAX_SIDE;
    var form = input.form;
    busy(form, 1);
    Promise.all(files.map(function (f) { return shrink(f, maxSide); })).then(function (small) {
      var dt = new DataTransfer();
      small.forEach(function (f) { dt.items.add(f); });
      input.dataset.shrunk = "1";
      input.files = dt.files;
      input.dataset.shrunk = "";
      preview(input, small);
    }).catch(function () { /* the photos go as taken: the server shrinks them */ })
      .finally(function () { busy(form, -1); });
  });

  // --- the phone's position ---------------------------------------------------------------------------
  function withPosition(form) {
    var lat = form.querySelector("input[type=hidden][name=lat]");
    var lng = form.querySelector("input[type=hidden][name=lng]");
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
    if (event.defaultPrevented || !form.querySelector) { return; }
    if (withPosition(form)) {
      event.preventDefault();
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  });
})();
