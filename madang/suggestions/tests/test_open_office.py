"""Opening a suggestion office from its page and the API: a site administrator or the innovation team
of the organisation chooses the rule packs in force (each offered with its effective date); everyone
else is refused; the refusals say why in Korean."""

import tomllib

import pytest
from django.test import Client

from madang.calls.models import Call
from madang.people import services as people
from madang.people.models import Role
from madang.suggestions import packs
from madang.suggestions.models import SuggestionOffice
from madang.suggestions.packs import RULEPACK_DIR, PackSet, parse
from madang.suggestions.tests.conftest import LATER_CITIZEN
from madang.suggestions.tests.test_lifecycle import PERSONA, ROLES

pytestmark = pytest.mark.django_db

URL = "/suggestions/offices/open/"
# 관리자 is a site administrator and 강도윤 the province's innovation team; no one else may open one.
MAY_OPEN = {"team", "admin"}


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def future_pack(monkeypatch):
    """The shipped packs and a citizens' pack that takes effect only in 2099."""
    future = LATER_CITIZEN.replace('id = "kr-citizen"', 'id = "kr-future"').replace(
        "effective = 2026-01-01", "effective = 2099-01-01"
    )
    loaded = [packs.load_file(p) for p in sorted(RULEPACK_DIR.glob("*.toml"))]
    ps = PackSet([*loaded, parse(tomllib.loads(future), where="future.toml")])
    monkeypatch.setattr(packs, "active", lambda: ps)
    return ps


def test_the_page_offers_the_packs_with_their_effective_dates_to_those_who_may_open_an_office(cast):
    for role in ROLES:
        who = getattr(cast, PERSONA[role])
        r = client(who).get(URL)
        assert r.status_code == (200 if role in MAY_OPEN else 404), role
    assert client().get(URL).status_code == 302  # to the log-in
    page = client(cast.doyun).get(URL).content.decode()
    for pid in ("kr-citizen", "kr-sejong", "kr-official"):
        assert f'data-pack="{pid}"' in page
    assert "2023-08-01부터 시행 중" in page  # the version in force, with the day it took effect
    assert f'value="{cast.province.pk}"' in page
    assert f'value="{cast.transport.pk}"' not in page  # a department has no office of its own
    assert f'value="{cast.other_province.pk}"' not in page  # not 강도윤's organisation


def test_the_innovation_team_opens_its_office_from_the_page(cast):
    r = client(cast.doyun).post(
        URL, {"organisation": cast.province.pk, "citizen_pack": "kr-sejong", "official_pack": "kr-official"}
    )
    office = SuggestionOffice.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/suggestions/?office={office.pk}"
    assert (office.organisation, office.citizen_pack, office.official_pack) == (
        cast.province,
        "kr-sejong",
        "kr-official",
    )
    assert office.standing_call.title == "한빛도 상시제안" and office.opened_by == cast.doyun
    desk = client(cast.doyun).get(r["Location"])
    assert desk.status_code == 200
    again = client(cast.doyun).get(URL).content.decode()
    assert "이미 모두 제안 담당 부서가 있습니다" in again


def test_the_page_says_in_korean_what_is_wrong(cast, future_pack):
    r = client(cast.doyun).post(URL, {"organisation": cast.province.pk, "citizen_pack": "", "official_pack": ""})
    assert r.status_code == 400
    assert "국민제안이나 공무원제안에 적용할 규정을 하나 이상 고르십시오." in r.content.decode()
    page = client(cast.doyun).get(URL).content.decode()
    assert "2099-01-01부터 시행 예정" in page and "아직 시행 전" in page
    r = client(cast.doyun).post(URL, {"organisation": cast.province.pk, "citizen_pack": "kr-future"})
    assert r.status_code == 400
    assert "2099-01-01부터 시행됩니다" in r.content.decode()
    r = client(cast.doyun).post(URL, {"organisation": cast.province.pk, "citizen_pack": "kr-official"})
    assert r.status_code == 400  # not offered for citizens: the form refuses the choice
    assert not SuggestionOffice.objects.exists() and not Call.objects.filter(slug__endswith="-suggestions").exists()


def test_an_administrator_of_one_organisation_manages_its_people_not_its_suggestion_office(cast):
    # The office's standing call is the innovation team's to run (calls.create_call), not an
    # organisation administrator's.
    people.grant_role(actor=None, user=cast.bada, role=Role.ADMINISTRATOR, organisation=cast.other_province)
    assert client(cast.bada).get(URL).status_code == 404
    r = client(cast.bada).post(
        "/api/suggestions/offices",
        {"organisation_id": cast.other_province.pk, "citizen_pack": "kr-citizen"},
        content_type="application/json",
    )
    assert r.status_code == 403 and not SuggestionOffice.objects.exists()
    people.grant_role(actor=None, user=cast.bada, role=Role.INNOVATION_TEAM, organisation=cast.other_province)
    page = client(cast.bada).get(URL).content.decode()
    assert f'value="{cast.other_province.pk}"' in page and f'value="{cast.province.pk}"' not in page
    r = client(cast.bada).post(URL, {"organisation": cast.province.pk, "citizen_pack": "kr-citizen"})
    assert r.status_code == 400 and not SuggestionOffice.objects.exists()  # not a choice offered to 임바다
    r = client(cast.bada).post(URL, {"organisation": cast.other_province.pk, "citizen_pack": "kr-citizen"})
    assert r.status_code == 302
    assert SuggestionOffice.objects.get().organisation == cast.other_province


def test_the_api_opens_an_office_with_the_same_rules(cast):
    body = {"organisation_id": cast.province.pk, "citizen_pack": "kr-sejong", "official_pack": "kr-official"}
    for role in ROLES:
        if role in MAY_OPEN:
            continue
        r = client(getattr(cast, PERSONA[role])).post("/api/suggestions/offices", body, content_type="application/json")
        assert r.status_code == 403 and r.json()["code"] == "forbidden", role
        assert "사이트 관리자나 이 기관의 혁신 담당 부서만" in r.json()["message"]
    assert client().post("/api/suggestions/offices", body, content_type="application/json").status_code == 401
    r = client(cast.doyun).post(
        "/api/suggestions/offices", {**body, "organisation_id": cast.transport.pk}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "bad_organisation"
    r = client(cast.doyun).post(
        "/api/suggestions/offices", {**body, "citizen_pack": "kr-official"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "citizen_pack"
    assert r.json()["message"] == "규정 공무원 제안 규정은(는) 국민제안에 적용하는 규정이 아닙니다."
    r = client(cast.doyun).post("/api/suggestions/offices", body, content_type="application/json")
    assert r.status_code == 201
    assert (r.json()["organisation_code"], r.json()["citizen_pack"]) == (cast.province.code, "kr-sejong")
    again = client(cast.admin).post("/api/suggestions/offices", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"


def test_the_api_lists_the_packs_with_their_effective_dates(cast, future_pack):
    r = client(cast.garam).get("/api/suggestions/packs")
    assert r.status_code == 200
    by_id = {p["id"]: p for p in r.json()}
    assert set(by_id) == {"kr-citizen", "kr-official", "kr-sejong", "kr-future"}
    assert by_id["kr-citizen"]["effective"] == "2023-08-01" and by_id["kr-citizen"]["in_force"] is True
    assert by_id["kr-sejong"]["extends"] == "kr-citizen"
    assert by_id["kr-future"]["in_force"] is False and by_id["kr-future"]["effective"] == "2099-01-01"
    officials = client(cast.garam).get("/api/suggestions/packs?proposer=official").json()
    assert [p["id"] for p in officials] == ["kr-official"]
    assert client().get("/api/suggestions/packs").status_code == 401
