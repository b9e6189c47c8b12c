"""Forms as data: a TOML template and a context of plain values become a `Document`.

A template is a list of blocks. Text takes `$name` or `${name}` placeholders (Python's
string.Template: names only, no attribute access, so an edited template cannot reach into
objects). Blocks:

    heading     text, level
    paragraph   text, align (left/center/right/justify), bold, size
    fields      rows = [["label", "$value"], ...]  a grid of literal cells; header = true/false
    table       source = "name of a list", columns = [["label", "key", width], ...], empty = "..."
    list        source, text (per item, with the item's keys), empty
    image       source = "name of an image in the context", width_mm, align (skipped when absent)
    page_break
    repeat      source, blocks = [...]: the blocks once per item, a page break between items

Every block may say `when = "name"`: it is left out when that value is empty or false.
`check` finds every mistake an edit can make before anything is generated with it.
"""

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from madang.documents.render.model import (
    Block,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    clean,
    table,
)

ALIGNS = ("left", "center", "right", "justify")
KINDS = ("heading", "paragraph", "fields", "table", "list", "image", "page_break", "repeat")
_KEYS = {
    "heading": {"text", "level"},
    "paragraph": {"text", "align", "bold", "size"},
    "fields": {"rows", "header", "widths"},
    "table": {"source", "columns", "empty"},
    "list": {"source", "text", "empty"},
    "image": {"source", "width_mm", "align"},
    "page_break": set(),
    "repeat": {"source", "blocks"},
}


@dataclass(frozen=True)
class Picture:
    """An image in a context: the letterhead's logo or seal, a chart."""

    data: bytes
    format: str  # png or jpeg
    width: int
    height: int


class TemplateError(ValueError):
    """A template that would not produce a document. `message` is an English msgid with
    %(name)s parameters, so the Django side can show it translated."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


def parse(text: str) -> dict[str, Any]:
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError("The template is not valid TOML: %(detail)s", detail=str(exc)) from exc
    if not isinstance(spec.get("block"), list) or not spec["block"]:
        raise TemplateError("The template has no [[block]] entries.")
    return spec


def _sub(text: object, ctx: Mapping[str, Any]) -> str:
    values = {k: ("" if v is None else v) for k, v in ctx.items() if not isinstance(v, list | Picture)}
    return clean(string.Template(str(text)).safe_substitute(values))


def _names(text: str) -> set[str]:
    pattern = string.Template.pattern
    found = set()
    for m in re.finditer(pattern, text):
        if m.group("invalid") is not None:
            raise TemplateError("A $ sign without a name in “%(text)s”: write $$ for a dollar sign.", text=text[:60])
        name = m.group("named") or m.group("braced")
        if name:
            found.add(name)
    return found


def render(text_or_spec: str | dict[str, Any], ctx: Mapping[str, Any]) -> Document:
    spec = parse(text_or_spec) if isinstance(text_or_spec, str) else text_or_spec
    doc = Document(title=_sub(spec.get("title", ""), ctx), author=_sub(spec.get("author", ""), ctx))
    doc.blocks.extend(_blocks(spec["block"], ctx))
    return doc


def _blocks(blocks: list[dict[str, Any]], ctx: Mapping[str, Any]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        when = b.get("when")
        if when and not ctx.get(when):
            continue
        kind = b["type"]
        if kind == "heading":
            out.append(Heading(_sub(b.get("text", ""), ctx), int(b.get("level", 1))))
        elif kind == "paragraph":
            out.append(
                Paragraph(
                    _sub(b.get("text", ""), ctx),
                    align=b.get("align", "left"),
                    bold=bool(b.get("bold", False)),
                    size=float(b.get("size", 10.5)),
                )
            )
        elif kind == "fields":
            cells = [[_sub(c, ctx) for c in row] for row in b["rows"]]
            out.append(table(cells, header_rows=1 if b.get("header") else 0, widths=tuple(b.get("widths", ()))))
        elif kind == "table":
            items = ctx.get(b["source"]) or []
            cols = b["columns"]
            if not items and b.get("empty"):
                out.append(Paragraph(_sub(b["empty"], ctx)))
                continue
            rows: list[list[object]] = [[_sub(c[0], ctx) for c in cols]]
            rows += [[clean(item.get(c[1], "")) for c in cols] for item in items]
            out.append(table(rows, header_rows=1, widths=tuple(float(c[2]) if len(c) > 2 else 1.0 for c in cols)))
        elif kind == "list":
            items = ctx.get(b["source"]) or []
            if not items and b.get("empty"):
                out.append(Paragraph(_sub(b["empty"], ctx)))
            out.extend(Paragraph(_sub(b["text"], {**ctx, **item})) for item in items)
        elif kind == "image":
            pic = ctx.get(b["source"])
            if isinstance(pic, Picture):
                width = float(b.get("width_mm", 30))
                out.append(
                    Image(
                        pic.data,
                        "jpeg" if pic.format in ("jpeg", "jpg") else "png",
                        width,
                        width * pic.height / max(pic.width, 1),
                        align=b.get("align", "center"),
                    )
                )
        elif kind == "page_break":
            out.append(PageBreak())
        elif kind == "repeat":
            for i, item in enumerate(ctx.get(b["source"]) or []):
                if i:
                    out.append(PageBreak())
                out.extend(_blocks(b["blocks"], {**ctx, **item}))
    return out


def check(text: str, sample: Mapping[str, Any]) -> dict[str, Any]:
    """The parsed template, or TemplateError naming the first mistake: an unknown block or key,
    a placeholder or list the document kind does not have, a bad alignment or size."""
    spec = parse(text)
    _check_text(spec.get("title", ""), {k for k, v in sample.items() if not isinstance(v, list | Picture)})
    _check_blocks(spec["block"], sample, "block")
    return spec


def _unknown(names: set[str]) -> None:
    raise TemplateError("Unknown placeholder $%(name)s.", name=sorted(names)[0])


def _check_text(value: object, known: set[str]) -> None:
    if not isinstance(value, str):
        raise TemplateError("Text must be written in quotes: %(value)s.", value=str(value)[:60])
    missing = _names(value) - known
    if missing:
        _unknown(missing)


def _check_blocks(blocks: Any, sample: Mapping[str, Any], where: str) -> None:
    if not isinstance(blocks, list):
        raise TemplateError("“%(where)s” must be a list of blocks.", where=where)
    known = {k for k, v in sample.items() if not isinstance(v, list | Picture)}
    for n, b in enumerate(blocks, 1):
        if not isinstance(b, dict) or b.get("type") not in KINDS:
            raise TemplateError("Block %(n)d has no known type (one of: %(kinds)s).", n=n, kinds=", ".join(KINDS))
        kind = b["type"]
        extra = set(b) - _KEYS[kind] - {"type", "when"}
        if extra:
            raise TemplateError(
                "Block %(n)d (%(kind)s) has a key it does not use: %(key)s.", n=n, kind=kind, key=sorted(extra)[0]
            )
        if "when" in b and b["when"] not in sample:
            raise TemplateError(
                "Block %(n)d: “when” names %(name)s, which this document does not have.", n=n, name=b["when"]
            )
        if b.get("align", "left") not in ALIGNS:
            raise TemplateError("Block %(n)d: alignment must be one of %(aligns)s.", n=n, aligns=", ".join(ALIGNS))
        for key, low, high in (("size", 6, 40), ("level", 1, 3), ("width_mm", 5, 170)):
            if key in b and not (isinstance(b[key], int | float) and low <= b[key] <= high):
                raise TemplateError(
                    "Block %(n)d: %(key)s must be a number from %(low)d to %(high)d.", n=n, key=key, low=low, high=high
                )
        source = str(b.get("source") or "")
        if kind in ("table", "list", "repeat", "image"):
            if not source:
                raise TemplateError("Block %(n)d (%(kind)s) needs a source.", n=n, kind=kind)
            value = sample.get(source)
            wanted = Picture if kind == "image" else list
            if not isinstance(value, wanted):
                raise TemplateError(
                    "Block %(n)d: this document has no %(what)s called %(name)s.",
                    n=n,
                    what="image" if kind == "image" else "list",
                    name=source,
                )
        item_keys = set(sample[source][0]) if kind in ("table", "list", "repeat") and sample.get(source) else set()
        if kind in ("heading", "paragraph"):
            _check_text(b.get("text", ""), known)
        elif kind == "fields":
            rows = b.get("rows")
            if not isinstance(rows, list) or not rows or not all(isinstance(r, list) and r for r in rows):
                raise TemplateError("Block %(n)d (fields) needs rows: a list of lists of cells.", n=n)
            for row in rows:
                for cell in row:
                    _check_text(cell, known)
        elif kind == "table":
            cols = b.get("columns")
            if not isinstance(cols, list) or not cols:
                raise TemplateError("Block %(n)d (table) needs columns: [[label, key, width], ...].", n=n)
            for col in cols:
                if not isinstance(col, list) or len(col) not in (2, 3) or not all(isinstance(c, str) for c in col[:2]):
                    raise TemplateError("Block %(n)d: a column is [label, key] or [label, key, width].", n=n)
                _check_text(col[0], known)
                if col[1] not in item_keys:
                    raise TemplateError(
                        "Block %(n)d: the list %(source)s has no column %(key)s.", n=n, source=source, key=col[1]
                    )
                if len(col) == 3 and not (isinstance(col[2], int | float) and col[2] > 0):
                    raise TemplateError("Block %(n)d: a column width must be a positive number.", n=n)
            _check_text(b.get("empty", ""), known)
        elif kind == "list":
            _check_text(b.get("text", ""), known | item_keys)
            _check_text(b.get("empty", ""), known)
        elif kind == "repeat":
            _check_blocks(
                b.get("blocks"), {**sample, **(sample[source][0] if sample.get(source) else {})}, f"block {n}"
            )
