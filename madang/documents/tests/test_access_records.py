"""Downloads of documents that name people go to the access records (a reason first above the
threshold): a lab's outcome report, a reviewer's sheets, a suggestion's notices, an award's papers;
reports that name no one record nothing."""

from django.test import Client

from madang.calls.models import PhaseKind
from madang.documents import access, selectors
from madang.labs.tests.conftest import join, make_lab
from madang.privacy.models import AccessRecord
from madang.review import services as review
from madang.testing import set_phase

from .test_suggestion_notices import lived  # noqa: F401 (a fixture: 한가람's suggestion, lived through)


def client(user):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(user)
    return c


def downloads():
    return list(
        AccessRecord.objects.filter(action="download").values_list("actor_id", "kind", "scope", "count", "reason")
    )


def test_it_records_a_lab_report_by_the_members_it_names(cast, settings):
    lab = make_lab(cast)
    join(cast, lab, cast.minji, cast.jihoon)
    assert client(cast.minji).get(f"/documents/labs/{lab.slug}/report.pdf").status_code == 200
    assert downloads() == [(cast.minji.pk, "people.accounts", f"lab:{lab.pk}", 2, "")]
    settings.MADANG_PRIVACY_REASON_OVER = 1
    asked = client(cast.doyun).get(f"/documents/labs/{lab.slug}/report.hwpx")
    assert asked.status_code == 200 and b'name="reason"' in asked.content and len(downloads()) == 1
    got = client(cast.doyun).post(f"/documents/labs/{lab.slug}/report.hwpx", {"reason": "성과 보고 결재용"})
    assert got["Content-Type"] == "application/hwp+zip"
    assert downloads()[-1] == (cast.doyun.pk, "people.accounts", f"lab:{lab.pk}", 2, "성과 보고 결재용")


def test_it_records_nothing_for_reports_that_name_no_one(cast):
    cast.proposal()
    for path in ("report.pdf", "review-summary.hwpx"):
        assert client(cast.doyun).get(f"/documents/calls/{cast.call.slug}/{path}").status_code == 200
    assert downloads() == []


def test_it_records_the_review_sheets_by_reviewer(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    for reviewer in (cast.yuna, cast.haneul):
        a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=reviewer)
        full = {c.pk: c.max_score for c in cast.call.criteria.all()}
        review.submit_scorecard(actor=reviewer, assignment=a, scores=full, verdict="feasible")
    c = client(cast.doyun)
    assert c.post(f"/documents/calls/{cast.call.slug}/make/review_sheets/").status_code == 302
    batch = selectors.batches(f"call:{cast.call.pk}")[0]
    assert c.get(f"/documents/batches/{batch.pk}/zip").status_code == 200
    assert downloads() == [(cast.doyun.pk, "people.accounts", f"call:{cast.call.pk}", 2, "")]
    one = batch.files.order_by("pk").first()
    assert c.get(f"/documents/files/{one.pk}/").status_code == 200
    assert downloads()[-1][3] == 1


def test_it_records_the_office_downloading_a_notice_that_names_the_proposer(cast, lived):  # noqa: F811 (the fixture)
    assert client(cast.doyun).get(f"/documents/suggestions/{lived.pk}/receipt.pdf").status_code == 200
    assert downloads() == [(cast.doyun.pk, "people.accounts", f"suggestion:{lived.pk}", 1, "")]


def test_it_counts_the_people_an_award_paper_names_once():
    ctx = {"awards": [{"members": "김민지, 이서준"}, {"members": "이서준, 문지아"}, {"members": ""}]}
    assert access.people_in("award_merit", ctx) == ("events.registrations", 3)
    assert access.people_in("letter_routing", {"proposals": []}) is None


def test_every_notice_to_a_proposer_counts_as_naming_them():
    # the award, cannot-implement and ruling notices came after the list of notices that name people
    from madang.documents import catalogue

    notices = {kind for kind in catalogue.KINDS if kind.startswith("notice_")}
    assert notices == set(access.NOTICES)
    assert all(access.people_in(kind, {"proposer": "한가람"}) == ("people.accounts", 1) for kind in notices)


def test_it_records_nothing_for_the_yearly_suggestion_figures():
    assert access.people_in("suggestion_report", {"rows": []}) is None
