"""The demo's finished hackathon has boards, judging with awards, and outcomes in several answer states."""

from html import escape

import pytest
from django.test import Client

from madang.events import selectors
from madang.events.models import Award, Board, Event, Judging
from madang.ledger.models import Entry
from madang.people.models import Role, RoleGrant


@pytest.fixture
def demo(demo_module, db, settings):
    """The demo, loaded once for the run (conftest.py's demo_module), with its files."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_module.media_dir
    return demo_module


def test_it_finishes_the_hackathon_with_boards_judging_and_routed_tasks(demo):
    done = Event.objects.get(slug="gov-hackathon-2026")
    kinds = set(Board.objects.filter(event=done).values_list("kind", flat=True))
    assert kinds == {"jam", "reverse", "harvest", "dots"}
    assert Judging.objects.filter(event=done, state="published").count() == 2
    assert Award.objects.filter(judging__event=done).count() == 2
    assert Entry.objects.filter(kind="events.judging_published").count() == 2
    sent = [t for t in done.tasks.all() if t.proposal_id]
    assert len(sent) == 3
    states = {s.state for t in sent for s in selectors.task_standings(t)}
    assert {"accept", "partial", "decline", "awaiting", "overdue"} <= states
    assert len(selectors.task_standings(sent[0])) == 60
    c = Client()
    facilitator = done.created_by
    c.force_login(facilitator)
    for url in ("boards/", "judging/", "outcomes/", "report/", f"boards/{done.boards.first().pk}/"):
        assert c.get(f"/events/{done.slug}/{url}").status_code == 200, url
    assert c.get(f"/events/{done.slug}/report/?format=pdf").content.startswith(b"%PDF")
    grants = RoleGrant.objects.filter(role=Role.LIAISON, user__username__startswith="hk").select_related(
        "user", "organisation"
    )
    waiting = next(
        g for g in grants if sent[0].proposal.routings.filter(department=g.organisation, state="awaiting").exists()
    )
    c.force_login(waiting.user)
    assert escape(sent[0].title) in c.get("/followup/").content.decode()
