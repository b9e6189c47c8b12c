"""On the hackathon's boards 문지아 writes her mobile number and 김민지 a resident registration
number: the exposure filter screens notes, captions and the gallery's comments as it screens a
proposal, holds the resident number for the province's innovation team, and the other
participants (the facilitator 송하람 among them) see what was confirmed masked."""

import pytest
from django.test import Client

from madang.core.errors import DomainError
from madang.events import selectors, services
from madang.events.models import BoardItem, Supplement
from madang.ledger.verify import verify_all
from madang.privacy import services as privacy
from madang.privacy.models import Screening

PHONE = "010-2345-6789"
RRN = "900101-1234568"


def board_page(user, board):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(user)
    return c.get(f"/events/hackathon/boards/{board.pk}/").content.decode()


def texts(user, board):
    return [v.item.text for v in selectors.board_items(user, board)]


def test_it_refuses_a_note_with_a_phone_number_and_shows_it_masked(room):
    folk, board = room["folk"], room["harvest"]
    with pytest.raises(DomainError) as err:
        services.post_item(actor=folk.jia, board=board, text=f"문의는 제 휴대폰 {PHONE}")
    assert err.value.code == "personal_data" and "010-****-6789" in str(err.value.message)
    assert not BoardItem.objects.exists()


def test_the_others_see_a_confirmed_note_masked(room):
    folk, board = room["folk"], room["harvest"]
    services.post_item(actor=folk.jia, board=board, text=f"문의는 제 휴대폰 {PHONE}", personal_data_ok=True)
    assert texts(folk.cast.seojun, board) == ["문의는 제 휴대폰 010-****-6789"]
    assert texts(folk.haram, board) == ["문의는 제 휴대폰 010-****-6789"]  # organising is not moderating
    assert texts(folk.jia, board) == [f"문의는 제 휴대폰 {PHONE}"]
    assert texts(folk.cast.doyun, board) == [f"문의는 제 휴대폰 {PHONE}"]
    page = board_page(folk.cast.seojun, board)
    assert "010-****-6789" in page and PHONE not in page
    hits = selectors.search_boards(folk.cast.seojun, board.event, query="휴대폰")
    assert [h.text for h in hits] == ["문의는 제 휴대폰 010-****-6789"]


def test_it_holds_a_resident_number_until_the_innovation_team_releases_it(room):
    folk, board = room["folk"], room["reverse"]
    item = services.post_item(
        actor=folk.cast.minji, board=board, text=f"주민번호 {RRN}을 서류마다 쓰게 한다", personal_data_ok=True
    )
    row = Screening.objects.get(place="events.note", object_id=item.pk)
    assert row.is_held
    assert texts(folk.cast.seojun, board) == [] and texts(folk.haram, board) == []
    assert selectors.search_boards(folk.cast.seojun, board.event, query="서류") == []
    assert RRN not in board_page(folk.jia, board)
    assert texts(folk.cast.minji, board) == [item.text]

    c = Client()
    c.force_login(folk.cast.doyun)
    assert RRN in c.get("/privacy/held/").content.decode()
    assert c.post(f"/privacy/held/{row.pk}/release/").status_code == 302
    assert texts(folk.cast.seojun, board) == ["주민번호 900101-1******을 서류마다 쓰게 한다"]
    assert verify_all() == []


def test_the_api_takes_the_confirmation_and_leaves_out_a_held_note(room):
    folk, board = room["folk"], room["reverse"]
    c = Client()
    c.force_login(folk.cast.minji)
    url = f"/api/events/hackathon/boards/{board.pk}/items"
    r = c.post(url, {"text": f"주민번호 {RRN} 요구"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "personal_data" and RRN not in r.content.decode()
    assert c.post(f"{url}?personal_data_ok=true", {"text": f"주민번호 {RRN} 요구"}, content_type="application/json")
    other = Client()
    other.force_login(folk.jia)
    assert other.get(f"/api/events/hackathon/boards/{board.pk}").json()["items"] == []


def test_the_board_page_returns_a_refused_note_with_the_confirmation_box(room):
    folk, board = room["folk"], room["harvest"]
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(folk.jia)
    url = f"/events/hackathon/boards/{board.pk}/"
    action = f"/events/hackathon/boards/{board.pk}/do/item/"
    r = c.post(action, {"text": f"제 휴대폰 {PHONE}"}, HTTP_REFERER=f"http://testserver{url}")
    assert r.status_code == 303 and r["Location"] == url
    form = c.get(url).content.decode().split(f'action="{action}"')[1].split("</form>")[0]
    assert 'data-retry-reveal="personal_data"' in form and "hidden data-retry" not in form
    r = c.post(action, {"text": f"제 휴대폰 {PHONE}", "personal_data_ok": "1"})
    assert r.status_code == 302 and BoardItem.objects.filter(author=folk.jia).exists()


def test_the_gallery_masks_a_confirmed_comment(room):
    folk, board = room["folk"], room["reverse"]
    services.add_supplement(actor=folk.min, board=board, body=f"담당 {PHONE}로 연락", personal_data_ok=True)
    [(shown, _by)] = selectors.board_supplements(folk.cast.seojun, board)
    assert shown.body == "담당 010-****-6789로 연락"
    assert Supplement.objects.get().body == f"담당 {PHONE}로 연락"  # masked for readers, not in the database


def test_a_moderator_masks_or_deletes_a_held_note(room):
    folk, board = room["folk"], room["harvest"]
    masked = services.post_item(actor=folk.jia, board=board, text=f"주민번호 {RRN}", personal_data_ok=True)
    deleted = services.post_item(actor=folk.min, board=board, text=f"제 번호 {RRN}", personal_data_ok=True)
    privacy.decide_exposure(
        actor=folk.cast.doyun, screening=Screening.objects.get(object_id=masked.pk), decision="mask"
    )
    privacy.decide_exposure(
        actor=folk.cast.admin, screening=Screening.objects.get(object_id=deleted.pk), decision="delete"
    )
    masked.refresh_from_db()
    assert masked.text == "주민번호 900101-1******"
    assert not BoardItem.objects.filter(pk=deleted.pk).exists()
    assert texts(folk.cast.seojun, board) == ["주민번호 900101-1******"]
    assert verify_all() == []
