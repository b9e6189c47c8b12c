"""Citizens' personal data and the privacy app: organisers' looks at a pool, a member's own
export and deletion are recorded; pool attributes, withdrawn consents and what remains of a
deleted account are destroyed on schedule, with a record, and the ledger still verifies."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.citizens import services
from madang.citizens.models import Consent, Lottery, Purpose, Volunteering
from madang.jobs import services as jobs
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.privacy import services as privacy
from madang.privacy.ledger_entries import PrivacyEntry
from madang.privacy.models import AccessRecord, AppendOnly, DestructionRecord
from madang.testing import PASSWORD


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def last():
    return AccessRecord.objects.order_by("n").last()


def test_it_records_an_organiser_looking_at_the_people_invited(cast, drawn):
    assert client(cast.doyun).get(f"/citizens/pools/{drawn.pk}/organise/").status_code == 200
    r = last()
    assert (r.actor_id, r.action, r.kind, r.scope, r.count) == (
        cast.doyun.pk,
        "view",
        "citizens.invitations",
        drawn.subject,
        drawn.invitations.count(),
    )


def test_it_records_nothing_on_the_public_pool_pages(cast, drawn):
    for path in (f"/citizens/pools/{drawn.pk}/", f"/citizens/pools/{drawn.pk}/transparency/", "/citizens/pools/"):
        assert client().get(path).status_code == 200
        assert client(cast.garam).get(path).status_code == 200
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_it_records_a_member_downloading_their_own_data(cast, fmt):
    assert client(cast.garam).get(f"/citizens/me/data.{fmt}").status_code == 200
    r = last()
    assert (r.actor_id, r.subject_id, r.action, r.kind) == (
        cast.garam.pk,
        cast.garam.pk,
        "download",
        "citizens.account",
    )


def test_it_records_a_member_deleting_their_account(cast):
    r = client(cast.garam).post("/citizens/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert r.status_code == 302
    rec = last()
    assert (rec.subject_id, rec.action, rec.kind) == (cast.garam.pk, "delete", "citizens.account")
    assert "한가람" not in rec.actor_name  # the name was erased before the record was written


# ---------------------------------------------------------------- destruction


def test_it_destroys_pool_attributes_after_the_period_and_keeps_the_record(cast, drawn, settings):
    settings.MADANG_PRIVACY_POOL_DAYS = 90
    volunteers = drawn.volunteerings.exclude(snapshot={}).count()
    assert volunteers > 0
    assert privacy.destroy_due_data(now=timezone.now() + timedelta(days=89)) == []
    (row,) = privacy.destroy_due_data(now=timezone.now() + timedelta(days=91))
    assert (row.kind, row.count, row.scopes) == ("citizens.pool_attributes", volunteers, [drawn.subject])
    assert not Volunteering.objects.filter(pool=drawn).exclude(snapshot={}).exists()
    assert all(m is None for made in Lottery.objects.filter(pool=drawn) for m in made.members)
    # What the ledger commits to stays, and still verifies; the destruction is in the ledger too.
    assert verify_all() == []
    (entry,) = Entry.objects.filter(kind=PrivacyEntry.DATA_DESTROYED)
    assert b'"count":%d' % volunteers in bytes(entry.body) and b"citizens.pool_attributes" in bytes(entry.body)
    # Nothing is destroyed twice, and the record cannot be taken back.
    assert privacy.destroy_due_data(now=timezone.now() + timedelta(days=200)) == []
    with pytest.raises(AppendOnly):
        row.delete()


def test_it_destroys_on_schedule_through_the_workers_upkeep(cast, drawn, settings):
    settings.MADANG_PRIVACY_POOL_DAYS = 0
    jobs._upkeep({})
    assert DestructionRecord.objects.filter(kind="citizens.pool_attributes").exists()
    assert not Volunteering.objects.filter(pool=drawn).exclude(snapshot={}).exists()
    assert verify_all() == []


def test_it_keeps_a_pool_whose_replacement_is_still_to_draw(cast, committed, settings):
    settings.MADANG_PRIVACY_POOL_DAYS = 0
    assert privacy.destroy_due_data(now=timezone.now() + timedelta(days=400)) == []
    assert Volunteering.objects.filter(pool=committed).exclude(snapshot={}).exists()


def test_it_destroys_consents_a_year_after_their_withdrawal(cast, garam, settings):
    settings.MADANG_PRIVACY_CONSENT_DAYS = 365
    services.withdraw_consent(actor=garam, purpose=Purpose.ATTRIBUTES)
    assert privacy.destroy_due_data(now=timezone.now() + timedelta(days=364)) == []
    (row,) = privacy.destroy_due_data(now=timezone.now() + timedelta(days=366))
    assert (row.kind, row.count) == ("citizens.consents", 1)
    assert not Consent.objects.filter(user=garam).exists()


def test_it_destroys_what_remains_of_a_deleted_account(cast, drawn, settings):
    settings.MADANG_PRIVACY_DELETED_ACCOUNT_DAYS = 30
    member = drawn.volunteerings.first().user
    client(member).get("/")  # a log-in time to forget
    client(member).post("/citizens/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert Volunteering.objects.filter(user=member).exists()
    done = privacy.destroy_due_data(now=timezone.now() + timedelta(days=31))
    assert ("citizens.account", 1) in [(d.kind, d.count) for d in done]
    member.refresh_from_db()
    assert member.last_login is None and not Volunteering.objects.filter(user=member).exists()
    assert verify_all() == []
