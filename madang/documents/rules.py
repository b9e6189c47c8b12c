"""Who may make and download which documents. Letters and review sheets are internal: the
event's organisers, and the call's innovation team. Open data is public (see opendata.py)."""

from typing import Any

from madang.documents import selectors
from madang.events.rules import is_organiser
from madang.labs.rules import can_manage, is_member
from madang.people.rules import is_authenticated, is_innovation_team, is_site_admin
from madang.review.rules import can_see_all_scores


def can_make_event_documents(user: Any, event: Any) -> bool:
    return is_authenticated(user) and is_organiser(user, event)


def can_make_call_documents(user: Any, call: Any) -> bool:
    return is_authenticated(user) and can_see_all_scores(user, call)


def can_make_lab_documents(user: Any, lab: Any) -> bool:
    return is_authenticated(user) and (can_manage(user, lab) or is_member(user, lab))


def can_edit_forms(user: Any) -> bool:
    return is_site_admin(user)


def can_view_batch(user: Any, batch: Any) -> bool:
    """A batch is seen by whoever may make documents of its subject, found again from the subject."""

    subject = selectors.subject_object(batch.subject)
    if subject is None:
        return False
    kind, obj = subject
    if kind == "event":
        return can_make_event_documents(user, obj)
    if kind == "call":
        return can_make_call_documents(user, obj) or is_innovation_team(user, obj)
    return False
