// Uploads that could not reach the server wait here (localStorage) and are sent again when
// the network returns or a backcoach page loads. Each practice and check-in carries its
// own id, so a retried upload never records it twice.
// One queue per person, so that nothing waiting on a shared phone is sent as someone else.
// What the server refuses for good is never thrown away: it moves to a second list, kept
// on the device for the person to save a copy of, and the page says what and why.
//
// An item is { key, method, url, body } and optionally:
//   stamp  the body field that gets the device's clock at the moment of sending (not of
//          queueing), so that the server can correct a device whose clock is wrong;
//   after  the key of the item it belongs to (a rating of a practice): it waits while that
//          one waits, and is kept with it if that one is refused;
//   label  how to name it to the person ("Practice of Bedtime back self-massage").
const person = document.querySelector('meta[name="backcoach-person"]')?.content || "anonymous";
const KEY = `backcoach.pending.${person}`;
const REFUSED = `backcoach.refused.${person}`;
// Server trouble (5xx), or too many requests, this many times in a row for one item: it
// is set aside rather than tried for ever.
const MAX_ATTEMPTS = 10;

function read(key) {
  try {
    const items = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function load() {
  return read(KEY);
}

function store(items) {
  localStorage.setItem(KEY, JSON.stringify(items));
}

export function pending() {
  return load();
}

export function refused() {
  return read(REFUSED);
}

function setAside(item, status, reason) {
  const kept = read(REFUSED).filter((other) => other.key !== item.key);
  kept.push({ ...item, refused: { status, reason, at: new Date().toISOString() } });
  localStorage.setItem(REFUSED, JSON.stringify(kept));
  store(load().filter((queued) => queued.key !== item.key));
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function send(item) {
  const body = item.stamp ? { ...item.body, [item.stamp]: new Date().toISOString() } : item.body;
  const response = await fetch(item.url, {
    method: item.method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  return response;
}

async function reasonOf(response) {
  try {
    const body = await response.json();
    if (body.detail) return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
  } catch {
    /* not JSON */
  }
  return `The server refused it (${response.status}).`;
}

// Queue a request, then try to send everything queued. Returns "sent", "queued" or an
// error message from the server (which will not be retried: it would fail again; unless
// it was a rating already given, the request is kept on the device and the message says so).
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
  flushing = flushing
    .catch(() => new Map())
    .then(flushNow)
    .then((results) => {
      showRefused();
      return results;
    });
  return flushing;
}

const KEPT = " It is kept on this device.";

async function flushNow() {
  const results = new Map();
  const waiting = new Set(); // keys not sent in this pass: what belongs to them waits too
  for (const item of load()) {
    if (item.after && waiting.has(item.after)) {
      waiting.add(item.key);
      results.set(item.key, "queued");
      continue;
    }
    if (item.after && refused().some((other) => other.key === item.after)) {
      setAside(item, 0, "Kept with the entry it belongs to, which was not uploaded.");
      results.set(item.key, "Kept with the entry it belongs to, which was not uploaded." + KEPT);
      continue;
    }
    let response;
    try {
      response = await send(item);
    } catch {
      results.set(item.key, "queued");
      break; // offline: keep it, and everything after it, in order
    }
    const status = response.status;
    if (response.ok) {
      results.set(item.key, "sent");
      store(load().filter((queued) => queued.key !== item.key));
    } else if (status === 401 || status === 403) {
      // Logged out, or an expired form token: nothing of this person can go until they log
      // in again; keep it all, in order.
      results.set(item.key, "queued");
      break;
    } else if (status >= 500 || status === 408 || status === 429) {
      // Server trouble: try again later, and send what does not depend on it meanwhile.
      const attempts = (item.attempts || 0) + 1;
      if (attempts >= MAX_ATTEMPTS) {
        const reason = `The server failed ${attempts} times in a row (${status}): ${await reasonOf(response)}`;
        setAside(item, status, reason);
        results.set(item.key, reason + KEPT);
      } else {
        store(load().map((queued) => (queued.key === item.key ? { ...queued, attempts } : queued)));
        waiting.add(item.key);
        results.set(item.key, "queued");
      }
    } else if (status === 409 && item.method !== "POST") {
      // A rating that was given already: the server keeps the first, and the page says so.
      results.set(item.key, await reasonOf(response));
      store(load().filter((queued) => queued.key !== item.key));
    } else {
      // Refused for good (it would fail again): set aside, kept, and shown.
      const reason = await reasonOf(response);
      setAside(item, status, reason);
      results.set(item.key, reason + KEPT);
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

// --- What the server refused, shown on every page until the person deals with it ---------
function describe(item) {
  const body = item.body || {};
  const name = item.label || (body.kind ? `A ${body.kind} check-in` : `An upload to ${item.url}`);
  const moment = body.started_at || body.recorded_at;
  const when = moment ? `, ${new Date(moment).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}` : "";
  return `${name}${when}: ${item.refused.reason}`;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function showRefused() {
  const main = document.querySelector("main");
  if (!main) return;
  document.getElementById("refused-uploads")?.remove();
  const items = refused();
  // A rating kept with its practice is not listed on its own: it goes with it.
  const shown = items.filter((item) => !(item.after && items.some((other) => other.key === item.after)));
  if (!shown.length) return;
  const box = element("section", { id: "refused-uploads", class: "messages", "aria-labelledby": "refused-title" });
  const message = element("div", { class: "message message-error", role: "alert" });
  message.append(
    element(
      "p",
      { id: "refused-title" },
      `${shown.length === 1 ? "One entry was" : `${shown.length} entries were`} not uploaded: the server refused ` +
        `${shown.length === 1 ? "it" : "them"}. ${shown.length === 1 ? "It is" : "They are"} kept on this device.`,
    ),
  );
  const list = element("ul");
  for (const item of shown) list.append(element("li", {}, describe(item)));
  const copy = element(
    "a",
    {
      download: "backcoach-not-uploaded.json",
      href: `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(items, null, 2))}`,
    },
    "Save a copy",
  );
  const retry = element("button", { type: "button", class: "link-button" }, "Try again");
  retry.addEventListener("click", () => {
    // Back to the queue as they were sent, the oldest first, with a fresh count of tries.
    const again = refused().map(({ refused: _, attempts: __, ...item }) => item);
    localStorage.setItem(REFUSED, "[]");
    store([...again, ...load().filter((queued) => !again.some((item) => item.key === queued.key))]);
    flush().then(showPending);
  });
  const forget = element("button", { type: "button", class: "link-button" }, "Delete from this device");
  forget.addEventListener("click", () => {
    if (!confirm("Delete what was not uploaded from this device? Save a copy first if you want to keep it.")) return;
    localStorage.setItem(REFUSED, "[]");
    showRefused();
  });
  const actions = element("p");
  actions.append(copy, " · ", retry, " · ", forget);
  message.append(list, actions);
  box.append(message);
  main.prepend(box);
}

window.addEventListener("online", () => flush().then(showPending));
flush().then(showPending);
