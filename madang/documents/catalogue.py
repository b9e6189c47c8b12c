"""Every kind of document Madang makes: its template file and a sample of the values it gets.

Pure (no Django): the sample is what an edited template is checked against when it is saved,
and what the tests render each template with. `madang/documents/sources.py` builds the real
values from the domain apps."""

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from madang.documents.render import Document
from madang.documents.render.charts import bars
from madang.documents.render.hwpx import to_hwpx, validate
from madang.documents.render.pdf import to_pdf
from madang.documents.render.templating import Picture, TemplateError, check, render

FORMS = Path(__file__).resolve().parent / "forms"
_INCLUDE = re.compile(r"^#\{(\w+)\}\s*$", re.M)


@dataclass(frozen=True)
class Kind:
    name: str
    label_en: str  # the Django side translates it
    sample: dict[str, Any]


def picture(colour: str = "#c0392b", size: tuple[int, int] = (120, 120)) -> Picture:
    buf = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buf, "PNG")
    return Picture(buf.getvalue(), "png", *size)


LETTERHEAD = {
    "org_name": "한빛도",
    "sender": "한빛도지사",
    "unit": "혁신담당관",
    "recipient": "수신자 참조",
    "via": "",
    "drafter": "주무관 강도윤",
    "reviewer": "혁신담당관 (검토)",
    "approver": "기획조정실장 (전결)",
    "cooperator": "",
    "doc_number": "혁신담당관-1",
    "date": "2026. 5. 20.",
    "received": "",
    "postcode": "12345",
    "address": "한빛도 한빛시 도청로 1",
    "homepage": "https://madang.example.kr",
    "phone": "000-000-0000",
    "fax": "000-000-0001",
    "email": "innovation@example.kr",
    "disclosure": "공개",
    "link": "https://madang.example.kr",
    "logo": picture("#1f5fa8"),
    "seal": picture(),
}
_NOTICE = {
    **LETTERHEAD,
    "proposer": "김민지",
    "proposal_number": "2026-0001",
    "proposal_title": "민원 서류 간소화",
    "suggestion_type": "상시제안",
    "rules": "국민 제안 규정",
    "received_on": "2026. 5. 1.",
    "review_until": "2026. 6. 1.",
    "question": "필요한 예산의 추정 근거를 보완하여 주십시오.",
    "answer_by": "2026. 5. 15.",
    "decision": "불채택",
    "ground": "일반 통념상 적용하기 어려운 것",
    "article": "「국민 제안 규정」 제2조제1호라목",
    "explanation": "행정정보 공동이용으로 이미 실현하고 있습니다.",
    "reexamination_until": "2026. 6. 30.",
    "requested_on": "2026. 6. 10.",
    "transfer_to": "",
    "department": "민원과",
    "plan": "2026년 하반기 시스템 개선",
    "implement_by": "2026. 12. 31.",
    "reason": "관련 시스템 개편 일정이 늦어졌습니다.",
    "previous_date": "2026. 12. 31.",
    "new_date": "2027. 3. 31.",
    "deadline": "2026. 6. 15.",
    "declared_on": "2026. 10. 2.",
    "ruling": "실시 불가 불인정",
    "grade": "금상",
    "amount": "3,000,000원",
    "award_note": "민원 서류 제출을 한 번으로 줄여 처리 기간을 크게 단축하였습니다.",
}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "letter_event_tasks",
            "Official letter: an event's agreed tasks to an agency",
            {
                **LETTERHEAD,
                "subject": "혁신 해커톤 합의 과제 검토 및 답변 요청",
                "event_title": "2026 정부혁신 해커톤",
                "event_dates": "2026. 5. 12.~13.",
                "deadline": "2026. 6. 12.",
                "tasks": [
                    {
                        "number": "1",
                        "title": "민원 서류 간소화",
                        "description": "행정정보 공동이용",
                        "proposal": "2026-0001",
                    }
                ],
            },
        ),
        Kind(
            "letter_routing",
            "Official letter: routed proposals to a department",
            {
                **LETTERHEAD,
                "subject": "제안 이송 및 답변 요청",
                "call_title": "2026 제안 공모",
                "deadline": "2026. 6. 12.",
                "count": "1",
                "proposals": [
                    {"index": "1", "number": "2026-0001", "title": "민원 서류 간소화", "due": "2026. 6. 12."}
                ],
            },
        ),
        Kind(
            "call_report",
            "A call's result report",
            {
                **LETTERHEAD,
                "call_title": "2026 제안 공모",
                "period": "2026. 3. 1.~3. 31.",
                "audience": "공무원",
                "criteria": "창의성 40, 실현 가능성 60",
                "review_note": "",
                "figures": [{"label": "접수", "value": "25"}],
                "chart": bars([("접수", [25.0])]),
                "selected": [
                    {"number": "2026-0001", "title": "민원 서류 간소화", "decision": "리빙랩", "score": "81.2"}
                ],
                "routed": [
                    {
                        "number": "2026-0002",
                        "title": "주차",
                        "department": "교통과",
                        "answer": "수용",
                        "execution": "추진 중",
                    }
                ],
            },
        ),
        Kind(
            "review_sheets",
            "Review sheets of one reviewer",
            {
                **LETTERHEAD,
                "call_title": "2026 제안 공모",
                "reviewer": "최유나",
                "sheets": [
                    {
                        "number": "2026-0001",
                        "title": "민원 서류 간소화",
                        "total": "81.2",
                        "verdict": "실현 가능",
                        "comment": "",
                        "scores": [{"criterion": "창의성", "weight": "40", "score": "4"}],
                    }
                ],
            },
        ),
        Kind(
            "review_summary",
            "Review summary table of a call",
            {
                **LETTERHEAD,
                "call_title": "2026 제안 공모",
                "rows": [
                    {
                        "rank": "1",
                        "number": "2026-0001",
                        "title": "민원 서류 간소화",
                        "reviews": "2",
                        "raw": "81.2",
                        "normalised": "55.1",
                        "verdicts": "실현 가능 2",
                    }
                ],
            },
        ),
        Kind(
            "event_report",
            "An event's result report",
            {
                **LETTERHEAD,
                "event_title": "2026 정부혁신 해커톤",
                "event_dates": "2026. 5. 12.~13.",
                "host": "행정안전부",
                "participation": "확정 120명, 출석 114명",
                "chart": bars([("중앙", [40.0, 38.0])]),
                "programme": [{"time": "5. 12. 10:00", "title": "여는 마당", "method": "전체"}],
                "by_level": [{"label": "중앙", "confirmed": "40", "checked_in": "38"}],
                "by_grade": [{"label": "7급", "confirmed": "40", "checked_in": "38"}],
                "by_agency": [{"agency": "행정안전부", "count": "2"}],
                "boards": [{"method": "월드카페", "boards": "4", "items": "80"}],
                "results": [{"judging": "우수 과제", "rank": "1", "candidate": "1조", "score": "91.0"}],
                "awards": [{"award": "대상", "candidate": "1조"}],
                "answers": [
                    {
                        "task": "민원 서류 간소화",
                        "agency": "한빛도",
                        "department": "민원과",
                        "answer": "수용",
                        "execution": "",
                    }
                ],
            },
        ),
        Kind(
            "lab_report",
            "A lab's outcome report",
            {
                **LETTERHEAD,
                "lab_title": "민원 서류 간소화 리빙랩",
                "period": "2026. 4. 1.~9. 30.",
                "home": "한빛도",
                "state": "종료",
                "mission": "",
                "outcome": "확산",
                "handed_to": "민원과",
                "outcome_note": "",
                "members": [{"name": "김민지", "department": "민원과", "period": "2026. 4. 1.~"}],
                "decisions": [{"title": "시범 운영", "state": "결정", "date": "2026. 5. 1."}],
            },
        ),
        Kind(
            "award_recommendation",
            "Award recommendation",
            {
                **LETTERHEAD,
                "event_title": "2026 정부혁신 해커톤",
                "awards": [
                    {
                        "award": "대상",
                        "candidate": "1조",
                        "members": "김민지, 이서준",
                        "agencies": "한빛도",
                        "score": "91.0",
                        "reason": "민원 서류를 한 번만 내게 하는 과제를 제안했습니다.",
                        "summary": "민원 서류 간소화",
                    }
                ],
            },
        ),
        Kind(
            "award_merit",
            "Record of merit",
            {
                **LETTERHEAD,
                "event_title": "2026 정부혁신 해커톤",
                "awards": [
                    {
                        "award": "대상",
                        "candidate": "1조",
                        "members": "김민지, 이서준",
                        "agencies": "한빛도",
                        "score": "91.0",
                        "reason": "민원 서류를 한 번만 내게 하는 과제를 제안했습니다.",
                        "summary": "민원 서류 간소화",
                    }
                ],
            },
        ),
        Kind("notice_receipt", "Suggestion notice: receipt", _NOTICE),
        Kind("notice_supplement", "Suggestion notice: supplement request", _NOTICE),
        Kind("notice_decision", "Suggestion notice: decision", _NOTICE),
        Kind("notice_reexamination", "Suggestion notice: re-examination result", _NOTICE),
        Kind("notice_implementation", "Suggestion notice: planned implementation", _NOTICE),
        Kind("notice_delay", "Suggestion notice: delay", _NOTICE),
        Kind("notice_award", "Suggestion notice: award", _NOTICE),
        Kind("notice_cannot_implement", "Suggestion notice: declared impossible to implement", _NOTICE),
        Kind("notice_ruling", "Suggestion notice: ruling on implementation", _NOTICE),
        Kind(
            "suggestion_report",
            "A suggestion office's yearly report",
            {
                **LETTERHEAD,
                "year": "2026",
                "period": "2026. 1. 1.~2026. 12. 31.",
                "as_of": "2027. 1. 15.",
                "rules": "국민 제안 규정, 공무원 제안 규정",
                "figures": [{"number": "1", "label": "접수", "value": "25"}],
                "chart": bars([("접수", [25.0])]),
                "rows": [
                    {
                        "figure": "접수",
                        "standing": "20",
                        "contest": "4",
                        "implemented": "1",
                        "total": "25",
                    }
                ],
            },
        ),
    ]
}


def default_text(kind: str) -> str:
    text = (FORMS / f"{kind}.toml").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: (FORMS / f"_{m.group(1)}.toml").read_text(encoding="utf-8"), text)


def check_text(kind: str, text: str) -> None:
    """Raise TemplateError unless `text` makes a valid document of this kind in both formats."""
    sample = KINDS[kind].sample
    spec = check(text, sample)
    try:
        doc = render(spec, sample)
        problems = validate(to_hwpx(doc))
        to_pdf(doc)
    except TemplateError:
        raise
    except Exception as exc:  # a renderer refusing the template: shown, never a 500
        raise TemplateError("The template does not render: %(detail)s", detail=str(exc)[:200]) from exc
    if problems:
        raise TemplateError(
            "The document made with this template is not valid HWPX: %(detail)s", detail=problems[0][:200]
        )


def build(kind: str, ctx: dict[str, Any], text: str | dict[str, Any] | None = None) -> Document:
    """The document of `kind` from `ctx`, with the form's text (or its parsed form, reused across a batch)."""
    return render(text if text is not None else default_text(kind), ctx)


def produce(doc: Document, fmt: str, *, check: bool = True) -> bytes:
    """`check=False` for a form already checked when it was saved: see render/hwpx.py."""
    return to_hwpx(doc, check=check) if fmt == "hwpx" else to_pdf(doc)
