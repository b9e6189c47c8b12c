"""Method boards (graphic jam, reverse brainstorming, harvest notes, dot voting) and the day-two
gallery's comments."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.core.uploads import check_upload
from madang.events import rules
from madang.events.models import (
    Board,
    BoardItem,
    BoardKind,
    Dot,
    Grouping,
    ItemKind,
    Session,
    Supplement,
    Table,
)
from madang.events.screening import NOTE, SUPPLEMENT
from madang.events.selectors.boards import dots_left
from madang.events.services.cafe import MAX_ROUNDS
from madang.events.services.programme import require_organiser
from madang.people.models import User
from madang.privacy import exposure
from madang.privacy import services as privacy
from madang.solvers import korean

MAX_ITEM_TEXT = 2000
MAX_CAPTION = 300
# A phone photo of a poster is a few MB; the cap keeps a table's jam wall light to load.
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_DOTS = 20


def create_board(
    *,
    actor: User,
    session: Session,
    kind: str,
    title: str,
    prompt: str = "",
    group: int | None = None,
    table: Table | None = None,
    round_no: int | None = None,
    dots_per_person: int = 3,
) -> Board:
    event = session.event
    require_organiser(actor, event)
    if kind not in BoardKind.values:
        raise DomainError(_("Choose a method."), code="bad_kind", field="kind")
    if table is not None and table.event_id != event.pk:
        raise DomainError(_("That table belongs to another event."), code="foreign", field="table")
    if group is not None:
        grouping = Grouping.objects.filter(session__event=event).exclude(groups=[]).order_by("-published_at").first()
        if group < 1 or (grouping is not None and group > len(grouping.groups)):
            raise DomainError(_("There is no such group."), code="bad_group", field="group")
    if round_no is not None and (kind != BoardKind.HARVEST or not 1 <= round_no <= MAX_ROUNDS):
        raise DomainError(_("Only harvest notes have a round, from 1 to 12."), code="bad_round", field="round_no")
    if not 1 <= dots_per_person <= MAX_DOTS:
        raise DomainError(_("Between 1 and 20 dots per person."), code="bad_dots", field="dots_per_person")
    title = clean_text(title, field="title", limit=200)
    prompt = clean_text(prompt, field="prompt", limit=MAX_ITEM_TEXT, required=False)
    return Board.objects.create(
        event=event,
        session=session,
        kind=kind,
        title=title,
        prompt=prompt,
        group=group,
        table=table,
        round_no=round_no,
        dots_per_person=dots_per_person,
        created_by=actor,
    )


def close_board(*, actor: User, board: Board) -> Board:
    require_organiser(actor, board.event)
    board.closed_at = board.closed_at or timezone.now()
    board.save(update_fields=["closed_at"])
    return board


def _require_post(actor: User, board: Board) -> None:
    if not rules.can_post_on_board(actor, board):
        raise Forbidden(_("Only participants write on an open board while the event runs."))


def _screen(text: str, field: str, confirmed: bool) -> list[exposure.Exposure]:
    """Personal data in what a participant posts (madang/privacy/exposure.py): refused with what
    was found, masked, unless they confirm it is not personal data."""
    found = exposure.in_text(field, text)
    exposure.screen(found, confirmed=confirmed, field_labels={field: _("board note")})
    return found


def post_item(
    *,
    actor: User,
    board: Board,
    text: str,
    anonymous: bool = False,
    turns: BoardItem | None = None,
    personal_data_ok: bool = False,
) -> BoardItem:
    """A note; on a reverse-brainstorming board, a way to make the problem worse, or (with
    `turns`) a fix that turns one of them around. Screened for personal data: a confirmed resident
    registration number or the like holds it from the others until a moderator decides."""
    _require_post(actor, board)
    if board.kind == BoardKind.JAM:
        raise DomainError(_("A graphic jam takes photos: upload one with a caption."), code="needs_photo")
    kind = ItemKind.NOTE
    if turns is not None:
        if (
            board.kind != BoardKind.REVERSE
            or turns.board_id != board.pk
            or turns.kind != ItemKind.WORSE
            or turns.removed_at
        ):
            raise DomainError(
                _("A fix turns around a way of making it worse on the same board."), code="bad_turns", field="turns"
            )
        kind = ItemKind.FIX
    elif board.kind == BoardKind.REVERSE:
        kind = ItemKind.WORSE
    text = clean_text(text, field="text", limit=MAX_ITEM_TEXT)
    found = _screen(text, "text", personal_data_ok)
    with transaction.atomic():
        item = BoardItem.objects.create(
            board=board,
            kind=kind,
            text=text,
            search_terms=korean.index_terms(text),
            turns=turns,
            author=actor,
            anonymous=anonymous,
        )
        privacy.note_exposure(
            actor=actor, place=NOTE, object_id=item.pk, found=found, organisation=board.event.organisation
        )
    return item


def add_photo(
    *,
    actor: User,
    board: Board,
    upload: UploadedFile | None,
    caption: str,
    anonymous: bool = False,
    personal_data_ok: bool = False,
) -> BoardItem:
    """A photo of the table's visual, checked by type, size and a full decode before it is stored;
    its caption is screened for personal data as a note is (the picture is not read: no OCR)."""
    _require_post(actor, board)
    if board.kind != BoardKind.JAM:
        raise DomainError(_("Photos go on graphic jam boards."), code="not_jam")
    caption = clean_text(caption, field="caption", limit=MAX_CAPTION)
    if upload is None or upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise DomainError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            code="too_large",
            field="file",
        )
    checked = check_upload(upload, images_only=True)
    found = _screen(caption, "text", personal_data_ok)
    with transaction.atomic():
        item = BoardItem(
            board=board,
            kind=ItemKind.PHOTO,
            text=caption,
            search_terms=korean.index_terms(caption),
            author=actor,
            anonymous=anonymous,
            extension=checked.extension,
            content_type=checked.content_type,
        )
        item.photo.save("photo", ContentFile(checked.data), save=False)
        item.save()
        privacy.note_exposure(
            actor=actor, place=NOTE, object_id=item.pk, found=found, organisation=board.event.organisation
        )
    return item


def release_held_note(*, actor: User, object_id: int) -> None:
    """A moderator releases a held note: the board shows it once its screening record is no
    longer held (privacy.services.decide_exposure, which checked the right), so nothing changes here."""


def mask_note(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found: the note keeps its mask for good."""
    item = BoardItem.objects.select_for_update().filter(pk=object_id).first()
    if item is not None:
        item.text = exposure.masked_all(item.text)
        item.search_terms = korean.index_terms(item.text)
        item.save(update_fields=["text", "search_terms"])


def delete_held_note(*, actor: User, object_id: int) -> None:
    """A moderator deletes a flagged note (with its fixes, its dots and its photo), not just removes it from view."""
    item = BoardItem.objects.filter(pk=object_id).first()
    if item is not None:
        if item.photo:
            item.photo.delete(save=False)
        item.delete()


def remove_item(*, actor: User, item: BoardItem) -> BoardItem:
    if item.author_id != actor.pk and not rules.is_organiser(actor, item.board.event):
        raise Forbidden(_("Only the author or an organiser removes a contribution."))
    item.removed_at = item.removed_at or timezone.now()
    item.save(update_fields=["removed_at"])
    return item


def _dot_item(actor: User, item: BoardItem) -> Board:
    board = item.board
    _require_post(actor, board)
    if board.kind != BoardKind.DOTS:
        raise DomainError(_("Dots go on dot-voting boards."), code="not_dots")
    return board


def place_dot(*, actor: User, item: BoardItem) -> int:
    """One more dot on `item`; returns the dots the actor has left."""
    board = _dot_item(actor, item)
    if item.removed_at:
        raise DomainError(_("This item was removed."), code="removed")
    with transaction.atomic():
        Board.objects.select_for_update(of=("self",)).filter(pk=board.pk).first()  # one count-and-place at a time
        if dots_left(board, actor) < 1:
            raise DomainError(_("You have placed all your dots: move one instead."), code="no_dots_left")
        row = Dot.objects.filter(item=item, user=actor).first()
        if row is None:
            Dot.objects.create(item=item, user=actor, count=1)
        else:
            Dot.objects.filter(pk=row.pk).update(count=row.count + 1)
        return dots_left(board, actor)


def remove_dot(*, actor: User, item: BoardItem) -> int:
    board = _dot_item(actor, item)
    with transaction.atomic():
        row = Dot.objects.select_for_update(of=("self",)).filter(item=item, user=actor).first()
        if row is None:
            raise DomainError(_("You have no dot on this item."), code="no_dot")
        if row.count > 1:
            Dot.objects.filter(pk=row.pk).update(count=row.count - 1)
        else:
            row.delete()
        return dots_left(board, actor)


def move_dot(*, actor: User, from_item: BoardItem, to_item: BoardItem) -> int:
    if from_item.board_id != to_item.board_id:
        raise DomainError(_("Move dots within one board."), code="foreign")
    with transaction.atomic():
        remove_dot(actor=actor, item=from_item)
        return place_dot(actor=actor, item=to_item)


def add_supplement(
    *, actor: User, board: Board, body: str, anonymous: bool = False, personal_data_ok: bool = False
) -> Supplement:
    """Day two: others add to a group's results in the gallery (screened as a note is)."""
    if not rules.can_use_market(actor, board.event):
        raise Forbidden(_("Only participants comment in the gallery while the event runs."))
    body = clean_text(body, field="body", limit=MAX_ITEM_TEXT)
    found = _screen(body, "body", personal_data_ok)
    with transaction.atomic():
        supplement = Supplement.objects.create(
            board=board, body=body, search_terms=korean.index_terms(body), author=actor, anonymous=anonymous
        )
        privacy.note_exposure(
            actor=actor, place=SUPPLEMENT, object_id=supplement.pk, found=found, organisation=board.event.organisation
        )
    return supplement


def mask_supplement(*, actor: User, object_id: int) -> None:
    supplement = Supplement.objects.select_for_update().filter(pk=object_id).first()
    if supplement is not None:
        supplement.body = exposure.masked_all(supplement.body)
        supplement.search_terms = korean.index_terms(supplement.body)
        supplement.save(update_fields=["body", "search_terms"])


def delete_held_supplement(*, actor: User, object_id: int) -> None:
    Supplement.objects.filter(pk=object_id).delete()
