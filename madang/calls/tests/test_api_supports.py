"""Supporting a proposal over JSON: once per person, never one's own, only while supports are taken."""

from django.test import Client

from madang.calls import counters
from madang.calls.models import PhaseKind, Support
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "seojun", "garam", "bada", "yuna", "doyun", "sohee", "admin"]


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def test_it_counts_one_support_per_person(cast):
    p = cast.proposal()
    seojun = client(cast, "seojun")
    assert seojun.post(f"/api/proposals/{p.pk}/support").json() == {"added": True, "count": 1}
    assert seojun.post(f"/api/proposals/{p.pk}/support").json() == {"added": False, "count": 1}
    assert client(cast, "garam").post(f"/api/proposals/{p.pk}/support").json() == {"added": True, "count": 2}
    assert seojun.get(f"/api/proposals/{p.pk}").json()["supported"] is True
    assert seojun.delete(f"/api/proposals/{p.pk}/support").json() == {"removed": True, "count": 1}
    assert seojun.delete(f"/api/proposals/{p.pk}/support").json() == {"removed": False, "count": 1}
    assert Support.objects.filter(proposal=p).count() == 1


def test_it_takes_supports_from_everyone_but_the_author(cast):
    got, counts = {}, {}
    for who in ROLES:
        p = cast.proposal()
        got[who] = client(cast, who).post(f"/api/proposals/{p.pk}/support").status_code
        counts[who] = counters.live_count(p.pk)
    assert got == {**{who: 200 for who in ROLES}, "anonymous": 401, "minji": 400}
    assert counts == {**{who: 1 for who in ROLES}, "anonymous": 0, "minji": 0}


def test_it_takes_and_returns_no_supports_in_the_selection_phase(cast):
    p = cast.proposal()
    client(cast, "seojun").post(f"/api/proposals/{p.pk}/support")
    set_phase(cast.call, PhaseKind.SELECTION)
    got = {who: client(cast, who).post(f"/api/proposals/{p.pk}/support").status_code for who in ROLES}
    assert got == {**{who: 400 for who in ROLES}, "anonymous": 401}
    r = client(cast, "seojun", "en").delete(f"/api/proposals/{p.pk}/support")
    assert r.status_code == 400
    assert r.json()["message"] == "Supports can no longer be changed for this proposal."
    assert counters.live_count(p.pk) == 1


def test_it_tells_minji_why_she_cannot_support_her_own_idea(cast):
    p = cast.proposal()
    r = client(cast, "minji", "en").post(f"/api/proposals/{p.pk}/support")
    assert r.json() == {"code": "own_proposal", "message": "You cannot support your own proposal.", "field": None}


def test_it_refuses_supports_for_drafts_and_unknown_proposals(cast):
    draft = cast.proposal(submit=False)
    assert client(cast, "seojun").post(f"/api/proposals/{draft.pk}/support").status_code == 404
    assert client(cast, "seojun").post("/api/proposals/987654/support").status_code == 404
    assert client(cast, "seojun").delete("/api/proposals/987654/support").status_code == 404
    assert Support.objects.count() == 0
