// IC-card sales desk: progressive enhancement. Every form works without this file; with it the desk
// shows a live quote, the change and the till difference as the clerk types, and (in "bridge" mode)
// writes and reads the card through the card bridge on the clerk's PC (docs/CARD_BRIDGE.md).
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Money in whole cents, so the page never shows a float rounding error.
  function cents(text) {
    var value = String(text || "").trim().replace(",", ".");
    if (!/^\d+(\.\d{0,2})?$/.test(value)) { return null; }
    var parts = value.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function yuan(c) {
    var sign = c < 0 ? "−" : "";
    c = Math.abs(c);
    return sign + "¥" + Math.floor(c / 100) + "." + ("0" + (c % 100)).slice(-2);
  }
  // Cash at the counter, as rules.check_payment / change_due: {short: true, cents: what is missing} or
  // {short: false, cents: the change}; null when the amount given is not money.
  function change(due, given) {
    if (given === null) { return null; }
    return given < due ? {short: true, cents: due - given} : {short: false, cents: given - due};
  }
  // The same figures for the shared test vectors (tests/vectors, tests/browser/test_js_vectors.py).
  window.fieldsvc = window.fieldsvc || {};
  window.fieldsvc.cardsales = {cents: cents, yuan: yuan, change: change};

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = data.error || Object.keys(data.errors || {}).map(function (k) {
            return [].concat(data.errors[k]).join(" ");
          }).join(" ") || ("HTTP " + response.status);
          throw new Error(message);
        }
        return data;
      });
    });
  }

  // --- live quote --------------------------------------------------------------------------------
  var quoteForm = document.querySelector(".cs-quote[data-quote-url]");
  if (quoteForm) {
    var live = quoteForm.parentNode.querySelector(".cs-live");
    var volume = quoteForm.querySelector('[name="volume_m3"]');
    var amount = quoteForm.querySelector('[name="amount"]');
    var timer = null;
    var ask = function () {
      var body = {account_id: parseInt(quoteForm.getAttribute("data-account-id"), 10)};
      if (volume.value.trim()) { body.volume_m3 = volume.value.trim(); }
      else if (amount.value.trim()) { body.amount = amount.value.trim(); }
      else { live.hidden = true; return; }
      postJSON(quoteForm.getAttribute("data-quote-url"), body).then(function (q) {
        var tiers = q.tiers.map(function (t) { return t.volume_m3 + " m³ × " + t.price; }).join(" + ");
        var text = q.volume_m3 + " m³ = " + yuan(cents(String(q.amount.toFixed ? q.amount.toFixed(2) : q.amount))) +
          "  (" + tiers + ")";
        if (q.tendered !== null && q.tendered !== undefined) {
          text += " · " + live.getAttribute("data-change-word") + " " + yuan(cents(q.change.toFixed(2)));
        }
        live.textContent = text;
        live.classList.remove("error");
        live.hidden = false;
      }).catch(function (err) {
        live.textContent = err.message;
        live.classList.add("error");
        live.hidden = false;
      });
    };
    var typed = function (event) {
      var other = event.target === volume ? amount : volume;
      if (event.target.value.trim()) { other.value = ""; }
      clearTimeout(timer);
      timer = setTimeout(ask, 350);
    };
    live.setAttribute("data-change-word", live.getAttribute("data-change-word") || "→");
    volume.addEventListener("input", typed);
    amount.addEventListener("input", typed);
  }

  // --- change at the counter -----------------------------------------------------------------------
  var payForm = document.querySelector("[data-pay-form]");
  if (payForm) {
    var due = cents(payForm.getAttribute("data-due"));
    var paid = payForm.querySelector("[data-paid]");
    var changeLine = payForm.querySelector("[data-change]");
    var showChange = function () {
      var method = (payForm.querySelector('[name="payment_method"]:checked') || {}).value;
      var given = cents(paid.value);
      paid.closest(".field").hidden = method !== "cash";
      var ref = payForm.querySelector("[data-ref]");
      ref.closest(".field").hidden = method === "cash" && !ref.value && !ref.getAttribute("aria-invalid");
      var c = change(due, given);
      if (method !== "cash" || c === null) { changeLine.hidden = true; return; }
      changeLine.hidden = false;
      changeLine.textContent = changeLine.getAttribute(c.short ? "data-short-word" : "data-change-word") + " " + yuan(c.cents);
      changeLine.classList.toggle("error", c.short);
    };
    payForm.addEventListener("input", showChange);
    payForm.addEventListener("change", showChange);
    showChange();
  }

  // --- the till difference when closing the day ----------------------------------------------------
  var closeForm = document.querySelector("[data-close-form]");
  if (closeForm) {
    var expected = cents(closeForm.getAttribute("data-expected"));
    var counted = closeForm.querySelector("[data-counted]");
    var diffLine = closeForm.querySelector("[data-difference]");
    counted.addEventListener("input", function () {
      var c = cents(counted.value);
      diffLine.hidden = c === null;
      if (c !== null) {
        diffLine.textContent = "Δ " + yuan(c - expected);
        diffLine.classList.toggle("error", c !== expected);
      }
    });
  }

  // --- the card bridge ------------------------------------------------------------------------------
  var box = document.querySelector('.cs-write[data-writer="bridge"]');
  if (box) {
    var bridge = box.getAttribute("data-bridge-url").replace(/\/$/, "");
    var payload = JSON.parse(box.getAttribute("data-payload"));
    var status = box.querySelector(".cs-bridge-status");
    var run = box.querySelector("[data-bridge-run]");
    var say = function (text, bad) {
      status.textContent = text;
      status.classList.toggle("error", !!bad);
    };
    var callBridge = function (path, body) {
      return fetch(bridge + path, {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok && data.ok === undefined) { throw new Error(data.message || "bridge HTTP " + response.status); }
          return data;
        });
      }, function () {
        throw new Error(box.getAttribute("data-no-bridge") || "The card bridge is not running on this PC.");
      });
    };
    var readAndConfirm = function () {
      say("…");
      return callBridge("/v1/cards/read", {card_no: payload.card_no}).then(function (card) {
        return postJSON(box.getAttribute("data-confirm-url"), {
          card_no: card.card_no, purchase_seq: card.purchase_seq, volume_m3: card.volume_m3
        });
      });
    };
    run.addEventListener("click", function () {
      run.disabled = true;
      var written = run.getAttribute("data-status") === "written";
      var step = written ? readAndConfirm() : callBridge("/v1/cards/write", payload).then(function (result) {
        return postJSON(box.getAttribute("data-write-url"), {
          ok: !!result.ok, message: result.message || "", writer_ref: result.writer_ref || undefined
        }).then(function (sale) {
          if (sale.status !== "written") { throw new Error(sale.write_error || "write failed"); }
          return readAndConfirm();
        });
      });
      step.then(function () { window.location.reload(); }, function (err) {
        say(err.message, true);
        run.disabled = false;
        setTimeout(function () { window.location.reload(); }, 4000);
      });
    });
    // Reversing a written sale: clear the purchase off the card first, then tell the server.
    var cleared = document.querySelector("[data-card-cleared]");
    if (cleared) {
      cleared.form.addEventListener("submit", function (event) {
        if (cleared.value === "1") { return; }
        event.preventDefault();
        callBridge("/v1/cards/clear", {card_no: payload.card_no, purchase_seq: payload.purchase_seq})
          .then(function (result) {
            if (!result.ok) { throw new Error(result.message || "clear failed"); }
            cleared.value = "1";
            cleared.form.submit();
          }, function (err) { say(err.message, true); });
      });
    }
  }
})();
