import csv
import io

from django.test import Client
from openpyxl import load_workbook


def test_it_exports_csv_with_statuses_for_korean_excel(cast):
    cast.proposal(title='=HYPERLINK("x")')
    cast.proposal(author=cast.seojun, title="교통 안내 개선")
    r = Client().get(f"/calls/c/{cast.call.slug}/export.csv")
    assert r.status_code == 200
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3
    titles = {row[1] for row in rows[1:]}
    assert "교통 안내 개선" in titles
    assert '\'=HYPERLINK("x")' in titles  # formula injection neutralised


def test_it_exports_xlsx(cast):
    cast.proposal()
    r = Client().get(f"/calls/c/{cast.call.slug}/export.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 2
    assert ws.cell(2, 2).value == "민원 서류 간소화"


def test_it_hides_authors_in_exports_until_selection(cast):
    cast.call.hide_authors = True
    cast.call.save()
    cast.proposal()
    text = Client().get(f"/calls/c/{cast.call.slug}/export.csv").content.decode()
    assert "김민지" not in text
    team = Client()
    team.force_login(cast.doyun)
    assert "김민지" in team.get(f"/calls/c/{cast.call.slug}/export.csv").content.decode()


def test_it_refuses_unknown_formats(cast):
    assert Client().get(f"/calls/c/{cast.call.slug}/export.pdf").status_code == 404


def export_text(user, cast):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c.get(f"/calls/c/{cast.call.slug}/export.csv").content.decode()


def test_it_names_authors_and_coauthors_by_the_proposals_own_rule(cast):
    """김민지 writes with 박지훈 while the call hides authors: 이서준 reads neither name in the
    export; 박지훈 sees his own proposal's authors, as on its page; the team sees both."""
    cast.call.hide_authors = True
    cast.call.save()
    cast.coauthor(cast.proposal(), cast.jihoon)
    outsider = export_text(cast.seojun, cast)
    assert "김민지" not in outsider and "박지훈" not in outsider
    assert "김민지, 박지훈" in export_text(cast.jihoon, cast)
    assert "김민지, 박지훈" in export_text(cast.doyun, cast)
