"""The yearly suggestion report (연간 제안 실적) as HWPX and PDF: the figures of the report page in real
tables, read back from both files, with the page's chart embedded; downloadable by whoever may see
the page (the office's innovation team and the site administrator), 404 for everyone else."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from madang.documents import sources
from madang.documents.tests.reading import made_and_read, read_hwpx, read_pdf, squash
from madang.suggestions import packs, services
from madang.suggestions.services import EffectFigures
from madang.suggestions.tests.awards_packs import open_award_office, with_award_packs
from madang.suggestions.tests.conftest import file
from madang.suggestions.tests.test_lifecycle import adopted, not_adopted

pytestmark = pytest.mark.django_db

COMPLAINT = "단순한 주의환기·진정·비판·건의 또는 불만의 표시"  # the pack's label of mere_complaint


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def history(cast, monkeypatch):
    """한빛도's 2025 under the test award pack: a standing suggestion implemented on its date, awarded gold,
    with its projected and actual effect; one returned as a mere complaint; one not adopted; one
    transferred; an official's still under review; a 실시제안 implemented late after a delay and
    awarded bronze. And one from 2024, which the 2025 report leaves out."""
    ps = with_award_packs()
    monkeypatch.setattr(packs, "active", lambda: ps)
    office = open_award_office(cast)
    on_time = file(cast, office, title="정시 실시")
    adopted(cast, on_time, implement_by=date(2025, 6, 30))
    services.record_effect(
        actor=cast.doyun,
        suggestion=on_time,
        measure="projected",
        figures=EffectFigures(budget_saved_krw=10_000_000, citizen_hours=1_000),
        evidence="추정",
        today=date(2025, 3, 25),
    )
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=on_time, kind="implemented", note="완료", today=date(2025, 6, 30)
    )
    services.award(actor=cast.doyun, suggestion=on_time, grade="gold", note="우수", today=date(2025, 7, 1))
    services.record_effect(
        actor=cast.doyun,
        suggestion=on_time,
        measure="actual",
        figures=EffectFigures(budget_saved_krw=12_500_000, citizen_hours=1_200, staff_hours=35),
        evidence="실적",
        today=date(2025, 7, 2),
    )
    returned = file(cast, office, title="불만")
    services.decide(
        actor=cast.doyun,
        suggestion=returned,
        outcome="return",
        ground="mere_complaint",
        explanation="단순 불만",
        panel=[cast.yuna],
        today=date(2025, 3, 12),
    )
    not_adopted(cast, file(cast, office, title="어려움"))
    services.decide(
        actor=cast.doyun,
        suggestion=file(cast, office, title="국도 포장"),
        outcome="transfer",
        ground="other_agency",
        explanation="국토교통부 소관",
        panel=[cast.yuna],
        transfer_to="국토교통부",
        today=date(2025, 3, 18),
    )
    file(cast, office, cast.minji, title="검토 중")
    late = file(cast, office, title="늦은 실시", kind="implemented", evidence="이미 시행 중")
    adopted(cast, late)
    services.plan_implementation(
        actor=cast.sohee, suggestion=late, text="확대", implement_by=date(2025, 5, 1), today=date(2025, 3, 25)
    )
    services.notify_delay(
        actor=cast.sohee, suggestion=late, reason="예산", new_date=date(2025, 8, 1), today=date(2025, 4, 20)
    )
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=late, kind="implemented", note="완료", today=date(2025, 7, 15)
    )
    services.award(actor=cast.doyun, suggestion=late, grade="bronze", note="확대", today=date(2025, 7, 20))
    file(cast, office, title="작년", on=date(2024, 11, 4))
    return office


# Known by hand from the history: label, then 상시제안, 공모제안, 실시제안, 합계.
EXPECTED = [
    ["접수", "5", "0", "1", "6"],
    [f"반려: {COMPLAINT}", "1", "0", "0", "1"],
    ["반려", "1", "0", "0", "1"],
    ["이송", "1", "0", "0", "1"],
    ["심사 중", "1", "0", "0", "1"],
    ["불채택", "1", "0", "0", "1"],
    ["채택", "1", "0", "1", "2"],
    ["실시 완료", "1", "0", "1", "2"],
    ["기한 내 실시", "1", "0", "0", "1"],
    ["시상: 금상", "1", "0", "0", "1"],
    ["시상: 동상", "0", "0", "1", "1"],
    ["부상금(원)", "3,000,000", "0", "1,000,000", "4,000,000"],
    ["실제 효과: 예산 절감액(원)", "12,500,000", "0", "0", "12,500,000"],
    ["실제 효과: 수입 증대액(원)", "0", "0", "0", "0"],
    ["실제 효과: 국민이 절약한 시간", "1,200", "0", "0", "1,200"],
    ["실제 효과: 직원이 절약한 시간", "35", "0", "0", "35"],
    ["예상 효과: 예산 절감액(원)", "10,000,000", "0", "0", "10,000,000"],
    ["예상 효과: 수입 증대액(원)", "0", "0", "0", "0"],
    ["예상 효과: 국민이 절약한 시간", "1,000", "0", "0", "1,000"],
    ["예상 효과: 직원이 절약한 시간", "0", "0", "0", "0"],
]
CHARTED = [
    ["1", "접수", "6"],
    ["2", "채택", "2"],
    ["3", "실시 완료", "2"],
    ["4", "기한 내 실시", "1"],
    ["5", "시상", "2"],
]


def _files(cast, office):
    item = sources.suggestion_report(office, 2025, actor=cast.doyun)
    made_and_read(item)  # valid HWPX; every line and every cell in both files
    r_hwpx = client(cast.doyun).get(f"/documents/suggestions/report/{cast.province.code}/2025.hwpx")
    r_pdf = client(cast.doyun).get(f"/documents/suggestions/report/{cast.province.code}/2025.pdf")
    assert r_hwpx.status_code == 200 and r_hwpx["Content-Type"] == "application/hwp+zip"
    assert r_pdf.status_code == 200 and r_pdf["Content-Type"] == "application/pdf"
    return item, r_hwpx.content, r_pdf.content


def test_it_puts_the_years_figures_in_real_tables_in_both_formats(cast, history):
    _item, hwpx, pdf = _files(cast, history)
    text, tables = read_hwpx(hwpx)
    clean = [[[squash(c) for c in row] for row in t] for t in tables]
    assert [squash(c) for c in ["번호", "구분", "건수"]] == clean[1][0]
    assert clean[1][1:] == [[squash(c) for c in row] for row in CHARTED]
    assert clean[2][0] == [squash(c) for c in ["항목", "상시제안", "공모제안", "실시제안", "합계"]]
    assert clean[2][1:] == [[squash(c) for c in row] for row in EXPECTED]
    flat_pdf = squash(read_pdf(pdf))
    for row in [*EXPECTED, *CHARTED]:  # each row's cells in order on the PDF's page
        assert re.search(".*?".join(re.escape(squash(c)) for c in row), flat_pdf), row
    overview = ["한빛도 2025년 제안 실적 보고", "2025년에 접수한 제안", "2025. 1. 1.~2025. 12. 31.", "시험용 시상 규정"]
    for words in overview:
        assert squash(words) in squash(text) and squash(words) in flat_pdf, words
    assert squash("작년") not in flat_pdf


def test_it_has_the_same_figures_as_the_report_page(cast, history):
    _item, hwpx, _pdf = _files(cast, history)
    page = client(cast.doyun).get(f"/suggestions/report/{cast.province.code}/2025/").content.decode()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    on_page = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in body.split("</tr>") if "<td" in row]
    in_document = [[c.replace(",", "") for c in row[1:]] for row in read_hwpx(hwpx)[1][2][1:]]
    assert on_page == in_document and len(on_page) == len(EXPECTED)


def test_it_embeds_the_pages_chart_in_both_formats(cast, history):
    item, hwpx, pdf = _files(cast, history)
    chart = item[2]["chart"]
    assert item[2]["figures"] == [{"number": n, "label": k, "value": v} for n, k, v in CHARTED]
    with zipfile.ZipFile(io.BytesIO(hwpx)) as z:
        assert any(z.read(name) == chart.data for name in z.namelist() if name.startswith("BinData/"))
    images = [img for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images]
    assert [(img.image.width, img.image.height) for img in images if img.image] == [(chart.width, chart.height)]


def test_the_report_is_korean_whatever_the_readers_language(cast, history):
    with translation.override("en"):
        _stem, _kind, ctx = sources.suggestion_report(history, 2025, actor=cast.doyun)
    assert ctx["rows"][0] == {"figure": "접수", "standing": "5", "contest": "0", "implemented": "1", "total": "6"}
    hwpx_text, pdf_text = made_and_read((_stem, _kind, ctx))
    assert squash("실시제안") in hwpx_text and squash("실시제안") in pdf_text
    assert "Already-implemented" not in hwpx_text


def test_whoever_may_see_the_report_page_downloads_it_and_nobody_else(cast, history):
    page_url = f"/suggestions/report/{cast.province.code}/2025/"
    base = f"/documents/suggestions/report/{cast.province.code}"
    for who in (cast.doyun, cast.admin):  # the office's innovation team, the site administrator
        assert client(who).get(page_url).status_code == 200
        page = client(who).get(page_url).content.decode()
        assert f"{base}/2025.hwpx" in page and f"{base}/2025.pdf" in page
        r = client(who).get(f"{base}/2025.pdf")
        assert r.status_code == 200 and squash("기한 내 실시") in squash(read_pdf(r.content))
        assert squash("부상금(원)") in squash(read_hwpx(client(who).get(f"{base}/2025.hwpx").content)[0])
    # A proposer (citizen and official), the implementing liaison, an official of another province.
    for who in (cast.garam, cast.minji, cast.sohee, cast.seojun, cast.bada):
        assert client(who).get(page_url).status_code == 404, who.username
        for fmt in ("hwpx", "pdf"):
            assert client(who).get(f"{base}/2025.{fmt}").status_code == 404, (who.username, fmt)
    assert client().get(f"{base}/2025.pdf").status_code == 302  # not signed in: to the login page
    assert client(cast.doyun).get(f"{base}/1800.pdf").status_code == 404
    assert client(cast.doyun).get("/documents/suggestions/report/nowhere/2025.pdf").status_code == 404
    assert client(cast.doyun).get(f"{base}/2025.docx").status_code == 404
