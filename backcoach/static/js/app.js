// On every page for a logged-in person: the offline helper, and uploads left waiting.
import "./sync.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.kept === location.pathname) {
      document.documentElement.dataset.offlineReady = "true";
    }
  });
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const start = document.querySelector("a[data-tonight]");
      if (start) {
        // The home page: keep tonight's routine, where its Start button leads, and on a
        // first visit this page too, so that the button works offline.
        registration.active?.postMessage({
          tonight: new URL(start.href).pathname,
          keep: navigator.serviceWorker.controller ? undefined : location.pathname,
          reply: location.pathname,
        });
        return;
      }
      if (!document.querySelector("[data-offline-page]")) return;
      if (navigator.serviceWorker.controller) {
        // The worker fetched this page itself, and kept it as it went by.
        document.documentElement.dataset.offlineReady = "true";
      } else {
        // First visit: the worker did not see this page load; ask it to keep a copy.
        registration.active?.postMessage({ keep: location.pathname });
      }
    })
    .catch(() => {
      /* no offline support here (e.g. plain http on a LAN address); everything else works */
    });
  // Urgent signs: no routine may start, not even one kept for offline use.
  if (document.querySelector("[data-forget-offline]")) {
    navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage("forget"));
  }
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", (event) => {
      navigator.serviceWorker.controller?.postMessage("forget");
      // This browser's bedtime notifications are the person's: a shared device shows
      // nothing of theirs once they log out. A moment at most, then out anyway.
      event.preventDefault();
      const leave = () => HTMLFormElement.prototype.submit.call(form);
      Promise.race([stopNotifications(form.dataset.pushUnsubscribe), pause(2000)]).then(leave, leave);
    });
  }
}

async function stopNotifications(url) {
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager?.getSubscription();
  if (!subscription) return;
  // The server forgets it first, while the person is still logged in to ask.
  await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content,
    },
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  }).catch(() => {});
  await subscription.unsubscribe();
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
