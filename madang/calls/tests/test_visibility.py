"""Who sees which proposals: drafts, internal proposals, and "not found" for both missing and forbidden."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from madang.calls import selectors, services
from madang.calls.models import PhaseKind
from madang.core.errors import NotFound
from madang.review import services as review
from madang.testing import set_phase


def test_it_shows_a_draft_only_to_its_authors(cast):
    draft = cast.proposal(submit=False)
    cast.coauthor(draft, cast.jihoon)
    assert selectors.access_proposal(cast.minji, draft.pk) == draft
    assert selectors.access_proposal(cast.jihoon, draft.pk) == draft
    for person in (cast.seojun, cast.yuna, cast.sohee, cast.garam, AnonymousUser()):
        with pytest.raises(NotFound):
            selectors.access_proposal(person, draft.pk)
        assert draft not in selectors.visible_proposals(person, cast.call)
    assert draft in selectors.visible_proposals(cast.jihoon, cast.call)
    # The team may open a draft (e.g. from a report) but does not get others' drafts listed.
    assert draft not in selectors.visible_proposals(cast.doyun, cast.call)


def test_it_answers_not_found_alike_for_missing_and_forbidden(cast):
    draft = cast.proposal(submit=False)
    with pytest.raises(NotFound) as missing:
        selectors.access_proposal(cast.seojun, draft.pk + 1000)
    with pytest.raises(NotFound) as forbidden:
        selectors.access_proposal(cast.seojun, draft.pk)
    assert (missing.value.code, str(missing.value)) == (forbidden.value.code, str(forbidden.value))
    assert missing.value.status == forbidden.value.status == 404


def test_it_shows_submitted_proposals_to_everyone(cast):
    p = cast.proposal()
    for person in (cast.seojun, cast.garam, cast.bada, AnonymousUser()):
        assert selectors.access_proposal(person, p.pk) == p
        assert list(selectors.visible_proposals(person, cast.call)) == [p]


def test_it_shows_an_internal_proposal_to_its_reviewers_and_liaisons_only(cast):
    p = cast.proposal()
    services.set_internal(actor=cast.doyun, proposal=p, internal=True, reason="보안 검토 중")
    set_phase(cast.call, PhaseKind.REVIEW)

    for person in (cast.seojun, cast.garam, cast.yuna, cast.sohee, AnonymousUser()):
        with pytest.raises(NotFound):
            selectors.access_proposal(person, p.pk)
        assert p not in selectors.visible_proposals(person, cast.call)

    review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=14)
    )
    for person in (cast.yuna, cast.sohee, cast.doyun, cast.minji):
        assert selectors.access_proposal(person, p.pk) == p
        assert list(selectors.visible_proposals(person, cast.call)) == [p]
    assert p not in selectors.visible_proposals(cast.sehun, cast.call)
    with pytest.raises(NotFound):
        selectors.access_proposal(cast.haneul, p.pk)


def test_it_lets_only_the_team_mark_proposals_internal(cast):
    from madang.core.errors import Forbidden

    p = cast.proposal()
    with pytest.raises(Forbidden):
        services.set_internal(actor=cast.minji, proposal=p, internal=True, reason="보안 검토 중")
    p.refresh_from_db()
    assert not p.is_internal


def test_it_lists_a_proposal_once_however_many_ways_it_is_visible(cast):
    p = cast.proposal()
    cast.coauthor(p, cast.seojun)
    set_phase(cast.call, PhaseKind.REVIEW)
    review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.haneul)
    assert list(selectors.visible_proposals(cast.yuna, cast.call)) == [p]
    assert list(selectors.visible_proposals(cast.seojun, cast.call)) == [p]


def test_it_hides_an_unpublished_call(cast):
    cast.call.is_published = False
    cast.call.save(update_fields=["is_published"])
    with pytest.raises(NotFound):
        selectors.access_call(cast.seojun, cast.call.slug)
    assert selectors.access_call(cast.doyun, cast.call.slug) == cast.call


def test_what_a_call_shares_is_tested_on_each_row_not_listed_first(cast):
    """Issue 18, at national scale: "what the call shares" was `pk IN (every shared proposal of
    the call)`, which SQLite listed in full for every page (100,000 rows, 160 ms of CPU a page).
    Stated on the row, a page walks the call's index instead. The same proposals either way."""
    shown = cast.proposal()
    draft = cast.proposal(title="초안", submit=False)
    for reader, kwargs in ((AnonymousUser(), {"shared_only": True}), (AnonymousUser(), {}), (cast.jihoon, {})):
        qs = selectors.search_proposals(reader, cast.call, **kwargs)
        assert str(qs.query).count('FROM "calls_proposal"') == 1  # (no second reading of the call's proposals)
        assert shown in qs and draft not in qs
    cast.call.is_published = False
    assert not selectors.search_proposals(AnonymousUser(), cast.call, shared_only=True).exists()
