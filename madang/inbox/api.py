"""Your notifications, each told in the language of the request."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from madang.inbox import services
from madang.inbox.models import Notification
from madang.people.api_auth import ERRORS, Id, Input, Pages, api_user

router = Router(tags=["inbox"])

MAX_MARK = 500


class NotificationOut(Schema):
    id: int
    kind: str
    proposal_id: int | None
    text: str
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return services.describe(obj)

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only notifications not yet read")


class MarkReadIn(Input):
    ids: list[Id] | None = Field(None, max_length=MAX_MARK, description="Omit to mark everything read.")


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(Pages)
def notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> Any:
    qs = Notification.objects.filter(user=api_user(request)).select_related("proposal")
    return qs.filter(read_at__isnull=True) if filters.unread else qs


@router.post("/notifications/read", response={200: MarkedOut, **ERRORS})
def mark_read(request: HttpRequest, payload: MarkReadIn) -> MarkedOut:
    return MarkedOut(marked=services.mark_read(actor=api_user(request), ids=payload.ids))
