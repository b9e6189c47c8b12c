"""The public ledger's entries about calls and proposals: their bodies, and how verify rebuilds them."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.calls import counters
from madang.calls.models import Call, CallChange, Confidentiality, Proposal, ProposalRevision, Status, Support
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.ledger.models import Entry


class CallEntry(StrEnum):
    CALL_OPENED = "call.opened"
    CALL_EDITED = "call.edited"
    SUPPORT_TALLY = "call.support_tally"
    SUBMITTED = "proposal.submitted"
    EDITED = "proposal.edited"
    WITHDRAWN = "proposal.withdrawn"


# ---------------------------------------------------------------- bodies


def snapshot(proposal: Proposal) -> dict[str, Any]:
    """The proposal's text fields, as a revision stores them and the content digest covers them."""
    return {
        "title": proposal.title,
        "problem": proposal.problem,
        "solution": proposal.solution,
        "expected_effect": proposal.expected_effect,
        "suggested_department": proposal.suggested_department_id,
        "category": proposal.category_id,
    }


def content_digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(ledger.canonical(fields)).hexdigest()


def author_pseudonym(proposal_id: int, user_id: int | None) -> str | None:
    return ledger.pseudonym_for(CallEntry.SUBMITTED, f"proposal:{proposal_id}", user_id)


def author_opening(proposal_id: int, user_id: int) -> str:
    return ledger.opening_for(CallEntry.SUBMITTED, f"proposal:{proposal_id}", user_id)


def opened_body(call: Call) -> dict[str, Any]:
    return {"slug": call.slug, "title": call.title}


def opened_parts(call: Call) -> tuple[dict[str, Any], dict[str, str]]:
    """(fields in the clear, fields committed as salted hashes): a confidential call's address
    and title go into the public log only as commitments, opened by the salts kept here."""
    if call.confidentiality == Confidentiality.PUBLIC:
        return opened_body(call), {}
    return {}, opened_body(call)


def opened_in_public(entry: Entry) -> bool:
    """Did this call.opened entry publish the title in the clear (not as a commitment)?"""
    body = ledger.body_of(entry)
    return body.get("title") is not None and "title" not in entry.salts


def edited_call_body(change: CallChange) -> dict[str, Any]:
    """A change to a call's phase dates (the public clock of the call), with its CallChange row."""
    phases = {
        key.removeprefix("phase:"): value["to"] for key, value in change.changes.items() if key.startswith("phase:")
    }
    return {"change": change.pk, "action": change.action, "phases": phases}


def submitted_body(proposal: Proposal, revision: int) -> dict[str, Any]:
    return {
        "call": proposal.call_id,
        "number": proposal.number,
        "revision": revision,
        "content": content_digest(snapshot(proposal)),
        "author": author_pseudonym(proposal.pk, proposal.author_id),
    }


def edited_body(proposal: Proposal, revision: int) -> dict[str, Any]:
    return {"revision": revision, "content": content_digest(snapshot(proposal))}


def tally_body(rows: list[tuple[int, int]]) -> dict[str, Any]:
    return {"tally": [list(r) for r in rows]}


# ---------------------------------------------------------------- checks


def _proposals(entries: list[Logged]) -> dict[int, Proposal]:
    return Proposal.objects.in_bulk({e.subject_id for e in entries})


def check_opened(entries: list[Logged]) -> Iterator[Finding]:
    live = Call.objects.in_bulk([e.subject_id for e in entries])
    for e in entries:
        call = live.get(e.subject_id)
        if call is None:
            yield e.gone(f"call {e.subject_id}")
            continue
        if "title" in e.entry.salts or "slug" in e.entry.salts:
            yield from compare(e, {}, committed=opened_body(call))
        else:
            yield from compare(e, opened_body(call))


def check_call_edited(entries: list[Logged]) -> Iterator[Finding]:
    live = CallChange.objects.in_bulk([e.get("change") for e in entries])
    for e in entries:
        change = live.get(e.get("change"))
        if change is None or f"call:{change.call_id}" != e.entry.subject:
            yield e.gone(f"call change {e.get('change')}")
            continue
        yield from compare(e, edited_call_body(change), committed={"reason": change.reason})


def missing_call_edited(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("change") for e in entries}
    for change in CallChange.objects.exclude(pk__in=[pk for pk in logged if pk is not None]).order_by("pk"):
        if any(key.startswith("phase:") for key in change.changes):
            yield Finding(
                f"call:{change.call_id}",
                f"call change {change.pk} moved phase dates but has no {CallEntry.CALL_EDITED} entry",
                "record",
            )


def missing_opened(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    for pk in Call.objects.exclude(pk__in=logged).values_list("pk", flat=True):
        yield Finding(f"call:{pk}", f"call {pk} has no {CallEntry.CALL_OPENED} entry", "record")


def _content_entries(entries: list[Logged]) -> Iterator[Finding]:
    """The text each submission or edit committed to: that revision's text, and for the newest
    revision the live text (a change with no logged edit shows here)."""
    proposals = _proposals(entries)
    revisions = {(r.proposal_id, r.number): r for r in ProposalRevision.objects.filter(proposal_id__in=proposals)}
    newest: dict[int, int] = {}
    for pid, number in revisions:
        newest[pid] = max(newest.get(pid, 0), number)
    latest_entry: dict[int, int] = {}
    for i, e in enumerate(entries):
        latest_entry[e.subject_id] = i
    for i, e in enumerate(entries):
        proposal = proposals.get(e.subject_id)
        if proposal is None:
            yield e.gone(f"proposal {e.subject_id}")
            continue
        number = e.get("revision")
        if number is None:  # a reissued v1 entry: only the newest is compared with the live text
            if latest_entry[e.subject_id] == i:
                yield from compare(e, {"content": content_digest(snapshot(proposal))})
            continue
        revision = revisions.get((proposal.pk, number))
        if revision is None:
            yield Finding(e.where, f"revision {number} of proposal {proposal.pk} is gone from the database", "revision")
            continue
        live = snapshot(proposal) if newest.get(proposal.pk) == number else revision.fields
        yield from compare(e, {"content": content_digest(live)})


def check_submitted(entries: list[Logged]) -> Iterator[Finding]:
    proposals = _proposals(entries)
    for e in entries:
        p = proposals.get(e.subject_id)
        if p is None:
            continue  # reported once, by the content check
        yield from compare(e, {"call": p.call_id, "number": p.number, "author": author_pseudonym(p.pk, p.author_id)})
        if p.status not in (Status.SUBMITTED, Status.WITHDRAWN):
            yield Finding(e.where, f"proposal {p.pk} is '{p.status}' in the database, submitted in the log", "status")
    edits = [Logged(x, ledger.body_of(x)) for x in ledger.entries_of(CallEntry.EDITED)]
    # One pass in log order over submissions and their edits.
    both = sorted([*entries, *edits], key=lambda x: x.entry.seq)
    yield from _content_entries(both)


def missing_submitted(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    rows = Proposal.objects.filter(status__in=[Status.SUBMITTED, Status.WITHDRAWN]).exclude(pk__in=logged)
    for pk, status in rows.values_list("pk", "status"):
        yield Finding(f"proposal:{pk}", f"proposal {pk} is '{status}' but has no {CallEntry.SUBMITTED} entry", "record")


def missing_edited(entries: list[Logged]) -> Iterator[Finding]:
    """Every revision after the submitted one has its entry (an edit with no entry is found)."""
    logged = {(e.subject_id, e.get("revision")) for e in entries}
    submitted = {}
    for x in ledger.entries_of(CallEntry.SUBMITTED):
        body = ledger.body_of(x)
        if body.get("revision") is not None:
            submitted[int(x.subject.split(":", 1)[1])] = body["revision"]
    for pid, number in ProposalRevision.objects.filter(proposal_id__in=submitted).values_list("proposal_id", "number"):
        if number > submitted[pid] and (pid, number) not in logged:
            yield Finding(
                f"proposal:{pid}", f"revision {number} of proposal {pid} has no {CallEntry.EDITED} entry", "record"
            )


def check_withdrawn(entries: list[Logged]) -> Iterator[Finding]:
    proposals = _proposals(entries)
    for e in entries:
        p = proposals.get(e.subject_id)
        if p is None:
            yield e.gone(f"proposal {e.subject_id}")
        elif p.status != Status.WITHDRAWN:
            yield Finding(e.where, f"proposal {p.pk} is '{p.status}' in the database, withdrawn in the log", "status")


def missing_withdrawn(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    for pk in Proposal.objects.filter(status=Status.WITHDRAWN).exclude(pk__in=logged).values_list("pk", flat=True):
        yield Finding(f"proposal:{pk}", f"proposal {pk} is withdrawn but has no {CallEntry.WITHDRAWN} entry", "record")


def check_tally(entries: list[Logged]) -> Iterator[Finding]:
    """A snapshot commits to each proposal's count at its time. Later supports and withdrawals
    are legitimate, so the live rows are held to what cannot change: the supports created up to
    the snapshot that still exist are at most the count logged, and the proposal's stored count
    (plus pending shards) is exactly its supports (a changed count shows there)."""
    latest: dict[int, Logged] = {}
    for e in entries:
        latest[e.subject_id] = e
    by_call: dict[int, list[Logged]] = defaultdict(list)
    for e in entries:
        by_call[e.subject_id].append(e)
    for call_id, logged in by_call.items():
        numbers = dict(Proposal.objects.filter(call_id=call_id, number__isnull=False).values_list("number", "pk"))
        for e in logged:
            at = datetime.fromisoformat(e.get("at"))
            before = dict(
                Support.objects.filter(proposal__call_id=call_id, created_at__lte=at)
                .values("proposal__number")
                .annotate(n=Count("id"))
                .values_list("proposal__number", "n")
            )
            for number, count in e.get("tally", []):
                if number not in numbers:
                    yield Finding(e.where, f"proposal number {number} is gone from the database", f"tally[{number}]")
                elif before.get(number, 0) > count:
                    yield Finding(
                        e.where,
                        f"{before[number]} supports dated before the snapshot in the database, {count} in the log",
                        f"tally[{number}]",
                    )
    yield from _live_counts(latest)


def _live_counts(latest: dict[int, Logged]) -> Iterator[Finding]:
    n = (
        Support.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(c=Count("id"))
        .values("c")
    )
    rows = (
        counters.with_live(Proposal.objects.exclude(number__isnull=True))
        .annotate(rows=Coalesce(Subquery(n, output_field=IntegerField()), Value(0)))
        .values_list("pk", "call_id", "number", "live_supports", "rows")
    )
    for pk, call_id, number, live, n_rows in rows:
        if live != n_rows:
            e = latest.get(call_id)
            yield Finding(
                e.where if e else f"proposal:{pk}",
                f"proposal {pk}'s support count is {live} in the database but it has {n_rows} supports",
                f"tally[{number}]",
            )


KINDS = (
    Kind(
        CallEntry.CALL_OPENED,
        "team",
        "a call was opened",
        {"slug": "the call's address", "title": "its title"},
        commitments={"slug": "a confidential call's address, as a salted hash", "title": "its title, likewise"},
        check=check_opened,
        missing=missing_opened,
        checked=("slug", "title"),
        unique="subject",
    ),
    Kind(
        CallEntry.CALL_EDITED,
        "team",
        "a call's phase dates were changed after it opened (the reason as a commitment)",
        {
            "change": "the call change's id",
            "action": "edit, close_submission, extend_submission or move_to_review",
            "phases": "{phase kind: [start, end]} after the change",
        },
        commitments={"reason": "why it was changed"},
        check=check_call_edited,
        missing=missing_call_edited,
        checked=("change", "action", "phases"),
        unique="change",
    ),
    Kind(
        CallEntry.SUPPORT_TALLY,
        "team",
        "the support tally of every submitted proposal of the call (never who supported)",
        {"tally": "[[proposal number, supports], ...]"},
        check=check_tally,
        checked=("tally",),
    ),
    Kind(
        CallEntry.SUBMITTED,
        "author",
        "a proposal was submitted",
        {
            "call": "the call's id",
            "number": "the proposal's number in the call",
            "revision": "its revision number",
            "content": "SHA-256 of the canonical JSON of its text fields at that revision",
            "author": "the author's pseudonym in the proposal's author context",
        },
        check=check_submitted,
        missing=missing_submitted,
        checked=("call", "number", "revision", "content", "author"),
        pseudonym_fields=("author",),
        unique="subject",
    ),
    Kind(
        CallEntry.EDITED,
        "author",
        "a submitted proposal was edited",
        {"revision": "the new revision number", "content": "SHA-256 of its text fields"},
        check=None,
        missing=missing_edited,
        checked=("revision", "content"),
        unique="revision",
    ),
    Kind(
        CallEntry.WITHDRAWN,
        "author",
        "a proposal was withdrawn by its author",
        {},
        check=check_withdrawn,
        missing=missing_withdrawn,
        unique="subject",
    ),
)
# (proposal.edited entries are rebuilt together with the submissions, in check_submitted.)


LABELS = {
    CallEntry.CALL_OPENED: _("Call opened"),
    CallEntry.CALL_EDITED: _("Call dates changed"),
    CallEntry.SUPPORT_TALLY: _("Supports tallied"),
    CallEntry.SUBMITTED: _("Proposal submitted"),
    CallEntry.EDITED: _("Submitted proposal edited"),
    CallEntry.WITHDRAWN: _("Proposal withdrawn"),
}


def public_calls(ids: list[int]) -> dict[int, tuple[str, str]]:
    return {
        c.pk: (c.title, reverse("calls:detail", args=[c.slug]))
        for c in Call.objects.public().filter(pk__in=ids).only("pk", "slug", "title")
    }


def public_proposals(ids: list[int]) -> dict[int, tuple[str, str]]:
    return {
        p.pk: (p.shown_title, reverse("calls:proposal", args=[p.pk]))
        for p in Proposal.objects.public().filter(pk__in=ids).only("pk", "title")
    }


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("calls", KINDS, labels=LABELS)
    kinds.register_subject("call", _("Call"), public_calls, owner="calls")
    kinds.register_subject("proposal", _("Proposal"), public_proposals, owner="calls")
