// The outbox page: what waits on this phone, its state, "send now" and "discard".
(function () {
  "use strict";
  var section = document.getElementById("outbox");
  var list = document.getElementById("outbox-list");
  if (!section || !list || !window.OutboxDB) { return; }
  var text = section.dataset;

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
        li.className = "list-row";
        li.dataset.clientId = item.client_id;
        var main = document.createElement("span");
        main.className = "list-main";
        var title = document.createElement("strong");
        title.textContent = item.title || new URL(item.action).pathname;
        var when = document.createElement("small");
        when.textContent = new Date(item.created).toLocaleString() + " · " +
          (text["state" + item.state.charAt(0).toUpperCase() + item.state.slice(1)] || item.state);
        main.appendChild(title); main.appendChild(when);
        li.appendChild(main);
        var discard = document.createElement("button");
        discard.type = "button"; discard.className = "btn btn-small btn-danger"; discard.textContent = text.discard;
        discard.addEventListener("click", function () {
          if (window.confirm(text.confirmDiscard)) { OutboxDB.remove(item.client_id).then(render); }
        });
        li.appendChild(discard);
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
