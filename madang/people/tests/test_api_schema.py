"""The API describes itself: a valid OpenAPI document and docs that load nothing from outside."""

import re

import openapi_spec_validator as validator
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse


def test_it_serves_a_valid_openapi_document():
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    validator.validate(schema)
    assert schema["info"]["title"] == "Madang API"
    paths = set(schema["paths"])
    assert {
        "/api/me",
        "/api/tokens",
        "/api/calls",
        "/api/calls/{slug}",
        "/api/calls/{slug}/proposals",
        "/api/calls/{slug}/similar",
        "/api/proposals/{pk}",
        "/api/proposals/{pk}/submit",
        "/api/proposals/{pk}/withdraw",
        "/api/proposals/{pk}/support",
        "/api/proposals/{pk}/comments",
        "/api/proposals/{pk}/reports",
        "/api/review/assignments",
        "/api/review/assignments/{pk}/scorecard",
        "/api/review/calls/{slug}/results",
        "/api/review/calls/{slug}/assignments",
        "/api/review/proposals/{pk}/decision",
        "/api/followup/proposals/{pk}/routings",
        "/api/followup/inbox",
        "/api/followup/routings/{pk}",
        "/api/followup/routings/{pk}/answer",
        "/api/followup/routings/{pk}/updates",
        "/api/inbox/notifications",
        "/api/inbox/notifications/read",
    } <= paths
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_it_states_the_services_limits_in_the_schema():
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert schema["ProposalIn"]["properties"]["title"]["maxLength"] == 200
    assert schema["ProposalIn"]["properties"]["problem"]["maxLength"] == 20_000
    assert schema["CommentIn"]["properties"]["body"]["maxLength"] == 4_000
    assert schema["ReportIn"]["properties"]["reason"]["maxLength"] == 300


def test_it_serves_the_docs_from_local_static_files_only():
    url = reverse("api-1:openapi-view")
    assert url == "/api/docs"
    r = Client().get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), (
        "the docs page names an outside host"
    )
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert '"validatorUrl": null' in html


def test_it_answers_unknown_addresses_in_json():
    r = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/no/such/thing")
    assert r.status_code == 404
    assert r.json() == {
        "code": "not_found",
        "message": "The page or item was not found, or you may not see it.",
        "field": None,
    }
    assert Client().delete("/api/calls").status_code == 405


def test_it_gives_every_schema_its_own_name():
    """The OpenAPI document names components by class name: two `PersonOut`s in two apps would
    silently share one definition, and clients would read one app's answer with the other's shape."""
    import importlib
    import pkgutil

    from ninja import Schema

    import madang

    seen: dict[str, str] = {}
    clashes = []
    for module_info in pkgutil.iter_modules(madang.__path__):
        try:
            module = importlib.import_module(f"madang.{module_info.name}.api")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                if name in seen and seen[name] != module.__name__:
                    clashes.append(f"{name}: {seen[name]} and {module.__name__}")
                seen.setdefault(name, module.__name__)
    assert not clashes, clashes
