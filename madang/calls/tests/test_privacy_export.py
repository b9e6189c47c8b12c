"""An official's export of a call (authors' names and departments) goes to the access records,
with a reason above the threshold; a visitor's or a citizen's export of the public data does not."""

from django.test import Client

from madang.privacy.models import AccessRecord


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_it_records_an_officials_export(cast):
    cast.proposal()
    r = client(cast.doyun).get(f"/calls/c/{cast.call.slug}/export.xlsx")
    assert r.status_code == 200
    rec = AccessRecord.objects.get()
    assert (rec.actor_id, rec.action, rec.kind, rec.scope, rec.count) == (
        cast.doyun.pk,
        "export",
        "people.accounts",
        f"call:{cast.call.pk}",
        1,
    )


def test_it_records_nothing_for_a_visitor_or_a_citizen(cast):
    cast.proposal()
    for user in (None, cast.garam):
        assert client(user).get(f"/calls/c/{cast.call.slug}/export.csv").status_code == 200
    assert not AccessRecord.objects.exists()


def test_it_asks_an_official_why_before_a_large_export(cast, settings):
    settings.MADANG_PRIVACY_REASON_OVER = 1
    cast.proposal()
    cast.proposal(author=cast.seojun, title="교통 안내 개선")
    url = f"/calls/c/{cast.call.slug}/export.csv"
    asked = client(cast.doyun).get(url)
    assert asked.status_code == 200 and b'name="reason"' in asked.content and not AccessRecord.objects.exists()
    got = client(cast.doyun).post(url, {"reason": "성과 보고 자료 작성"})
    assert got.status_code == 200 and got["Content-Type"].startswith("text/csv")
    assert AccessRecord.objects.get().reason == "성과 보고 자료 작성"
