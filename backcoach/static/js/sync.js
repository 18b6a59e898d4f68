// Uploads that could not reach the server wait here (localStorage) and are sent again when
// the network returns or a backcoach page loads. Each practice and check-in carries its
// own id, so a retried upload never records it twice.
// One queue per person, so that nothing waiting on a shared phone is sent as someone else.
const person = document.querySelector('meta[name="backcoach-person"]')?.content || "anonymous";
const KEY = `backcoach.pending.${person}`;

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "[]");
  } catch {
    return [];
  }
}

function store(items) {
  localStorage.setItem(KEY, JSON.stringify(items));
}

export function pending() {
  return load();
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function send(item) {
  const response = await fetch(item.url, {
    method: item.method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
    body: JSON.stringify(item.body),
  });
  return response;
}

// Queue a request, then try to send everything queued. Returns "sent", "queued" or an
// error message from the server (which will not be retried: it would fail again).
export async function submit(item) {
  const items = load().filter((queued) => queued.key !== item.key);
  items.push(item);
  store(items);
  const results = await flush();
  return results.get(item.key) || "queued";
}

// Flushes run one after another: a request queued while one is running (a rating given
// while the practice uploads) is sent by the next pass, after the one before it.
let flushing = Promise.resolve(new Map());

export function flush() {
  flushing = flushing.catch(() => new Map()).then(() => flushNow());
  return flushing;
}

async function flushNow() {
  const results = new Map();
  for (const item of load()) {
    let response;
    try {
      response = await send(item);
    } catch {
      results.set(item.key, "queued");
      break; // offline: keep it, and everything after it, in order
    }
    if (response.ok) {
      results.set(item.key, "sent");
      store(load().filter((queued) => queued.key !== item.key));
    } else if (response.status === 401 || response.status === 403 || response.status >= 500) {
      // Logged out, an expired form token, or server trouble: keep it and try again later;
      // what came after it (a rating for this practice) waits too.
      results.set(item.key, "queued");
      break;
    } else {
      let detail = `The server refused it (${response.status}).`;
      try {
        const body = await response.json();
        if (body.detail) detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      } catch {
        /* not JSON */
      }
      results.set(item.key, detail);
      store(load().filter((queued) => queued.key !== item.key));
    }
  }
  return results;
}

function showPending() {
  const status = document.getElementById("pending-status");
  if (!status) return;
  const count = load().filter((item) => item.method === "POST").length;
  status.textContent = count
    ? `${count} ${count === 1 ? "entry" : "entries"} saved on this device will upload when you are online.`
    : "";
}

window.addEventListener("online", () => flush().then(showPending));
flush().then(showPending);
