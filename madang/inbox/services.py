"""Notifications: inbox rows written in the caller's transaction, e-mail after commit.

Who hears about a proposal: its authors and its supporters (the people who asked to
follow it by supporting). Each user may mute kinds and choose immediate e-mail, a daily
digest, or the inbox only.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from madang.core.errors import DomainError
from madang.inbox import registry
from madang.inbox.models import Notification, NotificationKind
from madang.people.models import EmailMode, User
from madang.privacy import exposure


def notify(
    *,
    users: Iterable[User],
    kind: str,
    proposal: Any = None,
    params: dict[str, Any] | None = None,
    actor: User | None = None,
) -> list[Notification]:
    recipients = {u.pk: u for u in users if u is not None and u.is_active and (actor is None or u.pk != actor.pk)}
    rows = [
        Notification(user=u, kind=kind, proposal=proposal, params=params or {})
        for u in recipients.values()
        if kind not in (u.muted_kinds or [])
    ]
    Notification.objects.bulk_create(rows)
    immediate = [n.pk for n in rows if n.user.email and n.user.email_mode == EmailMode.IMMEDIATE]
    if immediate:
        transaction.on_commit(lambda: send_immediate(immediate))
    return rows


def followers(proposal: Any) -> list[User]:
    ids = set(proposal.author_ids())
    ids.update(proposal.supports.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True))


def notify_followers(
    *, proposal: Any, kind: str, actor: User | None = None, params: dict[str, Any] | None = None
) -> None:
    notify(users=followers(proposal), kind=kind, proposal=proposal, params=params, actor=actor)


def describe(notification: Notification) -> str:
    """The notification as one sentence in the active language (the sending app's text, see registry.py)."""
    p = notification.proposal
    title = p.title if p is not None else ""
    params = notification.params
    detail = params.get("detail") or params.get("reason") or ""
    text = registry.text_for(notification.kind)
    if text is None:
        return exposure.shown(title)
    # Labels are stored as kinds and translated here, for the reader's language, not the actor's.
    if text.detail is not None:
        detail = text.detail(params) or detail
    # What the exposure filter finds (a title, a decision's title in the detail) is masked for every
    # reader, the author too: a notification goes out by e-mail (madang/privacy/exposure.py).
    return exposure.shown(str(text.sentence) % {"title": title, "detail": detail})


def _mail_for(user: User, notes: list[Notification], subject: str) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            "inbox/email.txt",
            {"user": user, "lines": [describe(n) for n in notes], "notes": notes, "SITE_URL": settings.SITE_URL},
        )
        return EmailMessage(subject=str(subject), body=body, to=[user.email])


def send_immediate(ids: list[int]) -> int:
    notes = list(Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user", "proposal"))
    messages = []
    for n in notes:
        with translation.override(n.user.language or settings.LANGUAGE_CODE):
            subject = "[Madang] " + describe(n)[:120]
        messages.append(_mail_for(n.user, [n], subject))
    if messages:
        mailers.default.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
    return len(messages)


def send_daily_digests(*, now: datetime | None = None) -> int:
    """One e-mail per daily-digest user with everything new since their last digest."""
    now = now or timezone.now()
    since = now - timedelta(days=2)
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__gte=since, created_at__lte=now, user__email_mode=EmailMode.DAILY
        )
        .exclude(user__email="")
        .select_related("user", "proposal")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for n in pending:
        by_user.setdefault(n.user_id, []).append(n)
    messages = []
    for notes in by_user.values():
        user = notes[0].user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("[Madang] Your daily digest: %(n)d updates") % {"n": len(notes)}
        messages.append(_mail_for(user, notes, subject))
    if messages:
        mailers.default.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(emailed_at=now)
    return len(messages)


def set_preferences(*, actor: User, email_mode: str, muted_kinds: Iterable[str]) -> User:
    """How this person gets notifications (at once, daily, not by e-mail) and which kinds they mute."""
    muted = set(muted_kinds)
    unknown = muted - set(NotificationKind.values)
    if email_mode not in EmailMode.values or unknown:
        raise DomainError(_("Please choose from the listed options."), code="invalid")
    actor.email_mode = email_mode
    actor.muted_kinds = sorted(muted)
    actor.save(update_fields=["email_mode", "muted_kinds"])
    return actor


def mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
