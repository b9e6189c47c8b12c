"""Who wrote a proposal: co-authors, withdrawals, and names hidden until selection."""

import pytest
from django.utils import timezone

from madang.calls import rules, services
from madang.calls.models import PhaseKind, Proposal, Status
from madang.core.errors import DomainError, Forbidden
from madang.ledger.models import Entry
from madang.testing import phases_around, set_phase


@pytest.fixture
def blind_call(cast):
    return services.create_call(
        actor=cast.doyun,
        slug="blind-2026",
        title="익명 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
        hide_authors=True,
    )


def blind_proposal(cast, call):
    p = services.create_proposal(
        actor=cast.minji,
        call=call,
        fields=services.ProposalFields(title="익명 제안", problem="문제", solution="해결"),
    )
    return services.submit_proposal(actor=cast.minji, proposal=p)


def test_it_hides_authors_from_colleagues_before_selection(cast, blind_call):
    p = blind_proposal(cast, blind_call)
    assert not rules.can_see_authors(cast.seojun, p)
    assert not rules.can_see_authors(cast.yuna, p)
    set_phase(blind_call, PhaseKind.REVIEW)
    assert not rules.can_see_authors(cast.jihoon, p)


def test_it_shows_authors_to_themselves_and_the_team(cast, blind_call):
    p = blind_proposal(cast, blind_call)
    assert rules.can_see_authors(cast.minji, p)
    assert rules.can_see_authors(cast.doyun, p)
    assert rules.can_see_authors(cast.admin, p)


def test_it_shows_authors_to_everyone_from_selection_on(cast, blind_call):
    p = blind_proposal(cast, blind_call)
    for kind in (PhaseKind.SELECTION, PhaseKind.FOLLOW_THROUGH):
        set_phase(blind_call, kind)
        assert rules.can_see_authors(cast.seojun, p)


def test_it_shows_authors_in_an_ordinary_call(cast):
    assert rules.can_see_authors(cast.seojun, cast.proposal())


def test_it_makes_a_coauthor_an_author_once_they_accept(cast):
    p = cast.proposal(submit=False)
    invitation = services.invite_coauthor(actor=cast.minji, proposal=p, invitee=cast.jihoon)
    assert p.author_ids() == {cast.minji.pk}
    assert not rules.can_edit_proposal(cast.jihoon, p)
    with pytest.raises(Forbidden):
        services.update_proposal(
            actor=cast.jihoon, proposal=p, fields=services.ProposalFields(title="묻지 않고 고친 제목")
        )
    services.answer_invitation(actor=cast.jihoon, invitation=invitation, accept=True)
    p = Proposal.objects.get(pk=p.pk)
    assert p.author_ids() == {cast.minji.pk, cast.jihoon.pk}
    assert rules.can_edit_proposal(cast.jihoon, p)
    services.update_proposal(actor=cast.jihoon, proposal=p, fields=services.ProposalFields(title="함께 고친 제목"))
    p.refresh_from_db()
    assert p.title == "함께 고친 제목"


def test_it_refuses_the_same_coauthor_twice_and_the_author_as_coauthor(cast):
    p = cast.proposal(submit=False)
    services.invite_coauthor(actor=cast.minji, proposal=p, invitee=cast.seojun)
    cast.coauthor(p, cast.jihoon)
    for person in (cast.jihoon, cast.minji, cast.seojun):
        with pytest.raises(DomainError) as err:
            services.invite_coauthor(actor=cast.minji, proposal=p, invitee=person)
        assert err.value.code == "duplicate"
    assert list(p.coauthors.all()) == [cast.jihoon]


def test_it_refuses_coauthors_who_may_not_take_part(cast):
    p = cast.proposal(submit=False)
    for outsider in (cast.bada, cast.garam):
        with pytest.raises(DomainError) as err:
            services.invite_coauthor(actor=cast.minji, proposal=p, invitee=outsider)
        assert err.value.code == "not_eligible"
    assert not p.coauthors.exists()


def test_it_lets_only_authors_change_coauthors_while_editable(cast):
    p = cast.proposal()
    with pytest.raises(Forbidden):
        services.invite_coauthor(actor=cast.seojun, proposal=p, invitee=cast.seojun)
    cast.coauthor(p, cast.seojun)
    set_phase(cast.call, PhaseKind.REVIEW)
    with pytest.raises(Forbidden):
        services.remove_coauthor(actor=cast.minji, proposal=p, coauthor=cast.seojun)
    assert list(p.coauthors.all()) == [cast.seojun]


def test_it_removes_a_coauthor(cast):
    p = cast.proposal(submit=False)
    cast.coauthor(p, cast.jihoon)
    services.remove_coauthor(actor=cast.minji, proposal=p, coauthor=cast.jihoon)
    assert p.author_ids() == {cast.minji.pk}
    assert not rules.can_edit_proposal(cast.jihoon, p)


def test_it_withdraws_a_proposal_and_records_it(cast):
    p = cast.proposal()
    p = services.withdraw_proposal(actor=cast.minji, proposal=p)
    assert p.status == Status.WITHDRAWN
    assert Entry.objects.filter(kind="proposal.withdrawn", subject=f"proposal:{p.pk}").count() == 1


def test_it_keeps_the_number_of_a_withdrawn_proposal(cast):
    first = services.withdraw_proposal(actor=cast.minji, proposal=cast.proposal())
    second = cast.proposal(author=cast.seojun, title="다음 제안")
    assert (first.number, second.number) == (1, 2)


def test_it_lets_only_authors_withdraw_and_only_during_submission(cast):
    p = cast.proposal()
    with pytest.raises(Forbidden):
        services.withdraw_proposal(actor=cast.seojun, proposal=p)
    set_phase(cast.call, PhaseKind.REVIEW)
    with pytest.raises(DomainError) as err:
        services.withdraw_proposal(actor=cast.minji, proposal=p)
    assert err.value.code == "closed"
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED


def test_it_never_resubmits_a_withdrawn_proposal(cast):
    p = services.withdraw_proposal(actor=cast.minji, proposal=cast.proposal())
    with pytest.raises(DomainError) as err:
        services.submit_proposal(actor=cast.minji, proposal=p)
    assert err.value.code == "withdrawn"


def test_it_refuses_to_withdraw_a_draft(cast):
    p = cast.proposal(submit=False)
    with pytest.raises(DomainError):
        services.withdraw_proposal(actor=cast.minji, proposal=p)


def test_the_edit_page_and_the_api_remove_a_coauthor_cancel_an_invitation_and_let_a_coauthor_leave(cast, client):
    from django.test import Client

    from madang.calls.models import InvitationState

    p = cast.proposal(submit=False)
    cast.coauthor(p, cast.jihoon)
    invitation = services.invite_coauthor(actor=cast.minji, proposal=p, invitee=cast.seojun)
    client.force_login(cast.minji)
    page = client.get(f"/calls/p/{p.pk}/edit/").content.decode()
    assert f"/calls/p/{p.pk}/coauthors/{cast.jihoon.pk}/remove/" in page
    assert f"/calls/p/{p.pk}/coauthors/{cast.seojun.pk}/remove/" in page
    assert client.post(f"/calls/p/{p.pk}/coauthors/{cast.seojun.pk}/remove/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.CANCELLED
    # Someone who is neither a co-author nor invited is not found, whoever asks.
    assert client.post(f"/calls/p/{p.pk}/coauthors/{cast.yuna.pk}/remove/").status_code == 404
    # The co-author leaves through the API; another colleague cannot remove anybody.
    other = Client()
    other.force_login(cast.haneul)
    assert other.delete(f"/api/proposals/{p.pk}/coauthors/{cast.jihoon.pk}").status_code in (403, 404)
    jihoon = Client()
    jihoon.force_login(cast.jihoon)
    assert jihoon.delete(f"/api/proposals/{p.pk}/coauthors/{cast.jihoon.pk}").status_code == 204
    assert p.author_ids() == {cast.minji.pk}


def test_author_ids_read_the_prefetched_coauthors_and_follow_changes_made_through_the_manager(cast):
    from django.contrib.auth.models import AnonymousUser

    from madang.calls import selectors as calls_selectors

    alone = calls_selectors.read_proposal(AnonymousUser(), cast.proposal(author=cast.minji).pk)
    assert alone.author_ids() == {cast.minji.pk}  # (recorded as none found: nothing asked)
    shared = cast.proposal(author=cast.jihoon)
    cast.coauthor(shared, cast.seojun)
    read = calls_selectors.read_proposal(AnonymousUser(), shared.pk)
    assert read.author_ids() == {cast.jihoon.pk, cast.seojun.pk}
    read.coauthors.add(cast.sohee)  # (Django drops the prefetch: the answer follows)
    assert read.author_ids() == {cast.jihoon.pk, cast.seojun.pk, cast.sohee.pk}
    read.coauthors.remove(cast.seojun)
    assert read.author_ids() == {cast.jihoon.pk, cast.sohee.pk}
