"""Bad input on pages gets a clear 4xx in the user's language, writes nothing, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madang.calls.models import PhaseKind, Proposal
from madang.testing import set_phase


@pytest.fixture
def minji(cast):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.minji)
    return c


def test_it_refuses_an_overlong_title_and_keeps_what_was_typed(cast, minji):
    before = Proposal.objects.count()
    r = minji.post(f"/calls/c/{cast.call.slug}/propose/", {"title": "가" * 201, "problem": "문제 설명", "submit": "1"})
    assert r.status_code == 400
    assert Proposal.objects.count() == before
    assert "문제 설명" in r.content.decode()


def test_it_refuses_unknown_ids_with_404(cast, minji):
    assert minji.get("/calls/p/999999/").status_code == 404
    assert minji.post("/calls/p/999999/support/").status_code == 404
    assert minji.get("/calls/c/no-such-call/").status_code == 404
    assert minji.get("/followup/r/424242/").status_code == 404


def test_it_refuses_a_late_edit_in_korean(cast, minji):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    r = minji.post(f"/calls/p/{p.pk}/edit/", {"title": "늦은 수정"})
    assert r.status_code == 403
    p.refresh_from_db()
    assert p.title != "늦은 수정"


def test_it_refuses_a_late_edit_in_english(cast):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(cast.minji)
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    r = c.post(f"/calls/p/{p.pk}/edit/", {"title": "late"})
    assert r.status_code == 403
    assert "can no longer be edited" in r.content.decode()


def test_it_refuses_a_double_submission(cast, minji):
    p = cast.proposal()
    r = minji.post(f"/calls/p/{p.pk}/submit/")
    assert r.status_code == 400
    p.refresh_from_db()
    assert p.number == 1


def test_it_refuses_a_fake_image(cast, minji):
    p = cast.proposal(submit=False)
    fake = SimpleUploadedFile("photo.png", b"this is not a png", content_type="image/png")
    r = minji.post(f"/calls/p/{p.pk}/attachments/", {"file": fake})
    assert r.status_code == 400
    assert p.attachments.count() == 0


def test_it_accepts_a_real_image(cast, minji):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    p = cast.proposal(submit=False)
    r = minji.post(
        f"/calls/p/{p.pk}/attachments/",
        {"file": SimpleUploadedFile("그림.png", buf.getvalue(), content_type="image/png")},
    )
    assert r.status_code == 302
    assert p.attachments.get().original_name == "그림.png"


def test_it_refuses_an_empty_or_overlong_comment(cast, minji):
    p = cast.proposal(author=cast.seojun)
    assert minji.post(f"/calls/p/{p.pk}/comment/", {"body": ""}).status_code == 400
    assert minji.post(f"/calls/p/{p.pk}/comment/", {"body": "가" * 4001}).status_code == 400
    p.refresh_from_db()
    assert p.comment_count == 0


def test_it_survives_garbage_search_parameters(cast, minji):
    r = minji.get(
        f"/calls/c/{cast.call.slug}/", {"page": "-5", "category": "abc", "order": "DROP TABLE", "q": "%' OR 1=1 --"}
    )
    assert r.status_code == 200


def test_it_throttles_repeated_failed_logins(cast):
    c = Client()
    for _ in range(3):  # MADANG_LOGIN_FREE_FAILURES, then a delay (madang/people/throttle.py)
        assert c.post("/people/login/", {"username": "minji", "password": "wrong"}).status_code == 400
    r = c.post("/people/login/", {"username": "minji", "password": "madang-test-pass-2026"})
    assert r.status_code == 429
    assert "_auth_user_id" not in c.session
