// backcoach service worker: keeps the player and the check-ins usable offline once opened.
// Pages are fetched from the network first and from the cache only when offline; static
// files come from the cache. The API is never cached: uploads queue in the page instead.
const CACHE = "backcoach-{{ version }}";
const PRECACHE = {{ precache|safe }};
const PAGES = ["/play/", "/diary/", "/library/", "/"];
const TONIGHT = "/play/tonight/";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("backcoach-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  // Sent at log-out: nothing of this person stays on a shared device.
  if (event.data === "forget") {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  // Sent by a player page on its first visit, before this worker controlled it: keep a
  // copy now, so that the routine works offline without a second visit. The home page
  // sends where tonight's routine is (and, on a first visit, itself to keep too).
  const data = event.data || {};
  const page = keepable(data.keep);
  const tonight = keepable(data.tonight);
  if (!page && !tonight) return;
  event.waitUntil(
    Promise.all([
      page && fetchAndKeep(new Request(page, { credentials: "same-origin" })),
      tonight && keepTonight(tonight),
    ])
      .then(() => event.source && event.source.postMessage({ kept: data.reply || page.pathname }))
      .catch(() => {}),
  );
});

function keepable(path) {
  if (typeof path !== "string") return null;
  const url = new URL(path, self.location.origin);
  const ours = url.pathname === "/" || ["/play/", "/diary/"].some((prefix) => url.pathname.startsWith(prefix));
  return url.origin === self.location.origin && ours ? url : null;
}

// /play/tonight/ is a redirect, which is not kept; offline it leads to where it led last
// (the installed app starts there, and so do the reminder's and other pages' links).
// Online, it is always asked of the server, which checks the safety screen first.
async function keepTonight(url) {
  if (!url.pathname.startsWith("/play/") || url.pathname === TONIGHT) return;
  const cache = await caches.open(CACHE);
  if (!(await cache.match(url))) await fetchAndKeep(new Request(url, { credentials: "same-origin" }));
  if (await cache.match(url)) await cache.put(TONIGHT, Response.redirect(url.href, 302));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("{{ static_prefix }}")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetchAndKeep(request)));
    return;
  }
  const isPage = request.mode === "navigate" && PAGES.some((prefix) => prefix === "/" ? url.pathname === "/" : url.pathname.startsWith(prefix));
  if (isPage) {
    event.respondWith(fetchAndKeep(request).catch(() => caches.match(request).then((hit) => hit || offlinePage())));
  }
});

async function fetchAndKeep(request) {
  const response = await fetch(request);
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

function offlinePage() {
  return new Response(
    "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>Offline · backcoach</title><h1>You are offline</h1><p>Open a routine you have played before, or try again when you are back online.</p></html>",
    { headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}
