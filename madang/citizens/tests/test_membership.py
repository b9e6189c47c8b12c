"""Citizen membership and data rights (PIPA: see, export, delete; consent withdrawal)."""

import json

import pytest
from django.core import signing

from madang.citizens import services
from madang.citizens.models import CitizenProfile, Consent, Purpose
from madang.core.errors import DomainError


@pytest.fixture
def nuri(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.join(
            username="nuri", display_name="송누리", email="nuri@example.kr", password="hanbit-citizen-2026"
        )
    return user


def test_it_sends_a_verification_link_that_confirms_the_address(nuri, mailoutbox):
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nuri@example.kr"]
    token = mailoutbox[0].body.split("/citizens/verify/")[1].split("/")[0]
    services.verify_email(token=token)
    assert CitizenProfile.objects.get(user=nuri).email_verified_at is not None


def test_it_rejects_tampered_or_foreign_tokens(nuri):
    with pytest.raises(DomainError) as err:
        services.verify_email(token="garbage")
    assert err.value.code == "bad_token"
    forged = signing.dumps({"u": nuri.pk, "e": "other@example.kr"}, salt=services.VERIFY_SALT)
    with pytest.raises(DomainError):
        services.verify_email(token=forged)


def test_it_makes_no_second_account_with_the_same_email(nuri):
    assert (
        services.join(
            username="nuri2", display_name="다른 사람", email="NURI@example.kr", password="hanbit-citizen-2026"
        )
        is None
    )
    assert not type(nuri).objects.filter(username="nuri2").exists()


def test_it_keeps_attributes_only_with_consent(nuri):
    with pytest.raises(DomainError) as err:
        services.update_attributes(actor=nuri, gender="female")
    assert err.value.code == "no_consent"
    services.grant_consent(actor=nuri, purpose=Purpose.ATTRIBUTES)
    profile = services.update_attributes(
        actor=nuri, gender="female", age_band="30-39", region="충남", interests=["welfare"]
    )
    assert profile.attributes()["region"] == "충남"


def test_it_erases_attributes_when_consent_is_withdrawn(nuri):
    services.grant_consent(actor=nuri, purpose=Purpose.ATTRIBUTES)
    services.update_attributes(actor=nuri, gender="female", age_band="30-39", region="충남")
    services.withdraw_consent(actor=nuri, purpose=Purpose.ATTRIBUTES)
    profile = CitizenProfile.objects.get(user=nuri)
    assert (profile.gender, profile.age_band, profile.region) == ("", "", "")
    assert Consent.objects.get(user=nuri).withdrawn_at is not None


def test_it_refuses_unknown_attribute_values(nuri):
    services.grant_consent(actor=nuri, purpose=Purpose.ATTRIBUTES)
    with pytest.raises(DomainError):
        services.update_attributes(actor=nuri, region="Atlantis")


def test_it_exports_everything_it_holds(nuri):
    services.grant_consent(actor=nuri, purpose=Purpose.ATTRIBUTES)
    services.update_attributes(actor=nuri, age_band="19-29")
    data = json.loads(services.export_json(nuri))
    assert data["account"]["email"] == "nuri@example.kr"
    assert data["attributes"]["age_band"] == "19-29"
    assert data["consents"][0]["purpose"] == "attributes"
    csv_text = services.export_csv(nuri)
    assert "nuri@example.kr" in csv_text and csv_text.startswith("\ufeff")


def test_it_deletes_personal_data_and_keeps_contributions_anonymous(cast):
    from madang.calls import services as calls
    from madang.calls.models import Audience

    cast.call.audience = Audience.BOTH
    cast.call.save()
    garam = cast.garam
    services.grant_consent(actor=garam, purpose=Purpose.ATTRIBUTES)
    services.update_attributes(actor=garam, gender="male")
    p = cast.proposal(author=garam, title="시민 제안")
    calls.add_comment(actor=garam, proposal=p, body="제 의견입니다")
    with pytest.raises(DomainError):
        services.delete_account(actor=garam, password="wrong")
    services.delete_account(actor=garam, password="madang-test-pass-2026")
    garam.refresh_from_db()
    assert not garam.is_active and garam.email == "" and "한가람" not in garam.display_name
    assert not CitizenProfile.objects.filter(user=garam).exists() and not Consent.objects.filter(user=garam).exists()
    p.refresh_from_db()
    assert p.author_id == garam.pk and p.comments.count() == 1
