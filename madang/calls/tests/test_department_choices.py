"""강도윤 (innovation team) and 윤소희 (liaison) pick a department by name and place, among many alike."""

import re

from django.test import Client

from madang.calls.forms import ProposalForm
from madang.followup.forms import AnswerForm
from madang.people import services as people
from madang.people.models import OrgKind
from madang.review.forms import DecisionForm


def city(cast):
    """새벽시, a city inside 한빛도, with its own 민원과 (the name 한빛도 uses too)."""
    town = people.create_organisation(
        actor=None, code="hanbit-saebyeok", name="새벽시", kind=OrgKind.LOCAL, parent=cast.province
    )
    people.create_organisation(
        actor=None, code="saebyeok-town-civil", name="민원과", kind=OrgKind.DEPARTMENT, parent=town
    )
    people.create_organisation(
        actor=None, code="saebyeok-town-roads", name="도로과", name_en="Roads", kind=OrgKind.DEPARTMENT, parent=town
    )
    return town


def groups(field):
    return [(label, [name for _pk, name in options]) for label, options in list(field.choices)[1:]]


def test_it_groups_departments_by_agency_with_their_whole_path_in_order(cast):
    city(cast)
    for form in (ProposalForm(call=cast.call), AnswerForm(call=cast.call), DecisionForm(proposal=cast.proposal())):
        name = {"ProposalForm": "suggested_department", "AnswerForm": "transfer_to", "DecisionForm": "department"}[
            type(form).__name__
        ]
        found = groups(form.fields[name])
        assert found == [
            (
                "한빛도",
                [
                    "한빛도 › 교통과",
                    "한빛도 › 기획과",
                    "한빛도 › 민원과",
                    "한빛도 › 복지과",
                    "한빛도 › 정보화과",
                    "한빛도 › 혁신담당관",
                ],
            ),
            ("한빛도 › 새벽시", ["한빛도 › 새벽시 › 도로과", "한빛도 › 새벽시 › 민원과"]),
        ]
        assert all(
            "새벽도" not in label for _g, labels in found for label in labels
        )  # another province answers for nothing here


def test_it_renders_a_plain_grouped_select_that_works_without_scripts(cast):
    city(cast)
    html = DecisionForm(proposal=cast.proposal())["department"].as_widget()
    assert '<optgroup label="한빛도 › 새벽시">' in html
    assert re.search(r'<option value="\d+">한빛도 › 새벽시 › 민원과</option>', html)
    # The search box is only for pages running scripts (class js-only) and asks the server.
    assert (
        'class="js-only dept-search"' in html
        and f'hx-get="/calls/c/{cast.call.slug}/departments/?field=department"' in html
    )


def test_it_filters_departments_on_the_server_for_a_search_box(cast):
    city(cast)
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    url = f"/calls/c/{cast.call.slug}/departments/"
    html = c.get(url, {"q": "새벽 민원"}).content.decode()
    assert re.findall(r"<option[^>]*>([^<]*)</option>", html) == ["한빛도 › 새벽시 › 민원과"]
    html = c.get(url, {"q": "roads"}).content.decode()  # the English name counts too
    assert re.findall(r"<option[^>]*>([^<]*)</option>", html) == ["한빛도 › 새벽시 › 도로과"]
    html = c.get(url, {"q": "민원", "field": "department", "department": str(cast.civil.pk)}).content.decode()
    assert f'<option value="{cast.civil.pk}" selected>한빛도 › 민원과</option>' in html
    assert "없습니다" in c.get(url, {"q": "없는부서"}).content.decode()
    assert "---------" in c.get(url).content.decode()  # an empty search offers every department and the blank


def test_it_answers_a_bad_search_with_a_message_and_hides_other_bodies_calls(cast):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    url = f"/calls/c/{cast.call.slug}/departments/"
    assert c.get(url, {"field": "department", "department": "x"}).status_code == 400
    assert c.get("/calls/c/no-such-call/departments/").status_code == 404
