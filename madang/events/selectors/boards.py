"""Method boards: their items as a viewer may see them, dots, bylines, and the search over every
board of an event."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum
from django.utils.translation import gettext as _

from madang.core import fulltext, params
from madang.core.errors import NotFound
from madang.events import rules
from madang.events.models import Board, BoardItem, Dot, Event, ItemKind, Supplement
from madang.events.screening import NOTE, SUPPLEMENT
from madang.people.models import User
from madang.privacy import selectors as screening
from madang.solvers import korean


def access_board(user: Any, event: Event, board_id: str | int) -> Board:
    board = (
        Board.objects.select_related("event", "session", "table")
        .filter(event=event, pk=params.id_or_zero(board_id))
        .first()
    )
    if board is None or not rules.can_see_plans(user, event):
        raise NotFound()
    return board


def access_item(board: Board, item_id: str | int) -> BoardItem:
    item = board.items.select_related("board__event").filter(pk=params.id_or_zero(item_id), removed_at=None).first()
    if item is None:
        raise NotFound()
    return item


def dots_left(board: Board, user: User | AnonymousUser) -> int:
    if not isinstance(user, User):
        return board.dots_per_person  # a visitor has placed none
    used = Dot.objects.filter(item__board=board, user=user).aggregate(n=Sum("count"))["n"] or 0
    return max(board.dots_per_person - used, 0)


def byline(user: Any, contribution: BoardItem | Supplement, event: Event) -> str:
    """Who wrote it, as this viewer may see it: name and grade, or "a participant"."""
    if not rules.shows_author(user, contribution, event):
        return _("A participant")
    a = contribution.author
    name = a.display_name
    if a.grade:
        name = _("%(name)s (grade %(grade)d)") % {"name": name, "grade": a.grade}
    if contribution.anonymous:
        name = _("%(name)s, shown to others as a participant") % {"name": name}
    return name


def _shown[T: (BoardItem, Supplement)](user: Any, place: str, rows: list[T], field: str) -> list[T]:
    """Of these contributions, those `user` may see (a held one: its author and the moderators
    only), with text flagged by the personal-data filter masked as for `user` (in memory)."""
    seen = screening.visible_to(user, place, [r.pk for r in rows])
    kept = [r for r in rows if r.pk in seen]
    screening.mask_for_reader(user, place, kept, [field])
    return kept


def board_supplements(user: Any, board: Board) -> list[tuple[Supplement, str]]:
    """The gallery's comments on this board as `user` sees them, each with its byline."""
    rows = _shown(user, SUPPLEMENT, list(board.supplements.select_related("author")), "body")
    return [(s, byline(user, s, board.event)) for s in rows]


def can_see_item(user: Any, item: BoardItem) -> bool:
    return item.pk in screening.visible_to(user, NOTE, [item.pk])


@dataclass
class ItemView:
    item: BoardItem
    by: str
    dots: int = 0
    mine: int = 0
    fixes: list["ItemView"] = field(default_factory=list)


def board_items(user: Any, board: Board) -> list[ItemView]:
    """The board's live items for this viewer; on a reverse board, each way of making it worse
    with its fixes beneath it."""
    items = _shown(user, NOTE, list(board.items.filter(removed_at=None).select_related("author")), "text")
    totals = dict(board.items.filter(removed_at=None).annotate(n=Sum("dots__count")).values_list("pk", "n"))
    mine: dict[int, int] = {}
    if isinstance(user, User):  # a visitor has placed no dots
        mine = dict(board.items.filter(dots__user=user).values_list("pk", "dots__count"))
    views = {i.pk: ItemView(i, byline(user, i, board.event), totals.get(i.pk) or 0, mine.get(i.pk) or 0) for i in items}
    top = []
    for i in items:
        if i.turns_id and i.turns_id in views:
            views[i.turns_id].fixes.append(views[i.pk])
        elif not i.turns_id:
            top.append(views[i.pk])
    return top


@dataclass
class BoardHit:
    """One contribution or gallery comment that matched a board search, as this viewer may see it."""

    kind: str  # an ItemKind value, or "supplement"
    kind_label: str
    board: Board
    text: str
    by: str
    at: datetime
    anchor: str  # the fragment of the board page where it stands
    author: str | None  # None where the author posted anonymously and this viewer may not know
    score: float = 0.0


def _author(user: Any, contribution: BoardItem | Supplement, event: Event) -> str | None:
    return str(contribution.author.display_name) if rules.shows_author(user, contribution, event) else None


BOARD_SEARCH_LIMIT = 1000  # newest matches of each kind; a two-day event's boards hold far fewer


def search_boards(
    user: Any, event: Event, *, query: str = "", kind: str = "", session: int | None = None, order: str = "recent"
) -> list[BoardHit]:
    """The event's board contributions and gallery comments matching `query`, newest first or
    best match first (the query terms' weight in each text, the same scale for both kinds).

    For participants and organisers (who see the boards); anyone else gets NotFound. Removed
    contributions are left out; an anonymous one shows its author only to whom `byline` allows.
    """
    if not rules.can_see_plans(user, event):
        raise NotFound()
    terms = korean.search_terms(query)[:12]
    items = BoardItem.objects.filter(board__event=event, removed_at=None)
    supplements = Supplement.objects.filter(board__event=event)
    if session:
        items, supplements = items.filter(board__session_id=session), supplements.filter(board__session_id=session)
    if kind in ItemKind.values:
        items, supplements = items.filter(kind=kind), supplements.none()
    elif kind == "supplement":
        items = items.none()
    labels = dict(ItemKind.choices)
    sources = [  # (rows, their text, their place for the filter, (kind, its label, its anchor on the board page))
        (items, "text", NOTE, lambda r: (r.kind, str(labels.get(r.kind, r.kind)), f"item-{r.pk}")),
        (
            supplements,
            "body",
            SUPPLEMENT,
            lambda r: ("supplement", _("Comment from another group"), f"supplement-{r.pk}"),
        ),
    ]
    hits: list[tuple[BoardHit, str]] = []
    for rows, text_field, place, describe in sources:
        found = fulltext.matching(rows, terms).select_related("board__session", "board__table", "author")
        newest = list(found.order_by(*fulltext.newest(rows.model))[:BOARD_SEARCH_LIMIT])
        for row in _shown(user, place, newest, text_field):
            kind, label, anchor = describe(row)
            hit = BoardHit(
                kind,
                label,
                row.board,
                getattr(row, text_field),
                byline(user, row, event),
                row.created_at,
                anchor,
                _author(user, row, event),
            )
            hits.append((hit, row.search_terms))
    if terms and order == "relevance":
        scored = {
            m.key: m.score
            for m in korean.score_term_sets(
                set(terms), [(n, terms_.split()) for n, (_hit, terms_) in enumerate(hits)], min_score=0.0
            )
        }
        for n, (hit, _terms) in enumerate(hits):
            hit.score = scored.get(n, 0.0)
        return [hit for hit, _t in sorted(hits, key=lambda h: (-h[0].score, -h[0].at.timestamp()))]
    return [hit for hit, _t in sorted(hits, key=lambda h: h[0].at, reverse=True)]
