"""The moderators' page of held items (/privacy/held/): who may open it, whose items each sees, and
who may release, mask or delete, role by role, through the page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madang.calls import services as calls
from madang.calls.models import Comment
from madang.core.errors import DomainError
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.people import services as people
from madang.people.models import Role
from madang.privacy import services
from madang.privacy.ledger_entries import PrivacyEntry
from madang.privacy.models import AccessRecord, Screening, ScreeningState
from madang.privacy.tests.conftest import client

RRN = "900101-1234568"


@pytest.fixture
def held(cast):
    """이서준 confirmed a comment with his resident registration number on 김민지's proposal."""
    p = cast.proposal()
    comment = calls.add_comment(actor=cast.seojun, proposal=p, body=f"주민번호 {RRN}", personal_data_ok=True)
    return Screening.objects.get(place="calls.comment", object_id=comment.pk)


def test_it_shows_the_held_item_as_written_to_the_provinces_moderators(cast, held):
    for moderator in (cast.doyun, cast.admin):
        page = client(moderator).get("/privacy/held/", HTTP_ACCEPT_LANGUAGE="ko")
        assert page.status_code == 200
        text = page.content.decode()
        assert RRN in text and "주민등록번호 900101-1******" in text and "보류" in text
    looks = AccessRecord.objects.filter(kind="privacy.exposures", action="view")
    assert sorted(looks.values_list("actor_id", flat=True)) == sorted([cast.doyun.pk, cast.admin.pk])


@pytest.mark.parametrize("who", ["minji", "seojun", "jihoon", "yuna", "haneul", "sohee", "garam", "bada"])
def test_it_hides_the_page_from_everyone_else(cast, held, who):
    if who == "haneul":
        people.grant_role(actor=None, user=cast.haneul, role=Role.PRIVACY_OFFICER)  # reviews records, not posts
    assert client(getattr(cast, who)).get("/privacy/held/").status_code == 404
    assert client(getattr(cast, who)).post(f"/privacy/held/{held.pk}/release/").status_code == 404
    assert Screening.objects.get().is_held


def test_it_sends_anonymous_visitors_to_log_in(held):
    r = client().get("/privacy/held/")
    assert r.status_code == 302 and "login" in r["Location"]
    assert client().post(f"/privacy/held/{held.pk}/release/").status_code == 302
    assert Screening.objects.get().is_held


@pytest.mark.parametrize("role", [Role.INNOVATION_TEAM, Role.ADMINISTRATOR])
def test_another_provinces_moderators_see_nothing_of_it(cast, held, role):
    people.grant_role(actor=None, user=cast.bada, role=role, organisation=cast.other_province)
    page = client(cast.bada).get("/privacy/held/")
    assert page.status_code == 200 and RRN not in page.content.decode()
    assert client(cast.bada).post(f"/privacy/held/{held.pk}/delete/").status_code == 404
    assert Comment.objects.exists()


def test_an_administrator_of_the_province_moderates(cast, held):
    people.grant_role(actor=None, user=cast.sehun, role=Role.ADMINISTRATOR, organisation=cast.province)
    assert client(cast.sehun).post(f"/privacy/held/{held.pk}/release/").status_code == 302
    held.refresh_from_db()
    assert (held.state, held.decided_by) == (ScreeningState.RELEASED, cast.sehun)


def test_a_decision_goes_to_the_public_ledger_without_the_text(cast, held):
    client(cast.doyun).post(f"/privacy/held/{held.pk}/mask/")
    (entry,) = Entry.objects.filter(kind=PrivacyEntry.EXPOSURE_DECIDED)
    body = ledger.body_of(entry)
    assert (body["place"], body["decision"], body["kinds"]) == ("calls.comment", "masked", ["rrn"])
    text = json.dumps(body, ensure_ascii=False)
    assert "900101" not in text and cast.seojun.display_name not in text
    assert entry.subject == f"screening:{held.pk}"


def test_it_decides_once_and_lists_only_what_is_open(cast, held):
    client(cast.doyun).post(f"/privacy/held/{held.pk}/release/")
    assert RRN not in client(cast.doyun).get("/privacy/held/").content.decode()
    with pytest.raises(DomainError) as err:
        services.decide_exposure(actor=cast.admin, screening=Screening.objects.get(), decision="delete")
    assert err.value.code == "decided" and Comment.objects.exists()


def test_it_offers_only_what_a_place_can_do(cast):
    p = cast.proposal()
    sheet = SimpleUploadedFile("명단.txt", f"이서준 {RRN}\n".encode())
    calls.add_attachment(actor=cast.minji, proposal=p, upload=sheet, personal_data_ok=True)
    row = Screening.objects.get(place="calls.attachment")
    page = client(cast.doyun).get("/privacy/held/").content.decode()
    assert f"/privacy/held/{row.pk}/delete/" in page and f"/privacy/held/{row.pk}/mask/" not in page
    with pytest.raises(DomainError) as err:
        services.decide_exposure(actor=cast.doyun, screening=row, decision="mask")  # no edit-out of a file's text
    assert err.value.code == "unsupported"


def test_it_answers_not_found_for_an_unknown_decision(cast, held):
    assert client(cast.doyun).post(f"/privacy/held/{held.pk}/publish/").status_code == 404


def test_the_calls_moderation_page_links_to_it(cast, held):
    page = client(cast.doyun).get(f"/calls/c/{cast.call.slug}/moderation/", HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200 and 'href="/privacy/held/"' in page.content.decode()
