"""The lab's member list beyond its public face (volunteers' motivations for the innovation team,
members' released duties for the members and the team) goes to the access records; the public
face (names, departments) records nothing."""

import pytest

from madang.labs import services
from madang.privacy.models import AccessRecord

from .conftest import client, join, make_lab


@pytest.fixture
def lab(cast):
    """김민지 and 박지훈 are members, 박지훈 released from weekly reports; 정하늘 has volunteered."""
    lab = make_lab(cast)
    join(cast, lab, cast.minji, cast.jihoon)
    services.set_released_duties(actor=cast.jihoon, lab=lab, duties=["weekly_reports"])
    services.apply_to_lab(actor=cast.haneul, lab=lab, motivation="정보화 경험을 보태고 싶습니다")
    return lab


def records():
    return list(
        AccessRecord.objects.filter(kind="labs.memberships").values_list("actor_id", "action", "scope", "count")
    )


def test_it_records_the_innovation_team_seeing_motivations_and_duties(cast, lab):
    page = client(cast.doyun).get(f"/labs/{lab.slug}/").content.decode()
    assert "정보화 경험을 보태고 싶습니다" in page
    assert records() == [(cast.doyun.pk, "view", f"lab:{lab.pk}", 3)]  # the volunteer and both members


def test_it_records_a_member_seeing_a_colleagues_duties_but_not_their_own(cast, lab):
    client(cast.minji).get(f"/labs/{lab.slug}/")
    assert records() == [(cast.minji.pk, "view", f"lab:{lab.pk}", 1)]


def test_it_records_the_api_as_the_page(cast, lab):
    assert client(cast.minji).get(f"/api/labs/{lab.slug}").status_code == 200
    assert records() == [(cast.minji.pk, "view", f"lab:{lab.pk}", 1)]


@pytest.mark.parametrize("who", [None, "seojun", "garam"])
def test_it_records_nothing_for_the_public_face(cast, lab, who):
    user = getattr(cast, who) if who else None
    page = client(user).get(f"/labs/{lab.slug}/")
    assert page.status_code == 200 and "김민지" in page.content.decode()
    assert records() == []


def test_the_privacy_notice_declares_the_memberships(db):
    text = client().get("/privacy/").content.decode()
    assert 'id="labs.memberships"' in text and "랩 구성원" in text
