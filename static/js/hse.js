// HSE forms, progressive enhancement only: the server computes and stores every result.
// - hazard form: shows D = L × E × C and its grade while the factors are chosen (bands come from
//   the page, i.e. from rules.py, so nothing is decided here);
// - aspect form: shows only the scores of the chosen kind, with the running total.
(function () {
  "use strict";

  // Factors are at most one decimal: multiply in tenths to stay exact (0.1 × 0.5 × 1 …).
  function tenths(value) { return Math.round(parseFloat(value) * 10); }

  function lecForm(form) {
    var out = form.querySelector("[data-lec-result]");
    var bands = JSON.parse(form.getAttribute("data-bands"));
    var words = JSON.parse(form.getAttribute("data-grades"));
    var significantWord = form.getAttribute("data-significant-word");
    function update() {
      var l = form.elements.l.value, e = form.elements.e.value, c = form.elements.c.value;
      if (!l || !e || !c) { out.hidden = true; return; }
      var d = tenths(l) * tenths(e) * tenths(c) / 1000;  // back from thousandths
      var band = bands.find(function (b) { return d >= parseFloat(b[0]); });
      var criteria = form.querySelectorAll("input[name=direct_criteria]:checked").length > 0;
      var significant = band[1] <= 2 || criteria;
      out.textContent = "D = " + (Math.round(d * 100) / 100) + " · " + words[String(band[1])] +
        (significant ? " · " + significantWord : "");
      out.className = "hse-result badge hse-grade hse-grade-" + band[1];
      out.hidden = false;
    }
    form.addEventListener("change", update);
    update();
  }

  function aspectForm(form) {
    var out = form.querySelector("[data-aspect-result]");
    var thresholds = JSON.parse(form.getAttribute("data-thresholds"));
    var sets = form.querySelectorAll("fieldset.hse-scores");
    function update() {
      var kind = form.elements.kind.value;
      var total = 0, complete = true, five = false;
      sets.forEach(function (set) {
        var mine = set.getAttribute("data-kind") === kind;
        set.hidden = !mine;
        set.querySelectorAll("select").forEach(function (select) {
          select.disabled = !mine;  // not submitted: a line is scored one way only
          if (!mine) { return; }
          if (!select.value) { complete = false; return; }
          total += parseInt(select.value, 10);
          if (select.value === "5" && thresholds[kind].five.indexOf(select.name) >= 0) { five = true; }
        });
      });
      if (!complete) { out.hidden = true; return; }
      var significant = five || total >= thresholds[kind].total;
      out.textContent = form.getAttribute("data-total-word") + " " + total + " · " +
        form.getAttribute(significant ? "data-significant-word" : "data-not-significant-word");
      out.className = "hse-result badge " + (significant ? "badge-bad" : "badge-ok");
      out.hidden = false;
    }
    form.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("form[data-lec]").forEach(lecForm);
  document.querySelectorAll("form[data-aspect]").forEach(aspectForm);
})();
