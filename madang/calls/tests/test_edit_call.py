"""강도윤 (the innovation team) changes the 한빛도 call after opening it, on the page and over JSON;
everyone else is refused, every change keeps who and why, and a call only moves forward."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import CallAction, CallChange, PhaseKind
from madang.core.errors import DomainError, Forbidden
from madang.ledger.models import Entry
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "yuna", "sohee", "garam", "bada", "doyun", "admin"]
TEAM = {"doyun", "admin"}


def client(cast, who):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def phases(call):
    return {p.kind: p for p in call.phases.all()}


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def page_data(call, **overrides):
    ps = phases(call)
    data = {
        "description": "<p>새 설명</p>",
        "audience": call.audience,
        "categories": "민원\n교통\n복지\n안전",
        "reason": "안전 분야 추가 요청",
    }
    for kind, p in ps.items():
        data[f"{kind}_starts"], data[f"{kind}_ends"] = local(p.starts_at), local(p.ends_at)
    data.update(overrides)
    return data


def test_it_lets_only_the_team_open_the_edit_page(cast):
    got = {who: client(cast, who).get(f"/calls/c/{cast.call.slug}/edit/").status_code for who in ROLES}
    assert got == {who: 200 if who in TEAM else (302 if who == "anonymous" else 404) for who in ROLES}


def test_it_changes_text_and_categories_on_the_page_with_who_and_why(cast):
    r = client(cast, "doyun").post(f"/calls/c/{cast.call.slug}/edit/", page_data(cast.call))
    assert r.status_code == 302
    cast.call.refresh_from_db()
    assert cast.call.description == "<p>새 설명</p>"
    assert list(cast.call.categories.values_list("name", flat=True)) == ["민원", "교통", "복지", "안전"]
    change = CallChange.objects.get(call=cast.call)
    assert change.changed_by == cast.doyun and change.reason == "안전 분야 추가 요청"
    assert set(change.changes) == {"description", "categories"}
    detail = client(cast, "minji").get(f"/calls/c/{cast.call.slug}/").content.decode()
    assert "안전 분야 추가 요청" in detail and "강도윤" in detail
    assert not Entry.objects.filter(kind="call.edited").exists()  # text only: no ledger entry


def test_it_refuses_a_change_without_a_reason(cast):
    r = client(cast, "doyun").post(f"/calls/c/{cast.call.slug}/edit/", page_data(cast.call, reason=""))
    assert r.status_code == 400
    assert not CallChange.objects.exists()
    with pytest.raises(DomainError):
        calls.edit_call(actor=cast.doyun, call=cast.call, reason="  ", edit=calls.CallEdit(description="x"))


def test_it_refuses_everyone_but_the_team_on_the_page(cast):
    for who in ROLES:
        if who in TEAM:
            continue
        r = client(cast, who).post(f"/calls/c/{cast.call.slug}/edit/", page_data(cast.call))
        assert r.status_code in (302, 404) and (who != "anonymous" or "/login" in r["Location"]), who
        r = client(cast, who).post(
            f"/calls/c/{cast.call.slug}/edit/action/", {"step-action": "close", "step-reason": "x"}
        )
        assert r.status_code in (302, 404), who
    assert not CallChange.objects.exists()
    with pytest.raises(Forbidden):
        calls.edit_call(actor=cast.minji, call=cast.call, reason="왜", edit=calls.CallEdit(description="x"))


def test_it_moves_phase_dates_in_order_and_writes_the_ledger(cast):
    ps = phases(cast.call)
    later = ps[PhaseKind.FOLLOW_THROUGH].ends_at + timedelta(days=30)
    data = page_data(cast.call, follow_through_ends=local(later), reason="후속 조치 기간 연장")
    assert client(cast, "doyun").post(f"/calls/c/{cast.call.slug}/edit/", data).status_code == 302
    assert phases(cast.call)[PhaseKind.FOLLOW_THROUGH].ends_at.date() == later.date()
    entry = Entry.objects.get(kind="call.edited")
    assert entry.subject == f"call:{cast.call.pk}"


def test_it_refuses_phases_out_of_order(cast):
    ps = phases(cast.call)
    bad = page_data(cast.call, review_starts=local(ps[PhaseKind.SUBMISSION].starts_at + timedelta(days=1)))
    r = client(cast, "doyun").post(f"/calls/c/{cast.call.slug}/edit/", bad)
    assert r.status_code == 400
    assert "겹" in r.content.decode() or "따라" in r.content.decode()
    assert not CallChange.objects.exists()


def test_it_closes_submission_early_and_refuses_reopening_it(cast):
    r = client(cast, "doyun").post(
        f"/calls/c/{cast.call.slug}/edit/action/", {"step-action": "close", "step-reason": "예산 소진"}
    )
    assert r.status_code == 302
    cast.call = cast.call.__class__.objects.get(pk=cast.call.pk)
    assert not cast.call.allows("submit")
    assert CallChange.objects.get().action == CallAction.CLOSE_SUBMISSION
    sub = phases(cast.call)[PhaseKind.SUBMISSION]
    with pytest.raises(DomainError) as e:
        calls.edit_call(
            actor=cast.doyun,
            call=cast.call,
            reason="다시 열기",
            edit=calls.CallEdit(
                phases=[calls.PhaseSpec(PhaseKind.SUBMISSION, sub.starts_at, sub.ends_at + timedelta(days=1))]
            ),
        )
    assert e.value.code == "backwards"


def test_it_extends_submission_and_pushes_the_review_start(cast):
    ps = phases(cast.call)
    until = ps[PhaseKind.SUBMISSION].ends_at + timedelta(days=3)
    r = client(cast, "doyun").post(
        f"/calls/c/{cast.call.slug}/edit/action/",
        {"step-action": "extend", "step-until": local(until), "step-reason": "참여 저조"},
    )
    assert r.status_code == 302
    after = phases(cast.call)
    assert after[PhaseKind.SUBMISSION].ends_at == after[PhaseKind.REVIEW].starts_at
    assert after[PhaseKind.SUBMISSION].ends_at > ps[PhaseKind.SUBMISSION].ends_at
    r = client(cast, "doyun").post(
        f"/calls/c/{cast.call.slug}/edit/action/", {"step-action": "extend", "step-reason": "x"}
    )
    assert r.status_code == 400  # no date given: the form says so


def test_it_moves_to_review_only_forward(cast):
    calls.move_to_review(actor=cast.doyun, call=cast.call, reason="조기 심사")
    call = cast.call.__class__.objects.get(pk=cast.call.pk)
    assert call.phase_at().kind == PhaseKind.REVIEW
    with pytest.raises(DomainError):
        calls.move_to_review(actor=cast.doyun, call=call, reason="또")
    set_phase(call, PhaseKind.SELECTION)
    r = client(cast, "doyun").post(
        f"/calls/c/{call.slug}/edit/action/", {"step-action": "review", "step-reason": "되돌리기"}
    )
    assert r.status_code == 400
    assert CallChange.objects.count() == 1


def test_it_refuses_removing_a_category_with_proposals(cast):
    p = cast.proposal()
    p.category = cast.call.categories.get(name="민원")
    p.save()
    with pytest.raises(DomainError) as e:
        calls.edit_call(actor=cast.doyun, call=cast.call, reason="정리", edit=calls.CallEdit(categories=["교통"]))
    assert e.value.code == "category_in_use"


# ------------------------------------------------------------------ API


def test_it_patches_a_call_over_json_for_the_team_only(cast):
    body = {"reason": "설명 보완", "description": "<p>API 설명</p>", "audience": "both"}
    got = {
        who: client(cast, who).patch(f"/api/calls/{cast.call.slug}", body, content_type="application/json").status_code
        for who in ROLES
    }
    assert got == {who: 200 if who in TEAM else (401 if who == "anonymous" else 404) for who in ROLES}
    cast.call.refresh_from_db()
    assert cast.call.description == "<p>API 설명</p>" and cast.call.audience == "both"
    changes = client(cast, "minji").get(f"/api/calls/{cast.call.slug}/changes").json()
    assert changes[0]["reason"] == "설명 보완" and changes[0]["changed_by"] == "강도윤"


def test_it_answers_bad_api_input_with_a_clear_error(cast):
    c = client(cast, "doyun")
    url = f"/api/calls/{cast.call.slug}"
    assert c.patch(url, {"description": "x"}, content_type="application/json").status_code == 422  # no reason
    assert c.patch(url, {"reason": "x", "audience": "aliens"}, content_type="application/json").status_code == 422
    ps = phases(cast.call)
    swapped = [
        {"kind": "review", "starts_at": ps["review"].ends_at.isoformat(), "ends_at": ps["review"].starts_at.isoformat()}
    ]
    r = c.patch(url, {"reason": "x", "phases": swapped}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "bad_phases"
    r = c.post(f"{url}/steps", {"action": "extend_submission", "reason": "x"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "until"


def test_it_takes_steps_over_json(cast):
    c = client(cast, "doyun")
    r = c.post(
        f"/api/calls/{cast.call.slug}/steps",
        {"action": "move_to_review", "reason": "조기 심사"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["current_phase"] == "review"
    r = c.post(
        f"/api/calls/{cast.call.slug}/steps",
        {"action": "close_submission", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert (
        client(cast, "minji")
        .post(
            f"/api/calls/{cast.call.slug}/steps",
            {"action": "move_to_review", "reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_it_lets_verify_find_a_moved_phase_date_and_a_change_with_no_entry(cast):
    from madang.ledger.verify import verify_records

    later = phases(cast.call)[PhaseKind.FOLLOW_THROUGH].ends_at + timedelta(days=30)
    calls.edit_call(
        actor=cast.doyun,
        call=cast.call,
        reason="후속 조치 기간 연장",
        edit=calls.CallEdit(
            phases=[
                calls.PhaseSpec(PhaseKind.FOLLOW_THROUGH, phases(cast.call)[PhaseKind.FOLLOW_THROUGH].starts_at, later)
            ]
        ),
    )
    change = CallChange.objects.get(call=cast.call)
    assert not [f for f in verify_records() if "call.edited" in f.where or "call change" in f.what]

    key = f"phase:{PhaseKind.FOLLOW_THROUGH}"
    moved = {
        **change.changes,
        key: {**change.changes[key], "to": ["2031-01-01T00:00:00+09:00", "2031-02-01T00:00:00+09:00"]},
    }
    CallChange.objects.filter(pk=change.pk).update(changes=moved)  # a date moved behind the log's back
    assert any("call.edited" in f.where and f.field == "phases" for f in verify_records())

    CallChange.objects.create(
        call=cast.call, action=CallAction.EXTEND_SUBMISSION, changes=moved, reason="위조", changed_by=cast.doyun
    )  # a forged change with no entry
    assert any("has no call.edited entry" in f.what for f in verify_records())


def test_a_refused_step_returns_to_the_edit_page_with_its_message_and_reason(cast):
    calls.move_to_review(actor=cast.doyun, call=cast.call, reason="조기 심사")
    set_phase(cast.call, PhaseKind.SELECTION)
    c = client(cast, "doyun")
    page = f"/calls/c/{cast.call.slug}/edit/"
    r = c.post(
        f"/calls/c/{cast.call.slug}/edit/action/",
        {"step-action": "review", "step-reason": "되돌리기"},
        HTTP_REFERER=f"http://testserver{page}",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert r.status_code == 303 and r["Location"] == page  # not left at an address that answers only POST
    html = c.get(page, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "msg error" in html and 'value="되돌리기"' in html
    assert CallChange.objects.count() == 1
