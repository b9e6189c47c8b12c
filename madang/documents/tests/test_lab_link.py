"""The lab's page links to its outcome report for those documents' rules allow (the lab's
managers and members), through a template tag: labs never imports documents."""

from madang.labs.tests.conftest import client, join, make_lab


def test_it_links_the_lab_page_to_its_outcome_report_for_managers_and_members_only(cast):
    lab = make_lab(cast)
    join(cast, lab, cast.minji)
    report = f"/documents/labs/{lab.slug}/report.hwpx"
    for who in (cast.doyun, cast.minji):  # the innovation team that runs it, a member
        page = client(who).get(f"/labs/{lab.slug}/").content.decode()
        assert report in page and f"/documents/labs/{lab.slug}/report.pdf" in page, who.username
        assert client(who).get(report).status_code == 200
    for who in (cast.seojun, cast.garam):  # an official and a citizen who may see the lab, not its papers
        response = client(who).get(f"/labs/{lab.slug}/")
        assert response.status_code == 200 and report not in response.content.decode(), who.username
        assert client(who).get(report).status_code == 404
    assert "성과 보고서" in client(cast.doyun, "ko").get(f"/labs/{lab.slug}/").content.decode()
