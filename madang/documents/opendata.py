"""The public record as open data: UTF-8 CSV (with a byte-order mark, so spreadsheet software in
Korea opens it as UTF-8) and JSON, with a data dictionary (field names in Korean and English,
types, code lists) and a licence statement, per call and per year at stable addresses.

Only what the public pages show goes out: published calls, and in them the proposals that
`madang.calls.selectors.visible_proposals` gives an anonymous visitor (no drafts, no internal or
hidden proposals). No person's name is published, and an author's organisation only once the
call no longer hides authors."""

import csv
import io
import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from madang.calls import counters
from madang.calls.models import Call
from madang.calls.selectors import visible_proposals
from madang.core.errors import NotFound
from madang.documents.views import download
from madang.followup.selectors import follow_states
from madang.review.models import Decision

LICENCE = {
    "ko": "공공누리 제1유형(출처표시): 출처를 표시하면 상업적 이용과 변경이 가능합니다.",
    "en": (
        "Korea Open Government License Type 1 (attribution): free use, including commercial use and changes, "
        "with the source named."
    ),
}

# (key, Korean name, English name, type, code list or None)
FIELDS: list[tuple[str, str, str, str, dict[str, str] | None]] = [
    ("call", "공모", "call", "string", None),
    ("call_title", "공모명", "call title", "string", None),
    ("number", "제안 번호", "proposal number", "string", None),
    ("title", "제목", "title", "string", None),
    ("category", "분야", "category", "string", None),
    ("organisation", "제안자 소속", "author's organisation", "string (empty while authors are hidden)", None),
    ("submitted_on", "제출일", "submitted on", "date (YYYY-MM-DD)", None),
    ("supports", "공감 수", "supports", "integer", None),
    (
        "outcome",
        "처리 결과",
        "outcome",
        "code",
        {
            "pending": "심사 중",
            "selected": "리빙랩 선정",
            "routed": "부서 이송",
            "merged": "병합",
            "not_adopted": "불채택",
        },
    ),
    ("decided_on", "결정일", "decided on", "date (YYYY-MM-DD)", None),
    ("decision_reason", "결정 사유", "reason of the decision", "string", None),
    ("department", "담당 부서", "department", "string", None),
    ("answer_due", "답변 기한", "answer due", "date (YYYY-MM-DD)", None),
    (
        "answer",
        "답변",
        "answer",
        "code",
        {"accept": "수용", "partial": "일부 수용", "decline": "불수용", "transfer": "이송"},
    ),
    ("overdue", "기한 경과", "overdue", "boolean", None),
    (
        "execution",
        "추진 상황",
        "execution",
        "code",
        {"planned": "계획", "in_progress": "추진 중", "done": "완료", "stopped": "중단"},
    ),
    ("percent", "추진율", "progress", "integer (0-100)", None),
    ("event_task", "행사 합의 과제", "agreed task of an event", "string (event title; empty otherwise)", None),
]


def rows_for(calls: list[Any], *, year: int | None = None) -> list[dict[str, Any]]:
    anonymous = AnonymousUser()
    out: list[dict[str, Any]] = []
    for call in calls:
        qs = counters.with_live(visible_proposals(anonymous, call)).select_related(
            "category", "author__department__parent", "event_task__event"
        )
        if year is not None:
            qs = qs.filter(submitted_at__year=year)
        proposals = list(qs.order_by("number"))
        states = follow_states([p.pk for p in proposals])
        decisions = {d.proposal_id: d for d in Decision.objects.filter(proposal__in=proposals).order_by("decided_at")}
        hidden = call.authors_hidden()
        for p in proposals:
            st, d = states.get(p.pk), decisions.get(p.pk)
            task = getattr(p, "event_task", None)
            out.append(
                {
                    "call": call.slug,
                    "call_title": call.title,
                    "number": p.reference,
                    "title": p.shown_title,
                    "category": p.category.name if p.category else "",
                    "organisation": p.author.department.label() if not hidden and p.author.department else "",
                    "submitted_on": timezone.localtime(p.submitted_at).date().isoformat() if p.submitted_at else "",
                    "supports": p.live_supports,
                    "outcome": p.outcome,
                    "decided_on": timezone.localtime(d.decided_at).date().isoformat() if d else "",
                    "decision_reason": d.reason if d else "",
                    "department": st.department if st else "",
                    "answer_due": st.answer_due.isoformat() if st and st.answer_due else "",
                    "answer": st.answer if st else "",
                    "overdue": bool(st and st.overdue),
                    "execution": st.execution if st else "",
                    "percent": st.percent if st else 0,
                    "event_task": task.event.title if task else "",
                }
            )
    return out


def _public_calls() -> Any:
    return Call.objects.filter(is_published=True).order_by("pk")


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([f[1] for f in FIELDS])
    w.writerow([f[0] for f in FIELDS])
    for r in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        w.writerow(
            [
                ("'" + v)
                if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")
                else ("Y" if v is True else "N" if v is False else v)
                for v in (r[f[0]] for f in FIELDS)
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def as_json(rows: list[dict[str, Any]], **meta: Any) -> bytes:
    body = {
        "licence": LICENCE,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        **meta,
        "dictionary": "dictionary.json",
        "records": rows,
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def dictionary_rows() -> list[dict[str, Any]]:
    return [
        {"field": k, "name_ko": ko, "name_en": en, "type": t, "codes": codes or {}} for k, ko, en, t, codes in FIELDS
    ]


def _respond(data: bytes, name: str) -> HttpResponse:
    return download(data, name)


def index(request: HttpRequest) -> HttpResponse:
    calls = list(_public_calls())
    years = sorted({c.created_at.year for c in calls}, reverse=True)
    return render(
        request,
        "documents/open.html",
        {"calls": calls, "years": years, "fields": dictionary_rows(), "licence": LICENCE},
    )


def dictionary(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = dictionary_rows()
    if fmt == "json":
        return _respond(
            json.dumps({"licence": LICENCE, "fields": rows}, ensure_ascii=False, indent=1).encode(), "dictionary.json"
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["field", "name_ko", "name_en", "type", "codes"])
        for r in rows:
            w.writerow(
                [
                    r["field"],
                    r["name_ko"],
                    r["name_en"],
                    r["type"],
                    "; ".join(f"{k}={v}" for k, v in r["codes"].items()),
                ]
            )
        return _respond(("\ufeff" + buf.getvalue()).encode(), "dictionary.csv")
    raise NotFound()


def call_data(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    call = _public_calls().filter(slug=slug).first()
    if call is None or fmt not in ("csv", "json"):
        raise NotFound()
    rows = rows_for([call])
    data = as_csv(rows) if fmt == "csv" else as_json(rows, call=call.slug, title=call.title)
    return _respond(data, f"madang-{call.slug}.{fmt}")


def year_data(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json") or not 2000 <= year <= 2100:
        raise NotFound()
    rows = rows_for(list(_public_calls()), year=year)
    return _respond(as_csv(rows) if fmt == "csv" else as_json(rows, year=year), f"madang-{year}.{fmt}")
