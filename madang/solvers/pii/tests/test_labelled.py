"""The labelled Korean set: its shape, and the issue's targets measured on it."""

import sys
from collections import Counter

from madang.solvers.pii import labelled, scan, scan_each


def test_the_jsonl_is_built_from_the_source_and_large_enough():
    built = labelled.build()
    assert labelled.dumps(built) == labelled.PATH.read_text(encoding="utf-8"), (
        "data/labelled.jsonl is stale: rebuild it with "
        "`python -c 'from madang.solvers.pii import labelled as l; l.PATH.write_text(l.dumps(l.build()), "
        'encoding="utf-8")\'`'
    )
    data = labelled.load()
    assert len(data) >= 400 and len({e.text for e in data}) == len(data)
    near = Counter(e.near for e in data if e.near)
    assert sum(near.values()) >= 150 and min(near.values()) >= 15, near
    kinds = Counter(s.kind for e in data for s in e.spans)
    assert set(kinds) == {
        "rrn",
        "foreigner",
        "passport",
        "driver",
        "mobile",
        "landline",
        "account",
        "card",
        "email",
        "address",
    }
    assert kinds["rrn"] + kinds["foreigner"] >= 80 and kinds["mobile"] + kinds["landline"] >= 100, kinds
    for e in data:  # every span is a whole token: no letter or digit glued to either end
        for s in e.spans:
            assert e.text[s.start : s.end].strip() == e.text[s.start : s.end]


def test_it_meets_the_issue_targets_on_the_labelled_set():
    result = labelled.evaluate(labelled.load(), scan)
    report = "\n".join(
        [result.table(), *(f"missed: {m}" for m in result.misses), *(f"false alarm: {a}" for a in result.false_alarms)]
    )
    sys.stdout.write("\n" + report + "\n")  # the figures, with -s; they are in every failure too
    assert result.recall("rrn", "foreigner") >= 0.99, report
    assert result.recall("mobile", "landline") >= 0.99, report
    assert result.precision() >= 0.95, report
    # The other kinds have no target in the issue; hold them where they are so a change shows.
    assert result.recall("passport", "driver", "account", "card", "email", "address") >= 0.95, report


def test_the_reference_scan_gives_the_same_answer_on_every_sentence():
    for e in labelled.load():
        assert scan(e.text, min_confidence=0) == scan_each(e.text, min_confidence=0), e.id
