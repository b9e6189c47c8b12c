import re

import pytest
from django.urls import reverse

from madang.insight import rules, services
from madang.insight.tests.duplicate_cast import build, client, outsiders
from madang.jobs.models import Job


@pytest.fixture
def d(cast):
    return build(cast)


def url(cast, tail=""):
    return f"/insight/{cast.call.slug}/topics/{tail}"


def test_it_lets_only_the_team_and_administrators_see_and_compute_the_map(cast, d):
    for role, who in outsiders(cast, d).items():
        assert not rules.can_see_topics(who, cast.call), role
        assert client(who).get(url(cast)).status_code == 404, role
        assert client(who).post(url(cast, "compute/")).status_code == 404, role
    assert client().get(url(cast)).status_code == 404
    assert not Job.objects.exists()
    for who in (cast.doyun, cast.admin):
        assert client(who).get(url(cast)).status_code == 200


def test_it_groups_the_call_into_labelled_themes_drawn_on_the_server(cast, d):
    assert client(cast.doyun).post(url(cast, "compute/")).status_code == 302
    job = Job.objects.get(kind=services.TOPICS_JOB)
    assert job.state == "done", job.error
    themes = job.result["themes"]
    assert job.result["proposals"] == 9 and sum(t["size"] for t in themes) == 9 and job.result["k"] == len(themes) >= 2
    words = {w for t in themes for w in t["words"]}
    assert {"버스", "쓰레기"} & words and all(len(w) >= 2 for w in words)
    by_word = {w: t for t in themes for w in t["words"]}
    # The bus proposals share a theme, and its most typical proposals are bus proposals.
    assert set(by_word["버스"]["top"]) <= {p.pk for p in d.others[:3]}
    html = client(cast.doyun).get(url(cast)).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert (
        svg.count("<circle") == len(themes)
        and "버스" in svg
        and "<script" not in svg.lower()
        and "cdn" not in html.lower()
    )
    assert all(f'href="{reverse("calls:proposal", args=[pk])}"' in html for t in themes for pk in t["top"])
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html)


def test_it_shows_the_internal_proposal_to_the_team_only_and_nothing_of_another_call(cast, d):
    client(cast.doyun).post(url(cast, "compute/"))
    html = client(cast.doyun).get(url(cast)).content.decode()
    assert reverse("calls:proposal", args=[d.internal.pk]) in html
    client(d.rival_team).post(f"/insight/{d.rival_call.slug}/topics/compute/")
    rival = client(d.rival_team).get(f"/insight/{d.rival_call.slug}/topics/").content.decode()
    assert all(p.title not in rival for p in (d.original, d.internal, *d.others))
    assert Job.objects.get(subject=f"insight-topics:{d.rival_call.pk}").result["proposals"] == 0


def test_it_answers_htmx_with_the_progress_partial(cast, d):
    r = client(cast.doyun).post(url(cast, "compute/"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'role="status"' in r.content.decode() and "<html" not in r.content.decode()
    assert client(cast.doyun).get(url(cast, "compute/")).status_code == 405
