"""The public ledger's entries about collective intelligence: moderation, opinion maps, wiki surveys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.insight.models import Idea, Moderation, OpinionSnapshot, RankingSnapshot, Statement
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare


class InsightEntry(StrEnum):
    STATEMENT_ADDED = "insight.statement_added"
    STATEMENT_MODERATED = "insight.statement_moderated"
    OPINION_MAP = "insight.opinion_map"
    IDEA_MODERATED = "insight.idea_moderated"
    WIKI_RANKING = "insight.wiki_ranking"


def _check_moderated(model: Any, field: str, latest_only: bool) -> Callable[[list[Logged]], Iterator[Finding]]:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        latest: dict[Any, Logged] = {}
        for e in entries:
            latest[e.get(field)] = e
        rows = model.objects.in_bulk(list(latest))
        for pk, e in latest.items():
            row = rows.get(pk)
            if row is None or row.call_id != e.subject_id:
                yield e.gone(f"{field} {pk}")
                continue
            live = {"state": str(row.state)} if "state" in e.body else {}
            yield from compare(e, live, {"text": row.text})

    return check


def missing_statements(entries: list[Logged]) -> Iterator[Finding]:
    """A statement that is not pending was added by the team or moderated: either writes an entry."""
    logged = {e.get("statement") for e in entries}
    logged |= {ledger.body_of(x).get("statement") for x in ledger.entries_of(InsightEntry.STATEMENT_ADDED)}
    rows = Statement.objects.exclude(state=Moderation.PENDING).exclude(pk__in=logged)
    for pk, call in rows.values_list("pk", "call_id"):
        yield Finding(
            f"call:{call}", f"moderated statement {pk} has no {InsightEntry.STATEMENT_MODERATED} entry", "record"
        )


def missing_ideas(entries: list[Logged]) -> Iterator[Finding]:
    """A rejected idea was moderated (approved ones may be the team's own or seeded from proposals, with no entry)."""
    logged = {e.get("idea") for e in entries}
    for pk, call in Idea.objects.filter(state=Moderation.REJECTED).exclude(pk__in=logged).values_list("pk", "call_id"):
        yield Finding(f"call:{call}", f"rejected idea {pk} has no {InsightEntry.IDEA_MODERATED} entry", "record")


def _missing_snapshot(model: Any, kind: InsightEntry) -> Callable[[list[Logged]], Iterator[Finding]]:
    def missing(entries: list[Logged]) -> Iterator[Finding]:
        logged = {e.get("snapshot") for e in entries}
        for pk, call in model.objects.exclude(pk__in=logged).values_list("pk", "call_id"):
            yield Finding(f"call:{call}", f"snapshot {pk} has no {kind} entry", "record")

    return missing


def _check_snapshot(model: Any, counts: dict[str, str]) -> Callable[[list[Logged]], Iterator[Finding]]:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        rows = model.objects.in_bulk([e.get("snapshot") for e in entries])
        for e in entries:
            snap = rows.get(e.get("snapshot"))
            if snap is None or snap.call_id != e.subject_id:
                yield e.gone(f"snapshot {e.get('snapshot')}")
                continue
            yield from compare(e, {name: getattr(snap, attr) for name, attr in counts.items()})

    return check


KINDS = (
    Kind(
        InsightEntry.STATEMENT_ADDED,
        "insight",
        "the innovation team added an opinion-map statement (approved at once: an approved "
        "statement with neither this entry nor `insight.statement_moderated` is found by the latter's check)",
        {"statement": "the statement's id"},
        {"text": "its text"},
        check=_check_moderated(Statement, "statement", True),
        checked=("text",),
    ),
    Kind(
        InsightEntry.STATEMENT_MODERATED,
        "insight",
        "a statement was approved or rejected",
        {"statement": "the statement's id", "state": "approved or rejected"},
        {"text": "its text"},
        check=_check_moderated(Statement, "statement", True),
        missing=missing_statements,
        checked=("state", "text"),
    ),
    Kind(
        InsightEntry.OPINION_MAP,
        "insight",
        "an opinion map was computed",
        {
            "snapshot": "the snapshot",
            "participants": "participants",
            "votes": "votes",
            "statements": "statements",
            "groups": "opinion group sizes",
        },
        check=_check_snapshot(OpinionSnapshot, {"participants": "n_participants", "votes": "n_votes"}),
        missing=_missing_snapshot(OpinionSnapshot, InsightEntry.OPINION_MAP),
        checked=("participants", "votes"),
    ),
    Kind(
        InsightEntry.IDEA_MODERATED,
        "insight",
        "a wiki-survey idea was approved or rejected",
        {"idea": "the idea's id", "state": "approved or rejected"},
        {"text": "its text"},
        check=_check_moderated(Idea, "idea", True),
        missing=missing_ideas,
        checked=("state", "text"),
    ),
    Kind(
        InsightEntry.WIKI_RANKING,
        "insight",
        "a wiki-survey ranking was computed",
        {"snapshot": "the snapshot", "votes": "votes", "ideas": "ideas", "top": "[[idea, score], ...] of the top ten"},
        check=_check_snapshot(RankingSnapshot, {"votes": "n_votes"}),
        missing=_missing_snapshot(RankingSnapshot, InsightEntry.WIKI_RANKING),
        checked=("votes",),
    ),
)


LABELS = {
    InsightEntry.STATEMENT_ADDED: _("Opinion-map statement added"),
    InsightEntry.STATEMENT_MODERATED: _("Opinion-map statement moderated"),
    InsightEntry.OPINION_MAP: _("Opinion map computed"),
    InsightEntry.IDEA_MODERATED: _("Wiki-survey idea moderated"),
    InsightEntry.WIKI_RANKING: _("Wiki-survey ranking computed"),
}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("insight", KINDS, labels=LABELS)
