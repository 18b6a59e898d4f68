// On every page for a logged-in person: the offline helper, and uploads left waiting.
import "./sync.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    /* no offline support here (e.g. plain http on a LAN address); everything else works */
  });
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", () => navigator.serviceWorker.controller?.postMessage("forget"));
  }
}
