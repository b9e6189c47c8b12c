"""What calls hold about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.calls.models import (
    Attachment,
    Call,
    CallChange,
    CoauthorInvitation,
    Comment,
    InternalMark,
    PersonalDataConfirmation,
    Proposal,
    ProposalRevision,
    Report,
)
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _proposals(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "title": p.title,
            "call": p.call.title,
            "status": p.status,
            "created": when(p.created_at),
            "submitted": when(p.submitted_at),
        }
        for p in Proposal.objects.filter(author=user).select_related("call")
    ]


def _coauthored(user: User) -> list[dict[str, Any]]:
    return [
        {"id": p.pk, "title": p.title, "call": p.call.title} for p in user.coauthored_proposals.select_related("call")
    ]


def _coauthor_invitations(user: User) -> list[dict[str, Any]]:
    received = CoauthorInvitation.objects.filter(invitee=user).select_related("proposal")
    sent = CoauthorInvitation.objects.filter(invited_by=user).select_related("proposal")
    return [
        {
            "proposal": i.proposal.title,
            "received": True,
            "state": i.state,
            "at": when(i.created_at),
            "answered": when(i.answered_at),
        }
        for i in received
    ] + [
        {
            "proposal": i.proposal.title,
            "received": False,
            "invitee": i.invitee_id,
            "state": i.state,
            "at": when(i.created_at),
        }
        for i in sent
    ]


def _comments(user: User) -> list[dict[str, Any]]:
    return [
        {"id": c.pk, "proposal": c.proposal_id, "text": c.body, "at": when(c.created_at), "hidden": when(c.hidden_at)}
        for c in Comment.objects.filter(author=user)
    ]


def _supports(user: User) -> list[dict[str, Any]]:
    return [
        {"proposal": s.proposal_id, "title": s.proposal.title, "at": when(s.created_at)}
        for s in user.supports.select_related("proposal")
    ]


def _reports(user: User) -> list[dict[str, Any]]:
    return [
        {"proposal": r.proposal_id, "comment": r.comment_id, "reason": r.reason, "at": when(r.created_at)}
        for r in Report.objects.filter(reporter=user)
    ]


def _revisions(user: User) -> list[dict[str, Any]]:
    return [
        {"proposal": r.proposal_id, "revision": r.number, "fields": r.fields, "at": when(r.created_at)}
        for r in ProposalRevision.objects.filter(editor=user)
    ]


def _attachments(user: User) -> list[dict[str, Any]]:
    return [
        {"proposal": a.proposal_id, "name": a.original_name, "size": a.size, "at": when(a.uploaded_at)}
        for a in Attachment.objects.filter(uploaded_by=user)
    ]


def _personal_data_confirmations(user: User) -> list[dict[str, Any]]:
    # Only the masked findings are kept (madang/calls/privacy.py), never what was found.
    return [
        {"proposal": c.proposal_id, "findings": c.findings, "at": when(c.created_at)}
        for c in PersonalDataConfirmation.objects.filter(actor=user)
    ]


def _work(user: User) -> list[dict[str, Any]]:
    """What the person did in an office role (the innovation team's moderation and call editing)."""
    done = [
        {"what": "call created", "call": c.pk, "at": when(c.created_at)} for c in Call.objects.filter(created_by=user)
    ]
    done += [
        {"what": "call changed", "call": c.call_id, "action": c.action, "reason": c.reason, "at": when(c.changed_at)}
        for c in CallChange.objects.filter(changed_by=user)
    ]
    done += [
        {
            "what": "proposal marked internal" if m.internal else "proposal made public",
            "proposal": m.proposal_id,
            "reason": m.reason,
            "at": when(m.marked_at),
        }
        for m in InternalMark.objects.filter(marked_by=user)
    ]
    done += [
        {"what": "comment hidden", "comment": c.pk, "reason": c.hidden_reason, "at": when(c.hidden_at)}
        for c in Comment.objects.filter(hidden_by=user)
    ]
    done += [
        {"what": "proposal hidden", "proposal": p.pk, "reason": p.hidden_reason, "at": when(p.hidden_at)}
        for p in Proposal.objects.filter(hidden_by=user)
    ]
    done += [
        {"what": "report resolved", "report": r.pk, "at": when(r.resolved_at)}
        for r in Report.objects.filter(resolved_by=user)
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("proposals", _proposals, owner="calls", covers=["calls.Proposal.author"])
    add("coauthored_proposals", _coauthored, owner="calls", covers=["calls.Proposal.coauthors"])
    add(
        "coauthor_invitations",
        _coauthor_invitations,
        owner="calls",
        covers=["calls.CoauthorInvitation.invitee", "calls.CoauthorInvitation.invited_by"],
    )
    add("comments", _comments, owner="calls", covers=["calls.Comment.author"])
    add("supports", _supports, owner="calls", covers=["calls.Support.user"])
    add("reports", _reports, owner="calls", covers=["calls.Report.reporter"])
    add("proposal_revisions", _revisions, owner="calls", covers=["calls.ProposalRevision.editor"])
    add("attachments", _attachments, owner="calls", covers=["calls.Attachment.uploaded_by"])
    add(
        "personal_data_confirmations",
        _personal_data_confirmations,
        owner="calls",
        covers=["calls.PersonalDataConfirmation.actor"],
    )
    add(
        "calls_work",
        _work,
        owner="calls",
        covers=[
            "calls.Call.created_by",
            "calls.CallChange.changed_by",
            "calls.InternalMark.marked_by",
            "calls.Comment.hidden_by",
            "calls.Proposal.hidden_by",
            "calls.Report.resolved_by",
        ],
    )
