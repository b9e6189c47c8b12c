"""The proposal form tells the writer, in their language, what the call requires."""

from django.test import Client


def page(cast, lang: str) -> str:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(cast.minji)
    r = c.get(f"/calls/c/{cast.call.slug}/propose/")
    assert r.status_code == 200
    return r.content.decode()


def test_it_names_the_calls_required_fields_by_their_labels(cast):
    html = page(cast, "ko")
    assert "이 공모의 필수 항목: 문제점, 해결 방안" in html
    assert "problem, solution" not in html
    assert "Required in this call: Problem, Proposed solution" in page(cast, "en")


def test_it_marks_the_fields_needed_to_submit_but_lets_a_draft_leave_them_empty(cast):
    html = page(cast, "ko")
    assert '<label for="id_problem">문제점 <span aria-hidden="true">*</span></label>' in html
    assert '<label for="id_expected_effect">기대 효과</label>' in html
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.minji)
    r = c.post(f"/calls/c/{cast.call.slug}/propose/", {"title": "반쯤 쓴 초안", "save": "1"})
    assert r.status_code == 302
    assert cast.minji.proposals.get(title="반쯤 쓴 초안").status == "draft"


def test_it_offers_the_department_and_category_choices_in_korean(cast):
    html = page(cast, "ko")
    assert "- 선택하세요 -" in html
    assert "Select an option" not in html
