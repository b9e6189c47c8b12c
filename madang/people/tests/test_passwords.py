"""Changing a password (signed in, current password required) and resetting a forgotten one
(a single-use e-mailed link; the same answer whether or not the address exists)."""

from django.test import Client

from madang.people import services as people
from madang.testing import PASSWORD

NEW = "새-비밀번호-hanbit-2026"


def logged_in(username: str, password: str = PASSWORD) -> Client:
    c = Client()
    assert c.post("/people/login/", {"username": username, "password": password}).status_code == 302
    return c


def change(c: Client, old: str, new: str = NEW):
    return c.post("/people/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_it_changes_the_password_and_ends_the_other_sessions(cast):
    laptop, phone = logged_in("minji"), logged_in("minji")
    _t, secret = people.issue_api_token(actor=cast.minji, name="스크립트")
    r = change(laptop, PASSWORD)
    assert r.status_code == 302
    assert laptop.get("/people/settings/").status_code == 200  # this session goes on
    assert phone.get("/people/settings/").status_code == 302  # the other one ended
    cast.minji.refresh_from_db()
    assert cast.minji.check_password(NEW)
    # API tokens are not revoked silently: the page says so, and the owner revokes them if need be.
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/me").status_code == 200


def test_it_needs_the_current_password(cast):
    c = logged_in("minji")
    r = change(c, "not my password 1")
    assert r.status_code == 400
    cast.minji.refresh_from_db()
    assert cast.minji.check_password(PASSWORD)


def test_it_refuses_a_weak_new_password(cast):
    r = change(logged_in("minji"), PASSWORD, "12345678")
    assert r.status_code == 400


def test_it_sends_the_citizen_a_single_use_reset_link(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post("/people/password/reset/", {"email": "GARAM@example.kr"})
    assert r.status_code == 200
    [mail] = mailoutbox
    assert mail.to == ["garam@example.kr"]
    link = mail.body.split("http://testserver")[1].split()[0]  # the host the request came to
    c = Client()
    assert c.get(link).status_code == 200
    r = c.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r["Location"] == "/people/login/"
    assert c.post(link, {"new_password1": NEW + "x", "new_password2": NEW + "x"}).status_code == 400  # used
    logged_in("garam", NEW)


def test_it_answers_the_same_for_an_unknown_address(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = Client(HTTP_ACCEPT_LANGUAGE="ko").post("/people/password/reset/", {"email": "garam@example.kr"})
        unknown = Client(HTTP_ACCEPT_LANGUAGE="ko").post("/people/password/reset/", {"email": "nobody@example.kr"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, email: r.content.decode().replace(email, "@").split("<main")[1].split("</main>")[0]  # noqa: E731
    assert strip(known, "garam@example.kr") == strip(unknown, "nobody@example.kr")
    assert len(mailoutbox) == 1


def test_it_refuses_a_forged_or_expired_link(cast, settings):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(cast.garam.pk))
    assert Client().get(f"/people/password/reset/{uid}/forged-token/").status_code == 400
    assert Client().get("/people/password/reset/%C2%B2/x/").status_code == 400
    token = default_token_generator.make_token(cast.garam)
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert Client().get(f"/people/password/reset/{uid}/{token}/").status_code == 400


def test_it_throttles_reset_requests_per_address(cast, settings):
    settings.MADANG_RATE_LIMITS = "password_reset=3/3600"
    c = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert c.post("/people/password/reset/", {"email": "garam@example.kr"}).status_code == 200
    r = c.post("/people/password/reset/", {"email": "garam@example.kr"})
    assert r.status_code == 429 and r["Retry-After"]
    assert (
        Client(REMOTE_ADDR="10.1.2.3").post("/people/password/reset/", {"email": "garam@example.kr"}).status_code == 200
    )
