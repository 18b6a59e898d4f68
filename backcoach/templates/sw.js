// backcoach service worker: keeps the player and the check-ins usable offline once opened.
// Pages are fetched from the network first and from the cache only when offline; static
// files come from the cache. The API is never cached: uploads queue in the page instead.
// A routine's audio track is kept whole once played, and answered from the cache, slice
// by slice as the audio element asks (Safari asks only for ranges).
const CACHE = "backcoach-{{ version }}";
const PRECACHE = {{ precache|safe }};
const PAGES = ["/play/", "/diary/", "/library/", "/"];
const TONIGHT = "/play/tonight/";
// Tracks are named by a hash of what they say, so they outlive a new version of the app;
// a few are kept (tonight's, and the routines played lately).
const TRACK_CACHE = "backcoach-tracks";
const TRACKS = "/play/tracks/";
const TRACKS_KEPT = 6;
const keeping = new Map(); // track URL -> its download under way, shared by every asker

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("backcoach-") && key !== CACHE && key !== TRACK_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  // Sent at log-out: nothing of this person stays on a shared device.
  if (event.data === "forget") {
    event.waitUntil(Promise.all([caches.delete(CACHE), caches.delete(TRACK_CACHE)]));
    return;
  }
  // Sent by a player page on its first visit, before this worker controlled it: keep a
  // copy now, so that the routine works offline without a second visit. The home page
  // sends where tonight's routine is (and, on a first visit, itself to keep too).
  const data = event.data || {};
  // Sent by the player as a track starts: keep it whole for offline nights.
  const trackUrl = typeof data.keepTrack === "string" ? new URL(data.keepTrack, self.location.origin) : null;
  if (trackUrl && trackUrl.origin === self.location.origin && trackUrl.pathname.startsWith(TRACKS)) {
    event.waitUntil(keptTrack(trackUrl.href).catch(() => {}));
    return;
  }
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
  const page = await cache.match(url);
  if (page) await cache.put(TONIGHT, Response.redirect(url.href, 302));
  // And its audio track, once rendered, so that tonight's routine plays offline in the
  // recorded voice, which goes on with the phone locked.
  const track = page && (await page.text()).match(/<audio id="track"[^>]*? src="([^"]+)"/);
  if (track) await keptTrack(new URL(track[1], self.location.origin).href);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(TRACKS)) {
    event.respondWith(trackResponse(request));
    return;
  }
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

// The track from the cache (fetched whole and kept first, if need be), cut to the range
// asked for. Not kept (offline, or the session ended): the network answers, or fails, and
// the player speaks with the browser's voice instead.
async function trackResponse(request) {
  const whole = await keptTrack(request.url).catch(() => undefined);
  if (!whole) return fetch(request);
  return slice(await whole.blob(), request.headers.get("Range"));
}

async function keptTrack(url) {
  const cache = await caches.open(TRACK_CACHE);
  const hit = await cache.match(url);
  if (hit) return hit;
  if (!keeping.has(url)) {
    const download = fetch(url, { credentials: "same-origin" })
      .then(async (response) => {
        // A redirect is the log-in page, not a track.
        if (response.status !== 200 || response.redirected || response.type !== "basic") return;
        await cache.put(url, response);
        const keys = await cache.keys();
        await Promise.all(keys.slice(0, Math.max(0, keys.length - TRACKS_KEPT)).map((key) => cache.delete(key)));
      })
      .finally(() => keeping.delete(url));
    keeping.set(url, download);
  }
  await keeping.get(url);
  return cache.match(url);
}

// One byte range, as the server answers it (backcoach/player/audio/ranges.py): anything
// but a single range of bytes gets the whole track.
const RANGE = /^\s*bytes\s*=\s*(?:(\d{1,15})\s*-\s*(\d{0,15})|-\s*(\d{1,15}))\s*$/;

function slice(blob, header) {
  const size = blob.size;
  const headers = { "Content-Type": "audio/mpeg", "Accept-Ranges": "bytes" };
  const match = header ? RANGE.exec(header) : null;
  let start = null;
  let end = size - 1;
  if (match && match[3] !== undefined) {
    start = Math.max(0, size - Number(match[3]));
    if (Number(match[3]) === 0 || size === 0) start = size; // unsatisfiable
  } else if (match) {
    start = Number(match[1]);
    end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
    if (match[2] && Number(match[2]) < start) start = null; // not a valid range: the whole
  }
  if (start === null) {
    return new Response(blob, { status: 200, headers: { ...headers, "Content-Length": String(size) } });
  }
  if (start >= size) {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": String(end - start + 1) },
  });
}

function offlinePage() {
  return new Response(
    "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>Offline · backcoach</title><h1>You are offline</h1><p>Open a routine you have played before, or try again when you are back online.</p></html>",
    { headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}

// ---- Bedtime reminder notifications (backcoach/reminders; docs/reminders.md) ---------------
// A push carries {title, body, snooze?}. It is shown with "Start" (tonight's routine) and,
// while the server offers it a token, "In 15 minutes" (the server sends it again then, to
// this browser only). Nothing in a push is taken as an address: Start opens TONIGHT.
{% load static %}const BEDTIME_TAG = "backcoach-bedtime";
const SNOOZE_URL = "{% url 'reminders:push_snooze' %}";
const BEDTIME_ICON = "{% static 'icons/icon-192.png' %}";

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    // Not JSON: still say it is bedtime; a push the person never sees is worse.
  }
  const text = (value, fallback) => (typeof value === "string" && value ? value.slice(0, 200) : fallback);
  const snooze = typeof message.snooze === "string" ? message.snooze : null;
  const actions = [{ action: "start", title: "Start" }];
  if (snooze) actions.push({ action: "snooze", title: "In 15 minutes" });
  event.waitUntil(
    self.registration.showNotification(text(message.title, "Bedtime"), {
      body: text(message.body, "Time for tonight's back routine."),
      tag: BEDTIME_TAG, // tonight's newest reminder replaces the one before
      renotify: true,
      icon: BEDTIME_ICON,
      data: { snooze },
      actions,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  if (event.notification.tag !== BEDTIME_TAG) return;
  event.notification.close();
  const snooze = event.notification.data && event.notification.data.snooze;
  if (event.action === "snooze" && snooze) {
    // No cookie: the signed token is the key, and the session may have ended.
    event.waitUntil(
      fetch(SNOOZE_URL, {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: snooze }),
      }).catch(() => {}),
    );
    return;
  }
  event.waitUntil(openTonight()); // "Start", or a tap on the notification itself
});

// A window already on a routine is brought forward; otherwise tonight's routine opens.
async function openTonight() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const playing = windows.find((client) => new URL(client.url).pathname.startsWith("/play/"));
  if (playing && "focus" in playing) return playing.focus();
  return self.clients.openWindow(TONIGHT);
}
// ---- end of the bedtime reminder block --------------------------------------------------
