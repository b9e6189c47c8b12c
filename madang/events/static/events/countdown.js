// The projector's countdown. The page already shows the end time (server-rendered); this only
// adds the ticking minutes and seconds. No inline script: the site's CSP forbids it.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick(box) {
    var time = box.querySelector("time[datetime]");
    var out = box.querySelector(".remaining");
    if (!time || !out) { return; }
    var end = Date.parse(time.getAttribute("datetime"));
    if (isNaN(end)) { return; }
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    out.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    box.classList.toggle("over", left === 0);
  }
  function start() {
    // Looked up on every tick: htmx swaps the projector's content every 20 s.
    function all() { document.querySelectorAll("[data-countdown]").forEach(tick); }
    all();
    window.setInterval(all, 1000);
    document.body.addEventListener("htmx:afterSwap", all);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
