"""The first-to-file check over JSON, at /api/priority/…: the same rules and selectors as the pages.

A match is the office's: the list holds the matches of the offices you work in (empty for anyone
else, as the page's list), and one match answers 404 to whoever may not see it on the suggestion's
page. The peers are listed to whoever may open /priority/ (a site administrator, or someone who
works in a suggestion office). A ruling is one service call, refused as on the page.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from madang.core.errors import NotFound
from madang.people.api_auth import ERRORS, Id, Input, api_user
from madang.priority import rules, selectors, services
from madang.priority.models import Match, Verdict
from madang.suggestions import selectors as suggestion_selectors

router = Router(tags=["priority"])
MAX_TEXT = 4000


class PriorityRulingOut(Schema):
    verdict: Verdict
    note: str
    ruled_on: date
    ruled_by: str


class PriorityMatchOut(Schema):
    id: int
    suggestion_id: int
    number: str = Field(..., description="our receipt number")
    title: str
    received_on: date = Field(..., description="our day of receipt")
    first_filed_on: date | None = Field(..., description="ours is a refined idea: the day it was first filed")
    peer: str = Field(..., description="the agency, as our site administrator named it")
    peer_origin: str = Field(..., description="its ledger's name")
    their_number: str
    their_index: int = Field(..., description="the index of their receipt entry in their ledger")
    their_received_on: date
    their_first_filed_on: date | None = Field(
        ..., description="theirs is a refined idea: the day it was first filed, proven by that filing's receipt"
    )
    similarity: float = Field(..., description="the estimated Jaccard similarity of the two texts' terms")
    order: str = Field(..., description="theirs, ours or tie: which was filed first (first filings count)")
    verified: bool | None = Field(..., description="their receipts still verify with their key (one match only)")
    found_at: datetime
    receipt_url: str
    first_receipt_url: str | None
    ruling: PriorityRulingOut | None


class PriorityMatchesQuery(Schema):
    open: bool = Field(False, description="only the matches waiting for a ruling")
    suggestion_id: Id | None = Field(None, description="only the matches of this suggestion")


class PriorityRulingIn(Input):
    verdict: Verdict
    note: str = Field(..., min_length=1, max_length=MAX_TEXT)


class PriorityPeerOut(Schema):
    name: str
    origin: str
    active: bool
    last_import_at: datetime | None
    last_error: str


def _match(m: Match, *, verified: bool | None = None) -> PriorityMatchOut:
    s, f = m.suggestion, m.filing
    ruling = getattr(m, "ruling", None)
    return PriorityMatchOut(
        id=m.pk,
        suggestion_id=s.pk,
        number=s.receipt_number,
        title=s.proposal.shown_title,
        received_on=s.received_on,
        first_filed_on=s.first_filed_on,
        peer=f.peer.name,
        peer_origin=f.peer.origin,
        their_number=f.number,
        their_index=f.log_index,
        their_received_on=f.received_on,
        their_first_filed_on=f.first_filed_on,
        similarity=m.similarity,
        order=m.order,
        verified=verified,
        found_at=m.found_at,
        receipt_url=reverse("priority:receipt", args=[f.pk]),
        first_receipt_url=reverse("priority:first_receipt", args=[f.pk]) if f.first_index is not None else None,
        ruling=PriorityRulingOut(
            verdict=Verdict(ruling.verdict),
            note=ruling.note,
            ruled_on=ruling.ruled_on,
            ruled_by=ruling.ruled_by.display_name,
        )
        if ruling is not None
        else None,
    )


@router.get("/priority/matches", response={200: list[PriorityMatchOut], **ERRORS})
def matches(request: HttpRequest, query: Query[PriorityMatchesQuery]) -> list[PriorityMatchOut]:
    """The matches of the offices you work in between our suggestions and peer agencies' filings, the
    suggestions received first first (`open`: those waiting for a ruling, as on /priority/)."""
    user = api_user(request)
    found = selectors.office_matches(user, open_only=query.open, suggestion_id=query.suggestion_id)
    return [_match(m) for m in found]


@router.get("/priority/matches/{match_id}", response={200: PriorityMatchOut, **ERRORS})
def match(request: HttpRequest, match_id: Id) -> PriorityMatchOut:
    """One match, as its suggestion's page shows it to the office: its receipts checked again now."""
    user = api_user(request)
    m = selectors.access_match(user, match_id)
    shown = next((x for x in selectors.matches_of(user, m.suggestion) if x.match.pk == m.pk), None)
    if shown is None:
        raise NotFound()
    return _match(shown.match, verified=shown.verified)


@router.post("/priority/matches/{match_id}/ruling", response={201: PriorityMatchOut, **ERRORS})
def rule(request: HttpRequest, match_id: Id, payload: PriorityRulingIn) -> Status[PriorityMatchOut]:
    """The office's ruling on a match (the same idea, filed there first or here first, or not the same
    idea), with reasons; written to our ledger. The receipts' order bounds what may be ruled."""
    user = api_user(request)
    m = selectors.access_match(user, match_id)
    services.rule(actor=user, match=m, verdict=payload.verdict.value, note=payload.note)
    return Status(201, match(request, match_id))


@router.get("/priority/peers", response={200: list[PriorityPeerOut], **ERRORS})
def peers(request: HttpRequest) -> list[Any]:
    """The agencies we check against, with their last import and problem (as on /priority/)."""
    user = api_user(request)
    if not rules.can_manage_peers(user) and not suggestion_selectors.offices_for(user):
        raise NotFound()
    return [
        PriorityPeerOut(
            name=p.name, origin=p.origin, active=p.active, last_import_at=p.last_import_at, last_error=p.last_error
        )
        for p in selectors.peers()
    ]
