"""An office edits its forms; an edit that breaks the document is refused when it is saved."""

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.documents import catalogue, selectors, services
from madang.documents.forms import FormForm
from madang.documents.models import Form
from madang.documents.render.hwpx import validate
from madang.documents.tests.reading import read_hwpx
from madang.testing import PASSWORD


def test_it_keeps_a_good_edit_and_uses_it(cast):
    text = catalogue.default_text("notice_receipt").replace("제안 접수 통지", "제안 접수 알림")
    services.save_form(actor=cast.admin, kind="notice_receipt", text=text)
    assert "제안 접수 알림" in selectors.form_text("notice_receipt")
    _stem, kind, ctx = __import__("madang.documents.sources", fromlist=["notice"]).notice(
        "notice_receipt", proposal_number="2026-3", proposal_title="주차장 공유", proposer="김민지"
    )
    made = services.render_item(kind, ctx)
    assert made["hwpx"][:2] == b"PK" and made["pdf"][:4] == b"%PDF"
    assert validate(made["hwpx"]) == [] and "제안 접수 알림" in read_hwpx(made["hwpx"])[0]


def test_it_refuses_a_broken_edit_with_a_clear_message_in_korean(cast, settings):
    settings.LANGUAGE_CODE = "ko"
    broken = catalogue.default_text("letter_event_tasks").replace("$deadline", "$answer_by")
    with pytest.raises(DomainError) as caught:
        services.save_form(actor=cast.admin, kind="letter_event_tasks", text=broken)
    assert "$answer_by" in str(caught.value.message)
    assert not Form.objects.exists()
    form = FormForm(data={"kind": "letter_event_tasks", "text": '[[block]]\ntype = "poem"'})
    assert not form.is_valid() and form.errors["text"]


def test_only_administrators_change_forms_and_a_reset_returns_to_the_shipped_form(cast):
    shipped = catalogue.default_text("notice_receipt")
    for someone in (cast.doyun, cast.minji):
        with pytest.raises(Forbidden):
            services.save_form(actor=someone, kind="notice_receipt", text=shipped)
    services.save_form(actor=cast.admin, kind="notice_receipt", text=shipped.replace("제안 접수 통지", "접수 알림"))
    with pytest.raises(Forbidden):
        services.reset_form(actor=cast.doyun, kind="notice_receipt")
    services.reset_form(actor=cast.admin, kind="notice_receipt")
    assert not Form.objects.exists() and selectors.form_text("notice_receipt") == shipped


def test_the_admin_pages_save_and_delete_through_the_services(cast, client):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    assert (
        client.post(
            "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}
        ).status_code
        == 302
    )
    text = catalogue.default_text("notice_receipt").replace("제안 접수 통지", "접수 알림")
    response = client.post("/admin/documents/form/add/", {"kind": "notice_receipt", "text": text})
    assert response.status_code == 302
    form = Form.objects.get()
    assert form.updated_by == cast.admin and "접수 알림" in selectors.form_text("notice_receipt")
    response = client.post(f"/admin/documents/form/{form.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Form.objects.exists()
