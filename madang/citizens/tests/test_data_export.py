"""A member's export holds everything the site holds about them (PIPA 제35조 열람, 제35조의2 전송).

It used to leave out event registrations (where gender and 직렬 are asked), invitation results and
votes. Each app now adds its own sections (madang/people/personal_data.py), and a model that links
to a person through a field no section covers fails the first test below.
"""

import json
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Audience
from madang.citizens import services
from madang.events import services as events
from madang.events.models import BoardKind, SessionKind
from madang.inbox.models import Notification
from madang.insight import services as insight
from madang.people import personal_data

from .conftest import QUOTAS, VOLUNTEERS, make_citizen

# Links to a person that are not about that person, with the reason. (None so far: keep it so.)
NOT_ABOUT_THEM: dict[str, str] = {}


def test_every_link_from_a_record_to_a_person_is_in_the_export():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    links = {
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        if m.__module__.startswith("madang.")
        for f in m._meta.get_fields()
        if (f.many_to_one or f.one_to_one or f.many_to_many) and not f.auto_created and f.related_model is user_model
    }
    assert len(links) > 40
    missing = links - personal_data.covered() - set(NOT_ABOUT_THEM)
    assert missing == set(), (
        "add a section for these to the owning app's personal_data.py, or say why they are not about the person"
    )
    assert personal_data.covered() - links == set()  # (no section names a link that does not exist)


def _joint_event_with_a_seat_for_one(cast, garam):
    """A joint event whose lottery drew `person`, who confirmed and registered with their profile."""
    event = events.create_event(
        actor=cast.doyun,
        organisation=cast.province,
        slug="joint",
        title="도민·공무원 합동 해커톤",
        capacity=20,
        audience="joint",
    )
    day = events.add_day(actor=cast.doyun, event=event, date=timezone.localdate() + timedelta(days=10))
    events.set_event_state(actor=cast.doyun, event=event, state="open")
    now = timezone.now()
    pool = services.create_pool(
        actor=cast.doyun,
        organisation=cast.province,
        title="합동 해커톤 도민 자리",
        k=5,
        attributes=["gender", "age_band"],
        quotas=QUOTAS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        event=f"event:{event.pk}",
    )
    for user in [garam] + [make_citizen(*row) for row in VOLUNTEERS]:
        services.volunteer(actor=user, pool=pool)
    services.close_pool(actor=cast.doyun, pool=pool)
    services.compute_distribution(actor=cast.doyun, pool=pool)
    pool.refresh_from_db()
    services.commit_distribution(
        actor=cast.doyun, pool=pool, seed_source="다음 토요일 로또 6/45", seed_due_at=now + timedelta(days=2)
    )
    services.draw_panel(actor=cast.doyun, pool=pool, seed="3 11 19 24 38 42 + 7")
    invitation = pool.invitations.select_related("user").order_by("index").first()
    person = invitation.user
    services.answer_invitation(actor=person, invitation=invitation, accept=True)
    events.register(actor=person, event=event, gender="female", job_family="citizen", region="충남")
    start = timezone.make_aware(timezone.datetime.combine(day.date, timezone.datetime.min.time())).replace(hour=10)
    session = events.add_session(
        actor=cast.doyun,
        event=event,
        day=day,
        title="분임 토의",
        kind=SessionKind.GROUPS,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    return event, session, person


def test_the_export_names_every_record_a_citizen_leaves(cast, garam, django_capture_on_commit_callbacks):
    cast.call.audience = Audience.BOTH
    cast.call.save()
    event, session, person = _joint_event_with_a_seat_for_one(cast, garam)
    # Calls: their proposal with an attachment, a comment, a support, a report and a co-authorship.
    own = cast.proposal(author=person, title="버스 정류장 그늘막")
    calls.add_attachment(
        actor=person, proposal=own, upload=SimpleUploadedFile("memo.txt", "정류장 사진 설명".encode(), "text/plain")
    )
    theirs = cast.proposal(title="민원 서류 간소화")
    calls.support_proposal(actor=person, proposal=theirs)
    remark = calls.add_comment(
        actor=cast.minji, proposal=own, body="좋은 생각입니다"
    )  # the person is told: a notification
    calls.add_comment(actor=person, proposal=theirs, body="시민으로서 찬성합니다")
    calls.report_content(actor=person, comment=remark, reason="광고성 글 같습니다")
    calls.answer_invitation(
        actor=person, invitation=calls.invite_coauthor(actor=cast.minji, proposal=theirs, invitee=person), accept=True
    )
    # Insight: a vote on the opinion map and a choice in the wiki survey.
    statement = insight.add_statement(actor=cast.doyun, call=cast.call, text="정류장마다 그늘막이 필요하다")
    insight.vote_statement(actor=person, statement=statement, value=1)
    insight.add_idea(actor=cast.doyun, call=cast.call, text="그늘막 설치")
    insight.add_idea(actor=cast.doyun, call=cast.call, text="온열 의자 설치")
    insight.answer_pair(actor=person, pair=insight.show_pair(actor=person, call=cast.call), choice="left")
    # Events: a board note, and a vote in the judging.
    board = events.create_board(actor=cast.doyun, session=session, kind=BoardKind.HARVEST, title="수확 노트")
    events.post_item(actor=person, board=board, text="저상버스 시간표를 정류장에", anonymous=True)
    events.create_task(actor=cast.doyun, event=event, title="정류장 그늘막 확대")
    judging = events.create_judging(
        actor=cast.doyun, event=event, of="tasks", title="과제 투표", criteria=[events.CriterionIn("효과")]
    )
    events.cast_vote(actor=person, candidate=judging.candidates.get())
    assert Notification.objects.filter(user=person).exists()

    c = Client()
    c.force_login(person)
    data = json.loads(c.get("/citizens/me/data.json").content)
    assert data["account"]["username"] == person.username
    assert data["attributes"]["gender"] and data["consents"] and data["membership"]["email_verified"]
    [volunteered] = data["volunteering"]
    assert volunteered["pool"] == "합동 해커톤 도민 자리" and volunteered["attributes_used"]
    [invited] = data["invitations"]
    assert invited["state"] == "confirmed" and invited["answered"]
    [registration] = data["event_registrations"]
    assert (registration["event"], registration["gender"], registration["job_family"], registration["region"]) == (
        "도민·공무원 합동 해커톤",
        "female",
        "citizen",
        "충남",
    )
    assert [p["title"] for p in data["proposals"]] == ["버스 정류장 그늘막"]
    assert data["attachments"][0]["name"] == "memo.txt"
    assert [s["title"] for s in data["supports"]] == ["민원 서류 간소화"]
    assert [x["text"] for x in data["comments"]] == ["시민으로서 찬성합니다"]
    assert data["reports"][0]["reason"] == "광고성 글 같습니다"
    assert (
        data["coauthored_proposals"][0]["title"] == "민원 서류 간소화"
        and data["coauthor_invitations"][0]["state"] == "accepted"
    )
    assert data["proposal_revisions"] and data["notifications"]
    assert {x["what"] for x in data["opinion_map"]} == {"vote"} and data["opinion_map"][0]["value"] == 1
    assert [x["what"] for x in data["wiki_survey"]] == ["pair"] and data["wiki_survey"][0]["choice"] == "left"
    assert data["event_boards"][0]["text"] == "저상버스 시간표를 정류장에"  # anonymous on the board, not to its author
    assert data["event_votes_and_judging"][0] == {
        **data["event_votes_and_judging"][0],
        "what": "vote",
        "label": "정류장 그늘막 확대",
    }
    empty = {name for name, rows in data.items() if not rows}
    assert empty <= {
        "roles",
        "roles_granted",
        "api_tokens",
        "calls_work",
        "reviews",
        "review_work",
        "followup_work",
        "lab_memberships",
        "lab_contributions",
        "labs_followed",
        "pools_organised",
        "jobs_started",
        "event_open_space",
        "events_work",
        "documents_work",
        "personal_data_confirmations",
        "verified_person",
        "suggestion_reexaminations",
        "suggestion_awards",
        "suggestions_work",
        "priority_work",
        "priority_keys",
    }, empty
    csv_text = c.get("/citizens/me/data.csv").content.decode()
    for section in ("event_registrations", "invitations", "event_votes_and_judging", "opinion_map", "wiki_survey"):
        assert section in csv_text
