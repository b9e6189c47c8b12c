import pytest
from django.test import Client

from madang.calls.models import Proposal
from madang.insight import services
from madang.jobs.models import Job


@pytest.fixture
def demo(demo_module, db, settings):
    """The demo, loaded once for the run (conftest.py's demo_module), with its files."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_module.media_dir
    return demo_module


def test_it_has_duplicates_and_a_topic_map_on_both_calls(demo):
    open_call = Job.objects.get(
        kind=services.DUPLICATES_JOB,
        subject__endswith=str(Proposal.objects.get(title="민원실 대기번호 모바일로 받기").call_id),
    )
    [*clusters] = open_call.result["clusters"]
    titles = [{Proposal.objects.get(pk=m["proposal"]).title for m in c["members"]} for c in clusters]
    assert {"민원실 대기번호 모바일로 받기", "민원실 대기 번호 모바일 발급"} in titles
    assert {"교통약자 콜택시 호출 통합", "교통약자 택시 호출 통합"} in titles
    topics = Job.objects.filter(kind=services.TOPICS_JOB, state="done")
    assert topics.count() == 2 and all(j.result["k"] >= 2 for j in topics)
    team, citizen = Client(), Client()
    assert team.login(username="team", password="madang-demo-2026")
    assert citizen.login(username="citizen", password="madang-demo-2026")
    for slug in ("hanbit-2026-citizens", "hanbit-2026-ideas"):
        for page in ("duplicates", "topics"):
            assert team.get(f"/insight/{slug}/{page}/").status_code == 200, (slug, page)
            assert citizen.get(f"/insight/{slug}/{page}/").status_code == 404, (slug, page)
    html = team.get("/insight/hanbit-2026-ideas/topics/").content.decode()
    assert "<svg" in html and html.count("<circle") >= 2
