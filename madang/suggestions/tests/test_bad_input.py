"""Every page and endpoint of the suggestion system, sent the shapes of bad input that once gave
500s elsewhere (tests/fuzz), as the office and as the proposer: a clear 4xx, never a 5xx."""

import json

import pytest
from django.test import Client

from madang.suggestions import forms, services, views
from madang.suggestions.tests.conftest import fields

pytestmark = pytest.mark.django_db

SHAPES = ["²", "9999999999999999999999999", "-1", "0", "\x00", "", "가" * 5000]
NAMES = sorted(
    {
        n
        for f in (
            forms.FileForm,
            forms.SupplementForm,
            forms.AnswerForm,
            forms.DecideForm,
            forms.ReexamineForm,
            forms.PlanForm,
            forms.DelayForm,
            forms.CannotForm,
            forms.RuleForm,
        )
        for n in f.base_fields
    }
    | {"office", "stage", "office_id", "proposal_id", "panel_ids", "department_id", "type", "kind", "new_date"}
)


def test_it_never_answers_bad_shapes_with_a_server_error(cast, office):
    s = services.file_suggestion(actor=cast.garam, office=office, fields=fields())
    pages = [
        "/suggestions/",
        "/suggestions/implementation/",
        "/suggestions/mine/",
        f"/suggestions/file/{office.pk}/",
        f"/suggestions/receive/{s.proposal_id}/",
        f"/suggestions/{s.pk}/",
        *[f"/suggestions/{s.pk}/{name}/" for name in views.ACTIONS],
    ]
    endpoints = [
        "/api/suggestions",
        "/api/suggestions/receipts",
        f"/api/suggestions/{s.pk}/supplements",
        f"/api/suggestions/{s.pk}/decision",
        f"/api/suggestions/{s.pk}/reexamination",
        f"/api/suggestions/{s.pk}/reexamination/decision",
        f"/api/suggestions/{s.pk}/plan",
        f"/api/suggestions/{s.pk}/delays",
        f"/api/suggestions/{s.pk}/cannot-implement",
        f"/api/suggestions/{s.pk}/ruling",
    ]
    failures = []
    for who in (cast.doyun, cast.garam):
        c = Client(HTTP_ACCEPT_LANGUAGE="ko", raise_request_exception=False)
        c.force_login(who)
        for shape in SHAPES:
            data = dict.fromkeys(NAMES, shape)
            for url in pages:
                for r in (c.get(url, data), c.post(url, data)):
                    if r.status_code >= 500:
                        failures.append((who.username, url, repr(shape[:10]), r.status_code))
            for url in endpoints:
                for body in (data, {**data, "panel_ids": [shape]}):
                    r = c.post(url, json.dumps(body), content_type="application/json")
                    if r.status_code >= 500:
                        failures.append((who.username, url, repr(shape[:10]), r.status_code))
    assert not failures, failures[:20]
