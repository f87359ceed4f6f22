// Meter test form: zone, error, MPE and result shown live as numbers are typed.
// Progressive enhancement only — the server computes and decides (fieldsvc/metering/rules.py); this
// script applies the same formula to the figures the page carries (data-figures), in exact decimal
// arithmetic (BigInt), so a .xx5 rounds half-up here exactly as on the server.
(function () {
  "use strict";
  if (typeof BigInt === "undefined") { return; }
  var DEC = /^[+-]?\d+(\.\d+)?$/;

  // A decimal string as {n: BigInt, s: scale}: "1.25" → {n: 125n, s: 2}; null when not a number.
  function dec(text) {
    text = (text || "").trim();
    if (!DEC.test(text)) { return null; }
    var neg = text.charAt(0) === "-";
    text = text.replace(/^[+-]/, "");
    var parts = text.split(".");
    var frac = parts[1] || "";
    var n = BigInt(parts[0] + frac);
    return {n: neg ? -n : n, s: frac.length};
  }
  function scaled(d, s) { return d.n * (10n ** BigInt(s - d.s)); }
  function cmp(a, b) {
    var s = Math.max(a.s, b.s), x = scaled(a, s), y = scaled(b, s);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  function abs(n) { return n < 0n ? -n : n; }

  // E in hundredths of a percent: (ind − ref) / ref × 100, rounded half-up (away from zero on a tie).
  function errorHundredths(ref, ind) {
    var s = Math.max(ref.s, ind.s);
    var r = scaled(ref, s), num = (scaled(ind, s) - r) * 10000n;
    var q = abs(num) / r, rem = abs(num) % r;
    if (2n * rem >= r) { q += 1n; }
    return num < 0n ? -q : q;
  }
  function formatHundredths(h) {
    var a = abs(h), frac = String(a % 100n);
    var text = String(a / 100n) + "." + (frac.length < 2 ? "0" + frac : frac);
    return h === 0n ? "0.00" : (h < 0n ? "-" : "+") + text;
  }

  // One flow point from the figures the page carries (rules.page_figures) and the three typed numbers:
  // {state: "blank"|"range"|"incomplete"|"done", zone, mpe (the figure's text), error (text), ok}.
  function evaluatePoint(figures, verification, flowText, refText, indText) {
    if ([flowText, refText, indText].every(function (v) { return !(v || "").trim(); })) { return {state: "blank"}; }
    var flow = dec(flowText), ref = dec(refText), ind = dec(indText);
    if (flow && (cmp(flow, dec(figures.qmin)) < 0 || cmp(flow, dec(figures.qmax)) > 0)) { return {state: "range"}; }
    var zone = flow ? (cmp(flow, dec(figures.qt)) < 0 ? "low" : "high") : null;
    var mpeText = zone ? figures.mpe[verification][zone] : null;
    if (!flow || !ref || !ind || ref.n <= 0n) { return {state: "incomplete", zone: zone, mpe: mpeText}; }
    var e = errorHundredths(ref, ind);
    return {state: "done", zone: zone, mpe: mpeText, error: formatHundredths(e),
            ok: abs(e) <= scaled(dec(mpeText), 2)};
  }
  // The pressure loss at qmax against the size's limit: true within, false above, null when not a number.
  function lossWithin(figures, lossText) {
    var loss = dec(lossText);
    return loss ? cmp(loss, dec(figures.pressure_loss_limit)) <= 0 : null;
  }
  // The same figures for the shared test vectors (tests/vectors, tests/browser/test_js_vectors.py).
  window.fieldsvc = window.fieldsvc || {};
  window.fieldsvc.metering = {
    error: function (refText, indText) { return formatHundredths(errorHundredths(dec(refText), dec(indText))); },
    point: evaluatePoint, lossWithin: lossWithin
  };

  var form = document.getElementById("m-test-form");
  if (!form) { return; }
  var figures = JSON.parse(form.getAttribute("data-figures"));
  var words = JSON.parse(form.getAttribute("data-words"));

  function verification() {
    var el = form.querySelector("[name=verification]");
    return el && figures.mpe[el.value] ? el.value : "initial";
  }

  // One point row → {state: "blank"|"incomplete"|"range"|"done", ok}
  function point(fieldset) {
    var get = function (name) { return fieldset.querySelector("[data-field=" + name + "]").value; };
    var out = function (name) { return fieldset.querySelector("[data-out=" + name + "]"); };
    var live = fieldset.querySelector(".m-live");
    ["zone", "error", "mpe", "result"].forEach(function (k) { out(k).textContent = ""; });
    live.classList.remove("m-ok", "m-bad");
    var p = evaluatePoint(figures, verification(), get("flow_m3h"), get("reference_l"), get("indicated_l"));
    if (p.state === "blank") { return p; }
    if (p.state === "range") {
      out("zone").textContent = words.out_of_range;
      live.classList.add("m-bad");
      return p;
    }
    if (p.zone) { out("zone").textContent = words[p.zone]; }
    if (p.mpe) { out("mpe").textContent = words.mpe + " ±" + p.mpe + " %"; }
    if (p.state !== "done") { return p; }
    out("error").textContent = words.error + " " + p.error + " %";
    out("result").textContent = p.ok ? words.pass : words.fail;
    live.classList.add(p.ok ? "m-ok" : "m-bad");
    return p;
  }

  function update() {
    var failures = [], complete = true, n = 0;
    Array.prototype.forEach.call(form.querySelectorAll("[data-point]"), function (fs) {
      var p = point(fs);
      if (p.state === "blank") { return; }
      n += 1;
      if (p.state !== "done") { complete = false; return; }
      if (!p.ok) { failures.push(words.point + " " + n); }
    });
    var leak = form.querySelector("[name=leak_test_ok]:checked");
    if (!leak) { complete = false; } else if (leak.value === "0") { failures.push(words.leak); }
    var within = lossWithin(figures, form.querySelector("[name=pressure_loss_pa]").value);
    var lossOut = document.getElementById("m-ploss");
    lossOut.parentNode.classList.remove("m-ok", "m-bad");
    lossOut.textContent = "";
    if (within === null) { complete = false; } else {
      lossOut.textContent = (within ? words.pass : words.fail) + " (" + words.limit + " " + figures.pressure_loss_limit + " Pa)";
      lossOut.parentNode.classList.add(within ? "m-ok" : "m-bad");
      if (!within) { failures.push(words.ploss); }
    }
    var verdict = document.getElementById("m-verdict");
    var box = verdict.closest(".m-verdict");
    box.classList.remove("m-ok", "m-bad");
    if (!complete || n === 0) { verdict.textContent = words.incomplete; return; }
    verdict.textContent = failures.length ? words.verdict_fail + " " + failures.join(", ") : words.verdict_pass;
    box.classList.add(failures.length ? "m-bad" : "m-ok");
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
