"""A refused action on a lab's page returns to the page with its message and what was typed,
instead of an error page at the action's address (which a reload answers with 405)."""

from madang.labs.models import LabDecision

from .conftest import client


def test_it_returns_to_the_form_with_the_message_and_what_was_typed(cast, running):
    minji = client(cast.minji)
    page = f"http://testserver/labs/{running.slug}/"
    r = minji.post(
        f"/labs/{running.slug}/decision/",
        {"title": "주 1회 현장 방문", "body": "매주 목요일 민원실에 갑니다", "consent_days": "30"},
        HTTP_REFERER=page,
    )
    assert r.status_code == 303 and r["Location"] == f"/labs/{running.slug}/"
    assert not LabDecision.objects.exists()
    back = minji.get(r["Location"])
    html = back.content.decode()
    assert back.status_code == 200
    assert (
        '<p class="msg error">이의 제기 기간(일): 값이 14 이하이어야 합니다.</p>' in html
    )  # the form's message, in Korean
    assert (
        'value="주 1회 현장 방문"' in html and "매주 목요일 민원실에 갑니다</textarea>" in html and 'value="30"' in html
    )
    again = minji.get(r["Location"]).content.decode()  # what was typed is given back once
    assert 'value="주 1회 현장 방문"' not in again and "msg error" not in again


def test_a_refused_rule_returns_to_the_page_too(cast, running):
    seojun = client(cast.seojun)  # not a member: the service refuses (403)
    r = seojun.post(
        f"/labs/{running.slug}/duties/", {"duties": ["budget"]}, HTTP_REFERER=f"http://testserver/labs/{running.slug}/"
    )
    assert r.status_code == 303
    assert "msg error" in seojun.get(r["Location"]).content.decode()


def test_without_a_page_to_return_to_it_answers_with_the_error_as_before(cast, running):
    minji = client(cast.minji)
    r = minji.post(f"/labs/{running.slug}/decision/", {"title": "안건", "body": "내용", "consent_days": "30"})
    assert r.status_code == 400
    elsewhere = minji.post(
        f"/labs/{running.slug}/decision/",
        {"title": "안건", "body": "내용", "consent_days": "30"},
        HTTP_REFERER="https://elsewhere.example/labs/",
    )
    assert elsewhere.status_code == 400
    assert minji.post("/labs/no-such-lab/decision/", {}, HTTP_REFERER="http://testserver/labs/").status_code == 404
