// The phone's outbox: form posts that could not be sent, kept in IndexedDB until the server confirms them.
// Shared by the service worker (importScripts) and the outbox page. Items: {client_id, action, fields:
// [[name, string|File]], title, created, state: pending|conflict|rejected|login, message}.
/* exported OutboxDB */
var OutboxDB = (function () {
  "use strict";
  var NAME = "fieldsvc-outbox", STORE = "items";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  return {
    put: function (item) { return run("readwrite", function (s) { s.put(item); }); },
    all: function () { return run("readonly", function (s) { return s.getAll(); }); },
    remove: function (id) { return run("readwrite", function (s) { s.delete(id); }); },
    update: function (id, patch) {
      return run("readwrite", function (s) {
        var req = s.get(id);
        req.onsuccess = function () { if (req.result) s.put(Object.assign(req.result, patch)); };
      });
    }
  };
})();
