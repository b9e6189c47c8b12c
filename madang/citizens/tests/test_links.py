"""Links e-mailed to citizens name the host the request came to; without a request, MADANG_SITE_URL."""

from django.test import Client

from madang.citizens import services
from madang.citizens.models import Invitation


def test_the_confirmation_link_names_the_host_the_member_joined_at(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["madang.example.go.kr"]
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_HOST="madang.example.go.kr").post(
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
    [mail] = mailoutbox
    assert "http://madang.example.go.kr/citizens/verify/" in mail.body and "127.0.0.1:8000" not in mail.body


def test_invitations_name_the_host_the_draw_was_made_at(
    cast, committed, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["hanbit.example.go.kr"]
    Invitation.objects.all().delete()
    for v in committed.volunteerings.select_related("user"):
        services.grant_consent(actor=v.user, purpose="invitations")
    c = Client(HTTP_HOST="hanbit.example.go.kr")
    c.force_login(cast.doyun)
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(f"/citizens/pools/{committed.pk}/draw/", {"seed": "3 11 19 24 38 42 + 7"}).status_code == 302
    assert mailoutbox and all(
        f"http://hanbit.example.go.kr/citizens/pools/{committed.pk}/" in m.body for m in mailoutbox
    )


def test_without_a_request_the_configured_site_url_is_used(cast, drawn, settings, mailoutbox):
    settings.SITE_URL = "https://madang.example.go.kr"
    invitations = list(drawn.invitations.all())
    for inv in invitations:
        services.grant_consent(actor=inv.user, purpose="invitations")
    services.send_invitations([inv.pk for inv in invitations])  # as the worker would, later
    assert mailoutbox and all(f"https://madang.example.go.kr/citizens/pools/{drawn.pk}/" in m.body for m in mailoutbox)
