"""Personal data exposed in what participants post at an event (issue 17): notes, photo captions
and the gallery's comments on its boards (services/boards.py) and Open Space topics
(services/open_space.py) are screened when posted (madang/privacy/exposure.py). A held one is left
out of the board, its search, the marketplace, the scheduler and the API for everyone but its
author and the moderators (the innovation team and administrators over the event's organisation;
organisers as such are not moderators), and flagged text is masked for the other participants
(selectors/boards.py, selectors/open_space.py). Here: the events app's places on the moderators'
page (madang/privacy/places.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.events.models import BoardItem, Supplement, Topic
from madang.privacy import places

NOTE = "events.note"
SUPPLEMENT = "events.supplement"
TOPIC = "events.topic"


def _show_note(object_id: int) -> places.Shown | None:
    item = BoardItem.objects.filter(pk=object_id).select_related("board__event").first()
    if item is None:
        return None
    board = item.board
    url = reverse("events:board", args=[board.event.slug, board.pk]) + f"#item-{item.pk}"
    return places.Shown(f"{board.event.title} · {board.title}", url, {"text": item.text})


def _show_supplement(object_id: int) -> places.Shown | None:
    s = Supplement.objects.filter(pk=object_id).select_related("board__event").first()
    if s is None:
        return None
    board = s.board
    url = reverse("events:board", args=[board.event.slug, board.pk]) + f"#supplement-{s.pk}"
    return places.Shown(f"{board.event.title} · {board.title}", url, {"body": s.body})


def _show_topic(object_id: int) -> places.Shown | None:
    t = Topic.objects.filter(pk=object_id).select_related("event").first()
    if t is None:
        return None
    url = reverse("events:openspace", args=[t.event.slug]) + f"#topic-{t.pk}"
    return places.Shown(t.event.title, url, {"title": t.title, "description": t.description})


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    from madang.events.services import boards, open_space  # (the services import this module)

    places.register(
        "events",
        [
            places.Place(
                NOTE,
                _("Note on an event board"),
                _show_note,
                release=boards.release_held_note,
                mask=boards.mask_note,
                delete=boards.delete_held_note,
                fields={"text": _("board note")},
            ),
            places.Place(
                SUPPLEMENT,
                _("Comment in an event's gallery"),
                _show_supplement,
                release=boards.release_held_note,
                mask=boards.mask_supplement,
                delete=boards.delete_held_supplement,
                fields={"body": _("comment")},
            ),
            places.Place(
                TOPIC,
                _("Open Space topic"),
                _show_topic,
                release=open_space.release_held_topic,
                mask=open_space.mask_topic,
                delete=open_space.delete_held_topic,
                fields={"title": _("Topic"), "description": _("What you want to talk about")},
            ),
        ],
    )
