"""Method boards: graphic jam photos, reverse brainstorming, harvest notes, dot voting, the
day-two gallery, and anonymous posting that organisers still see through."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from madang.core.errors import DomainError, Forbidden
from madang.events import selectors, services
from madang.events.models import BoardKind, ItemKind, SessionKind

from .conftest import client, session


def png(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "#0b5cad").save(buf, "PNG")
    return buf.getvalue()


def test_it_lets_only_organisers_create_boards(folk, event, room):
    s = session(event, SessionKind.GROUPS)
    with pytest.raises(Forbidden):
        services.create_board(actor=folk.cast.minji, session=s, kind=BoardKind.DOTS, title="x")
    with pytest.raises(DomainError):
        services.create_board(
            actor=folk.haram, session=s, kind=BoardKind.DOTS, title="x", round_no=1
        )  # rounds are for harvests
    with pytest.raises(DomainError):
        services.create_board(actor=folk.haram, session=s, kind="mural", title="x")
    r = client(folk.haram).post(
        "/events/hackathon/do/board/",
        {"session": s.pk, "kind": "harvest", "title": "수확", "round_no": 1, "dots_per_person": 3},
    )
    assert r.status_code == 302 and event.boards.filter(title="수확", round_no=1).exists()


def test_it_turns_each_way_of_making_it_worse_into_a_linked_fix(room):
    folk, board = room["folk"], room["reverse"]
    worse = services.post_item(actor=folk.cast.minji, board=board, text="서류를 세 번 떼게 한다")
    assert worse.kind == ItemKind.WORSE
    fix = services.post_item(actor=folk.jia, board=board, text="행정정보 공동이용으로 한 번에", turns=worse)
    assert fix.kind == ItemKind.FIX and fix.turns == worse
    with pytest.raises(DomainError):
        services.post_item(actor=folk.jia, board=board, text="고침의 고침", turns=fix)
    [row] = selectors.board_items(folk.cast.seojun, board)
    assert row.item == worse and [f.item for f in row.fixes] == [fix]
    page = client(folk.cast.seojun).get(f"/events/hackathon/boards/{board.pk}/").content.decode()
    assert "서류를 세 번 떼게 한다" in page and "행정정보 공동이용으로 한 번에" in page


def test_it_keeps_fixes_on_reverse_boards_and_photos_on_jams(room):
    folk = room["folk"]
    note = services.post_item(actor=folk.cast.minji, board=room["harvest"], text="2라운드: 현장 목소리")
    with pytest.raises(DomainError):
        services.post_item(actor=folk.cast.minji, board=room["harvest"], text="x", turns=note)
    with pytest.raises(DomainError):
        services.post_item(actor=folk.cast.minji, board=room["jam"], text="그림 없이")


def test_it_hides_an_anonymous_author_from_participants_but_not_from_organisers(room):
    folk, board = room["folk"], room["harvest"]
    services.post_item(actor=folk.cast.minji, board=board, text="솔직히 말하면 결재가 너무 많다", anonymous=True)
    url = f"/events/hackathon/boards/{board.pk}/"
    assert "김민지" not in client(folk.cast.seojun).get(url).content.decode()
    organiser = client(folk.haram).get(url).content.decode()
    assert "김민지" in organiser
    assert "김민지" in client(folk.cast.minji).get(url).content.decode()  # the author sees their own
    api = client(folk.cast.seojun).get(f"/api/events/hackathon/boards/{board.pk}").json()
    assert api["items"][0]["author"] is None and "김민지" not in str(api)
    assert client(folk.haram).get(f"/api/events/hackathon/boards/{board.pk}").json()["items"][0]["author"] == "김민지"


def test_it_lets_each_participant_place_and_move_only_their_dots(room):
    folk, board = room["folk"], room["dots"]
    a = services.post_item(actor=folk.cast.minji, board=board, text="주차장 공유")
    b = services.post_item(actor=folk.jia, board=board, text="쉬운 공문서")
    assert services.place_dot(actor=folk.cast.seojun, item=a) == 1
    assert services.place_dot(actor=folk.cast.seojun, item=a) == 0
    with pytest.raises(DomainError) as e:
        services.place_dot(actor=folk.cast.seojun, item=b)
    assert e.value.code == "no_dots_left"
    assert services.move_dot(actor=folk.cast.seojun, from_item=a, to_item=b) == 0
    with pytest.raises(DomainError):
        services.remove_dot(actor=folk.jia, item=a)  # 문지아 has no dot there
    totals = {v.item.pk: v.dots for v in selectors.board_items(folk.jia, board)}
    assert totals == {a.pk: 1, b.pk: 1}
    r = client(folk.jia).post(f"/events/hackathon/boards/{board.pk}/do/dot/", {"item": a.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'id="board-live"' in r.content.decode() and "● 2" in r.content.decode()


def test_it_keeps_outsiders_and_waiting_people_off_the_boards(room):
    folk, board = room["folk"], room["harvest"]
    with pytest.raises(Forbidden):
        services.post_item(actor=folk.cast.bada, board=board, text="외부인")
    assert client(folk.cast.bada).get(f"/events/hackathon/boards/{board.pk}/").status_code == 404
    assert client(folk.cast.bada).get(f"/api/events/hackathon/boards/{board.pk}").status_code == 404
    r = client(folk.cast.bada).post(f"/events/hackathon/boards/{board.pk}/do/item/", {"text": "x"})
    assert r.status_code == 404


def test_it_stops_posts_on_a_closed_board(room):
    folk, board = room["folk"], room["harvest"]
    services.close_board(actor=folk.haram, board=board)
    with pytest.raises(Forbidden):
        services.post_item(actor=folk.cast.minji, board=board, text="늦은 메모")


def test_it_accepts_a_real_photo_with_a_caption_and_refuses_fakes(room, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folk, board = room["folk"], room["jam"]
    item = services.add_photo(
        actor=folk.jia, board=board, upload=SimpleUploadedFile("jam.png", png()), caption="3조 그림"
    )
    assert item.kind == ItemKind.PHOTO and item.content_type == "image/png"
    r = client(folk.cast.minji).get(f"/events/hackathon/boards/{board.pk}/photo/{item.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert client(folk.cast.bada).get(f"/events/hackathon/boards/{board.pk}/photo/{item.pk}/").status_code == 404
    for upload in (
        SimpleUploadedFile("fake.png", b"not an image at all"),
        SimpleUploadedFile("x.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("cut.png", png()[:60]),
    ):
        with pytest.raises(DomainError):
            services.add_photo(actor=folk.jia, board=board, upload=upload, caption="가짜")
    big = SimpleUploadedFile("big.png", png())
    big.size = services.MAX_PHOTO_BYTES + 1
    with pytest.raises(DomainError) as e:
        services.add_photo(actor=folk.jia, board=board, upload=big, caption="큰 사진")
    assert e.value.code == "too_large"
    with pytest.raises(DomainError):
        services.add_photo(actor=folk.jia, board=board, upload=SimpleUploadedFile("jam.png", png()), caption="")
    r = client(folk.jia).post(
        f"/events/hackathon/boards/{board.pk}/do/photo/",
        {"caption": "페이지로", "file": SimpleUploadedFile("p.png", png())},
    )
    assert r.status_code == 302 and board.items.filter(text="페이지로").exists()


def test_it_lets_other_groups_supplement_a_board_in_the_gallery(room):
    folk, board = room["folk"], room["reverse"]
    services.add_supplement(actor=folk.min, board=board, body="국토부 사례도 참고하세요", anonymous=True)
    page = client(folk.cast.minji).get(f"/events/hackathon/boards/{board.pk}/").content.decode()
    assert "국토부 사례도 참고하세요" in page and "남궁민" not in page
    assert "남궁민" in client(folk.haram).get(f"/events/hackathon/boards/{board.pk}/").content.decode()
    gallery = client(folk.cast.minji).get("/events/hackathon/boards/").content.decode()
    assert "reverse 보드" in gallery
    with pytest.raises(Forbidden):
        services.add_supplement(actor=folk.cast.bada, board=board, body="외부인")


def test_it_removes_only_ones_own_items_unless_organiser(room):
    folk, board = room["folk"], room["harvest"]
    item = services.post_item(actor=folk.cast.minji, board=board, text="지울 메모")
    with pytest.raises(Forbidden):
        services.remove_item(actor=folk.jia, item=item)
    services.remove_item(actor=folk.haram, item=item)
    assert selectors.board_items(folk.cast.minji, board) == []
