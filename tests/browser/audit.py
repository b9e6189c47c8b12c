"""axe-core on every page the browser walks visit.

axe-core's script comes from the `axe-playwright-python` test dependency (which bundles it; axe-core
is MPL-2.0, see docs/testing.md): nothing is fetched at run time and none of its code is kept here.

A page is checked where it stands still: before each action of a walk that may change it (go,
click, check, choose, press Enter or Space), after each `goto`, and once more at the end of the
test, so the state left by a form post or an htmx swap is checked before the next step changes it. Each state is known
by its address (numbers folded, so /calls/p/12/ and /calls/p/40/ are one page), the width of the
window and a fingerprint of the document's elements (tag, classes, ARIA and labelling attributes,
whether it holds text); a state checked once in the session is not checked again, and its findings
are reported again in every test that reaches it.
"""

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT

# The WCAG 2.0, 2.1 and 2.2 A and AA success criteria axe can test.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best practices outside those tags that issue 14 named (landmarks told apart, no skipped heading
# level) and their kin: landmarks are how screen-reader users move around a page.
RULES = [
    "heading-order",
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "page-has-heading-one",
    "empty-heading",
]

# The fingerprint of a document: one pass over its elements, hashed in the page.
FINGERPRINT = r"""() => {
  let h = 0;
  const add = (s) => { for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0; };
  const keep = /^(aria-|role$|alt$|for$|type$|hidden$|open$|lang$|title$|tabindex$|disabled$|scope$|headers$)/;
  // Words (labels, titles, the language) count only as present or not: the same page in Korean
  // and in English is one state.
  const words = /^(aria-label|aria-description|aria-valuetext|aria-roledescription|aria-placeholder|alt|title|lang)$/;
  const fold = (s) => s.replace(/\d+/g, 'N');
  for (const e of document.querySelectorAll('*')) {
    add('<' + e.tagName);
    if (e.id) add('#' + fold(e.id));
    const cls = e.getAttribute('class'); if (cls) add('.' + cls);
    for (const a of e.attributes) {
      if (keep.test(a.name)) add(' ' + a.name + '=' + (words.test(a.name) ? !!a.value.trim() : fold(a.value)));
    }
    if (!e.childElementCount && e.textContent.trim()) add('~');
  }
  return h;
}"""

BUSY = """() => document.readyState !== 'complete'
  || !!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"""


@dataclass
class Finding:
    rule: str
    impact: str
    target: str
    url: str
    help: str


@dataclass
class Audit:
    """What axe found in this session, by page state, and what one test has reached."""

    options: dict[str, Any] = field(
        default_factory=lambda: {
            "runOnly": {"type": "tag", "values": TAGS},
            "iframes": False,
            "rules": {rule: {"enabled": True} for rule in RULES},
            "resultTypes": ["violations", "incomplete"],
        }
    )
    seen: dict[tuple[str, int, int], list[Finding]] = field(default_factory=dict)
    checks: int = 0  # page states run through axe
    calls: int = 0  # times a page was looked at (most answered from the cache)
    seconds: float = 0.0
    skipped: int = 0  # checks given up because the page was navigating away
    found: list[Finding] = field(default_factory=list)  # this test's, in the order met

    def begin_test(self) -> None:
        self.found = []

    def check(self, page: Any) -> None:
        """Check the page as it stands now, unless this state was checked before."""
        if page.is_closed() or not page.url.startswith("http"):
            return
        started = time.monotonic()
        self.calls += 1
        try:
            self._settle(page)
            key = (_fold(page.url), (page.viewport_size or {}).get("width", 0), page.evaluate(FINGERPRINT))
            if key not in self.seen:
                self.seen[key] = self._run(page)
                self.checks += 1
        except Exception as e:  # the page went away under us (a navigation began): its next state is checked
            if "context was destroyed" in str(e) or "navigat" in str(e) or "closed" in str(e):
                self.skipped += 1
                return
            raise
        finally:
            self.seconds += time.monotonic() - started  # all the time the checks add, cached ones too
        for finding in self.seen[key]:
            if finding not in self.found:
                self.found.append(finding)

    def run_now(self, page: Any) -> list[Finding]:
        """What axe finds on the page as it stands, whatever was checked before."""
        self._settle(page)
        return self._run(page)

    def _settle(self, page: Any) -> None:
        # wait_for_function would evaluate a string in the page, which the CSP forbids: poll from here.
        for _ in range(40):
            if not page.evaluate(BUSY):
                return
            page.wait_for_timeout(50)

    def _run(self, page: Any) -> list[Finding]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE_SCRIPT)
        result = page.evaluate("options => window.axe.run(document, options)", self.options)
        url = urlsplit(page.url)
        where = url.path + (f"?{url.query}" if url.query else "")
        found = [
            Finding(v["id"], v.get("impact") or "", " ".join(map(str, node["target"])), where, v["help"])
            for v in result["violations"]
            for node in v["nodes"]
        ]
        # axe leaves text of one or two characters (a count in a badge) "to review" even when it measured
        # both colours: a number is text, so a measured ratio below the one required is a violation.
        for v in result["incomplete"]:
            for node in v["nodes"] if v["id"] == "color-contrast" else []:
                ratio = _short_text_contrast(node)
                if ratio is not None:
                    help = f"{v['help']} (measured {ratio[0]}:1, needs {ratio[1]}:1)"
                    found.append(
                        Finding(v["id"], v.get("impact") or "", " ".join(map(str, node["target"])), where, help)
                    )
        return found

    def report(self) -> str:
        """The findings by rule and page, with the first few elements of each."""
        groups: dict[tuple[str, str, str, str], list[str]] = {}
        for f in self.found:
            groups.setdefault((f.rule, f.impact, f.url, f.help), []).append(f.target)
        rules = sorted({f.rule for f in self.found})
        lines = [f"axe found {len(self.found)} accessibility violation(s) of {', '.join(rules)}:"]
        for (rule, impact, url, help), targets in groups.items():
            more = f" … and {len(targets) - 5} more" if len(targets) > 5 else ""
            lines.append(f"  [{rule}] ({impact}) {url}: {help}\n      " + " | ".join(targets[:5]) + more)
        return "\n".join(lines)


def _short_text_contrast(node: dict[str, Any]) -> tuple[float, float] | None:
    for check in node.get("any", []):
        data = check.get("data") or {}
        if data.get("messageKey") != "shortTextContent" or not data.get("contrastRatio"):
            continue
        needed = float(str(data.get("expectedContrastRatio", "4.5:1")).split(":")[0])
        if float(data["contrastRatio"]) < needed:
            return float(data["contrastRatio"]), needed
    return None


def _fold(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"\d+", "N", parts.query) if parts.query else "")


def enabled() -> bool:
    return os.environ.get("MADANG_AXE", "1") != "0"


def _before(method: Callable[..., Any], page_of: Callable[[Any], Any], key_at: int | None = None) -> Callable[..., Any]:
    """`key_at`: for a key press, where the key is among the arguments; only a key that acts (Enter,
    Space) checks the page first: Tab and typing change no page (what typing brings, a live search,
    is checked at the next action)."""

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        page = page_of(self)
        audit = getattr(page, "_madang_audit", None)
        key = kwargs.get("key", args[key_at] if key_at is not None and len(args) > key_at else None)
        if audit is not None and (key_at is None or key in ACTING_KEYS):
            audit.check(page)
        return method(self, *args, **kwargs)

    wrapped.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapped


def _after_goto(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        audit = getattr(self, "_madang_audit", None)
        if audit is not None:
            audit.check(self)  # the page being left
        response = method(self, *args, **kwargs)
        if audit is not None:
            audit.check(self)
        return response

    wrapped.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapped


# Actions that may change the page; filling in a field does not (what typing brings is checked at the next one).
ACTIONS = ["click", "dblclick", "tap", "check", "uncheck", "set_checked", "select_option", "set_input_files"]
ACTING_KEYS = {"Enter", " ", "Space"}


def install(monkeypatch: Any) -> None:
    """Make the actions of Playwright's sync Page, Locator and Keyboard that may change a page check it first."""
    from playwright.sync_api import Keyboard, Locator, Page

    monkeypatch.setattr(Page, "goto", _after_goto(Page.goto))
    for name in ACTIONS:
        monkeypatch.setattr(Page, name, _before(getattr(Page, name), lambda p: p))
        monkeypatch.setattr(Locator, name, _before(getattr(Locator, name), lambda loc: loc.page))
    monkeypatch.setattr(Page, "press", _before(Page.press, lambda p: p, key_at=1))
    monkeypatch.setattr(Locator, "press", _before(Locator.press, lambda loc: loc.page, key_at=0))
    keyboard_page = lambda kb: getattr(kb, "_madang_page", None)  # noqa: E731
    monkeypatch.setattr(Keyboard, "press", _before(Keyboard.press, keyboard_page, key_at=0))
