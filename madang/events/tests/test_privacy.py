"""Registrations and the privacy app: the organisers' list, search, check-in and badges are
recorded (a reason first for large downloads); gender, job family and region go after the event."""

from datetime import timedelta

from django.utils import timezone

from madang.events import services
from madang.events.models import Registration
from madang.ledger.verify import verify_all
from madang.privacy import services as privacy
from madang.privacy.models import AccessRecord

from .conftest import client


def last():
    return AccessRecord.objects.order_by("n").last()


def test_it_records_the_organisers_list_and_search(crowd):
    assert client(crowd.doyun).get("/events/big-day/manage/").status_code == 200
    r = last()
    assert (r.actor_id, r.action, r.kind, r.scope, r.count) == (
        crowd.doyun.pk,
        "view",
        "events.registrations",
        f"event:{crowd.event.pk}",
        16,
    )
    assert client(crowd.doyun).get("/events/big-day/manage/?q=참가자0").status_code == 200
    assert (last().action, last().count) == ("search", 2)


def test_it_records_a_check_in_by_page_and_by_api(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    other = services.register(actor=folk.cast.seojun, event=event)
    assert client(folk.haram).post("/events/hackathon/do/check_in/", {"registration": reg.pk}).status_code == 302
    assert (last().actor_id, last().action, last().subject_id) == (folk.haram.pk, "edit", folk.cast.minji.pk)
    assert client(folk.haram).post(f"/api/events/hackathon/registrations/{other.pk}/check-in").status_code == 200
    assert (last().action, last().subject_id, last().scope) == ("edit", folk.cast.seojun.pk, f"event:{event.pk}")


def test_it_asks_a_reason_before_a_large_badge_download(crowd, settings):
    settings.MADANG_PRIVACY_REASON_OVER = 10
    asked = client(crowd.doyun).get("/events/big-day/print/badges.pdf")
    assert asked.status_code == 200 and b'name="reason"' in asked.content
    assert not AccessRecord.objects.filter(action="download").exists()
    short = client(crowd.doyun).post("/events/big-day/print/badges.pdf", {"reason": "x"})
    assert short.status_code == 400
    got = client(crowd.doyun).post("/events/big-day/print/badges.pdf", {"reason": "현장 명찰 인쇄"})
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert (last().action, last().count, last().reason) == ("download", 16, "현장 명찰 인쇄")


def test_it_records_nothing_for_participants_and_visitors(folk, event):
    services.register(actor=folk.cast.minji, event=event)
    for user in (None, folk.cast.minji):
        client(user).get("/events/hackathon/")
    assert not AccessRecord.objects.exists()


def test_it_destroys_the_registration_profile_after_the_event(crowd, settings):
    settings.MADANG_PRIVACY_EVENT_DAYS = 30
    assert privacy.destroy_due_data(now=timezone.now() + timedelta(days=29)) == []
    (row,) = privacy.destroy_due_data(now=timezone.now() + timedelta(days=31))
    assert (row.kind, row.count, row.scopes) == ("events.registration_profile", 16, [f"event:{crowd.event.pk}"])
    assert not Registration.objects.filter(event=crowd.event).exclude(gender="", region="", job_family="").exists()
    assert Registration.objects.filter(event=crowd.event).count() == 16  # the registrations themselves stay
    assert verify_all() == []


def test_it_records_table_cards_by_the_hosts_they_name(crowd):
    tables = list(crowd.event.tables.order_by("pk"))
    assert client(crowd.doyun).get("/events/big-day/print/tables.pdf").status_code == 200
    assert not AccessRecord.objects.exists()  # no host yet: the cards name no one
    for table, reg in zip(tables[:2], crowd.regs, strict=False):
        services.set_table_host(actor=crowd.doyun, table=table, host=reg.user)
    r = client(crowd.doyun).get("/events/big-day/print/tables.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert (last().actor_id, last().action, last().kind, last().count) == (
        crowd.doyun.pk,
        "download",
        "events.registrations",
        2,
    )


def test_it_prints_the_check_in_list_for_organisers_only_and_records_it(crowd, settings):
    settings.MADANG_PRIVACY_REASON_OVER = 10
    participant = crowd.regs[0].user
    assert client(participant).get("/events/big-day/print/check-in.pdf").status_code == 404
    asked = client(crowd.doyun).get("/events/big-day/print/check-in.pdf")
    assert asked.status_code == 200 and b'name="reason"' in asked.content
    got = client(crowd.doyun).post("/events/big-day/print/check-in.pdf", {"reason": "접수대 명단 인쇄"})
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    assert (last().action, last().scope, last().count, last().reason) == (
        "download",
        f"event:{crowd.event.pk}",
        16,
        "접수대 명단 인쇄",
    )
    assert AccessRecord.objects.filter(actor_id=participant.pk).count() == 0


def test_it_records_a_participants_download_of_their_own_itinerary(folk, event):
    services.register(actor=folk.cast.minji, event=event)
    r = client(folk.cast.minji).get("/events/hackathon/print/itinerary.pdf")
    assert r.status_code == 200
    assert (last().actor_id, last().action, last().subject_id, last().count) == (
        folk.cast.minji.pk,
        "download",
        folk.cast.minji.pk,
        1,
    )
