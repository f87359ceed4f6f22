// The customer's signature drawn with a finger on a <canvas>; the PNG goes into a hidden field as a
// data URL (the server decodes and stores it). Without JavaScript the pad stays hidden and the form
// asks for the reason there is no signature instead.
(function () {
  "use strict";

  function setup(canvas) {
    var field = document.getElementById(canvas.getAttribute("data-signature-for"));
    if (!field) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function size() {
      var ratio = window.devicePixelRatio || 1;
      var width = canvas.clientWidth || 300;
      var height = canvas.clientHeight || 160;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      if (field.value) { restore(); }
    }

    function restore() {  // after a refused submit the signature is kept: draw it back
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0, canvas.clientWidth, canvas.clientHeight); drawn = true; };
      img.src = field.value;
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      event.preventDefault();
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
    });
    function end() {
      if (!drawing) { return; }
      drawing = false;
      if (drawn) { field.value = canvas.toDataURL("image/png"); }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);

    var clear = document.querySelector("[data-signature-clear='" + field.id + "']");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        field.value = "";
        drawn = false;
      });
    }
    size();
  }

  document.querySelectorAll("canvas[data-signature-for]").forEach(setup);
})();
