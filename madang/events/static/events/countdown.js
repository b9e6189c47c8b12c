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
    var boxes = document.querySelectorAll("[data-countdown]");
    boxes.forEach(tick);
    window.setInterval(function () { boxes.forEach(tick); }, 1000);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
