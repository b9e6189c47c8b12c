"""World Cafe: hosts stay, colleagues never share a table, each person's itinerary, and a re-plan
after no-shows that changes few seats."""

from itertools import combinations

from madang.events import services
from madang.events.models import Rotation, SessionKind
from madang.ledger.models import Entry

from .conftest import client, session


def _planned(crowd, rounds=3, host=True):
    s = session(crowd.event, SessionKind.CAFE)
    if host:
        services.set_table_host(actor=crowd.doyun, table=crowd.event.tables.get(number=1), host=crowd.regs[0].user)
    rot = services.configure_rotation(actor=crowd.doyun, session=s, rounds=rounds, round_minutes=15, seconds=0.5)
    job = services.start_rotation(actor=crowd.doyun, rotation=rot)
    assert job.state == "done", job.error
    rot.refresh_from_db()
    return s, rot


def _meets(plan):
    seen: dict[tuple[int, int], int] = {}
    for rd in plan:
        for t in rd:
            for a, b in combinations(sorted(t), 2):
                seen[a, b] = seen.get((a, b), 0) + 1
    return seen


def test_it_plans_rounds_where_hosts_stay_and_colleagues_never_meet(crowd):
    _s, rot = _planned(crowd)
    agency = {r.pk: r.agency_id for r in crowd.regs}
    for rd in rot.plan:
        assert sorted(p for t in rd for p in t) == sorted(r.pk for r in crowd.regs)
        assert crowd.regs[0].pk in rd[0]  # the host of table 1
        for t in rd:
            assert len({agency[p] for p in t}) == len(t)
    assert rot.repeated_pairs == sum(k - 1 for k in _meets(rot.plan).values() if k > 1)


def test_it_shows_each_person_their_table_in_every_round(crowd):
    s, rot = _planned(crowd)
    services.publish_rotation(actor=crowd.doyun, rotation=rot)
    me = crowd.regs[5]
    tables = [next(t for t, members in enumerate(rd) if me.pk in members) for rd in rot.plan]
    html = client(me.user).get("/events/big-day/me/").content.decode()
    for r, t in enumerate(tables):
        assert f"{r + 1}" in html and f"{t + 1}" in html
    data = client(me.user).get("/api/events/big-day/me").json()
    cafe = next(stop for stop in data["stops"] if stop["session"] == s.pk)
    assert len(cafe["detail"]) == 3
    assert Entry.objects.filter(kind="events.rotation_published").count() == 1


def test_it_replans_the_remaining_rounds_changing_few_seats(crowd):
    s, rot = _planned(crowd, rounds=4)
    services.publish_rotation(actor=crowd.doyun, rotation=rot)
    services.start_round(actor=crowd.doyun, rotation=rot, round_no=0)
    old = [[list(t) for t in rd] for rd in rot.plan]
    assert rot.repeated_pairs == 0
    # two people who shared a table in round 1 never meet again: without them every later round
    # stays balanced, so nobody else needs to move
    pair = next(t for t in old[0][1:] if len(t) >= 2)[:2]
    gone = [r for r in crowd.regs if r.pk in pair]
    job = services.start_replan(actor=crowd.doyun, rotation=rot, from_round=1, absent=gone, arrived=[])
    assert job.state == "done", job.error
    rot.refresh_from_db()
    assert rot.plan[0] == old[0]  # what happened stays
    for rd in rot.plan[1:]:
        seated = {p for t in rd for p in t}
        assert not seated & {g.pk for g in gone} and len(seated) == 14
        assert max(len(t) for t in rd) - min(len(t) for t in rd) <= 1
    moved = [c for c in rot.last_replan["changes"] if c[1] not in {g.pk for g in gone}]
    assert len(moved) <= 2 and rot.last_replan["changed_seats"] == len(moved)
    assert len(rot.last_replan["changes"]) - len(moved) == 2 * 3  # the two freed seats in three rounds
    assert Entry.objects.filter(kind="events.rotation_replanned").exists()
    html = client(crowd.doyun).get(f"/events/big-day/s/{s.pk}/").content.decode()
    assert 'id="changes"' in html


def test_it_seats_a_late_arrival_through_the_api(crowd):
    from madang.events.models import Registration

    s, rot = _planned(crowd, host=False)
    services.publish_rotation(actor=crowd.doyun, rotation=rot)
    late = crowd.regs.pop()
    # someone not in the plan yet: take them out and bring them back as an arrival
    rot.plan = [[[p for p in t if p != late.pk] for t in rd] for rd in rot.plan]
    rot.save()
    r = client(crowd.doyun).post(
        f"/api/events/big-day/sessions/{s.pk}/rotation/replan",
        {"from_round": 2, "arrived": [late.pk]},
        content_type="application/json",
    )
    assert r.status_code == 202, r.content
    rot = Rotation.objects.get(pk=rot.pk)
    assert all(late.pk in {p for t in rd for p in t} for rd in rot.plan[1:])
    assert late.pk not in {p for t in rot.plan[0] for p in t}
    assert Registration.objects.get(pk=late.pk).state == "confirmed"


def test_it_refuses_a_replan_with_nothing_to_do_or_strangers(crowd):
    s, _rot = _planned(crowd, host=False)
    c = client(crowd.doyun)
    assert (
        c.post(
            f"/api/events/big-day/sessions/{s.pk}/rotation/replan", {"from_round": 2}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        c.post(
            f"/api/events/big-day/sessions/{s.pk}/rotation/replan",
            {"from_round": 2, "absent": [999999]},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        c.post(
            f"/api/events/big-day/sessions/{s.pk}/rotation/replan", {"from_round": 99}, content_type="application/json"
        ).status_code
        == 422
    )


def test_it_counts_returns_to_a_table_and_uses_the_tables_the_facilitator_sets(crowd):
    # the winter event's complaint: people came back to a table they had sat at; the plan says how often
    s, rot = _planned(crowd)
    host = crowd.regs[0].pk
    visits = [(p, t) for rd in rot.plan for t, members in enumerate(rd) for p in members if p != host]
    assert rot.same_table == len(visits) - len(set(visits))
    assert "앉았던 테이블에 다시 앉는 경우" in client(crowd.doyun).get(f"/events/big-day/s/{s.pk}/").content.decode()
    # this session uses three of the four tables
    rot = services.configure_rotation(actor=crowd.doyun, session=s, rounds=2, round_minutes=15, seconds=0.5, tables=3)
    assert services.start_rotation(actor=crowd.doyun, rotation=rot).state == "done"
    rot.refresh_from_db()
    assert all(len(rd) == 3 for rd in rot.plan) and rot.tables == 3
    # a number of tables the event does not have: a clear message, also through the form
    import pytest

    from madang.core.errors import DomainError

    with pytest.raises(DomainError, match="테이블을 2개에서 4개까지"):
        services.configure_rotation(actor=crowd.doyun, session=s, rounds=2, tables=9)
    r = client(crowd.doyun).post(
        "/events/big-day/do/rotation/", {"session": s.pk, "rounds": 2, "round_minutes": 15, "seconds": 0.5, "tables": 9}
    )
    assert r.status_code == 400 and "테이블을 2개에서 4개까지" in r.content.decode()


def test_it_lets_the_facilitator_put_new_tables_before_new_people(crowd):
    # 16 people at 4 tables: nobody can both meet only new people and sit only at new tables. The
    # facilitator chooses on the session page; "new tables first" brings nobody back to a table.
    s = session(crowd.event, SessionKind.CAFE)
    page = client(crowd.doyun).get(f"/events/big-day/s/{s.pk}/").content.decode()
    assert "새 테이블 먼저" in page and "새로운 사람 먼저" in page
    r = client(crowd.doyun).post(
        "/events/big-day/do/rotation/",
        {"session": s.pk, "rounds": 3, "round_minutes": 15, "seconds": 1, "priority": "tables"},
    )
    assert r.status_code in (302, 303), r.content.decode()[:300]
    rot = Rotation.objects.get(session=s)
    assert rot.priority == "tables"
    assert services.start_rotation(actor=crowd.doyun, rotation=rot).state == "done"
    rot.refresh_from_db()
    visits = [(p, t) for rd in rot.plan for t, members in enumerate(rd) for p in members]
    assert rot.same_table == 0 and len(visits) == len(set(visits))
    agency = {r.pk: r.agency_id for r in crowd.regs}
    assert all(len({agency[p] for p in t}) == len(t) for rd in rot.plan for t in rd)  # colleagues still apart
    assert rot.repeated_pairs == sum(k - 1 for k in _meets(rot.plan).values()) > 0
    out = client(crowd.doyun).get(f"/api/events/big-day/sessions/{s.pk}/rotation").json()
    assert out["priority"] == "tables" and out["same_table"] == 0
    # the other choice on the same people: no pair twice, and someone comes back
    rot = services.configure_rotation(actor=crowd.doyun, session=s, rounds=3, seconds=1, priority="people")
    assert services.start_rotation(actor=crowd.doyun, rotation=rot).state == "done"
    rot.refresh_from_db()
    assert rot.repeated_pairs == 0 and rot.same_table > 0
    bad = client(crowd.doyun).post(
        "/events/big-day/do/rotation/",
        {"session": s.pk, "rounds": 3, "round_minutes": 15, "seconds": 1, "priority": "x"},
    )
    assert bad.status_code == 400
