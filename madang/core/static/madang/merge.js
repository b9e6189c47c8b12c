// An htmx swap that updates a region in place instead of replacing it (KWCAG 6.1.2, 8.2.1).
// htmx's outerHTML swap puts new elements where the old ones were, so a keyboard user on a button
// inside a polled region lands on <body> at every refresh, and a screen reader loses its place.
// Here an element that is still there stays the same element: only changed text and attributes
// are written, new elements are added, gone ones removed. What a person typed is kept too: the
// value of a field is a property, and only attributes are written.
//
// Use: hx-ext="merge" hx-swap="merge" on a region whose answer is the region again (same id).
// Children are matched by tag and id (elements without an id by tag, in order). The element that
// holds the focus is never moved, and never removed unless the answer no longer has it. New
// elements carrying data-announce are read out, politely, in the live region whose id the
// region's data-announce-to names, after that region's data-announce-prefix.
(function () {
  "use strict";

  function same(a, b) {
    if (a.nodeType !== b.nodeType) { return false; }
    return a.nodeType !== 1 || (a.tagName === b.tagName && (a.id || "") === (b.id || ""));
  }

  function holdsFocus(node) {
    var active = document.activeElement;
    return !!active && active !== document.body && (node === active || (node.nodeType === 1 && node.contains(active)));
  }

  function attributes(to, from) {
    for (var i = to.attributes.length - 1; i >= 0; i--) {
      if (!from.hasAttribute(to.attributes[i].name)) { to.removeAttribute(to.attributes[i].name); }
    }
    for (var j = 0; j < from.attributes.length; j++) {
      var a = from.attributes[j];
      if (to.getAttribute(a.name) !== a.value) { to.setAttribute(a.name, a.value); }
    }
  }

  function remove(parent, node, work) {
    if (holdsFocus(node)) { work.lostFocusIn = parent; }
    parent.removeChild(node);
  }

  function children(to, from, work) {
    var cursor = to.firstChild;
    Array.prototype.slice.call(from.childNodes).forEach(function (node) {
      var match = null;
      for (var c = cursor; c; c = c.nextSibling) {
        if (same(c, node)) { match = c; break; }
        if (holdsFocus(c)) { break; } // what lies beyond it would have to move past the focus
      }
      if (!match) {
        to.insertBefore(node, cursor);
        work.added.push(node);
        return;
      }
      while (cursor !== match) {
        var skipped = cursor;
        cursor = cursor.nextSibling;
        remove(to, skipped, work);
      }
      merge(match, node, work);
      cursor = match.nextSibling;
    });
    while (cursor) {
      var gone = cursor;
      cursor = cursor.nextSibling;
      remove(to, gone, work);
    }
  }

  function merge(to, from, work) {
    if (to.nodeType !== 1) {
      if (to.nodeValue !== from.nodeValue) { to.nodeValue = from.nodeValue; }
      return;
    }
    attributes(to, from);
    children(to, from, work);
  }

  function announce(region, added) {
    var live = document.getElementById(region.getAttribute("data-announce-to") || "");
    if (!live) { return; }
    var said = [];
    added.forEach(function (node) {
      if (node.nodeType !== 1) { return; }
      var found = Array.prototype.slice.call(node.querySelectorAll("[data-announce]"));
      if (node.hasAttribute("data-announce")) { found.unshift(node); }
      found.forEach(function (e) { said.push(e.getAttribute("data-announce")); });
    });
    if (said.length) { live.textContent = (region.getAttribute("data-announce-prefix") || "") + " " + said.join(" / "); }
  }

  function refocus(work, region) {
    // The focused element is gone from the answer (a note removed, a button no longer offered):
    // the nearest control that is left takes the focus, rather than <body>.
    if (!work.lostFocusIn || (document.activeElement && document.activeElement !== document.body)) { return; }
    for (var at = work.lostFocusIn; at && region.contains(at); at = at.parentElement) {
      var control = at.querySelector("a[href], button:not([disabled]), input:not([type=hidden]), select, textarea");
      if (control) { control.focus(); return; }
    }
  }

  htmx.defineExtension("merge", {
    isInlineSwap: function (style) { return style === "merge"; },
    handleSwap: function (style, target, fragment) {
      if (style !== "merge") { return false; }
      var work = { added: [], lostFocusIn: null };
      var answer = fragment.firstElementChild;
      if (answer && answer.id && answer.id === target.id && !answer.nextElementSibling) {
        merge(target, answer, work);
      } else {
        children(target, fragment, work); // the answer is the region's content
      }
      refocus(work, target);
      announce(target, work.added);
      return work.added; // htmx sets up the new elements (their hx-post and the like)
    },
  });
}());
