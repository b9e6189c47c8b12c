"""A strict reading of a page's markup, for the tests (KWCAG 8.1.1 마크업 오류 방지; WCAG 4.1.1 in
2.0 and 2.1): the crawl of the demo (site/tests/test_plain_korean.py) and every page and htmx answer
the browser walks fetch (tests/browser/conftest.py) go through `problems`.

No HTML5 validator is installed (html5lib is not among the dependencies), so Python's html.parser
reads the page and this follows the HTML standard's tree-building rules far enough to find what a
validator reports and browsers silently repair, each differently for assistive technology:

- an id used twice, an empty id, an id with a space;
- an attribute given twice on one element (the parser keeps the first);
- an end tag with nothing open to close, an element closed across another that is still open
  (misnested), an element left open at the end; end tags the standard lets out (li, p, td,
  option, …) are implied where the standard implies them, e.g. a <div> closes an open <p>;
- `<div/>`: the slash does not close an HTML element (it does inside SVG and MathML);
- a form inside a form, a link inside a link, a button inside a button (the parser drops or splits
  the inner one).
"""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag may be left out: closing something around them closes them too.
OPTIONAL_END = {
    "html",
    "head",
    "body",
    "p",
    "li",
    "dt",
    "dd",
    "option",
    "optgroup",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "colgroup",
    "rb",
    "rt",
    "rtc",
    "rp",
}
# A start tag of one of these closes an open <p> ("in button scope").
CLOSES_P = {
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
}
SCOPE = {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math"}
# A start tag of the key closes the nearest open element of the first set, unless one of the second comes first.
IMPLIED: dict[str, tuple[set[str], set[str]]] = {
    "li": ({"li"}, SCOPE | {"ul", "ol", "menu"}),
    "dd": ({"dd", "dt"}, SCOPE | {"dl"}),
    "dt": ({"dd", "dt"}, SCOPE | {"dl"}),
    "tr": ({"tr"}, {"table", "thead", "tbody", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
}
FOREIGN = {"svg", "math"}
NOT_NESTED = {"form", "a", "button"}


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.ids: dict[str, int] = {}
        self.found: list[str] = []

    def _say(self, what: str) -> None:
        self.found.append(f"line {self.getpos()[0]}: {what}")

    def _foreign(self) -> bool:
        return any(tag in FOREIGN for tag in self.open)

    def _close(self, targets: set[str], boundary: set[str]) -> None:
        """Close the nearest open element of `targets`, unless a `boundary` element comes first."""
        for i in range(len(self.open) - 1, -1, -1):
            tag = self.open[i]
            if tag in targets:
                self._pop_to(i, reason=f"<{tag}> is closed by the next start tag")
                return
            if tag in boundary:
                return

    def _pop_to(self, index: int, *, reason: str) -> None:
        for tag in reversed(self.open[index + 1 :]):
            if tag not in OPTIONAL_END:
                self._say(f"<{tag}> is still open where {reason} (misnested)")
        del self.open[index:]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if self._foreign():
            if tag not in VOID:
                self.open.append(tag)
            return
        if tag in NOT_NESTED and tag in self.open:
            self._say(f"<{tag}> inside another <{tag}>")
        if tag in CLOSES_P:
            self._close({"p"}, SCOPE | {"button"})
        if tag in IMPLIED:
            self._close(*IMPLIED[tag])
        if tag in ("option", "optgroup") and self.open and self.open[-1] == "option":
            self.open.pop()
        if tag == "optgroup" and self.open and self.open[-1] == "optgroup":
            self.open.pop()
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID or self._foreign():
            self._attributes(tag, attrs)
            return
        self._say(f"<{tag}/>: the slash does not close an HTML element")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self._say(f"</{tag}>: a void element has no end tag")
            return
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] == tag:
                self._pop_to(i, reason=f"</{tag}> comes")
                return
        self._say(f"</{tag}> with no <{tag}> open")

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self._say(f'<{tag}> has the attribute "{name}" twice')
        for name, value in attrs:
            if name != "id":
                continue
            if not value or any(c.isspace() for c in value):
                self._say(f'<{tag} id="{value or ""}">: an id is not empty and has no spaces')
            elif value in self.ids:
                self._say(f'the id "{value}" is used twice (first on line {self.ids[value]})')
            else:
                self.ids[value] = self.getpos()[0]

    def close(self) -> None:
        super().close()
        for tag in self.open:
            if tag not in OPTIONAL_END:
                self.found.append(f"end: <{tag}> is never closed")
        self.open = []


def problems(html: str) -> list[str]:
    """What is wrong with this page's (or htmx answer's) markup; empty when nothing is."""
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser.found
