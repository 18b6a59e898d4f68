// Uploads that could not reach the server wait here (localStorage) and are sent again when
// the network returns or a backcoach page loads. Each practice carries its own id, so a
// retried upload never records it twice.
const KEY = "backcoach.pending";

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

// Change a request that is still waiting, e.g. add ratings to a practice not yet uploaded.
export function amend(key, change) {
  const items = load();
  const item = items.find((queued) => queued.key === key);
  if (!item) return false;
  Object.assign(item.body, change);
  store(items);
  return true;
}

let flushing = null;

export function flush() {
  if (!flushing) {
    flushing = flushNow().finally(() => {
      flushing = null;
    });
  }
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
      continue; // offline: keep it
    }
    if (response.ok) {
      results.set(item.key, "sent");
      store(load().filter((queued) => queued.key !== item.key));
    } else if (response.status === 401 || response.status === 403 || response.status >= 500) {
      // Logged out, an expired form token, or server trouble: keep it and try again later.
      results.set(item.key, "queued");
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
  const count = load().length;
  status.textContent = count
    ? `${count} practice${count === 1 ? "" : "s"} saved on this device will upload when you are online.`
    : "";
}

window.addEventListener("online", () => flush().then(showPending));
flush().then(showPending);
