"""Changing a call over JSON: the same service, rules and history as the page (`calls/views_edit.py`).

The routes are added to the calls router: ninja answers one path from one router, so
`PATCH /api/calls/{slug}` must sit beside `GET /api/calls/{slug}`."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from madang.calls import rules, selectors, services
from madang.calls.api import CallOut, router
from madang.calls.models import Call, CallChange, PhaseKind
from madang.core.errors import DomainError, NotFound
from madang.people.api_auth import ERRORS, Input, api_user

MAX_CATEGORIES = 50


class PhaseIn(Input):
    kind: Literal["submission", "review", "selection", "follow_through"]
    starts_at: datetime
    ends_at: datetime


class CallPatch(Input):
    """Only the parts sent are changed; `reason` is required and kept in the call's history."""

    reason: str = Field(..., min_length=1, max_length=services.MAX_REASON)
    description: str | None = Field(None, max_length=services.MAX_RICH)
    audience: Literal["officials", "citizens", "both"] | None = None
    categories: list[str] | None = Field(None, max_length=MAX_CATEGORIES)
    phases: list[PhaseIn] | None = Field(None, max_length=4)


class CallStepIn(Input):
    action: Literal["close_submission", "extend_submission", "move_to_review"]
    reason: str = Field(..., min_length=1, max_length=services.MAX_REASON)
    until: datetime | None = Field(None, description="The new closing date (extend_submission only).")


class CallChangeOut(Schema):
    action: str
    changes: dict[str, Any]
    reason: str
    changed_by: str
    changed_at: datetime

    @staticmethod
    def resolve_changed_by(obj: CallChange) -> str:
        return str(obj.changed_by)


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _editable(user: Any, slug: str) -> Call:
    call = selectors.access_call(user, slug)
    if not rules.can_edit_call(user, call):
        raise NotFound()
    return call


@router.patch("/calls/{slug}", response={200: CallOut, **ERRORS})
def edit_call(request: HttpRequest, slug: str, payload: CallPatch) -> Call:
    user = api_user(request)
    call = _editable(user, slug)
    phases = None
    if payload.phases is not None:
        phases = [services.PhaseSpec(PhaseKind(p.kind), _aware(p.starts_at), _aware(p.ends_at)) for p in payload.phases]
    edit = services.CallEdit(
        description=payload.description, audience=payload.audience, categories=payload.categories, phases=phases
    )
    services.edit_call(actor=user, call=call, reason=payload.reason, edit=edit)
    return selectors.access_call(user, slug)


@router.post("/calls/{slug}/steps", response={200: CallOut, **ERRORS})
def call_step(request: HttpRequest, slug: str, payload: CallStepIn) -> Call:
    user = api_user(request)
    call = _editable(user, slug)
    if payload.action == "close_submission":
        services.close_submission(actor=user, call=call, reason=payload.reason)
    elif payload.action == "move_to_review":
        services.move_to_review(actor=user, call=call, reason=payload.reason)
    else:
        if payload.until is None:
            raise DomainError(_("Give the new closing date."), code="required", field="until")
        services.extend_submission(actor=user, call=call, until=_aware(payload.until), reason=payload.reason)
    return selectors.access_call(user, slug)


@router.get("/calls/{slug}/changes", response={200: list[CallChangeOut], **ERRORS})
def call_changes(request: HttpRequest, slug: str) -> list[CallChange]:
    return selectors.call_changes(selectors.access_call(api_user(request), slug))
