"""Check gettext catalogues (.po files) for gaps that msgfmt lets through.

Plain Python, no Django and no third-party packages, so it can run anywhere:

    python madang/locale/check_catalogue.py                      # every catalogue under madang/locale/
    python madang/locale/check_catalogue.py madang/locale/ko/LC_MESSAGES/django.po
    python madang/locale/check_catalogue.py --allow-untranslated some.po

An entry is reported when

* its msgstr (or any msgstr[i] of a plural entry) is empty: not translated yet;
* it is marked ``#, fuzzy`` (msgfmt would silently leave it out), the header included;
* a plural entry has a different number of msgstr[i] forms than the header's ``nplurals``;
* the placeholders of a msgstr differ from those of its msgid: ``%(name)s`` / ``%(n)d`` (as a set:
  word order may change), bare ``%s`` / ``%d`` (as a sequence: their order is their meaning) and
  ``{{ name }}``; ``{name}`` as well when the entry is flagged ``python-brace-format``.
  For a plural entry each form must match the placeholders of either msgid or msgid_plural.

Obsolete entries (``#~``) are ignored. Catalogues of the source language (``--source-language``,
English by default: its msgids are shown as they are) may leave msgstrs empty; everything else is
still checked. Exit status: 0 when every catalogue passes, 1 when a problem was found, 2 on bad
usage or an unreadable file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}

# printf-style directives as Python's % operator reads them. The space flag is left out on purpose:
# in plain text "100% done" would otherwise read as the directive "% d".
_PERCENT = re.compile(
    r"%%"
    r"|%\((?P<name>[^)]*)\)[#0+-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?(?P<nconv>[diouxXeEfFgGcrsa])"
    r"|%[#0+-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa])"
)
_MUSTACHE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_BRACE = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index -> text; 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    def label(self) -> str:
        text = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        ctx = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return ctx + repr(text)


class PoSyntaxError(ValueError):
    pass


def _unquote(token: str, path: Path, lineno: int) -> str:
    token = token.strip()
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise PoSyntaxError(f"{path}:{lineno}: expected a quoted string, got {token!r}")
    body = token[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "01234567":
                digits = re.match(r"[0-7]{1,3}", body[i + 1 :])
                assert digits is not None
                out.append(chr(int(digits.group(0), 8)))
                i += 1 + len(digits.group(0))
                continue
            out.append(nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")


def parse(path: Path) -> list[Entry]:
    """Read a .po file into entries (the header included, obsolete ones marked)."""
    text = path.read_text(encoding="utf-8")
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int] | None = None  # which field continuation lines belong to
    seen_msgstr = False

    def finish() -> None:
        nonlocal current, target, seen_msgstr
        if current is not None:
            entries.append(current)
        current, target, seen_msgstr = None, None, False

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif line.startswith("#"):
            if current is not None and seen_msgstr:
                finish()
            if line.startswith("#,"):
                pending_flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if not line:
            if not obsolete:
                finish()
            continue

        match = _KEYWORD.match(line)
        if match:
            keyword, index, rest = match.group(1), match.group(2), match.group(3)
            if current is not None and (
                keyword == "msgctxt"
                or (keyword == "msgid" and (seen_msgstr or target is None or target[0] != "msgctxt"))
            ):
                finish()  # a new entry begins (msgid directly after msgctxt belongs to the same one)
            if current is None:
                current = Entry(line=lineno, flags=pending_flags, obsolete=obsolete)
                pending_flags = set()
            value = _unquote(rest, path, lineno)
            if keyword == "msgctxt":
                current.msgctxt = value
                target = ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid = value
                current.line = lineno
                target = ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural = value
                target = ("msgid_plural", 0)
            else:
                i = int(index) if index is not None else 0
                current.msgstr[i] = value
                target = ("msgstr", i)
                seen_msgstr = True
            continue

        if line.startswith('"') and current is not None and target is not None:
            value = _unquote(line, path, lineno)
            name, i = target
            if name == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif name == "msgid":
                current.msgid += value
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            else:
                current.msgstr[i] += value
            continue
        raise PoSyntaxError(f"{path}:{lineno}: cannot read this line: {raw!r}")
    finish()
    return entries


@dataclass(frozen=True)
class Placeholders:
    named: frozenset[str]
    positional: tuple[str, ...]
    template: frozenset[str]

    def describe(self) -> str:
        items = sorted(self.named) + list(self.positional) + sorted(self.template)
        return ", ".join(items) if items else "none"


def placeholders(text: str, flags: set[str]) -> Placeholders:
    named: set[str] = set()
    positional: list[str] = []
    if "no-python-format" not in flags:
        for m in _PERCENT.finditer(text):
            if m.group(0) == "%%":
                continue
            if m.group("nconv"):
                named.add(f"%({m.group('name')}){m.group('nconv')}")
            else:
                positional.append(m.group(0))
    template = {"{{ " + m.group(1) + " }}" for m in _MUSTACHE.finditer(text)}
    if "python-brace-format" in flags:
        template |= {"{" + m.group(1) + "}" for m in _BRACE.finditer(_MUSTACHE.sub("", text))}
    return Placeholders(frozenset(named), tuple(positional), frozenset(template))


def _nplurals(header: Entry | None) -> int | None:
    if header is None:
        return None
    m = re.search(r"^Plural-Forms:.*?nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""), re.MULTILINE)
    return int(m.group(1)) if m else None


def _language(header: Entry | None, path: Path) -> str:
    if header is not None:
        m = re.search(r"^Language:[ \t]*(\S*)", header.msgstr.get(0, ""), re.MULTILINE)
        if m and m.group(1):
            return m.group(1)
    # madang/locale/<lang>/LC_MESSAGES/django.po
    return path.parent.parent.name if path.parent.name == "LC_MESSAGES" else ""


def check(path: Path, *, allow_untranslated: bool = False) -> list[str]:
    """Return one line per problem found in the catalogue at path (empty when it passes)."""
    entries = parse(path)
    header = next((e for e in entries if e.is_header), None)
    nplurals = _nplurals(header)
    problems: list[str] = []

    def report(entry: Entry, what: str) -> None:
        problems.append(f"{path}:{entry.line}: {entry.label()}: {what}")

    if header is None:
        problems.append(f'{path}: no header entry (msgid "")')
    elif "fuzzy" in header.flags:
        report(header, "the header is marked fuzzy (msgfmt would ignore it, Plural-Forms included)")
    if any(e.msgid_plural is not None for e in entries if not e.obsolete) and nplurals is None:
        problems.append(f"{path}: plural entries but no Plural-Forms nplurals in the header")

    for entry in entries:
        if entry.obsolete or entry.is_header:
            continue
        if "fuzzy" in entry.flags:
            report(entry, "marked fuzzy")
        forms = entry.msgstr
        if not forms:
            report(entry, "no msgstr")
            continue
        if entry.msgid_plural is not None and nplurals is not None and sorted(forms) != list(range(nplurals)):
            report(entry, f"has plural forms {sorted(forms)}, the header says nplurals={nplurals}")
        empty = [i for i, s in sorted(forms.items()) if s == ""]
        if empty and not allow_untranslated:
            which = "" if entry.msgid_plural is None else " (msgstr" + ", ".join(f"[{i}]" for i in empty) + ")"
            report(entry, "not translated" + which)
        # Untranslated forms fall back to the msgid at run time, so only translated ones are compared.
        expected = [placeholders(entry.msgid, entry.flags)]
        if entry.msgid_plural is not None:
            expected.append(placeholders(entry.msgid_plural, entry.flags))
        for i, text in sorted(forms.items()):
            if text == "":
                continue
            got = placeholders(text, entry.flags)
            if got not in expected:
                name = "msgstr" if entry.msgid_plural is None else f"msgstr[{i}]"
                want = " or ".join(dict.fromkeys(p.describe() for p in expected))
                report(entry, f"placeholders differ: msgid has {want}; {name} has {got.describe()}")

    duplicates = Counter((e.msgctxt, e.msgid) for e in entries if not e.obsolete)
    for (ctx, msgid), count in duplicates.items():
        if count > 1:
            problems.append(
                f"{path}: msgid {msgid!r}" + (f" (msgctxt {ctx!r})" if ctx else "") + f" appears {count} times"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="catalogues to check (default: every */LC_MESSAGES/*.po next to this script)",
    )
    parser.add_argument(
        "--allow-untranslated", action="store_true", help="do not report empty msgstrs in any catalogue"
    )
    parser.add_argument(
        "--source-language",
        default="en",
        help="language of the msgids; its catalogue may leave msgstrs empty (default: en)",
    )
    args = parser.parse_args(argv)

    files = args.files or sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    if not files:
        sys.stderr.write("check_catalogue: no .po files found\n")
        return 2
    failed = False
    for path in files:
        try:
            entries = parse(path)
            header = next((e for e in entries if e.is_header), None)
            is_source = _language(header, path).split("_")[0].lower() == args.source_language.lower()
            problems = check(path, allow_untranslated=args.allow_untranslated or is_source)
        except (OSError, UnicodeDecodeError, PoSyntaxError) as exc:
            sys.stderr.write(f"check_catalogue: {path}: {exc}\n")
            return 2
        count = sum(1 for e in entries if not e.obsolete and not e.is_header)
        if problems:
            failed = True
            sys.stdout.write(f"{path}: {len(problems)} problem(s) in {count} entries\n")
            sys.stdout.writelines(f"  {p}\n" for p in problems)
        else:
            sys.stdout.write(f"{path}: OK ({count} entries)\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
