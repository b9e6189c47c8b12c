"""Every document from the demo: the finished hackathon's 60 letters, the 2026 call's report,
review sheets and letters, the event report, award papers, a lab report; each HWPX validated
and read back by an independent reader, each PDF's text checked."""

import io
import json
import zipfile

import pytest
from django.test import Client

from madang.calls.models import Call, Proposal
from madang.documents import catalogue, selectors, sources
from madang.documents.render.hwpx import validate
from madang.documents.tests.reading import assert_same_content, read_hwpx, read_pdf, squash
from madang.events.models import Event
from madang.labs.models import Lab
from madang.people.models import User


@pytest.fixture
def demo(demo_module, db, settings):
    """The demo, loaded once for the run (conftest.py's demo_module), with its files."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_module.media_dir
    return demo_module


def _check(item):
    _stem, kind, ctx = item
    doc = catalogue.build(kind, ctx, selectors.form_text(kind))
    hwpx, pdf = catalogue.produce(doc, "hwpx"), catalogue.produce(doc, "pdf")
    assert_same_content(doc, hwpx, pdf)
    return doc


def test_it_makes_every_document_of_the_demo_valid_in_both_formats(demo):
    event = Event.objects.get(slug="gov-hackathon-2026")
    call = Call.objects.filter(proposals__review_assignments__isnull=False).distinct().first()
    team = User.objects.get(username="team")
    letters = sources.event_letters(event, actor=event.created_by, serial=1)
    assert len(letters) == 60
    for item in letters[:3]:
        doc = _check(item)
        assert any("답변" in line for line in [getattr(b, "text", "") for b in doc.blocks])
    for item in [
        sources.call_report(call, actor=team),
        sources.review_summary(call, actor=team),
        *sources.review_sheets(call, actor=team)[:2],
        *sources.routing_letters(call, actor=team, serial=2)[:2],
        sources.event_report(event, actor=event.created_by),
        *sources.award_papers(event, actor=event.created_by),
        *[sources.lab_report(lab, actor=team) for lab in Lab.objects.all()[:2]],
        *[
            sources.notice(
                kind, proposal_number="2026-1", proposal_title="민원 서류 간소화", proposer="김민지", decision="채택"
            )
            for kind in catalogue.KINDS
            if kind.startswith("notice_")
        ],
    ]:
        _check(item)
    report = sources.event_report(event, actor=event.created_by)[2]
    assert len(report["by_agency"]) == 60 and report["answers"]


def test_it_lets_the_organiser_download_the_letters_as_a_zip_and_hides_them_from_others(demo):
    event = Event.objects.get(slug="gov-hackathon-2026")
    c = Client()
    c.force_login(event.created_by)
    assert c.post(f"/documents/events/{event.slug}/letters/").status_code == 302
    page = c.get(f"/documents/events/{event.slug}/").content.decode()
    batch = selectors.batches(f"event:{event.pk}")[0]
    assert f"/documents/batches/{batch.pk}/zip" in page
    z = zipfile.ZipFile(io.BytesIO(c.get(f"/documents/batches/{batch.pk}/zip").content))
    names = z.namelist()
    assert len(names) == 120 and sum(n.endswith(".hwpx") for n in names) == 60
    # The job skips python-hwpx's own check of each file (the form was checked when saved): check them all here.
    assert [n for n in names if n.endswith(".hwpx") and validate(z.read(n))] == []
    text, _ = read_hwpx(z.read(next(n for n in names if n.endswith(".hwpx"))))
    assert squash(event.title) in squash(text)
    outsider = User.objects.get(username="citizen")
    c.force_login(outsider)
    assert c.get(f"/documents/batches/{batch.pk}/zip").status_code == 404
    assert c.get(f"/documents/files/{batch.files.first().pk}/").status_code == 404
    assert c.get(f"/documents/events/{event.slug}/report.pdf").status_code == 404


def test_it_gives_the_innovation_team_the_call_report_in_both_formats_and_nobody_else(demo):
    call = Call.objects.filter(proposals__review_assignments__isnull=False).distinct().first()
    c = Client()
    c.force_login(User.objects.get(username="team"))
    hwpx = c.get(f"/documents/calls/{call.slug}/report.hwpx")
    pdf = c.get(f"/documents/calls/{call.slug}/report.pdf")
    assert hwpx.status_code == 200 and hwpx["Content-Disposition"].startswith("attachment")
    assert squash(call.title) in squash(read_hwpx(hwpx.content)[0])
    assert squash(call.title) in squash(read_pdf(pdf.content))
    assert c.post(f"/documents/calls/{call.slug}/make/review_sheets/").status_code == 302
    assert selectors.batches(f"call:{call.pk}")[0].files.count() >= 2
    assert c.get(f"/documents/calls/{call.slug}/report.docx").status_code == 404
    for who in ("official", "reviewer", "citizen"):
        c.force_login(User.objects.get(username=who))
        assert c.get(f"/documents/calls/{call.slug}/report.pdf").status_code == 404, who
        assert c.get(f"/documents/calls/{call.slug}/").status_code == 404, who


def test_it_publishes_open_data_without_internal_or_hidden_proposals_or_names(demo):
    call = Call.objects.filter(proposals__review_assignments__isnull=False).distinct().first()
    secret = Proposal.objects.filter(call=call, status="submitted").last()
    Proposal.objects.filter(pk=secret.pk).update(is_internal=True, title="내부 전용 비밀 제안")
    c = Client()
    body = json.loads(c.get(f"/documents/open/calls/{call.slug}.json").content)
    titles = [r["title"] for r in body["records"]]
    assert titles and "내부 전용 비밀 제안" not in titles and body["licence"]["ko"]
    csv_text = c.get(f"/documents/open/calls/{call.slug}.csv").content.decode("utf-8-sig")
    assert "내부 전용 비밀 제안" not in csv_text and csv_text.splitlines()[0].startswith("공모,")
    names = set(User.objects.exclude(display_name="").values_list("display_name", flat=True))
    assert not any(n in csv_text for n in names if len(n) >= 3)
    year = c.get(f"/documents/open/{secret.submitted_at.year}.json")
    assert "내부 전용 비밀 제안" not in year.content.decode()
    fields = json.loads(c.get("/documents/open/dictionary.json").content)["fields"]
    assert {f["field"] for f in fields} >= {"number", "answer", "execution"}
    Call.objects.filter(pk=call.pk).update(is_published=False)
    assert c.get(f"/documents/open/calls/{call.slug}.csv").status_code == 404
    assert c.get("/documents/open/").status_code == 200
