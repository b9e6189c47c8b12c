// A board fetches itself again every 10 s (events/_board.html). The "Pause updates" button stops
// that and starts it again (KWCAG 6.2.2 정지 기능, WCAG 2.2.2): while it is pressed, the board's own
// look is cancelled; a person's dot still goes through. No inline script: the CSP forbids it.
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("board-pause");
    var region = document.getElementById("board-live");
    if (!button || !region) { return; }
    button.addEventListener("click", function () {
      button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
    });
    region.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt === region && button.getAttribute("aria-pressed") === "true") { event.preventDefault(); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
