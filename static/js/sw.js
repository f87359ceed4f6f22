// fieldsvc service worker: the app shell works offline; visited pages stay readable without signal.
// The server replaces __VERSION__ with a hash of the static files, so every deploy gets fresh caches
// and old ones are deleted on activation (no stale-cache trap).
"use strict";
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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes go to the network (the outbox keeps them when offline)
  const url = new URL(request.url);
  if (isStatic(url)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate" && url.origin === self.location.origin) {
    event.respondWith(page(request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") caches.delete(PAGE_CACHE);
});
