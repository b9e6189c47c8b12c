import pytest

from madang.calls.models import Outcome, PhaseKind
from madang.insight import rules, services
from madang.insight.tests.duplicate_cast import build, client, outsiders
from madang.jobs.models import Job
from madang.ledger.models import Entry
from madang.review.models import Decision
from madang.testing import set_phase


@pytest.fixture
def d(cast):
    return build(cast)


def url(cast, tail=""):
    return f"/insight/{cast.call.slug}/duplicates/{tail}"


def compute(cast):
    assert client(cast.doyun).post(url(cast, "compute/")).status_code == 302
    job = Job.objects.get(kind=services.DUPLICATES_JOB)
    assert job.state == "done", job.error
    return job


def merge(cast, d, who=None, language="ko", **headers):
    return client(who or cast.doyun, language).post(
        url(cast, "merge/"), {"proposal": d.resubmitted.pk, "into": d.original.pk}, **headers
    )


def test_it_lets_only_the_team_and_administrators_see_and_run_the_check(cast, d):
    compute(cast)
    for role, who in outsiders(cast, d).items():
        assert not rules.can_see_duplicates(who, cast.call), role
        assert client(who).get(url(cast)).status_code == 404, role
        assert client(who).post(url(cast, "compute/")).status_code == 404, role
        assert (
            client(who).post(url(cast, "merge/"), {"proposal": d.resubmitted.pk, "into": d.original.pk}).status_code
            == 404
        ), role
    assert client().get(url(cast)).status_code == 404
    assert client().post(url(cast, "compute/")).status_code == 302  # to the login page
    for who in (cast.doyun, cast.admin):
        assert rules.can_see_duplicates(who, cast.call)
        assert client(who).get(url(cast)).status_code == 200
    assert Job.objects.filter(kind=services.DUPLICATES_JOB).count() == 1
    d.resubmitted.refresh_from_db()
    assert d.resubmitted.outcome == Outcome.PENDING


def test_it_groups_the_resubmitted_proposals_in_a_job_and_says_why(cast, d):
    job = compute(cast)
    clusters = job.result["clusters"]
    assert len(clusters) == 1
    cluster = clusters[0]
    # The most supported proposal is kept; the resubmission and the internal copy are its members.
    assert cluster["keep"] == d.original.pk
    assert {m["proposal"] for m in cluster["members"]} == {d.original.pk, d.resubmitted.pk, d.internal.pk}
    assert all(0.6 <= m["similarity"] <= 1 for m in cluster["members"]) and cluster["min_similarity"] >= 0.6
    assert job.result["proposals"] == 9 and all(isinstance(m["shared"], list) for m in cluster["members"])
    html = client(cast.doyun).get(url(cast)).content.decode()
    assert d.original.title in html and d.resubmitted.title in html and d.internal.title in html
    assert "서류" in html and "csrfmiddlewaretoken" in html
    assert d.others[0].title not in html
    # Submission phase: no decisions yet, so the page says so instead of offering a button that fails.
    assert 'name="into"' not in html and "검토·선정·후속 조치 단계" in html


def test_it_shows_progress_to_htmx_and_reuses_a_running_job(cast, d):
    r = client(cast.doyun).post(url(cast, "compute/"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'class="job job-done"' in r.content.decode()
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state="running")
    assert services.request_duplicates(actor=cast.doyun, call=cast.call).pk == job.pk


def test_it_merges_with_one_click_through_the_foundations_merge(cast, d):
    compute(cast)
    set_phase(cast.call, PhaseKind.REVIEW)
    html = client(cast.doyun).get(url(cast)).content.decode()
    assert html.count('name="into"') == 2 and f'value="{d.original.pk}"' in html and html.count("hx-confirm=") == 2
    r = merge(cast, d)
    assert r.status_code == 302 and r["Location"] == url(cast)
    d.resubmitted.refresh_from_db()
    assert d.resubmitted.outcome == Outcome.MERGED and d.resubmitted.merged_into_id == d.original.pk
    decision = Decision.objects.get(proposal=d.resubmitted)
    assert decision.kind == "merge" and decision.reason
    assert Entry.objects.filter(kind="decision.merge", subject=f"proposal:{d.resubmitted.pk}").exists()
    assert cast.jihoon.pk in d.original.author_ids()  # the resubmitter now co-authors the kept proposal
    html = client(cast.doyun).get(url(cast)).content.decode()
    assert html.count('name="into"') == 1  # only the internal copy is left to merge
    # htmx: the cell is swapped for what happened.
    r = client(cast.doyun).post(
        url(cast, "merge/"), {"proposal": d.internal.pk, "into": d.original.pk}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "<html" not in r.content.decode() and f"#{d.original.number}" in r.content.decode()


def test_it_reports_merge_errors_in_korean_and_in_english(cast, d):
    compute(cast)
    r = merge(cast, d)  # submission phase: the foundation records no decisions yet
    assert r.status_code == 403 and "혁신팀" in r.content.decode()
    r = merge(cast, d, language="en")
    assert r.status_code == 403 and "innovation team" in r.content.decode()
    set_phase(cast.call, PhaseKind.REVIEW)
    assert merge(cast, d).status_code == 302
    r = merge(cast, d, language="en")
    assert r.status_code == 400 and "already been recorded" in r.content.decode()
    r = merge(cast, d, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'role="alert"' in r.content.decode() and "<html" not in r.content.decode()
    assert "이미" in r.content.decode()  # "A decision has already been recorded", in Korean
    r = client(cast.doyun).post(url(cast, "merge/"), {"proposal": d.original.pk, "into": d.original.pk})
    assert r.status_code == 400
    assert Decision.objects.filter(kind="merge").count() == 1


def test_it_refuses_bad_merge_posts_with_4xx_never_500(cast, d):
    c = client(cast.doyun)
    for data in [
        {},
        {"proposal": "x", "into": d.original.pk},
        {"proposal": d.resubmitted.pk},
        {"proposal": 10**12, "into": 1},
        {"proposal": -1, "into": d.original.pk},
    ]:
        assert 400 <= c.post(url(cast, "merge/"), data).status_code < 500, data
    assert c.post(url(cast, "merge/"), {"proposal": 999999, "into": d.original.pk}).status_code == 404
    assert c.get(url(cast, "merge/")).status_code == 405
    assert c.get("/insight/no-such-call/duplicates/").status_code == 404


def test_it_never_reaches_proposals_of_another_call_or_agency(cast, d):
    set_phase(cast.call, PhaseKind.REVIEW)
    set_phase(d.rival_call, PhaseKind.REVIEW)
    rival = client(d.rival_team)
    # The other province's team runs its own call's check: none of 한빛도's proposals, internal or not, appear.
    assert rival.post(f"/insight/{d.rival_call.slug}/duplicates/compute/").status_code == 302
    job = Job.objects.get(subject=f"insight-duplicates:{d.rival_call.pk}")
    assert job.result["proposals"] == 0 and job.result["clusters"] == []
    r = rival.post(
        f"/insight/{d.rival_call.slug}/duplicates/merge/", {"proposal": d.internal.pk, "into": d.original.pk}
    )
    assert r.status_code == 404
    # Nor can 한빛도's own team merge across calls through its page.
    r = client(cast.doyun).post(url(cast, "merge/"), {"proposal": d.resubmitted.pk, "into": 10**6})
    assert r.status_code == 404
    assert (
        d.internal.title not in client(d.rival_team).get(f"/insight/{d.rival_call.slug}/duplicates/").content.decode()
    )
    assert not Decision.objects.exists()


def test_it_shows_what_changed_since_the_run(cast, d):
    compute(cast)
    set_phase(cast.call, PhaseKind.REVIEW)
    services.merge_duplicate(actor=cast.doyun, call=cast.call, proposal=d.internal, into=d.original)
    html = client(cast.doyun, "en").get(url(cast)).content.decode()
    # The stored run still lists the internal copy; today it is shown as merged, with no button.
    assert html.count('name="into"') == 1 and "Merged" in html and f"#{d.original.number}</a>" in html


def test_the_teams_call_pages_link_to_both_views(cast, d):
    from django.urls import reverse

    board = client(cast.doyun).get(reverse("review:board", args=[cast.call.slug])).content.decode()
    opinion = client(cast.doyun).get(f"/insight/{cast.call.slug}/opinion/").content.decode()
    for html in (board, opinion):
        assert url(cast) in html and f"/insight/{cast.call.slug}/topics/" in html
    assert url(cast) not in client(cast.garam).get(f"/insight/{cast.call.slug}/opinion/").content.decode()


def test_it_shows_live_supports_and_submitted_while_the_call_takes_submissions(cast, d):
    compute(cast)
    html = client(cast.doyun).get(url(cast)).content.decode()
    # 김민지's original has two supports (not folded yet); nothing is under review during submission.
    assert "공감 2 · 제출 완료" in html and "검토 중" not in html
    set_phase(cast.call, PhaseKind.REVIEW)
    assert "공감 2 · 검토 중" in client(cast.doyun).get(url(cast)).content.decode()
