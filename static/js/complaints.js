// Complaints: photo previews and the file-count limit on the intake forms. Progressive enhancement
// only: the forms work without this file (the server checks the same limit).
(function () {
  "use strict";

  function previews(input) {
    var box = input.parentNode.querySelector(".c-previews");
    var max = parseInt(input.getAttribute("data-max-files") || "0", 10);
    if (!box) { return; }
    box.textContent = "";
    var files = Array.prototype.slice.call(input.files || []);
    if (max && files.length > max) {
      input.setCustomValidity(input.getAttribute("data-too-many") || ("max " + max));
      input.reportValidity();
    } else {
      input.setCustomValidity("");
    }
    files.slice(0, max || files.length).forEach(function (file) {
      if (!/^image\//.test(file.type)) { return; }
      var img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(img.src); };
      box.appendChild(img);
    });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input[type=file][data-max-files]")) { previews(el); }
  });
})();
