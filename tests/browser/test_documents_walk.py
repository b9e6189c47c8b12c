"""The office's documents in the browser: the organiser of a hackathon downloads its official
letters to the agencies as one zip, and the innovation team a call's result report in HWPX and
in PDF. Every HWPX is validated against the OWPML schema and read back with the independent
reader the documents tests use (hwp-hwpx-parser), every PDF with pypdf."""

import io
import zipfile

import pytest

from madang.documents.render.hwpx import validate
from madang.documents.tests.reading import read_hwpx, read_pdf, squash
from madang.events import services
from madang.events.tests.conftest import agency, official

from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


def _download(page, link):  # type: ignore[no-untyped-def]
    with page.expect_download() as got:
        link.click()
    return got.value.suggested_filename, open(got.value.path(), "rb").read()


def test_it_downloads_the_letters_of_an_event_as_a_zip_and_a_calls_report_in_both_formats(cast, open_page, settings):
    settings.MADANG_JOBS_EAGER = True  # the live server runs in this process: the batch job runs at once
    doyun = cast.doyun  # the innovation team: organises the event and runs the call
    event = services.create_event(
        actor=doyun, organisation=cast.province, slug="docs", title="공문 해커톤", capacity=20, max_per_agency=2
    )
    services.set_event_state(actor=doyun, event=event, state="open")
    services.register(actor=cast.minji, event=event)  # 한빛도
    services.register(actor=cast.bada, event=event)  # 새벽도
    services.register(actor=official("d00", "참가자00", agency("docsx", "바다시"), 7), event=event)
    for title in ("서류 없는 민원", "쉬운 공문서"):
        services.agree_task(actor=doyun, task=services.create_task(actor=doyun, event=event, title=title))
    agencies = ["한빛도", "새벽도", "바다시"]

    page = open_page("ko")
    login(page, "doyun")
    page.goto(page.base + f"/documents/events/{event.slug}/")
    page.locator("main form[action$='/letters/'] button[type=submit]").click()
    page.wait_for_selector("a.button[href*='/zip']")
    name, data = _download(page, page.locator("a.button[href*='/zip']").first)
    assert name.endswith(".zip")
    z = zipfile.ZipFile(io.BytesIO(data))
    hwpx = sorted(n for n in z.namelist() if n.endswith(".hwpx"))
    pdf = sorted(n for n in z.namelist() if n.endswith(".pdf"))
    assert len(hwpx) == len(pdf) == len(agencies) == len(z.namelist()) // 2
    for agency_name in agencies:  # one letter in each format per agency, named after it
        assert sum(agency_name in n for n in hwpx) == 1 and sum(agency_name in n for n in pdf) == 1, agency_name
    for n in hwpx:
        assert validate(z.read(n)) == [], n
        text, tables = read_hwpx(z.read(n))
        recipient = next(a for a in agencies if a in n)
        assert squash(f"{recipient}장") in squash(text) and squash(event.title) in squash(text)
        assert any("서류없는민원" in squash(cell) for t in tables for row in t for cell in row)
    for n in pdf:
        assert squash(event.title) in squash(read_pdf(z.read(n)))

    call = cast.call
    page.goto(page.base + f"/documents/calls/{call.slug}/")
    links = page.locator("main li", has_text="결과 보고").first.locator("a")
    name, data = _download(page, links.filter(has_text="HWPX"))
    assert name.endswith(".hwpx") and validate(data) == []
    assert squash(call.title) in squash(read_hwpx(data)[0])
    name, data = _download(page, links.filter(has_text="PDF"))
    assert name.endswith(".pdf") and data[:4] == b"%PDF"
    assert squash(call.title) in squash(read_pdf(data))

    # someone who is neither organiser nor innovation team gets "not found", not the files
    other = open_page("ko")
    login(other, "minji")
    assert other.goto(other.base + f"/documents/events/{event.slug}/").status == 404
    assert other.goto(other.base + f"/documents/calls/{call.slug}/").status == 404
