// The warning before a signed-in session ends, with a way to stay (KWCAG 6.2.1, WCAG 2.2.1).
// The server says how many seconds are left: in the page (#session-note), in a header on every
// answer to htmx (a polling page keeps the session alive), and in the answer to "stay logged in".
// The browser only counts down from there, so a device whose clock is wrong still warns in time.
// Without this script the page still says the limit and its time. No inline script: the CSP forbids it.
(function () {
  "use strict";
  var HEADER = "Madang-Session-Left";
  var SHARED = "madang-session-ends"; // the person's other tabs learn here that the session went on
  var dialog, status;
  var ends = 0, final = false, warnMs = 0, offsetMs = 0, offsetText = "Z";
  var timer = 0, back = null, state = "", dismissed = "", closingByScript = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The time is written in the server's zone (the one the page was rendered in), so it reads the
  // same before and after an extension whatever zone the device is set to.
  function showTime() {
    var local = new Date(ends + offsetMs);
    var text = pad(local.getUTCHours()) + ":" + pad(local.getUTCMinutes());
    var stamp = local.toISOString().slice(0, 19) + offsetText;
    document.querySelectorAll("time.session-ends").forEach(function (t) {
      t.textContent = text;
      t.setAttribute("datetime", stamp);
    });
  }

  function learn(at, isFinal, fromElsewhere) {
    ends = at;
    final = isFinal;
    showTime();
    if (!fromElsewhere) {
      try { window.localStorage.setItem(SHARED, JSON.stringify({ ends: ends, final: final })); } catch (e) { /* storage off */ }
    }
    schedule();
  }

  function fromServer(secondsLeft, isFinal) {
    if (!isNaN(secondsLeft)) { learn(Date.now() + secondsLeft * 1000, isFinal, false); }
  }

  function adoptShared(value) {
    try {
      var shared = JSON.parse(value || "null");
      if (shared && shared.ends > ends) { learn(shared.ends, !!shared.final, true); }
    } catch (e) { /* not ours */ }
  }

  function schedule() {
    window.clearTimeout(timer);
    var now = Date.now();
    if (now >= ends) {
      open("ended");
      return;
    }
    if (now >= ends - warnMs) {
      open(final ? "final" : "warn");
      timer = window.setTimeout(schedule, ends - now);
      return;
    }
    if (dialog.open) { close(); }
    timer = window.setTimeout(schedule, ends - warnMs - now);
  }

  function close() {
    closingByScript = true;
    dialog.close();
  }

  function open(next) {
    if (dismissed === next + ends) { return; } // closed by the person: not again for this end
    if (dialog.open && state === next) { return; }
    if (dialog.open) { close(); } // shown again below, so the new state is announced as a dialog
    state = next;
    dialog.querySelectorAll("[data-when]").forEach(function (part) {
      part.hidden = part.getAttribute("data-when").split(" ").indexOf(next) < 0;
    });
    if (back === null) { back = document.activeElement; }
    dialog.showModal();
    var first = dialog.querySelector(".session-actions > :not([hidden])");
    var target = first && (first.matches("a, button") ? first : first.querySelector("button"));
    if (target) { target.focus(); }
  }

  function onClose() {
    var byScript = closingByScript;
    closingByScript = false;
    if (dialog.open) { return; } // opened again at once, in another state
    if (!byScript) { dismissed = state + ends; }
    var to = back && back.isConnected && back !== document.body ? back : document.getElementById("main");
    back = null;
    if (to) { to.focus(); }
  }

  function extend(event) {
    event.preventDefault();
    var form = event.target;
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (!answer.signed_in) {
        learn(Date.now(), final, true); // it had ended on the server already
        return;
      }
      status.textContent = answer.message;
      fromServer(answer.seconds_left, answer.final);
    }).catch(function () { /* no answer: the notice stays, and the button can be pressed again */ });
  }

  function start() {
    var note = document.getElementById("session-note");
    dialog = document.getElementById("session-warning");
    status = document.getElementById("session-status");
    if (!note || !dialog || !status || typeof dialog.showModal !== "function") { return; }
    var first = document.querySelector("time.session-ends");
    var zone = first && /([+-])(\d\d):(\d\d)$/.exec(first.getAttribute("datetime") || "");
    if (zone) {
      offsetMs = (zone[1] === "-" ? -1 : 1) * (parseInt(zone[2], 10) * 60 + parseInt(zone[3], 10)) * 60000;
      offsetText = zone[1] + zone[2] + ":" + zone[3];
    }
    warnMs = 1000 * (parseInt(note.getAttribute("data-warn-seconds"), 10) || 0);
    dialog.addEventListener("close", onClose);
    document.getElementById("session-extend").addEventListener("submit", extend);
    document.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail && event.detail.xhr;
      var left = xhr && xhr.getResponseHeader(HEADER);
      if (left) { fromServer(parseInt(left, 10), left.indexOf("final") >= 0); }
    });
    window.addEventListener("storage", function (event) {
      if (event.key === SHARED) { adoptShared(event.newValue); }
    });
    // Timers of a hidden tab run late; coming back, look again. A page from the back-forward cache
    // may have missed what other tabs said.
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { schedule(); } });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        try { adoptShared(window.localStorage.getItem(SHARED)); } catch (e) { /* storage off */ }
        schedule();
      }
    });
    fromServer(parseInt(note.getAttribute("data-seconds-left"), 10), note.getAttribute("data-final") === "1");
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
