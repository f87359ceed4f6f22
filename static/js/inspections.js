// The inspection form, progressive enhancement only: without this file every section is shown and
// the server decides everything.
// - The outcome radios show only the sections of that outcome (completed / refused / nobody home).
// - A checklist item marked "Hazard" opens its note/photo/grade panel and joins the notice summary.
// - [data-pressure]: the verdict is shown live as the pressures are typed, from the bands the page
//   carries (the server's own rule decides on save: rules.evaluate).
(function () {
  "use strict";

  // The verdict on whole-pascal pressures, as rules.evaluate: "low"/"normal"/"high" from the working pressure
  // against the band [min, max] (both ends normal); restricted when (static − working) / static > share;
  // drop: that share in % to one decimal (null without a static pressure). Null without a working pressure.
  function evaluatePressure(band, share, staticPa, working) {
    if (isNaN(working) || !band) { return null; }
    // Pressures are whole pascals: the comparisons are exact, as on the server.
    var verdict = working < band[0] ? "low" : working > band[1] ? "high" : "normal";
    if (isNaN(staticPa) || staticPa <= 0) { return {verdict: verdict, restricted: false, drop: null}; }
    var sharePct = Math.round(parseFloat(share) * 100);
    return {verdict: verdict, restricted: (staticPa - working) * 100 > sharePct * staticPa,
            drop: Math.round((staticPa - working) * 1000 / staticPa) / 10};
  }
  // The same figures for the shared test vectors (tests/vectors, tests/browser/test_js_vectors.py).
  window.fieldsvc = window.fieldsvc || {};
  window.fieldsvc.inspections = {pressure: evaluatePressure};

  var form = document.getElementById("inspection-form");
  if (!form) { return; }

  function outcome() {
    var checked = form.querySelector("input[name=outcome]:checked");
    return checked ? checked.value : "";
  }

  function showSections() {
    var current = outcome();
    form.querySelectorAll("[data-show-for]").forEach(function (el) {
      el.hidden = current !== "" && el.getAttribute("data-show-for") !== current;
    });
  }

  // --- the notice summary: what the customer signs for -----------------------------------------
  var found = form.querySelector("[data-found-list]");
  function summary() {
    if (!found) { return; }
    var rows = [];
    var gradeA = false;
    form.querySelectorAll(".chk").forEach(function (chk) {
      var bad = chk.querySelector("input[value=hazard]");
      if (!bad || !bad.checked) { return; }
      var grade = chk.querySelector("select[name^=grade_]");
      var g = grade ? grade.value : chk.getAttribute("data-grade");
      if (g === "A") { gradeA = true; }
      rows.push({ text: chk.querySelector(".chk-label").textContent, grade: g });
    });
    found.textContent = "";
    if (!rows.length) {
      found.textContent = found.getAttribute("data-word-none");
      return;
    }
    var list = document.createElement("ul");
    list.className = "insp-found-list";
    rows.forEach(function (r) {
      var li = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "badge badge-grade-" + r.grade;
      badge.textContent = r.grade;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" " + r.text));
      list.appendChild(li);
    });
    found.appendChild(list);
    found.classList.toggle("has-grade-a", gradeA);
  }

  function itemChanged(input) {
    var chk = input.closest(".chk");
    if (!chk) { return; }
    var bad = input.value === "hazard" && input.checked;
    chk.classList.toggle("is-hazard", bad);
    var more = chk.querySelector("details");
    if (bad && more) { more.open = true; }
    summary();
  }

  // --- stove-front pressure ----------------------------------------------------------------------
  var box = form.querySelector("[data-pressure]");
  function pressure() {
    if (!box) { return; }
    var out = box.querySelector("[data-verdict]");
    var bands = JSON.parse(box.getAttribute("data-bands"));
    var band = bands[box.getAttribute("data-gas")];
    var staticPa = parseInt(box.querySelector("[name=static_pa]").value, 10);
    var working = parseInt(box.querySelector("[name=working_pa]").value, 10);
    out.textContent = "";
    out.className = "insp-verdict";
    var r = evaluatePressure(band, box.getAttribute("data-share"), staticPa, working);
    if (!r) { return; }
    var parts = [box.getAttribute("data-word-" + r.verdict)];
    if (r.drop !== null) {
      parts.push(box.getAttribute("data-word-drop") + " " + r.drop + " %");
      if (r.restricted) { parts.push(box.getAttribute("data-word-restricted")); }
    }
    out.textContent = parts.join(" · ");
    out.classList.add(r.verdict === "normal" && !r.restricted ? "is-ok" : "is-bad");
    out.setAttribute("data-verdict", r.verdict);
    out.setAttribute("data-restriction", r.restricted ? "1" : "0");
  }

  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el.name === "outcome") { showSections(); }
    if (el.name && el.name.indexOf("item_") === 0) { itemChanged(el); }
    if (el.name && el.name.indexOf("grade_") === 0) { summary(); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.name === "static_pa" || event.target.name === "working_pa") { pressure(); }
  });
  showSections();
  summary();
  pressure();
})();
