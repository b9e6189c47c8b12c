"""The privacy notice (/privacy/) is built from the registry the destruction job follows: every
kind's purpose, items, period (with the configured number of days), basis and recipients, in
Korean first and in English."""

from django.test import Client

from madang.privacy import registry
from madang.privacy.models import AccessRecord


def test_it_lists_every_kind_the_apps_declare(db):
    names = {k.name for k in registry.all_kinds()}
    assert {
        "people.accounts",
        "privacy.access_records",
        "privacy.exposures",
        "citizens.account",
        "citizens.attributes",
        "citizens.consents",
        "citizens.pool_attributes",
        "citizens.invitations",
        "events.registrations",
        "events.registration_profile",
    } <= names
    assert {k.name for k in registry.destroyable()} == {
        "privacy.access_records",  # the oldest prefix of the chain, once the period is over (test_purge.py)
        "citizens.account",
        "citizens.consents",
        "citizens.pool_attributes",
        "events.registration_profile",
    }


def test_it_shows_the_notice_in_korean_with_the_configured_periods(db, settings):
    settings.MADANG_PRIVACY_POOL_DAYS = 120
    settings.MADANG_PRIVACY_OFFICER_CONTACT = "한빛도 정보화과 개인정보 보호책임자 (044-000-0000)"
    text = Client().get("/privacy/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "개인정보 처리방침" in text and "풀의 마지막 추첨 후 120일" in text
    assert "「개인정보의 안전성 확보조치 기준」 제8조" in text and "044-000-0000" in text
    for kind in registry.all_kinds():
        assert f'id="{kind.name}"' in text
    assert not AccessRecord.objects.exists()


def test_it_shows_the_notice_in_english(db, settings):
    settings.MADANG_PRIVACY_EVENT_DAYS = 45
    r = Client().get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Privacy notice" in text and "45 days after the event&#x27;s last day" in text
    assert "Registration profile" in text and "job family (직렬)" in text
