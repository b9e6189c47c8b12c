"""Every page carries the security headers and a content security policy with no inline script."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/calls/", "/ledger/", "/people/login/", "/api/docs", "/citizens/join/"]


@pytest.mark.parametrize("path", PAGES)
def test_it_sends_a_strict_content_security_policy(cast, path):
    response = Client().get(path)
    assert response.status_code == 200, path
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_it_has_no_inline_script_or_foreign_source_in_its_pages(cast, path):
    response = Client().get(path)
    html, policy = response.content.decode(), response["Content-Security-Policy"]
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/json"' in tag:
            continue  # data, not code (the API docs' settings)
        src = re.search(r'\bsrc="([^"]+)"', tag)
        assert src, f"inline script on {path}: {tag}"
        assert src.group(1).startswith("/static/"), f"script from elsewhere on {path}: {tag}"
        nonce = re.search(r'nonce="([^"]+)"', tag)
        if nonce:
            assert f"'nonce-{nonce.group(1)}'" in policy
    assert not re.search(r"<[a-z]+[^>]*\son(click|load|submit|change|input|error)=", html), f"inline handler on {path}"
