import pytest
from django.test import Client

from madang.insight.models import OpinionSnapshot, RankingSnapshot, Statement


@pytest.fixture
def demo(demo_module, db, settings):
    """The demo, loaded once for the run (conftest.py's demo_module), with its files."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_module.media_dir
    return demo_module


def test_it_has_an_opinion_map_and_a_ranking_on_the_open_call(demo):
    snap = OpinionSnapshot.objects.get(call__slug="hanbit-2026-citizens")
    assert snap.n_participants == 40 and 2 <= snap.data["k"] <= 3
    assert Statement.objects.filter(call__slug="hanbit-2026-citizens", state="approved").count() == 12
    ranking = RankingSnapshot.objects.get(call__slug="hanbit-2026-citizens")
    assert ranking.n_votes == 300
    c = Client()
    for tail in ("opinion/", "survey/", "survey/results/"):
        assert c.get(f"/insight/hanbit-2026-citizens/{tail}").status_code == 200, tail
    assert c.login(username="team", password="madang-demo-2026")
    for tail in ("opinion/", "survey/", "survey/results/"):
        assert c.get(f"/insight/hanbit-2026-citizens/{tail}").status_code == 200, tail
