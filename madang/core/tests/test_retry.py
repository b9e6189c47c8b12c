"""A refused form goes back to its page with the message and what was typed (core/retry.py)."""

from django.test import RequestFactory

from madang.core import retry

PAGE = """<main><details><summary>안건</summary>
<form method="post" action="/labs/x/decision/"><input type="hidden" name="csrfmiddlewaretoken" value="t1">
<input type="text" name="title" maxlength="200" required id="id_title">
<textarea name="body" rows="3" id="id_body">
</textarea>
<select name="kind"><option value="a" selected>A</option><option value="b">B</option></select>
<input type="checkbox" name="duties" value="budget"><input type="checkbox" name="duties" value="events" checked>
<input type="password" name="password"><button type="submit">올리기</button></form></details>
<form method="post" action="/labs/x/object/"><input type="hidden" name="decision" value="5"><textarea name="text">
</textarea></form>
<form method="post" action="/labs/x/object/"><input type="hidden" name="decision" value="6"><textarea name="text">
</textarea></form></main>"""


def test_it_fills_in_the_form_that_posts_to_the_failed_action():
    page = retry.fill_form(
        PAGE,
        action="/labs/x/decision/",
        page_path="/labs/x/",
        invalid="title",
        data={
            "title": ['회의 <안건> & "인용"'],
            "body": ["첫 줄\n</textarea> 둘째 줄"],
            "kind": ["b"],
            "duties": ["budget"],
            "password": ["never"],
        },
    )
    assert 'value="회의 &lt;안건&gt; &amp; &quot;인용&quot;" aria-invalid="true"' in page
    assert "첫 줄\n&lt;/textarea&gt; 둘째 줄</textarea>" in page
    assert '<option value="b" selected>' in page and '<option value="a">' in page
    assert '<input type="checkbox" name="duties" value="budget" checked>' in page
    assert '<input type="checkbox" name="duties" value="events">' in page
    assert "never" not in page
    assert "<details open>" in page  # the form was folded away: it is shown again
    assert page.count("<form") == 3


def test_it_picks_the_one_form_of_several_by_its_hidden_fields():
    page = retry.fill_form(
        PAGE, action="/labs/x/object/", page_path="/labs/x/", data={"decision": ["6"], "text": ["이의"]}
    )
    assert '<input type="hidden" name="decision" value="5"><textarea name="text">\n</textarea>' in page
    assert '<input type="hidden" name="decision" value="6"><textarea name="text">\n이의</textarea>' in page
    assert retry.fill_form(PAGE, action="/labs/x/object/", page_path="/labs/x/", data={"decision": ["7"]}) == PAGE
    assert retry.fill_form(PAGE, action="/labs/x/other/", page_path="/labs/x/", data={"title": ["x"]}) == PAGE


def test_it_never_keeps_a_password_a_token_or_an_opening():
    request = RequestFactory().post(
        "/people/x/",
        {
            "title": "제목",
            "password": "p",
            "new_password2": "p",
            "token": "t",
            "opening": "o",
            "csrfmiddlewaretoken": "c",
        },
    )
    request.session = {}
    retry.keep(request, "/page/", "title")
    assert request.session[retry.SESSION_KEY]["data"] == {"title": ["제목"]}


def test_it_goes_back_only_to_a_page_of_this_site():
    factory = RequestFactory()
    ours = factory.post("/labs/x/decision/", HTTP_REFERER="http://testserver/labs/x/?tab=2")
    assert retry.back_to(ours) == "/labs/x/?tab=2"
    assert retry.back_to(factory.post("/labs/x/decision/", HTTP_REFERER="https://evil.example/labs/x/")) is None
    assert retry.back_to(factory.post("/labs/x/decision/")) is None
