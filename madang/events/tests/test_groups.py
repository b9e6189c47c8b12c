"""Discussion groups: diverse, and never breaking a hard rule (checked again here, independently)."""

import pytest

from madang.core.errors import DomainError
from madang.events import services
from madang.events.models import Grouping, SessionKind
from madang.jobs.models import Job
from madang.ledger.models import Entry

from .conftest import client, session


def _recheck(grouping, regs_by_pk):
    """Our own count of broken rules, without the service's helpers."""
    broken = []
    for members in grouping.groups:
        agencies = [regs_by_pk[p].agency_id for p in members]
        if len(agencies) != len(set(agencies)):
            broken.append("same agency")
    where = {p: g for g, ms in enumerate(grouping.groups) for p in ms}
    broken += ["apart" for a, b in grouping.apart if where[a] == where[b]]
    broken += ["together" for a, b in grouping.together if where[a] != where[b]]
    return broken


def test_it_forms_uneven_groups_that_keep_every_hard_rule(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    r = crowd.regs
    g = services.configure_grouping(
        actor=crowd.doyun,
        session=s,
        sizes=[6, 5, 5],
        separate_agencies=True,
        together=[[r[0].pk, r[2].pk]],
        apart=[[r[4].pk, r[6].pk]],
        seconds=0.4,
    )
    job = services.start_grouping(actor=crowd.doyun, grouping=g)
    assert job.state == "done", job.error
    g.refresh_from_db()
    assert sorted(len(m) for m in g.groups) == [5, 5, 6]
    assert sorted(p for m in g.groups for p in m) == sorted(x.pk for x in r)
    assert _recheck(g, {x.pk: x for x in r}) == []
    assert g.objective and g.objective > 0


def test_it_fails_the_job_with_a_clear_reason_when_the_rules_cannot_hold(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    g = services.configure_grouping(actor=crowd.doyun, session=s, group_count=1, seconds=0.2)
    job = services.start_grouping(actor=crowd.doyun, grouping=g)
    assert job.state == "failed" and ("agency" in job.error.lower() or "기관" in job.error)


def test_it_re_checks_a_move_by_hand(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    g = services.configure_grouping(actor=crowd.doyun, session=s, group_count=4, seconds=0.3)
    services.start_grouping(actor=crowd.doyun, grouping=g)
    g.refresh_from_db()
    regs = {x.pk: x for x in crowd.regs}
    mover = regs[g.groups[0][0]]
    colleague = next(x for x in crowd.regs if x.agency_id == mover.agency_id and x.pk != mover.pk)
    target = next(i for i, m in enumerate(g.groups) if colleague.pk in m)
    with pytest.raises(DomainError) as e:
        services.move_group_member(actor=crowd.doyun, grouping=g, registration=mover, to_group=target)
    assert e.value.code == "same_agency"
    free = next(i for i, m in enumerate(g.groups) if i != 0 and i != target)
    services.move_group_member(actor=crowd.doyun, grouping=g, registration=mover, to_group=free)
    g.refresh_from_db()
    assert mover.pk in g.groups[free] and _recheck(g, regs) == []


def test_it_publishes_the_groups_to_the_ledger_and_shows_a_diversity_picture(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    g = services.configure_grouping(actor=crowd.doyun, session=s, group_count=4, seconds=0.2)
    services.start_grouping(actor=crowd.doyun, grouping=g)
    g.refresh_from_db()
    before = client(crowd.regs[0].user).get(f"/events/big-day/s/{s.pk}/").content.decode()
    assert "참가자" not in before.split("<main")[1]  # participants see nothing until published
    services.publish_groups(actor=crowd.doyun, grouping=g)
    entry = Entry.objects.get(kind="events.groups_formed")
    assert "참가자" not in entry.body.decode()  # names are committed, not logged
    html = client(crowd.regs[0].user).get(f"/events/big-day/s/{s.pk}/").content.decode()
    assert html.count('<svg class="chart"') == 4 and "참가자00" in html


def test_it_computes_groups_from_the_page_through_a_job(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    r = client(crowd.doyun).post(
        "/events/big-day/do/grouping/",
        {
            "session": s.pk,
            "group_count": 4,
            "attributes": ["agency", "level", "gender"],
            "separate_agencies": "on",
            "together": "p00 p10",
            "apart": "p20 p30",
            "seconds": 0.2,
        },
    )
    assert r.status_code == 302
    g = Grouping.objects.get(session=s)
    assert Job.objects.get(subject=f"grouping:{g.pk}").state == "done"
    assert g.together and g.apart and len(g.groups) == 4


def test_it_refuses_unknown_people_in_pairs_with_400(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    r = client(crowd.doyun).post(
        "/events/big-day/do/grouping/", {"session": s.pk, "group_count": 4, "together": "p00 ghost", "seconds": 1}
    )
    assert r.status_code == 400
    r = client(crowd.doyun).post("/events/big-day/do/grouping/", {"session": s.pk, "sizes": "8, x", "seconds": 1})
    assert r.status_code == 400


def test_it_spreads_the_people_who_left_gender_blank_and_explains_the_colours(crowd):
    # six of sixteen left gender blank; grouping by gender alone used to give them a group of their own
    from madang.events.models import Registration

    blank = crowd.regs[:6]
    Registration.objects.filter(pk__in=[x.pk for x in blank]).update(gender="")
    s = session(crowd.event, SessionKind.GROUPS)
    g = services.configure_grouping(
        actor=crowd.doyun, session=s, group_count=4, attributes=["gender"], separate_agencies=False, seconds=0.4
    )
    assert services.start_grouping(actor=crowd.doyun, grouping=g).state == "done"
    g.refresh_from_db()
    per_group = sorted(sum(1 for p in m if p in {x.pk for x in blank}) for m in g.groups)
    assert per_group == [1, 1, 2, 2]
    html = client(crowd.doyun).get(f"/events/big-day/s/{s.pk}/").content.decode()
    assert "미기재 2" in html and "여성" in html  # the legend names each colour, blanks included


def test_it_lets_the_facilitator_name_people_instead_of_user_ids(crowd):
    from madang.events import forms
    from madang.events.models import Registration

    # 참가자00 and 참가자10 by name; two people called 이승우 need their agency
    twin = Registration.objects.get(pk=crowd.regs[4].pk).user  # p20 of 기관3
    twin.display_name = "참가자00"
    twin.save(update_fields=["display_name"])
    f = forms.GroupingForm(
        {"group_count": 4, "together": "참가자10, 참가자11", "apart": "참가자00 (기관3), 참가자31", "seconds": 0.2},
        event=crowd.event,
    )
    assert f.is_valid(), f.errors
    by = {r.pk: r for r in crowd.regs}
    assert [[by[p].user.username for p in pair] for pair in f.cleaned_data["together"]] == [["p10", "p11"]]
    assert [[by[p].user.username for p in pair] for pair in f.cleaned_data["apart"]] == [["p20", "p31"]]
    f = forms.GroupingForm({"group_count": 4, "together": "참가자00, 참가자31", "seconds": 0.2}, event=crowd.event)
    assert not f.is_valid() and "참가자00 님이 여러 명입니다" in str(f.errors) and "참가자00 (기관1)" in str(f.errors)
    f = forms.GroupingForm({"group_count": 4, "apart": "홍길동, 참가자31", "seconds": 0.2}, event=crowd.event)
    assert not f.is_valid() and "홍길동 님이 없습니다" in str(f.errors)
