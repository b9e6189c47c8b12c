"""김민지's inbox over JSON: each notification told in the language she asks for."""

from django.test import Client

from madang.calls import services as calls
from madang.inbox.models import Notification


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def commented(cast, n: int = 1):
    p = cast.proposal(title="버스 정류장 온열 의자")
    for i in range(n):
        calls.add_comment(actor=cast.seojun, proposal=p, body=f"의견 {i}")
    return p


def test_it_lists_notifications_in_the_readers_language(cast):
    p = commented(cast)
    en = client(cast, "minji", "en").get("/api/inbox/notifications").json()
    assert en["count"] == 1
    item = en["items"][0]
    assert (item["kind"], item["proposal_id"], item["read"]) == ("comment", p.pk, False)
    assert item["text"] == "New comment on “버스 정류장 온열 의자”."
    ko = client(cast, "minji").get("/api/inbox/notifications").json()["items"][0]
    assert "버스 정류장 온열 의자" in ko["text"]


def test_it_marks_some_or_all_read(cast):
    commented(cast, 3)
    minji = client(cast, "minji")
    ids = [n["id"] for n in minji.get("/api/inbox/notifications").json()["items"]]
    r = minji.post("/api/inbox/notifications/read", {"ids": ids[:1]}, content_type="application/json")
    assert r.json() == {"marked": 1}
    assert minji.get("/api/inbox/notifications", {"unread": "true"}).json()["count"] == 2
    assert minji.post("/api/inbox/notifications/read", {}, content_type="application/json").json() == {"marked": 2}
    assert minji.get("/api/inbox/notifications", {"unread": "true"}).json()["count"] == 0


def test_it_keeps_each_inbox_private(cast):
    commented(cast)
    note = Notification.objects.get(user=cast.minji)
    assert client(cast, "seojun").get("/api/inbox/notifications").json()["count"] == 0
    r = client(cast, "seojun").post(
        "/api/inbox/notifications/read", {"ids": [note.pk]}, content_type="application/json"
    )
    assert r.json() == {"marked": 0}
    note.refresh_from_db()
    assert note.read_at is None
    assert client(cast, "anonymous").get("/api/inbox/notifications").status_code == 401
    assert (
        client(cast, "anonymous").post("/api/inbox/notifications/read", {}, content_type="application/json").status_code
        == 401
    )


def test_it_refuses_bad_mark_requests(cast):
    minji = client(cast, "minji", "en")
    r = minji.post("/api/inbox/notifications/read", {"ids": "all"}, content_type="application/json")
    assert (r.status_code, r.json()["field"]) == (422, "ids")
    r = minji.post("/api/inbox/notifications/read", {"ids": list(range(1, 502))}, content_type="application/json")
    assert (r.status_code, r.json()["field"]) == (422, "ids")
    assert minji.get("/api/inbox/notifications", {"page_size": 0}).status_code == 422
