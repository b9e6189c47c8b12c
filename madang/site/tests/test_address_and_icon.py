"""The site names itself by the address it is served at, and has an icon of its own."""

from django.test import Client

from madang import settings as madang_settings


def test_it_serves_a_favicon_at_the_address_browsers_ask(db):
    r = Client().get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in r["Cache-Control"]
    page = Client().get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_without_a_configured_address_production_takes_its_first_named_host():
    assert madang_settings.default_site_url(True, ["localhost"]) == "http://127.0.0.1:8000"
    assert (
        madang_settings.default_site_url(False, ["*", ".example.go.kr", "madang.hanbit.go.kr"])
        == "https://madang.hanbit.go.kr"
    )
    assert "127.0.0.1" not in madang_settings.default_site_url(False, [])


def test_the_ledger_page_says_why_its_name_does_not_follow_the_address(db, settings):
    settings.ALLOWED_HOSTS = ["madang.hanbit.go.kr", "127.0.0.1"]
    elsewhere = Client(HTTP_HOST="madang.hanbit.go.kr", HTTP_ACCEPT_LANGUAGE="ko").get("/ledger/").content.decode()
    assert "어떤 주소로 접속하든 바뀌지 않습니다" in elsewhere
    here = Client(HTTP_HOST="127.0.0.1:8000", HTTP_ACCEPT_LANGUAGE="ko").get("/ledger/").content.decode()
    assert "어떤 주소로 접속하든 바뀌지 않습니다" not in here
