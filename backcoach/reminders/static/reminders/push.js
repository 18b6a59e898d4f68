// The reminders page: bedtime notifications on this device. The browser subscribes with
// the server's public key and the subscription goes to the server, which pushes to it at
// bedtime; the service worker (sw.js) shows what arrives.
const section = document.getElementById("push");

if (section) start(section);

async function start(section) {
  const status = section.querySelector("[data-push-status]");
  const on = section.querySelector("[data-push-on]");
  const off = section.querySelector("[data-push-off]");
  const serverKey = section.dataset.serverKey;
  const say = (text) => { status.textContent = text; };
  const show = (subscribed) => { on.hidden = subscribed; off.hidden = !subscribed; };

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot receive notifications from this page. On an iPhone, add backcoach to the home screen first and open it from there.");
    return;
  }
  const registration = await Promise.race([
    navigator.serviceWorker.ready,
    new Promise((resolve) => setTimeout(() => resolve(null), 10000)),
  ]);
  if (!registration) {
    // No service worker here: plain http on a network address, or a private window.
    say("Notifications need backcoach over https (or on this computer's own address).");
    return;
  }
  const known = JSON.parse(document.getElementById("push-devices").textContent);

  async function thisDevice() {
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription) return null;
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(subscription.endpoint));
    const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return known.includes(hex) ? subscription : null;
  }

  // The server knows this browser's subscription (it may have forgotten it: switched off
  // on every device, or the push service said it was gone).
  const subscribed = await thisDevice();
  show(Boolean(subscribed));
  say(subscribed ? "Notifications are on for this device." : "Notifications are off for this device.");

  on.addEventListener("click", async () => {
    on.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        say("Notifications are blocked for this site: allow them in the browser's site settings, then try again.");
        return;
      }
      let subscription = await registration.pushManager.getSubscription();
      if (subscription && !sameKey(subscription.options.applicationServerKey, serverKey)) {
        // Made with another server key (the server's key file was replaced): its pushes
        // would be refused, so it is replaced too.
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ||= await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: fromBase64url(serverKey),
      });
      await post(section.dataset.subscribeUrl, subscription.toJSON());
      location.reload();
    } catch (error) {
      say(error.message || "Notifications could not be switched on.");
    } finally {
      on.disabled = false;
    }
  });

  off.addEventListener("click", async () => {
    off.disabled = true;
    try {
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await post(section.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      location.reload();
    } catch (error) {
      say(error.message || "Notifications could not be switched off.");
    } finally {
      off.disabled = false;
    }
  });
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content,
    },
    body: JSON.stringify(body),
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    // a log-in page or an error page: the status says enough
  }
  if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}; nothing was changed.`);
  return answer;
}

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}

function sameKey(buffer, base64url) {
  if (!buffer) return true;
  const mine = fromBase64url(base64url);
  const theirs = new Uint8Array(buffer);
  return theirs.length === mine.length && theirs.every((byte, index) => byte === mine[index]);
}
