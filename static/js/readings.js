// Meter reading on the phone: a live "used … m³" hint under the register field, and a warning when the
// value falls outside the expected range. Progressive enhancement: the form works without this file.
(function () {
  "use strict";
  var input = document.querySelector(".reading-input[data-previous]");
  if (!input) { return; }
  var hint = document.getElementById("consumption-hint");
  var previous = parseFloat(input.getAttribute("data-previous"));
  var limit = parseFloat(input.getAttribute("data-limit"));
  var low = parseFloat(input.getAttribute("data-low"));
  var high = parseFloat(input.getAttribute("data-high"));

  function used(value) {
    var diff = value - previous;
    // The register rolls over from 99999 to 0 (RULES.md §3): same rule as the server's.
    if (diff < 0 && previous >= 0.9 * limit) { diff = limit - previous + value; }
    return diff;
  }

  function inRange(value) {
    if (isNaN(low) || isNaN(high)) { return true; }
    return low <= high ? value >= low && value <= high : value >= low || value <= high;
  }

  function update() {
    var value = parseFloat(input.value.replace(",", "."));
    if (isNaN(value)) { hint.textContent = ""; hint.classList.remove("hint-warn"); return; }
    var text = input.getAttribute("data-used").replace("{m3}", (Math.round(used(value) * 1000) / 1000).toString());
    var outside = !inRange(value);
    hint.textContent = outside ? text + " · " + input.getAttribute("data-outside") : text;
    hint.classList.toggle("hint-warn", outside);
  }

  input.addEventListener("input", update);
  update();
})();
