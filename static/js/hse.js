// HSE forms, progressive enhancement only: the server computes and stores every result.
// - hazard form: shows D = L × E × C and its grade while the factors are chosen (bands come from
//   the page, i.e. from rules.py, so nothing is decided here);
// - aspect form: shows only the scores of the chosen kind, with the running total.
(function () {
  "use strict";

  // Factors are at most one decimal: multiply in tenths to stay exact (0.1 × 0.5 × 1 …).
  function tenths(value) { return Math.round(parseFloat(value) * 10); }

  // D = L × E × C, its band's grade (bands: [[lower bound, grade, colour], …] highest first, from the page)
  // and whether it is significant (grade 1–2, or any direct criterion holds).
  function lec(bands, l, e, c, criteria) {
    var d = tenths(l) * tenths(e) * tenths(c) / 1000;  // back from thousandths
    var band = bands.find(function (b) { return d >= parseFloat(b[0]); });
    return {d: Math.round(d * 100) / 100, grade: band[1], significant: band[1] <= 2 || !!criteria};
  }

  // An aspect's total and whether it is significant: a 5 on a decisive score, or the kind's total reached.
  // scores: {name: "3", …} of the kind's scores only; null when one is not chosen yet.
  function aspect(thresholds, kind, scores) {
    var total = 0, complete = true, five = false;
    Object.keys(scores).forEach(function (name) {
      var value = scores[name];
      if (!value) { complete = false; return; }
      total += parseInt(value, 10);
      if (value === "5" && thresholds[kind].five.indexOf(name) >= 0) { five = true; }
    });
    return complete ? {total: total, significant: five || total >= thresholds[kind].total} : null;
  }

  // The same figures for the shared test vectors (tests/vectors, tests/browser/test_js_vectors.py).
  window.fieldsvc = window.fieldsvc || {};
  window.fieldsvc.hse = {lec: lec, aspect: aspect};

  function lecForm(form) {
    var out = form.querySelector("[data-lec-result]");
    var bands = JSON.parse(form.getAttribute("data-bands"));
    var words = JSON.parse(form.getAttribute("data-grades"));
    var significantWord = form.getAttribute("data-significant-word");
    function update() {
      var l = form.elements.l.value, e = form.elements.e.value, c = form.elements.c.value;
      if (!l || !e || !c) { out.hidden = true; return; }
      var criteria = form.querySelectorAll("input[name=direct_criteria]:checked").length > 0;
      var r = lec(bands, l, e, c, criteria);
      out.textContent = "D = " + r.d + " · " + words[String(r.grade)] + (r.significant ? " · " + significantWord : "");
      out.className = "hse-result badge hse-grade hse-grade-" + r.grade;
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
      var scores = {};
      sets.forEach(function (set) {
        var mine = set.getAttribute("data-kind") === kind;
        set.hidden = !mine;
        set.querySelectorAll("select").forEach(function (select) {
          select.disabled = !mine;  // not submitted: a line is scored one way only
          if (mine) { scores[select.name] = select.value; }
        });
      });
      var r = aspect(thresholds, kind, scores);
      if (!r) { out.hidden = true; return; }
      out.textContent = form.getAttribute("data-total-word") + " " + r.total + " · " +
        form.getAttribute(r.significant ? "data-significant-word" : "data-not-significant-word");
      out.className = "hse-result badge " + (r.significant ? "badge-bad" : "badge-ok");
      out.hidden = false;
    }
    form.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("form[data-lec]").forEach(lecForm);
  document.querySelectorAll("form[data-aspect]").forEach(aspectForm);
})();
