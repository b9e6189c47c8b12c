"""Authorship that holds (issue 12 §4): hidden authors stay hidden with their co-authors,
co-authorship is an invitation the invitee accepts, drafts are their authors' alone, and a
withdrawn proposal leaves the public record (its ledger entry stays)."""

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls import rules, selectors, services
from madang.calls.models import CoauthorInvitation, Proposal
from madang.core.errors import DomainError, Forbidden, NotFound
from madang.inbox.models import Notification, NotificationKind
from madang.ledger.models import Entry
from madang.testing import phases_around

ROLES = ["anonymous", "minji", "seojun", "jihoon", "garam", "bada", "yuna", "doyun", "sohee", "admin"]


def client(cast, who: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


@pytest.fixture
def blind(cast):
    """A call that hides authors until selection: 김민지's proposal, co-authored by 이서준,
    who comments on it (as does 박지훈, who is no author)."""
    call = services.create_call(
        actor=cast.doyun,
        slug="blind-2026",
        title="익명 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
        hide_authors=True,
    )
    p = services.create_proposal(
        actor=cast.minji,
        call=call,
        fields=services.ProposalFields(
            title="민원 창구 대기 줄이기", problem="대기가 깁니다.", solution="번호표를 앱으로 받습니다."
        ),
    )
    p = services.submit_proposal(actor=cast.minji, proposal=p)
    cast.coauthor(p, cast.seojun)
    services.add_comment(actor=cast.seojun, proposal=p, body="공동 제안자로서 보충합니다: 대기표 알림")
    services.add_comment(actor=cast.jihoon, proposal=p, body="교통과에서도 대기표 알림이 필요합니다")
    return Proposal.objects.get(pk=p.pk)


# ---------------------------------------------------------------- hidden authors


def test_it_hides_a_coauthors_name_on_their_comments_everywhere_while_authors_are_hidden(cast, blind):
    # Finding: 이서준 (a co-author) was named on his own comments on /calls/p/38/, in comment
    # search and in GET /api/calls/{slug}/comments while the call hid its authors.
    slug = blind.call.slug
    for who in ROLES:
        c = client(cast, who)
        shows = who in {"minji", "seojun", "doyun", "admin"}  # the authors and the innovation team
        page = c.get(f"/calls/p/{blind.pk}/").content.decode()
        found = c.get(f"/calls/c/{slug}/?within=comments&q=대기표").content.decode()
        hits = c.get(f"/api/calls/{slug}/comments?q=대기표").json()["items"]
        thread = c.get(f"/api/proposals/{blind.pk}/comments").json()
        assert ("이서준" in page, "이서준" in found) == (shows, shows), who
        assert {h["author"] for h in hits} == ({"이서준", "박지훈"} if shows else {None, "박지훈"}), who
        assert {t["author"] for t in thread} == ({"이서준", "박지훈"} if shows else {None, "박지훈"}), who
        assert "박지훈" in page and "박지훈" in found, who


def test_it_names_no_author_in_one_rule_for_every_place(cast, blind):
    assert rules.hidden_author_ids(cast.jihoon, blind) == {cast.minji.pk, cast.seojun.pk}
    assert rules.hidden_author_ids(cast.seojun, blind) == set()
    assert rules.hidden_author_ids(cast.doyun, blind) == set()


# ---------------------------------------------------------------- co-author invitations


def test_it_makes_co_authorship_an_invitation_the_invitee_accepts(cast):
    # Finding: an author could add any official as co-author without asking, who could edit at once.
    p = cast.proposal(submit=False)
    r = client(cast, "minji").post(f"/calls/p/{p.pk}/coauthors/", {"username": "jihoon"})
    assert r.status_code == 302
    assert p.author_ids() == {cast.minji.pk}
    invitation = CoauthorInvitation.objects.get(proposal=p, invitee=cast.jihoon)
    assert invitation.state == "pending"
    # Not an author yet: the draft is not his to read or edit, on the page or over the API.
    jihoon = client(cast, "jihoon")
    assert jihoon.get(f"/calls/p/{p.pk}/edit/").status_code == 404
    assert jihoon.patch(f"/api/proposals/{p.pk}", {"title": "몰래"}, content_type="application/json").status_code == 404
    # He sees it in his inbox, on his invitations page and in the API.
    note = Notification.objects.get(user=cast.jihoon, kind=NotificationKind.COAUTHOR)
    assert note.proposal_id == p.pk
    inbox = jihoon.get("/inbox/").content.decode()
    assert "/calls/invitations/" in inbox and p.title in inbox
    assert p.title in jihoon.get("/calls/invitations/").content.decode()
    listed = jihoon.get("/api/invitations").json()
    assert [(i["id"], i["state"], i["invited_by"]) for i in listed] == [(invitation.pk, "pending", "김민지")]
    # Nobody else can answer it.
    for who in ("seojun", "minji", "doyun"):
        assert (
            client(cast, who)
            .post(f"/api/invitations/{invitation.pk}/answer", {"accept": True}, content_type="application/json")
            .status_code
            == 404
        )
    r = jihoon.post(f"/api/invitations/{invitation.pk}/answer", {"accept": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    assert Proposal.objects.get(pk=p.pk).author_ids() == {cast.minji.pk, cast.jihoon.pk}
    assert (
        jihoon.patch(f"/api/proposals/{p.pk}", {"title": "함께 고친 제목"}, content_type="application/json").status_code
        == 200
    )


def test_it_lets_the_invitee_decline_on_the_page(cast):
    p = cast.proposal(submit=False)
    invitation = services.invite_coauthor(actor=cast.minji, proposal=p, invitee=cast.seojun)
    r = client(cast, "seojun").post(f"/calls/invitations/{invitation.pk}/answer/", {"accept": "0"})
    assert r.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "declined"
    assert p.author_ids() == {cast.minji.pk}
    with pytest.raises(DomainError) as err:
        services.answer_invitation(actor=cast.seojun, invitation=invitation, accept=True)
    assert err.value.code == "answered"


def test_it_invites_over_the_api_and_refuses_unknown_names(cast):
    p = cast.proposal(submit=False)
    minji = client(cast, "minji")
    r = minji.post(f"/api/proposals/{p.pk}/coauthors", {"username": "seojun"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["state"] == "pending" and r.json()["invitee"] == "이서준"
    unknown = minji.post(f"/api/proposals/{p.pk}/coauthors", {"username": "nobody"}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["field"] == "username"
    assert (
        client(cast, "seojun")
        .post(f"/api/proposals/{p.pk}/coauthors", {"username": "jihoon"}, content_type="application/json")
        .status_code
        == 404
    )


def test_it_cancels_a_pending_invitation_when_the_author_removes_the_invitee(cast):
    p = cast.proposal(submit=False)
    invitation = services.invite_coauthor(actor=cast.minji, proposal=p, invitee=cast.seojun)
    services.remove_coauthor(actor=cast.minji, proposal=p, coauthor=cast.seojun)
    invitation.refresh_from_db()
    assert invitation.state == "cancelled"
    with pytest.raises(Forbidden):
        services.answer_invitation(actor=cast.jihoon, invitation=invitation, accept=True)


# ---------------------------------------------------------------- drafts


def test_it_shows_a_draft_to_its_authors_only_not_the_team_or_admin(cast):
    # Finding: the innovation team and admins could read other people's drafts (/calls/p/39/, /api/proposals/39).
    draft = cast.proposal(submit=False)
    cast.coauthor(draft, cast.seojun)
    pending = services.invite_coauthor(actor=cast.minji, proposal=draft, invitee=cast.jihoon)
    assert pending.state == "pending"
    for who in ROLES:
        c = client(cast, who)
        expected = 200 if who in {"minji", "seojun"} else 404
        assert c.get(f"/calls/p/{draft.pk}/").status_code == expected, who
        assert c.get(f"/api/proposals/{draft.pk}").status_code == expected, who
    for person in (cast.doyun, cast.admin, cast.jihoon):
        with pytest.raises(NotFound):
            selectors.access_proposal(person, draft.pk)
        assert draft not in selectors.visible_proposals(person, cast.call)


# ---------------------------------------------------------------- withdrawn


def test_it_takes_a_withdrawn_proposal_off_the_public_record_but_keeps_its_ledger_entry(cast):
    p = cast.proposal()
    services.withdraw_proposal(actor=cast.minji, proposal=p)
    for who in ROLES:
        c = client(cast, who)
        expected = 200 if who in {"minji", "doyun", "admin"} else 404
        assert c.get(f"/calls/p/{p.pk}/").status_code == expected, who
        assert c.get(f"/api/proposals/{p.pk}").status_code == expected, who
        listed = [x["id"] for x in c.get(f"/api/calls/{cast.call.slug}/proposals").json()["items"]]
        assert (p.pk in listed) == (who in {"minji", "doyun", "admin"}), who
    assert not Proposal.objects.public().filter(pk=p.pk).exists()
    assert selectors.similar_proposals(cast.call, "민원 서류 간소화") == []
    assert list(Entry.objects.filter(subject=f"proposal:{p.pk}").values_list("kind", flat=True)) == [
        "proposal.submitted",
        "proposal.withdrawn",
    ]
    assert (
        "Withdrawn" in client(cast, "minji").get(f"/calls/p/{p.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        or "철회" in client(cast, "minji").get(f"/calls/p/{p.pk}/").content.decode()
    )
