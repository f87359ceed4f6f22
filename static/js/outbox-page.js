// The outbox page: what waits on this phone, its state, "send now" and "discard". A form the server refused
// (a conflict: its client_id was taken before with other content; or a refusal) stays here with the server's
// words and what was entered, until the user resolves it: send it as a new record, send it again, open the
// form to enter it anew (the values are shown and can be copied), or discard it.
(function () {
  "use strict";
  var section = document.getElementById("outbox");
  var list = document.getElementById("outbox-list");
  if (!section || !list || !window.OutboxDB) { return; }
  var text = section.dataset;
  var HIDDEN = { csrf_token: 1, client_id: 1, client_recorded_at: 1, _title: 1, form: 1, version: 1, lat: 1, lng: 1 };

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function shown(value) {
    if (typeof value !== "string") { return (value && value.name ? value.name + " · " : "") + Math.ceil((value.size || 0) / 1024) + " kB"; }
    if (value.indexOf("data:image/") === 0) { return text.image; }
    return value;
  }

  function entered(item) {  // [[name, shown value]] of what the user typed, empty fields left out
    return item.fields.filter(function (f) {
      return !HIDDEN[f[0]] && (typeof f[1] !== "string" || f[1] !== "");
    }).map(function (f) { return [f[0], shown(f[1])]; });
  }

  function button(label, cls, onClick) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "btn btn-small" + (cls ? " " + cls : ""); b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function sendAgain(item, asNew) {
    var patch = { state: "pending", message: "" };
    if (!asNew) { return OutboxDB.update(item.client_id, patch).then(flush); }
    var id = uuid();  // a new record: the server has never seen this id
    var copy = Object.assign({}, item, patch, {
      client_id: id,
      fields: item.fields.map(function (f) { return f[0] === "client_id" ? ["client_id", id] : f; })
    });
    return OutboxDB.put(copy).then(function () { return OutboxDB.remove(item.client_id); }).then(flush);
  }

  function flush() {
    render();
    if (window.fieldsvcOutbox) { window.fieldsvcOutbox.flush(); }
  }

  function details(item) {
    var box = document.createElement("details");
    box.className = "outbox-details";
    box.open = true;
    var summary = document.createElement("summary");
    summary.textContent = text.entered;
    box.appendChild(summary);
    var dl = document.createElement("dl");
    dl.className = "facts";
    entered(item).forEach(function (pair) {
      var dt = document.createElement("dt"); dt.textContent = pair[0];
      var dd = document.createElement("dd"); dd.textContent = pair[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    box.appendChild(dl);
    return box;
  }

  function actions(item) {
    var p = document.createElement("p");
    p.className = "actions";
    if (item.state === "conflict") {
      p.appendChild(button(text.sendNew, "btn-primary outbox-send-new", function () {
        if (window.confirm(text.confirmNew)) { sendAgain(item, true); }
      }));
    }
    if (item.state === "rejected") {
      p.appendChild(button(text.sendAgain, "outbox-send-again", function () { sendAgain(item, false); }));
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      p.appendChild(button(text.copy, "outbox-copy", function (event) {
        var lines = entered(item).map(function (pair) { return pair[0] + ": " + pair[1]; }).join("\n");
        navigator.clipboard.writeText(lines).then(function () { event.target.textContent = text.copied; });
      }));
    }
    if (item.page) {
      var open = document.createElement("a");
      open.className = "btn btn-small outbox-open"; open.href = item.page; open.textContent = text.open;
      p.appendChild(open);
    }
    p.appendChild(button(text.discard, "btn-danger outbox-discard", function () {
      if (window.confirm(text.confirmDiscard)) { OutboxDB.remove(item.client_id).then(render); }
    }));
    return p;
  }

  function render() {
    OutboxDB.all().then(function (items) {
      list.textContent = "";
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "list-row muted";
        empty.textContent = text.empty;
        list.appendChild(empty);
        return;
      }
      items.sort(function (a, b) { return a.created - b.created; }).forEach(function (item) {
        var li = document.createElement("li");
        li.className = "list-row outbox-" + item.state;
        li.dataset.clientId = item.client_id;
        li.dataset.state = item.state;
        var main = document.createElement("span");
        main.className = "list-main";
        var title = document.createElement("strong");
        title.textContent = item.title || new URL(item.action).pathname;
        var when = document.createElement("small");
        when.textContent = new Date(item.created).toLocaleString() + " · " +
          (text["state" + item.state.charAt(0).toUpperCase() + item.state.slice(1)] || item.state);
        main.appendChild(title); main.appendChild(when);
        if (item.message) {
          var why = document.createElement("small");
          why.className = "error outbox-message";
          why.setAttribute("role", "alert");
          why.textContent = item.message;
          main.appendChild(why);
        }
        li.appendChild(main);
        if (item.state === "conflict" || item.state === "rejected") {
          main.appendChild(details(item));
          main.appendChild(actions(item));
        } else {
          li.appendChild(button(text.discard, "btn-danger outbox-discard", function () {
            if (window.confirm(text.confirmDiscard)) { OutboxDB.remove(item.client_id).then(render); }
          }));
        }
        list.appendChild(li);
      });
    });
  }

  document.getElementById("outbox-sync").addEventListener("click", function () {
    if (window.fieldsvcOutbox) { window.fieldsvcOutbox.flush(); }
  });
  document.addEventListener("outbox-changed", render);
  render();
})();
