"""docs/ledger.md lists every kind of entry as the registry declares it."""

import io
from pathlib import Path

from django.core.management import call_command

from madang.ledger import kinds

DOC = Path(__file__).resolve().parents[3] / "docs" / "ledger.md"
BEGIN, END = "<!-- kinds:begin -->\n", "<!-- kinds:end -->"


def generated_section(text: str) -> str:
    return text.split(BEGIN, 1)[1].split(END, 1)[0]


def test_it_keeps_the_list_of_kinds_in_docs_up_to_date():
    kinds.unregister("tests")  # (the kinds only this test package writes)
    out = io.StringIO()
    call_command("ledger", "kinds", "--markdown", stdout=out)
    assert out.getvalue() == kinds.markdown()
    assert generated_section(DOC.read_text("utf-8")) == kinds.markdown(), (
        "docs/ledger.md is out of date: run `python scripts/ledger_kinds_doc.py` (or paste `madang ledger kinds "
        "--markdown`)"
    )


def test_it_registers_every_kind_from_the_apps_and_none_twice():
    names = [str(k.name) for k in kinds.all_kinds()]
    assert len(names) == len(set(names))
    assert {b.app for b in kinds.books()} >= {
        "calls",
        "review",
        "followup",
        "labs",
        "citizens",
        "events",
        "insight",
        "ledger",
    }


def test_it_keeps_the_ledger_free_of_domain_apps():
    ledger_dir = Path(__file__).resolve().parents[1]
    domain = ("calls", "review", "followup", "labs", "citizens", "events", "insight")
    offenders = []
    for path in ledger_dir.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for line in path.read_text("utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import madang.", "from madang.")) and any(
                f"madang.{app}" in stripped for app in domain
            ):
                offenders.append(f"{path.name}: {stripped}")
    assert offenders == []


def test_a_kind_whose_fields_would_overwrite_the_envelope_is_refused():
    """A suggestion ruling once logged its own "kind" field, which replaced the entry's kind in the
    public log ("implemented" instead of "suggestion.implementation_ruled")."""
    import pytest

    from madang.ledger.kinds import Kind, register, unregister

    with pytest.raises(ValueError, match="envelope"):
        register("test-envelope", [Kind("test.clash", "test", "a clash", {"kind": "overwrites the kind"}, {})])
    unregister("test-envelope")
