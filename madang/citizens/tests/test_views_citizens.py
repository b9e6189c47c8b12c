import json

from django.test import Client

from madang.citizens.models import CitizenProfile, Purpose
from madang.people.models import User


def test_it_lets_a_citizen_join_and_confirm(db, mailoutbox, django_capture_on_commit_callbacks):
    c = Client()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/citizens/join/",
            {
                "username": "nuri",
                "display_name": "송누리",
                "email": "nuri@example.kr",
                "password": "hanbit-citizen-2026",
                "password2": "hanbit-citizen-2026",
                "terms": "on",
            },
        )
    assert r.status_code == 200  # "check your e-mail": not logged in until the address is confirmed
    assert "_auth_user_id" not in c.session
    user = User.objects.get(username="nuri")
    assert user.is_citizen and user.department is None
    link = mailoutbox[0].body.split("http://testserver")[1].split()[0]  # the host the member joined at
    assert c.get(link).status_code == 302
    assert CitizenProfile.objects.get(user=user).email_verified_at is not None


def test_it_refuses_a_join_without_terms_or_with_a_weak_password(db):
    r = Client().post(
        "/citizens/join/",
        {"username": "x", "display_name": "x", "email": "x@example.kr", "password": "1234", "password2": "1234"},
    )
    assert r.status_code == 400
    assert not User.objects.filter(username="x").exists()


def test_it_saves_attributes_with_consent_and_erases_them_without(cast):
    c = Client()
    c.force_login(cast.garam)
    c.post("/citizens/me/", {"consent": "on", "gender": "male", "age_band": "40-49", "region": "충남"})
    assert CitizenProfile.objects.get(user=cast.garam).region == "충남"
    c.post("/citizens/me/", {"gender": "male"})
    profile = CitizenProfile.objects.get(user=cast.garam)
    assert (
        profile.region == "" and not cast.garam.consents.filter(purpose=Purpose.ATTRIBUTES, withdrawn_at=None).exists()
    )


def test_it_exports_and_deletes_through_the_pages(cast):
    c = Client()
    c.force_login(cast.garam)
    data = json.loads(c.get("/citizens/me/data.json").content)
    assert data["account"]["username"] == "garam"
    assert c.get("/citizens/me/data.csv").status_code == 200
    assert c.post("/citizens/me/delete/", {"password": "wrong"}).status_code == 400
    assert c.post("/citizens/me/delete/", {"password": "madang-test-pass-2026"}).status_code == 302
    cast.garam.refresh_from_db()
    assert not cast.garam.is_active


def test_it_keeps_the_citizen_pages_from_officials(cast):
    c = Client()
    c.force_login(cast.minji)
    assert c.get("/citizens/me/").status_code == 404
    assert c.get("/citizens/me/data.json").status_code == 404


def test_a_wrong_password_on_deletion_shows_the_form_again_with_its_message(cast):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.garam)
    r = c.post("/citizens/me/delete/", {"password": "wrong"}, HTTP_REFERER="http://testserver/citizens/me/delete/")
    html = r.content.decode()
    assert r.status_code == 400
    assert 'name="password"' in html and "비밀번호가 맞지 않습니다" in html and "wrong" not in html
    assert c.get("/citizens/me/delete/").status_code == 200  # the page the browser is on can be reloaded
    cast.garam.refresh_from_db()
    assert cast.garam.is_active
