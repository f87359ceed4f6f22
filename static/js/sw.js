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

// The shell is fetched without cookies: it needs none, and a response that set the session cookie could land
// after the login's own (the worker installs while the user logs in) and log the user out again.
self.addEventListener("install", (event) => {
  const shell = SHELL.map((url) => new Request(url, { credentials: "omit" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(shell)).then(() => self.skipWaiting()));
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
  } catch {
    const cached = await caches.match(request, { cacheName: PAGE_CACHE });
    if (cached) return cached;
    const next = new URL(request.url).pathname.match(CONTINUE_ROUTE);
    if (next) return Response.redirect(await nextStop(next[1], 0), 303); // "continue reading" without signal
    return caches.match(OFFLINE_URL);
  }
}

// --- the route without signal: the stops still to read are the route page's (as the phone last saw it),
// less those whose reading or skip waits in the outbox. The same order as the server's: the next one after
// this stop, else the first one left; none left → the route page. ---------------------------------------

const CONTINUE_ROUTE = /^\/readings\/routes\/(\d+)\/next$/;
const STOP_FORM = /^\/readings\/routes\/(\d+)\/stops\/(\d+)\/(?:read|skip)$/;

async function nextStop(routeId, afterSeq) {
  const routeUrl = "/readings/routes/" + routeId;
  const kept = await caches.match(routeUrl, { cacheName: PAGE_CACHE });
  const found = kept ? (await kept.text()).match(/data-left="([\d ]*)"/) : null;
  const left = found ? found[1].split(" ").filter(Boolean).map(Number) : [];
  const waiting = new Set();
  for (const item of await OutboxDB.all()) {
    const m = new URL(item.action).pathname.match(STOP_FORM);
    if (m && m[1] === String(routeId)) waiting.add(Number(m[2]));
  }
  const todo = left.filter((seq) => !waiting.has(seq));
  const seq = todo.find((s) => s > afterSeq) || todo[0];
  return seq ? routeUrl + "/stops/" + seq : routeUrl;
}

// Where a form kept on the phone leaves the user: on the route, the next stop; after a job's move, back on the
// job's page when the phone has it (to make the next move); else the outbox. The page says
// "saved on the phone, waiting to send" (#saved-offline, shown by app.js).
const SAVED = "#saved-offline";
const MOVE_FORM = /^\/dispatch\/orders\/\d+\/transition$/;

async function afterKept(action, from) {
  const stop = new URL(action).pathname.match(STOP_FORM);
  if (stop) return (await nextStop(stop[1], Number(stop[2]))) + SAVED;
  if (MOVE_FORM.test(new URL(action).pathname) && from && new URL(from).origin === self.location.origin &&
      await caches.match(from, { cacheName: PAGE_CACHE })) {
    return new URL(from).pathname + new URL(from).search + SAVED;
  }
  return "/outbox";
}

// --- the outbox: a form post that fails for want of signal is kept and sent later, exactly once --------

async function postForm(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch {
    const form = await copy.formData();
    const clientId = form.get("client_id");
    if (!clientId) return caches.match(OFFLINE_URL); // only forms made for offline use are kept
    const fields = [];
    for (const [name, value] of form.entries()) fields.push([name, value]);
    await OutboxDB.put({ client_id: clientId, action: request.url, fields: fields, title: form.get("_title") || "",
                         page: request.referrer || "", created: Date.now(), state: "pending", message: "" });
    if (self.registration.sync) self.registration.sync.register("outbox").catch(() => {});
    await notify();
    return Response.redirect(await afterKept(request.url, request.referrer), 303);
  }
}

let flushing = null;

function flush() {
  // One flush at a time: items are deleted only after the server confirmed them.
  if (!flushing) flushing = sendAll().finally(() => { flushing = null; return notify(true); });
  return flushing;
}

// Replays ask for JSON: an error then comes back as {"error"} or {"errors"} (a refused CSRF token or an
// ended session is an error to keep the form for, never a redirect that would look like success).
const REPLAY_ACCEPT = "application/json, text/html;q=0.5";

async function sendAll() {
  const items = (await OutboxDB.all()).filter((i) => i.state === "pending" || i.state === "login");
  if (!items.length) return;
  let token;
  try {
    const r = await fetch("/sync/csrf", { credentials: "same-origin", cache: "no-store" });
    if (r.redirected || !r.ok) { // the session ended (or the server is not itself yet): keep everything
      if (r.redirected || r.status === 401) {
        await Promise.all(items.map((i) => OutboxDB.update(i.client_id, { state: "login" })));
      }
      return;
    }
    token = (await r.json()).csrf_token;
  } catch {
    return; // still no signal, or the server is down: everything waits for the next try
  }
  items.sort((a, b) => a.created - b.created); // in the order they were entered
  for (const item of items) {
    const body = new FormData();
    for (const [name, value] of item.fields) if (name !== "csrf_token") body.append(name, value);
    body.append("csrf_token", token);
    let r;
    try {
      // The server answers a form it took with a redirect: that answer is the confirmation, and the page it
      // points to is not fetched (it is not needed, and its own failure must not mark a taken form refused).
      r = await fetch(item.action, { method: "POST", body: body, credentials: "same-origin", redirect: "manual",
                                     headers: { Accept: REPLAY_ACCEPT } });
    } catch {
      return; // the signal (or the server) went again: this one and the rest wait, kept as they are
    }
    if (r.status === 401) { // the session ended while sending: keep it for after the login
      await OutboxDB.update(item.client_id, { state: "login" });
    } else if (r.type === "opaqueredirect" || r.ok) {
      await OutboxDB.remove(item.client_id); // confirmed by the server (a replay is answered the same way)
    } else if (r.status === 409) { // kept for the user to resolve: never dropped
      await OutboxDB.update(item.client_id, { state: "conflict", message: await reason(r) });
    } else if (r.status >= 400 && r.status < 500) {
      await OutboxDB.update(item.client_id, { state: "rejected", message: await reason(r) || String(r.status) });
    } // 5xx: the server is in trouble; keep the item pending and try again later
  }
}

// The server's words for a refused form: from JSON, or from the page it rendered (alert or lead line).
async function reason(response) {
  try {
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      const body = await response.json();
      if (body.error) return body.error;
      return Object.values(body.errors || {}).flat().join(" ");
    }
    const html = await response.text();
    const found = html.match(/role="alert"[^>]*>([\s\S]*?)<\/(?:div|p)>/) || html.match(/<p class="lead">([\s\S]*?)<\/p>/);
    if (!found) return "";
    return found[1].replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().replace(/&#39;/g, "'")
      .replace(/&#34;|&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  } catch {
    return "";
  }
}

// `flushed`: this message ends a flush (pages and tests wait for it: the outbox is idle until the next one).
async function notify(flushed) {
  const items = await OutboxDB.all();
  const pending = items.filter((i) => i.state === "pending").length;
  const clients = await self.clients.matchAll({ includeUncontrolled: true });
  // What waits, for the pages that show it: a job's page offers the move after one kept here.
  const queued = items.sort((a, b) => a.created - b.created).map((i) => ({ action: i.action, state: i.state,
                                     to: (i.fields.find((f) => f[0] === "to") || [])[1] || "" }));
  clients.forEach((c) => c.postMessage({ type: "outbox", count: items.length, pending: pending, queued: queued,
                                          flushed: !!flushed }));
}

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(flush());
});

// The worker's own fetches of the day's pages carry the session cookie. None may still be under way when the
// user logs in or out: an answer landing after the login's could only bring back the session it left.
let background = new AbortController();
const SESSION_PAGES = new Set(["/login", "/logout"]);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode === "navigate" && SESSION_PAGES.has(new URL(request.url).pathname)) {
    background.abort();
    background = new AbortController();
  }
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
// A link may carry a stamp that changes when its page does (an order's version, a stop's state and the day):
// a page kept under the same stamp is not fetched again, so viewing a 300-stop route twice costs nothing.
const STAMP_HEADER = "X-Offline-Stamp";

async function stamped(response, stamp) {
  const headers = new Headers(response.headers);
  headers.set(STAMP_HEADER, stamp);
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

async function precache(items) {
  const signal = background.signal;
  const cache = await caches.open(PAGE_CACHE);
  for (const item of items) {
    const url = typeof item === "string" ? item : item.url;
    const stamp = (typeof item === "string" ? "" : item.stamp) || "";
    if (stamp) {
      const kept = await cache.match(url);
      if (kept && kept.headers.get(STAMP_HEADER) === stamp) continue;
    }
    try {
      if (signal.aborted) return;
      const response = await fetch(url, { credentials: "same-origin", signal: signal });
      if (response.ok && !response.redirected) await cache.put(url, stamp ? await stamped(response, stamp) : response);
    } catch {
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
