// Management pages, progressive enhancement only: the server checks and stores everything.
// - vehicle daily check: an "All OK" button ticks every item; the note is marked required while an
//   item is left unticked;
// - policy version form: a PDF larger than the limit is refused before it is uploaded.
(function () {
  "use strict";

  function checkForm(form) {
    var boxes = form.querySelectorAll("input[type=checkbox][name^=ok_]");
    var note = form.querySelector("#f-note");
    var all = form.querySelector("[data-check-all]");
    function update() {
      var missing = Array.prototype.some.call(boxes, function (b) { return !b.checked; });
      if (note) { note.required = missing; note.closest(".field").classList.toggle("mg-needed", missing); }
    }
    if (all) {
      all.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = true; });
        update();
      });
    }
    form.addEventListener("change", update);
    update();
  }

  function pdfForm(form) {
    var input = form.querySelector("input[type=file][name=pdf]");
    var limit = parseInt(form.getAttribute("data-pdf-max"), 10);
    if (!input || !limit) { return; }
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > limit ? form.getAttribute("data-pdf-too-large") : "");
      input.reportValidity();
    });
    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (file && file.size > limit) { event.preventDefault(); input.reportValidity(); }
    });
  }

  document.querySelectorAll("form.mg-check-form").forEach(checkForm);
  document.querySelectorAll("form[data-pdf-max]").forEach(pdfForm);
})();
