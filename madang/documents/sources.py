"""The values each document is made of, read from the domain apps through their selectors.

Each function returns plain data: a list of (file stem, kind, context). Nothing here writes,
and nothing here decides who may see what: the views check that before calling."""

import io
from collections.abc import Hashable
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from PIL import Image as PILImage

from madang.calls.models import Status
from madang.core.errors import DomainError
from madang.documents.catalogue import KINDS, bars
from madang.documents.models import Letterhead
from madang.documents.render.templating import Picture
from madang.events import selectors
from madang.events.models import Award, RegState
from madang.events.printables import _groups_of
from madang.followup.models import Routing
from madang.followup.selectors import follow_states
from madang.inbox.models import Notification, NotificationKind
from madang.labs.screening import DECISION
from madang.people.models import User
from madang.privacy import exposure
from madang.privacy import selectors as privacy_reads
from madang.review.models import Decision, Scorecard
from madang.review.services import results
from madang.suggestions import clocks as suggestion_clocks
from madang.suggestions import notices as sent_notices
from madang.suggestions import packs as suggestion_packs
from madang.suggestions import report as suggestion_report_figures
from madang.suggestions.models import Suggestion, SuggestionOffice
from madang.suggestions.packs import Pack
from madang.suggestions.rules import has_reexamination
from madang.suggestions.selectors import ground_labels

Item = tuple[str, str, dict[str, Any]]


def kdate(value: date | datetime | None) -> str:
    """A date as Korean official documents write it: 2026. 5. 20."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}. {value.month}. {value.day}."


def _picture(data: bytes | memoryview) -> Picture | None:
    raw = bytes(data or b"")
    if not raw:
        return None
    try:
        with PILImage.open(io.BytesIO(raw)) as img:
            fmt = (img.format or "").lower()
            size = img.size
    except Exception:  # a broken upload leaves the document without the picture, never without the document
        return None
    return Picture(raw, fmt, *size) if fmt in ("png", "jpeg") else None


def letterhead(actor: Any = None) -> dict[str, Any]:
    lh = Letterhead.objects.filter(pk=1).first() or Letterhead()
    drafter = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        grade = getattr(actor, "grade", None)
        drafter = f"{grade}급 {actor.display_name}" if grade else actor.display_name
    return {
        "org_name": lh.org_name,
        "sender": lh.sender,
        "unit": lh.unit,
        "recipient": "",
        "via": "",
        "drafter": drafter,
        "reviewer": lh.reviewer,
        "approver": lh.approver,
        "cooperator": "",
        "doc_number": "",
        "date": kdate(timezone.now()),
        "received": "",
        "postcode": lh.postcode,
        "address": lh.address,
        "homepage": lh.homepage,
        "phone": lh.phone,
        "fax": lh.fax,
        "email": lh.email,
        "disclosure": lh.disclosure,
        "link": lh.homepage,
        "logo": _picture(lh.logo),
        "seal": _picture(lh.seal),
    }


def _stem(*parts: object) -> str:
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:120]


# ---------------------------------------------------------------- letters


def event_letters(event: Any, *, actor: Any, serial: int) -> list[Item]:
    """One letter per participating agency with the event's agreed tasks, asking for an answer."""

    head = letterhead(actor)
    tasks = [t for t in event.tasks.select_related("proposal__call").order_by("group", "pk") if t.agreed_at]
    standings = {t.pk: selectors.task_standings(t) for t in tasks}
    rows = [
        {
            "number": str(i),
            "title": t.title,
            "description": t.description,
            "proposal": t.proposal.reference if t.proposal else "",
        }
        for i, t in enumerate(tasks, 1)
    ]
    days = (
        [s.date() for s in (event.starts_at, event.ends_at) if isinstance(s, datetime)]
        if hasattr(event, "starts_at")
        else []
    )
    out: list[Item] = []
    for n, agency in enumerate(selectors.participating_agencies(event), 1):
        dues = [s.routing.answer_due for ts in standings.values() for s in ts if s.agency.pk == agency.pk]
        deadline = min(dues) if dues else (timezone.localdate() + timedelta(days=30))
        ctx = {
            **head,
            "recipient": f"{agency.name}장",
            "subject": f"「{event.title}」 합의 과제 검토 및 답변 요청",
            "doc_number": f"{head['unit']}-{serial}-{n}",
            "event_title": event.title,
            "event_dates": _period(*days) if days else "",
            "deadline": kdate(deadline),
            "tasks": rows,
        }
        out.append((_stem(event.slug, n, agency.name), "letter_event_tasks", ctx))
    return out


def _period(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{kdate(start)}~{kdate(end)}"
    return kdate(start or end)


def routing_letters(call: Any, *, actor: Any, serial: int) -> list[Item]:
    """One letter per department for the proposals of a call routed to it and not yet answered."""

    head = letterhead(actor)
    routings = (
        Routing.objects.filter(proposal__call=call, state="awaiting")
        .select_related("department", "proposal__call")
        .order_by("department__name", "proposal__number")
    )
    by_dept: dict[Any, list[Any]] = {}
    for r in routings:
        by_dept.setdefault(r.department, []).append(r)
    out: list[Item] = []
    for n, (dept, items) in enumerate(by_dept.items(), 1):
        rows = [
            {
                "index": str(i),
                "number": r.proposal.reference,
                "title": r.proposal.shown_title,
                "due": kdate(r.answer_due),
            }
            for i, r in enumerate(items, 1)
        ]
        ctx = {
            **head,
            "recipient": dept.label() if hasattr(dept, "label") else dept.name,
            "subject": f"「{call.title}」 제안 이송 및 답변 요청",
            "doc_number": f"{head['unit']}-{serial}-{n}",
            "call_title": call.title,
            "deadline": kdate(min(r.answer_due for r in items)),
            "count": str(len(items)),
            "proposals": rows,
        }
        out.append((_stem(call.slug, n, dept.name), "letter_routing", ctx))
    return out


# ---------------------------------------------------------------- calls and review


def _scores(call: Any) -> tuple[dict[Hashable, Any], list[Any]]:
    rows = results(call)
    return {r.proposal: r for r in rows}, rows


def call_report(call: Any, *, actor: Any) -> Item:
    by_id, _ = _scores(call)
    proposals = list(call.proposals.filter(status=Status.SUBMITTED).order_by("number"))
    states = follow_states([p.pk for p in proposals])
    decisions = {d.proposal_id: d for d in Decision.objects.filter(proposal__call=call).order_by("decided_at")}
    selected = [
        {
            "number": p.reference,
            "title": p.shown_title,
            "decision": str(decisions[p.pk].get_kind_display()),
            "score": f"{by_id[p.pk].raw_mean:.1f}" if p.pk in by_id else "",
        }
        for p in proposals
        if p.pk in decisions and decisions[p.pk].kind in ("lab", "select")
    ]
    routed = [
        {
            "number": p.reference,
            "title": p.shown_title,
            "department": st.department,
            "answer": st.answer_label,
            "execution": f"{st.execution_label} {st.percent}%".strip() if st.execution else "",
        }
        for p in proposals
        if (st := states.get(p.pk))
    ]
    answered = sum(1 for r in routed if r["answer"] and states)
    figures = [
        ("접수", len(proposals)),
        ("심사", len(by_id)),
        ("결정", len(decisions)),
        ("선정", len(selected)),
        ("부서 이송", len(routed)),
        ("답변", sum(1 for st in states.values() if st.answer)),
        ("기한 경과", sum(1 for st in states.values() if st.overdue)),
    ]
    phases = call.ordered_phases()
    criteria = ", ".join(f"{c.name} {c.weight:g}" for c in call.criteria.all())
    ctx = {
        **letterhead(actor),
        "call_title": call.title,
        "period": _period(phases[0].starts_at.date(), phases[-1].ends_at.date()) if phases else "",
        "audience": str(call.get_audience_display()),
        "criteria": criteria,
        "review_note": f"심사표 {sum(r.n_reviews for r in by_id.values())}건, 답변 {answered}건.",
        "figures": [{"label": k, "value": str(v)} for k, v in figures],
        "chart": bars([(k, [float(v)]) for k, v in figures]),
        "selected": selected,
        "routed": routed,
    }
    return (_stem(call.slug, "result-report"), "call_report", ctx)


def review_sheets(call: Any, *, actor: Any) -> list[Item]:
    """One file per reviewer: a sheet per proposal with criteria, weights, scores, verdict, signature line."""

    cards = (
        Scorecard.objects.filter(assignment__proposal__call=call)
        .select_related("assignment__reviewer", "assignment__proposal__call")
        .prefetch_related("scores__criterion")
        .order_by("assignment__reviewer__pk", "assignment__proposal__number")
    )
    by_reviewer: dict[Any, list[Any]] = {}
    for card in cards:
        by_reviewer.setdefault(card.assignment.reviewer, []).append(card)
    head = letterhead(actor)
    out: list[Item] = []
    for reviewer, items in by_reviewer.items():
        sheets = [
            {
                "number": c.assignment.proposal.reference,
                "title": c.assignment.proposal.shown_title,
                "reviewer": reviewer.display_name,
                "total": f"{c.total:.1f}",
                "verdict": str(c.get_verdict_display()),
                "comment": c.comment,
                "scores": [
                    {
                        "criterion": s.criterion.name,
                        "weight": f"{s.criterion.weight:g}",
                        "score": f"{s.value} / {s.criterion.max_score}",
                    }
                    for s in c.scores.all()
                ],
            }
            for c in items
        ]
        ctx = {**head, "call_title": call.title, "reviewer": reviewer.display_name, "sheets": sheets}
        out.append((_stem(call.slug, "review", reviewer.pk), "review_sheets", ctx))
    return out


def review_summary(call: Any, *, actor: Any) -> Item:
    from collections import Counter

    by_id, rows = _scores(call)
    proposals = {p.pk: p for p in call.proposals.filter(pk__in=list(by_id))}
    verdicts: dict[int, Counter[str]] = {}
    for card in Scorecard.objects.filter(assignment__proposal__call=call).select_related("assignment"):
        verdicts.setdefault(card.assignment.proposal_id, Counter())[str(card.get_verdict_display())] += 1
    ranked = sorted(rows, key=lambda r: -r.normalised_mean)
    table = [
        {
            "rank": str(i),
            "number": proposals[r.proposal].reference,
            "title": proposals[r.proposal].shown_title,
            "reviews": str(r.n_reviews),
            "raw": f"{r.raw_mean:.1f}",
            "normalised": f"{r.normalised_mean:.1f}",
            "verdicts": ", ".join(f"{k} {v}" for k, v in sorted(verdicts.get(r.proposal, Counter()).items())),
        }
        for i, r in enumerate(ranked, 1)
        if r.proposal in proposals
    ]
    return (
        _stem(call.slug, "review-summary"),
        "review_summary",
        {**letterhead(actor), "call_title": call.title, "rows": table},
    )


# ---------------------------------------------------------------- events, labs, awards


def event_report(event: Any, *, actor: Any) -> Item:
    from collections import Counter

    r = selectors.report(event)
    agencies = Counter(
        reg.agency.name
        for reg in event.registrations.filter(state=RegState.CONFIRMED).select_related("agency")
        if reg.agency
    )
    programme = [
        {
            "time": timezone.localtime(s.starts_at).strftime("%m. %d. %H:%M"),
            "title": s.title,
            "method": str(s.get_method_display()) if hasattr(s, "get_method_display") else "",
        }
        for s in event.sessions.order_by("starts_at")
    ]
    results = [
        {
            "judging": j.title,
            "rank": str(row.get("rank") or i),
            "candidate": str(row.get("label", "")),
            "score": f"{float(row.get('combined', 0)):.1f}",
        }
        for j, rows, _ in r.judgings
        for i, row in enumerate(rows, 1)
    ]
    awards = [{"award": a.title, "candidate": a.candidate.label} for _, _, aw in r.judgings for a in aw]
    answers = [
        {
            "task": t.title,
            "agency": s.agency.name,
            "department": s.department.name,
            "answer": s.state_label,
            "execution": f"{s.execution_label} {s.percent}%" if s.execution else "",
        }
        for t, ss in r.tasks
        for s in ss
    ]
    ctx = {
        **letterhead(actor),
        "event_title": event.title,
        "event_dates": _period(*_event_days(event)),
        "host": event.organisation.name,
        "participation": f"확정 {r.confirmed}명, 출석 {r.checked_in}명, 대기 {r.waiting}명",
        "chart": bars([(label, [float(a), float(b)]) for label, a, b in r.by_level + r.by_grade])
        if r.by_level
        else None,
        "programme": programme,
        "by_level": [{"label": k, "confirmed": str(a), "checked_in": str(b)} for k, a, b in r.by_level],
        "by_grade": [{"label": k, "confirmed": str(a), "checked_in": str(b)} for k, a, b in r.by_grade],
        "by_agency": [{"agency": k, "count": str(v)} for k, v in sorted(agencies.items())],
        "boards": [{"method": m, "boards": str(b), "items": str(c)} for m, b, c in r.boards],
        "results": results,
        "awards": awards,
        "answers": answers,
    }
    return (_stem(event.slug, "result-report"), "event_report", ctx)


def _event_days(event: Any) -> tuple[date | None, date | None]:
    starts = [s.starts_at for s in event.sessions.all()]
    if not starts:
        return (None, None)
    return (timezone.localtime(min(starts)).date(), timezone.localtime(max(starts)).date())


def award_papers(event: Any, *, actor: Any) -> list[Item]:
    """The recommendation and the record of merit for every award of the event's published judgings."""

    awards = Award.objects.filter(judging__event=event, judging__state="published").select_related(
        "candidate__task", "judging"
    )
    groups = _groups_of(event)
    regs = {r.pk: r for r in event.registrations.filter(state=RegState.CONFIRMED).select_related("user", "agency")}
    rows = []
    for a in awards:
        cand = a.candidate
        group = cand.group or (cand.task.group if cand.task else None)
        members = [regs[pk] for pk, g in groups.items() if g == group and pk in regs] if group else []
        score = next((row.get("combined") for row in a.judging.results if row.get("candidate") == cand.pk), None)
        rows.append(
            {
                "award": a.title,
                "candidate": cand.label,
                "members": ", ".join(m.user.display_name for m in members),
                "agencies": ", ".join(sorted({m.agency.name for m in members if m.agency})) or event.organisation.name,
                "score": f"{float(score):.1f}" if score is not None else "",
                "summary": cand.task.title if cand.task else cand.label,
                "reason": (cand.task.description if cand.task and cand.task.description else "")
                + f" 「{event.title}」의 「{a.judging.title}」 심사에서 {a.title}을(를) 받았습니다.",
            }
        )
    ctx = {**letterhead(actor), "event_title": event.title, "awards": rows}
    return [
        (_stem(event.slug, "award-recommendation"), "award_recommendation", ctx),
        (_stem(event.slug, "award-merit"), "award_merit", ctx),
    ]


def lab_report(lab: Any, *, actor: Any) -> Item:
    members = [
        {
            "name": m.user.display_name,
            "department": m.home_department.name if m.home_department else "",
            "period": f"{kdate(m.joined_at)}~{kdate(m.left_at)}",
        }
        for m in lab.memberships.filter(joined_at__isnull=False).select_related("user", "home_department")
    ]
    decisions = [
        {
            "title": exposure.shown(d.title),
            "state": str(d.get_state_display()),
            "date": kdate(d.settled_at or d.proposed_at),
        }
        # A decision held by the personal-data filter is not in the lab's record until a moderator releases it.
        for d in lab.decisions.exclude(pk__in=privacy_reads.held_ids(DECISION)).order_by("proposed_at")
    ]
    ctx = {
        **letterhead(actor),
        "lab_title": lab.title,
        "period": _period(lab.starts_on, lab.ends_on),
        "home": lab.home.name,
        "state": str(lab.get_state_display()),
        "mission": lab.mission,
        "outcome": str(lab.get_outcome_display()) if lab.outcome else "",
        "handed_to": lab.handed_to.name if lab.handed_to else "",
        "outcome_note": lab.outcome_note,
        "members": members,
        "decisions": decisions,
    }
    return (_stem("lab", lab.pk, "outcome-report"), "lab_report", ctx)


def notice(kind: str, *, actor: Any = None, **values: str) -> Item:
    """A suggestion notice from plain values (proposer, proposal_number, proposal_title, decision, ground,
    deadline, department, plan, received_on, review_until, doc_number, …); the pages build theirs from the
    records instead (`suggestion_notices`)."""

    wanted = {k for k, v in KINDS[kind].sample.items() if isinstance(v, str)}
    ctx = {**letterhead(actor), **{k: "" for k in wanted}, **{k: v for k, v in values.items() if k in wanted}}
    return (_stem(kind, values.get("proposal_number", "")), kind, ctx)


# ---------------------------------------------------------------- suggestion notices

# The documents are Korean whatever the reader's language: the forms are, and so are these words.
NOTICE_KINDS = {
    "receipt": "notice_receipt",
    "supplement": "notice_supplement",
    "decision": "notice_decision",
    "reexamination": "notice_reexamination",
    "plan": "notice_implementation",
    "delay": "notice_delay",
    "cannot": "notice_cannot_implement",
    "ruling": "notice_ruling",
    "award": "notice_award",
}
OUTCOMES_KO = {"adopt": "채택", "not_adopt": "불채택", "return": "반려", "transfer": "이송"}
TYPES_KO = {"standing": "상시제안", "contest": "공모제안", "implemented": "실시제안"}
RULINGS_KO = {
    "implemented": "실시 완료 인정",
    "cannot_accepted": "실시 불가 인정",
    "cannot_rejected": "실시 불가 불인정",
}
# The pack's rule on an adopted suggestion that cannot be implemented, cited by the notices of the
# declaration and of the office's ruling on it when the pack has one (no shipped pack does yet).
CANNOT_PROVISION = "cannot_implement"


def _proposer_names(s: Suggestion) -> str:
    ids = s.proposal.author_ids()
    people = sorted(User.objects.filter(pk__in=ids), key=lambda u: (u.pk != s.proposal.author_id, u.pk))
    return ", ".join(u.display_name for u in people)


def _issued_by(office: SuggestionOffice, actor: Any) -> dict[str, Any]:
    head = letterhead(actor)
    org = office.organisation.name
    if head["org_name"] != org:  # the site's letterhead is another organisation's: the office issues it
        head = {**head, "org_name": org, "sender": f"{org}장"}
    return head


def _notice_head(s: Suggestion, actor: Any, pack: Pack | None) -> dict[str, Any]:
    """What every notice of `s` shares: the issuing office, the proposer, the receipt number and title."""
    head = _issued_by(s.office, actor)
    kind = pack.types[s.kind].label if pack and s.kind in pack.types else TYPES_KO.get(s.kind, s.kind)
    return {
        **head,
        **{k: "" for k, v in KINDS["notice_receipt"].sample.items() if isinstance(v, str) and k not in head},
        "recipient": _proposer_names(s),
        "proposer": _proposer_names(s),
        "proposal_number": s.receipt_number,
        "proposal_title": s.proposal.shown_title,
        "suggestion_type": kind,
        "rules": pack.title if pack else s.pack_key,
        "received_on": kdate(s.received_on),
    }


def _decision_values(d: Any, pack: Pack | None, s: Suggestion) -> dict[str, str]:
    ground = pack.grounds.get(d.ground) if pack and d.ground else None
    out = {
        "decision": OUTCOMES_KO.get(d.outcome, d.outcome),
        "ground": ground.label if ground else d.ground,
        "article": str(ground.cite) if ground else "",
        "explanation": d.explanation,
        "reexamination_until": kdate(d.reexamination_until),
    }
    transfer = getattr(d, "transfer", None) if d.outcome == "transfer" else None
    if transfer is not None:
        out["transfer_to"] = (
            f"{transfer.recipient} ({transfer.reference})" if transfer.reference else transfer.recipient
        )
    if d.outcome == "adopt":
        out["implement_by"] = kdate(_date_at_adoption(s, d))
        out["department"] = s.department.label() if s.department else ""
    return out


def _date_at_adoption(s: Suggestion, d: Any) -> date | None:
    """The implementation date the decision set. The suggestion keeps the date in force now: before a
    plan and a delay moved it, it is that date (or the first delay's previous one); once a plan replaced
    it, the date the proposer was told with the decision is in the notice sent then, if any."""
    if _plan_of(s) is None:
        delays = list(s.delays.all())
        return delays[0].previous_date if delays else s.implement_by
    told = (
        Notification.objects.filter(
            kind=NotificationKind.SUGGESTION, proposal_id=s.proposal_id, params__step="adopt_dated"
        )
        .order_by("created_at")
        .values_list("params", flat=True)
        .first()
    )
    if d.round != "first" or not told:
        return None
    try:
        return date.fromisoformat(str(told.get("date", "")))
    except ValueError:
        return None


def _plan_of(s: Suggestion) -> Any:
    try:
        return s.plan
    except Suggestion.plan.RelatedObjectDoesNotExist:
        return None


def _due_at_receipt(s: Suggestion, pack: Pack | None) -> date | None:
    if pack is None:
        return s.decision_due
    try:
        return suggestion_clocks.due_date(pack, "decision", s.received_on)
    except DomainError:
        return s.decision_due


def _cannot_provision(pack: Pack | None) -> dict[str, str]:
    provision = pack.provisions.get(CANNOT_PROVISION) if pack else None
    return {"article": str(provision.cite)} if provision else {}


def _award_values(a: Any, pack: Pack | None) -> dict[str, str]:
    grade = next((g for g in pack.grades if g.code == a.grade), None) if pack else None
    return {
        "grade": a.grade_label,
        "amount": f"{a.amount_krw:,}원" if a.amount_krw is not None else "",  # None: the pack sets no amount
        "award_note": a.note,
        "article": str(grade.cite) if grade else "",
    }


def _ruling_values(r: Any, pack: Pack | None) -> dict[str, str]:
    out = {"ruling": RULINGS_KO.get(r.kind, r.kind), "explanation": r.note, "new_date": kdate(r.new_date)}
    if r.declaration is not None:  # a ruling on a declaration that it cannot be implemented
        out.update(declared_on=kdate(r.declaration.declared_on), reason=r.declaration.reason, **_cannot_provision(pack))
    return out


def suggestion_notices(s: Suggestion, *, actor: Any) -> dict[str, Item]:
    """Every notice sent to the proposer of `s`, by its key (suggestions/notices.py), each dated the
    day it went out and built from the step's record."""

    try:
        pack: Pack | None = suggestion_clocks.pack_for(s)
    except DomainError:  # a pack gone or edited: the notice keeps the ground's code, never fails
        pack = None
    head = _notice_head(s, actor, pack)
    out: dict[str, Item] = {}
    for n, notice in enumerate(sent_notices.notices(s), 1):
        kind = NOTICE_KINDS[notice.step]
        r = notice.record
        ctx: dict[str, Any] = {
            **head,
            "doc_number": f"{head['unit'] or '제안'}-{s.receipt_number}-{n}",
            "date": kdate(notice.sent_on),
        }
        if notice.step == "receipt":
            # As the proposer was told on receipt: the decision period with no stop yet.
            ctx["review_until"] = kdate(_due_at_receipt(s, pack))
        elif notice.step == "supplement":
            ctx.update(question=r.question, answer_by=kdate(r.answer_by))
        elif notice.step in ("decision", "reexamination"):
            ctx.update(_decision_values(r, pack, s))
            if notice.step == "reexamination" and has_reexamination(s):
                ctx["requested_on"] = kdate(s.reexamination.requested_on)
        elif notice.step == "plan":
            ctx.update(
                plan=r.text,
                implement_by=kdate(r.implement_by),
                department=s.department.label() if s.department else "",
            )
        elif notice.step == "delay":
            ctx.update(
                reason=r.reason,
                previous_date=kdate(r.previous_date),
                new_date=kdate(r.new_date),
                department=s.department.label() if s.department else "",
            )
        elif notice.step == "cannot":
            ctx.update(reason=r.reason, declared_on=kdate(r.declared_on), **_cannot_provision(pack))
            ctx["department"] = s.department.label() if s.department else ""
        elif notice.step == "ruling":
            ctx.update(_ruling_values(r, pack))
            ctx["department"] = s.department.label() if s.department else ""
        elif notice.step == "award":
            ctx.update(_award_values(r, pack))
        out[notice.key] = (_stem("suggestion", s.receipt_number, notice.key), kind, ctx)
    return out


# ---------------------------------------------------------------- the yearly suggestion report

# The report page's figures (suggestions/report.py) under the words of a Korean report.
REPORT_LABELS_KO = {
    "figure": "항목",
    "total": "합계",
    "received": "접수",
    "returned": "반려",
    "transferred": "이송",
    "reviewing": "심사 중",
    "not_adopted": "불채택",
    "adopted": "채택",
    "implemented": "실시 완료",
    "implemented_on_time": "기한 내 실시",
    "awarded": "시상",
    "award_amount_krw": "부상금(원)",
    "actual": "실제 효과",
    "projected": "예상 효과",
    "budget_saved_krw": "예산 절감액(원)",
    "revenue_krw": "수입 증대액(원)",
    "citizen_hours": "국민이 절약한 시간",
    "staff_hours": "직원이 절약한 시간",
}


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def suggestion_report(office: SuggestionOffice, year: int, *, actor: Any) -> Item:
    """The office's yearly report (연간 제안 실적) with the figures of its page: the same aggregate
    (`suggestions.report.yearly`), the same rows (`report.rows`) and the same charted figures."""

    data = suggestion_report_figures.yearly(office, year)
    for figures in data.types:  # labelled in the reader's language; the report is Korean whoever makes it
        figures.label = TYPES_KO.get(figures.kind, figures.label)
    _header, table = suggestion_report_figures.rows(data, {**REPORT_LABELS_KO, "grounds": ground_labels(office)})
    kinds = [t.kind for t in data.types] + ["total"]
    rows = [{"figure": str(r[0]), **{k: _number(v) for k, v in zip(kinds, r[1:], strict=True)}} for r in table]
    t = data.total
    charted = [
        ("접수", t.received),
        ("채택", t.adopted),
        ("실시 완료", t.implemented),
        ("기한 내 실시", t.implemented_on_time),
        ("시상", sum(t.awarded_by_grade.values())),
    ]
    ctx = {
        **_issued_by(office, actor),
        "year": str(year),
        "period": _period(date(year, 1, 1), date(year, 12, 31)),
        "as_of": kdate(timezone.localdate()),
        "rules": _office_rules(office, year),
        "figures": [{"number": str(i), "label": k, "value": _number(v)} for i, (k, v) in enumerate(charted, 1)],
        "chart": bars([(k, [float(v)]) for k, v in charted]),
        "rows": rows,
    }
    return (_stem(office.organisation.code, year, "suggestion-report"), "suggestion_report", ctx)


def _office_rules(office: SuggestionOffice, year: int) -> str:
    """The rules the office's suggestions follow, by the title of the version in force at the year's end."""
    known = suggestion_packs.active()
    names = []
    for pid in dict.fromkeys(p for p in (office.citizen_pack, office.official_pack) if p):
        try:
            names.append(known.in_force(pid, date(year, 12, 31)).title)
        except suggestion_packs.PackError:  # not in force that year, or gone: named by its id
            names.append(pid)
    return ", ".join(names)
