"""Session fixation, CSRF on page forms, and known XSS payloads in every rich-text field."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from madang.calls import services as calls
from madang.testing import PASSWORD

pytestmark = pytest.mark.django_db

# A selection of the classic filter-evasion payloads (OWASP XSS cheat sheet style).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
]


def test_it_gives_a_new_session_id_at_login(cast):
    client = Client()
    client.get("/people/login/")
    client.session.save()
    before = client.session.session_key
    response = client.post("/people/login/", {"username": cast.minji.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session.get("_auth_user_id") == str(cast.minji.pk)


def test_it_refuses_a_page_form_without_its_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=cast.seojun.username, password=PASSWORD)
    p = cast.proposal()
    response = client.post(f"/calls/p/{p.pk}/support/")
    assert response.status_code == 403
    assert not p.supports.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_lets_no_script_through_rich_text(cast, payload):
    p = cast.proposal(problem=f"<p>문제 {payload}</p>", solution=f"<p>해결 {payload}</p>", expected_effect=payload)
    calls.add_comment(actor=cast.seojun, proposal=p, body=payload)
    html = Client().get(f"/calls/p/{p.pk}/").content.decode()
    found = Elements()
    found.feed(html[html.index("<main") : html.index("</main>")])
    assert not found.dangerous, (payload, found.dangerous)


class Elements(HTMLParser):
    """What a browser would act on: tags and attributes, not text that merely looks like them."""

    def __init__(self) -> None:
        super().__init__()
        self.dangerous: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed", "base", "math"}:
            self.dangerous.append(tag)
        for name, value in attrs:
            lowered = (value or "").replace("\x00", "").strip().lower()
            if name.startswith("on") or (
                name in {"href", "src", "action", "data", "formaction"} and lowered.startswith("javascript:")
            ):
                self.dangerous.append(f"{tag} {name}={value}")
            if name == "style" and "javascript:" in lowered:
                self.dangerous.append(f"{tag} style")


def test_its_checker_would_catch_each_payload_unsanitised():
    caught = 0
    for payload in PAYLOADS:
        found = Elements()
        found.feed(payload)
        caught += bool(found.dangerous)
    assert caught >= len(PAYLOADS) - 1  # only the entity-encoded href hides from a plain parser
