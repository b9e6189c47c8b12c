from django.test import Client

from madang.calls.models import Call, PhaseKind


def form_data(cast, **overrides):
    data = {
        "title": "2027 도민 아이디어 공모",
        "slug": "ideas-2027",
        "description": "<p>설명</p>",
        "organisation": cast.province.pk,
        "audience": "both",
        "submission_start": "2027-05-13",
        "submission_end": "2027-06-04",
        "review_end": "2027-06-20",
        "selection_end": "2027-06-30",
        "follow_end": "2027-12-31",
        "required": ["problem", "solution"],
        "categories": "민원\n교통",
        "criteria": "실현 가능성 | 2 | 5\n효과 | 1 | 10",
        "hide_authors": "on",
    }
    data.update(overrides)
    return data


def test_it_opens_a_call_with_phases_categories_and_criteria(cast):
    c = Client()
    c.force_login(cast.doyun)
    r = c.post("/calls/new/", form_data(cast))
    assert r.status_code == 302
    call = Call.objects.get(slug="ideas-2027")
    assert [p.kind for p in call.ordered_phases()] == [
        PhaseKind.SUBMISSION,
        PhaseKind.REVIEW,
        PhaseKind.SELECTION,
        PhaseKind.FOLLOW_THROUGH,
    ]
    assert call.ordered_phases()[0].ends_at <= call.ordered_phases()[1].starts_at
    assert [(k.name, float(k.weight), k.max_score) for k in call.criteria.all()] == [
        ("실현 가능성", 2.0, 5),
        ("효과", 1.0, 10),
    ]
    assert list(call.categories.values_list("name", flat=True)) == ["민원", "교통"]
    assert call.hide_authors and call.required_fields == ["problem", "solution"]


def test_it_refuses_dates_out_of_order_and_bad_criteria(cast):
    c = Client()
    c.force_login(cast.doyun)
    r = c.post("/calls/new/", form_data(cast, review_end="2027-05-01"))
    assert r.status_code == 400
    r = c.post("/calls/new/", form_data(cast, criteria="이름 | 무게 | 5"))
    assert r.status_code == 400
    assert not Call.objects.filter(slug="ideas-2027").exists()


def test_it_refuses_a_taken_address(cast):
    c = Client()
    c.force_login(cast.doyun)
    r = c.post("/calls/new/", form_data(cast, slug=cast.call.slug))
    assert r.status_code == 400
    assert Call.objects.filter(slug=cast.call.slug).count() == 1
