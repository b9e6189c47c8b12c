"""Joining: the same answer whether or not the address is taken, a limit per address, and a
confirmed e-mail before proposing, supporting or commenting (pages and API)."""

import pytest
from django.test import Client

from madang.calls.models import Audience, Comment, Proposal, Support
from madang.citizens import services
from madang.citizens.models import CitizenProfile
from madang.people.models import User

PASSWORD = "hanbit-citizen-2026"


def join(client: Client, username: str, email: str):
    return client.post(
        "/citizens/join/",
        {
            "username": username,
            "display_name": "송누리",
            "email": email,
            "password": PASSWORD,
            "password2": PASSWORD,
            "terms": "on",
        },
    )


def main_of(response, email: str) -> str:
    return response.content.decode().replace(email, "@").split("<main")[1].split("</main>")[0]


def test_it_answers_the_same_whether_or_not_the_address_is_taken(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fresh = join(Client(HTTP_ACCEPT_LANGUAGE="ko"), "nuri", "nuri@example.kr")
        taken = join(Client(HTTP_ACCEPT_LANGUAGE="ko"), "nuri2", "GARAM@example.kr")
    assert fresh.status_code == taken.status_code == 200
    assert main_of(fresh, "nuri@example.kr") == main_of(taken, "GARAM@example.kr")
    assert not User.objects.filter(username="nuri2").exists()
    to_nuri, to_garam = sorted(mailoutbox, key=lambda m: m.to[0] != "nuri@example.kr")
    assert to_nuri.to == ["nuri@example.kr"] and "/citizens/verify/" in to_nuri.body
    # The address's owner hears that someone tried; the visitor learns nothing.
    assert to_garam.to == ["garam@example.kr"] and "garam" in to_garam.body and "/citizens/verify/" not in to_garam.body


def test_it_limits_sign_ups_per_address(db, settings):
    settings.MADANG_RATE_LIMITS = "join=2/3600"
    c = Client(REMOTE_ADDR="203.0.113.9")
    assert join(c, "a1", "a1@example.kr").status_code == 200
    assert join(c, "a2", "a2@example.kr").status_code == 200
    r = join(c, "a3", "a3@example.kr")
    assert r.status_code == 429 and r["Retry-After"]
    assert not User.objects.filter(username="a3").exists()
    assert join(Client(REMOTE_ADDR="10.1.2.3"), "a4", "a4@example.kr").status_code == 200


@pytest.fixture
def nuri(cast, django_capture_on_commit_callbacks):
    cast.call.audience = Audience.BOTH
    cast.call.save()
    with django_capture_on_commit_callbacks(execute=True):
        user = services.join(username="nuri", display_name="송누리", email="nuri@example.kr", password=PASSWORD)
    c = Client()
    assert c.post("/people/login/", {"username": "nuri", "password": PASSWORD}).status_code == 302
    return user, c


def test_it_keeps_an_unconfirmed_member_from_taking_part_through_the_pages(cast, nuri):
    user, c = nuri
    p = cast.proposal(title="시민도 볼 수 있는 제안")
    c.post(f"/calls/p/{p.pk}/support/")
    c.post(f"/calls/p/{p.pk}/comment/", {"body": "좋아요"})
    c.post(f"/calls/c/{cast.call.slug}/propose/", {"title": "내 제안", "problem": "문제", "solution": "해결"})
    assert not Support.objects.filter(user=user).exists()
    assert not Comment.objects.filter(author=user).exists()
    assert not Proposal.objects.filter(author=user).exists()


def test_it_keeps_an_unconfirmed_member_from_taking_part_through_the_api(cast, nuri):
    _user, c = nuri
    p = cast.proposal(title="시민도 볼 수 있는 제안")
    r = c.post(f"/api/proposals/{p.pk}/support", content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "email_unconfirmed"
    r = c.post(f"/api/proposals/{p.pk}/comments", {"body": "좋아요"}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "email_unconfirmed"
    r = c.post(f"/api/calls/{cast.call.slug}/proposals", {"title": "내 제안"}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "email_unconfirmed"
    assert c.get(f"/api/calls/{cast.call.slug}").json()["can_submit"] is False


def test_it_lets_the_member_take_part_once_the_address_is_confirmed(cast, nuri, mailoutbox):
    user, c = nuri
    token = mailoutbox[0].body.split("/citizens/verify/")[1].split("/")[0]
    assert c.get(f"/citizens/verify/{token}/").status_code == 302
    assert CitizenProfile.objects.get(user=user).email_verified_at is not None
    p = cast.proposal(title="시민도 볼 수 있는 제안")
    assert c.post(f"/api/proposals/{p.pk}/support", content_type="application/json").status_code == 200
    assert (
        c.post(
            f"/api/calls/{cast.call.slug}/proposals", {"title": "내 제안"}, content_type="application/json"
        ).status_code
        == 201
    )
