// fieldsvc service worker: the app shell works offline; visited pages stay readable without signal.
// The server replaces __VERSION__ with a hash of the static files, so every deploy gets fresh caches
// and old ones are deleted on activation (no stale-cache trap).
"use strict";
importScripts("/static/js/outbox-db.js");
const VERSION = "__VERSION__";
const SHELL_CACHE = "shell-" + VERSION;
const PAGE_CACHE = "pages-" + VERSION;
const SHELL = __SHELL__;
const OFFLINE_URL = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL_CACHE && k !== PAGE_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.startsWith("/static/");
}

async function fromCacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

async function page(request) {
  try {
    const response = await fetch(request);
    const url = new URL(response.url);
    if (url.pathname === "/login") {
      // Logged out (or the session ended): forget every page kept for offline reading.
      await caches.delete(PAGE_CACHE);
    } else if (response.ok && response.type === "basic") {
      (await caches.open(PAGE_CACHE)).put(request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request, { cacheName: PAGE_CACHE });
    return cached || caches.match(OFFLINE_URL);
  }
}

// --- the outbox: a form post that fails for want of signal is kept and sent later, exactly once --------

async function postForm(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (err) {
    const form = await copy.formData();
    const clientId = form.get("client_id");
    if (!clientId) return caches.match(OFFLINE_URL); // only forms made for offline use are kept
    const fields = [];
    for (const [name, value] of form.entries()) fields.push([name, value]);
    await OutboxDB.put({ client_id: clientId, action: request.url, fields: fields, title: form.get("_title") || "",
                         created: Date.now(), state: "pending", message: "" });
    if (self.registration.sync) self.registration.sync.register("outbox").catch(() => {});
    await notify();
    return Response.redirect("/outbox", 303);
  }
}

let flushing = null;

function flush() {
  // One flush at a time: items are deleted only after the server confirmed them.
  if (!flushing) flushing = sendAll().finally(() => { flushing = null; return notify(); });
  return flushing;
}

async function sendAll() {
  const items = (await OutboxDB.all()).filter((i) => i.state === "pending" || i.state === "login");
  if (!items.length) return;
  let token;
  try {
    const r = await fetch("/sync/csrf", { credentials: "same-origin", cache: "no-store" });
    if (r.redirected || !r.ok) { // the session ended: keep everything, ask for a login
      await Promise.all(items.map((i) => OutboxDB.update(i.client_id, { state: "login" })));
      return;
    }
    token = (await r.json()).csrf_token;
  } catch (err) {
    return; // still no signal
  }
  for (const item of items) {
    const body = new FormData();
    for (const [name, value] of item.fields) if (name !== "csrf_token") body.append(name, value);
    body.append("csrf_token", token);
    let r;
    try {
      r = await fetch(item.action, { method: "POST", body: body, credentials: "same-origin" });
    } catch (err) {
      return; // the signal went again: the rest waits
    }
    if (r.redirected && new URL(r.url).pathname === "/login") {
      await OutboxDB.update(item.client_id, { state: "login" });
    } else if (r.ok) {
      await OutboxDB.remove(item.client_id); // confirmed by the server (a replay is answered the same way)
    } else if (r.status === 409) {
      await OutboxDB.update(item.client_id, { state: "conflict" });
    } else if (r.status >= 400 && r.status < 500) {
      await OutboxDB.update(item.client_id, { state: "rejected", message: String(r.status) });
    } // 5xx: the server is in trouble; keep the item pending and try again later
  }
}

async function notify() {
  const items = await OutboxDB.all();
  const clients = await self.clients.matchAll({ includeUncontrolled: true });
  clients.forEach((c) => c.postMessage({ type: "outbox", count: items.length }));
}

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(flush());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(postForm(request));
    return;
  }
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (isStatic(url)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate" && url.origin === self.location.origin) {
    event.respondWith(page(request));
  }
});

// The day's work on the phone: the pages of my route's stops and my jobs, fetched while there is signal.
async function precache(urls) {
  const cache = await caches.open(PAGE_CACHE);
  for (const url of urls) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(url, response);
    } catch (err) {
      return; // the signal went: what was fetched so far stays
    }
  }
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "precache") event.waitUntil(precache(event.data.urls.slice(0, 400)));
  if (event.data === "forget-pages") caches.delete(PAGE_CACHE);
  if (event.data === "flush") event.waitUntil(flush());
  if (event.data === "count") event.waitUntil(notify());
});
