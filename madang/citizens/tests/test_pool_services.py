"""The pool's life: create, volunteer, close, compute (a background job), commit, draw, answer, replace."""

import json
from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone

from madang.citizens import lottery, services
from madang.citizens.models import (
    Invitation,
    InvitationState,
    Lottery,
    LotteryKind,
    PoolState,
    Purpose,
    Volunteering,
)
from madang.citizens.tests.conftest import QUOTAS, make_citizen
from madang.core.errors import Conflict, DomainError, Forbidden
from madang.ledger.models import Entry
from madang.people import services as people
from madang.people.models import Role


def _window():
    now = timezone.now()
    return {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=3)}


def test_it_lets_only_organisers_of_the_organisation_create_pools(cast):
    for outsider in (cast.minji, cast.bada, cast.garam, cast.sohee):
        with pytest.raises(Forbidden):
            services.create_pool(
                actor=outsider, organisation=cast.province, title="회의", k=3, attributes=["gender"], **_window()
            )
    people.grant_role(actor=None, user=cast.haneul, role=Role.FACILITATOR, organisation=cast.province)
    assert (
        services.create_pool(
            actor=cast.haneul,
            organisation=cast.province,
            title="해커톤",
            k=3,
            attributes=["gender"],
            purpose="hackathon",
            **_window(),
        ).purpose
        == "hackathon"
    )
    assert services.create_pool(
        actor=cast.admin, organisation=cast.other_province, title="회의", k=3, attributes=["region"], **_window()
    )
    with pytest.raises(Forbidden):  # 혁신팀 of 한빛도 has no say over 새벽도
        services.create_pool(
            actor=cast.doyun, organisation=cast.other_province, title="회의", k=3, attributes=["gender"], **_window()
        )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("k", {"k": 0}),
        ("k", {"k": 501}),
        ("attributes", {"attributes": []}),
        ("attributes", {"attributes": ["interests"]}),
        ("attributes", {"attributes": ["gender", "gender"]}),
        ("closes_at", {"closes_at": timezone.now() - timedelta(days=9)}),
        ("quotas", {"quotas": {"gender": {"female": [3, 2]}}}),
        ("quotas", {"quotas": {"gender": {"female": [0, 9]}}}),
        ("quotas", {"quotas": {"gender": {"alien": [0, 1]}}}),
        ("quotas", {"quotas": {"region": {}}}),
        ("quotas", {"quotas": {"gender": {"female": ["1", 2]}}}),
        ("quotas", {"quotas": {"gender": {"female": [True, 2]}}}),
        ("title", {"title": "   "}),
        ("answer_days", {"answer_days": 0}),
        ("purpose", {"purpose": "party"}),
    ],
)
def test_it_refuses_bad_pool_settings_with_a_clear_reason(cast, field, changes):
    args = {"title": "회의", "k": 3, "attributes": ["gender"], **_window(), **changes}
    with pytest.raises(DomainError) as err:
        services.create_pool(actor=cast.doyun, organisation=cast.province, **args)
    assert err.value.field == field and err.value.status == 400


def test_it_fills_every_value_with_a_quota(pool):
    assert pool.quotas["gender"] == QUOTAS["gender"]
    assert set(pool.quotas["age_band"]) == {"19-29", "30-39", "40-49", "50-59", "60-69", "70+"}
    assert Entry.objects.filter(kind="citizens.pool_created", subject=pool.subject).exists()


def test_it_lets_a_consenting_citizen_volunteer_once(pool, garam):
    v = services.volunteer(actor=garam, pool=pool, email_me=True)
    assert services.volunteer(actor=garam, pool=pool) == v
    assert Volunteering.objects.filter(pool=pool).count() == 1
    assert services.has_consent(garam, Purpose.INVITATIONS)
    assert list(garam.volunteerings.values_list("pool__title", flat=True)) == [pool.title]


def test_it_asks_for_consent_and_the_attributes_the_quotas_use(cast, pool):
    with pytest.raises(DomainError) as err:
        services.volunteer(actor=cast.garam, pool=pool)
    assert err.value.code == "no_consent"
    services.grant_consent(actor=cast.garam, purpose=Purpose.ATTRIBUTES)
    services.update_attributes(actor=cast.garam, gender="male")
    with pytest.raises(DomainError) as err:
        services.volunteer(actor=cast.garam, pool=pool)
    assert err.value.code == "missing_attributes"


def test_it_keeps_officials_and_late_comers_out(cast, pool, garam):
    with pytest.raises(Forbidden):
        services.volunteer(actor=cast.minji, pool=pool)
    pool.closes_at = timezone.now() - timedelta(minutes=1)
    pool.save()
    with pytest.raises(DomainError) as err:
        services.volunteer(actor=garam, pool=pool)
    assert err.value.code == "not_open"


def test_it_snapshots_the_consented_attributes_at_close(cast, pool, volunteers):
    nuri = volunteers[1]
    services.update_attributes(actor=nuri, gender="female", age_band="30-39", region="")  # region is not used
    services.close_pool(actor=cast.doyun, pool=pool)
    v = Volunteering.objects.get(pool=pool, user=nuri)
    assert v.snapshot == {"gender": "female", "age_band": "30-39"} and v.eligible
    services.update_attributes(actor=nuri, gender="female", age_band="70+")
    v.refresh_from_db()
    assert v.snapshot["age_band"] == "30-39"  # later changes do not move a closed pool
    with pytest.raises(Conflict):
        services.close_pool(actor=cast.doyun, pool=pool)


def test_it_leaves_out_at_close_whoever_lost_an_attribute(cast, pool, volunteers):
    services.update_attributes(actor=volunteers[2], gender="female")  # age erased
    services.close_pool(actor=cast.doyun, pool=pool)
    assert not Volunteering.objects.get(pool=pool, user=volunteers[2]).eligible
    assert Entry.objects.filter(kind="citizens.pool_closed").exists()
    assert json.loads(Entry.objects.get(kind="citizens.pool_closed").body)["in_lottery"] == len(volunteers) - 1


def test_it_computes_in_a_background_job_and_reports_its_progress(cast, pool, volunteers):
    from madang.jobs.selectors import latest

    services.close_pool(actor=cast.doyun, pool=pool)
    job = services.compute_distribution(actor=cast.doyun, pool=pool)
    assert job.state == "done" and job.result["commitment"] == pool.lotteries.get().commitment
    assert latest(subject=pool.subject) == job
    pool.refresh_from_db()
    assert pool.state == PoolState.COMPUTED


def test_it_runs_the_plain_leximin_function_with_progress(cast, pool, volunteers):
    services.close_pool(actor=cast.doyun, pool=pool)
    seen = []
    made = services.run_distribution(pool_id=pool.pk, progress=lambda d, t, m: seen.append((d, t)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert len(made.people) == len(volunteers) and min(made.probabilities) > 0.3


def test_it_orders_volunteers_by_pseudonym_not_by_sign_up(computed):
    from madang.citizens.ledger_entries import participant

    made = computed.lotteries.get()
    # (the pseudonym in this pool's one context: the order says nothing about anyone elsewhere)
    assert [participant(computed.pk, m) for m in made.members] == sorted(
        participant(computed.pk, m) for m in made.members
    )


def test_it_discards_a_computed_lottery_when_the_quotas_change(cast, computed):
    services.set_quotas(actor=cast.doyun, pool=computed, quotas=QUOTAS)
    computed.refresh_from_db()
    assert computed.state == PoolState.CLOSED and not computed.lotteries.exists()


def test_it_commits_before_the_seed_and_draws_only_once(cast, drawn):
    with pytest.raises(Conflict):
        services.draw_panel(actor=cast.doyun, pool=drawn, seed="again")
    with pytest.raises(Conflict):
        services.set_quotas(actor=cast.doyun, pool=drawn, quotas=QUOTAS)
    made = drawn.lotteries.get()
    assert made.committed_at < made.drawn_at
    assert Invitation.objects.filter(pool=drawn).count() == drawn.k


@pytest.mark.parametrize("seed", ["", "   ", "x" * 201, "<script>", "seed\x00"])
def test_it_refuses_a_bad_seed(cast, committed, seed):
    with pytest.raises(DomainError) as err:
        services.draw_panel(actor=cast.doyun, pool=committed, seed=seed)
    assert err.value.field == "seed"


def test_it_lets_only_organisers_run_the_lottery(cast, pool, volunteers):
    for who in (cast.garam, cast.minji, cast.bada, cast.yuna):
        with pytest.raises(Forbidden):
            services.close_pool(actor=who, pool=pool)


def test_it_mails_the_invited_who_asked_for_it(cast, committed, mailoutbox, django_capture_on_commit_callbacks):
    nuri = Volunteering.objects.get(pool=committed, user__username="nuri").user
    services.grant_consent(actor=nuri, purpose=Purpose.INVITATIONS)
    with django_capture_on_commit_callbacks(execute=True):
        made = services.draw_panel(actor=cast.doyun, pool=committed, seed="42")
    drawn_ids = {made.members[i] for i in made.panel}
    assert [m.to for m in mailoutbox] == ([["nuri@example.kr"]] if nuri.pk in drawn_ids else [])


def _invited(pool):
    return list(Invitation.objects.filter(pool=pool, state=InvitationState.INVITED).select_related("user"))


def test_it_records_confirmations_and_declines(cast, drawn):
    first, second, *_rest = _invited(drawn)
    services.answer_invitation(actor=first.user, invitation=first, accept=True)
    services.answer_invitation(actor=second.user, invitation=second, accept=False)
    assert Invitation.objects.get(pk=first.pk).state == InvitationState.CONFIRMED
    with pytest.raises(Conflict):
        services.answer_invitation(actor=second.user, invitation=second, accept=True)
    with pytest.raises(Forbidden):
        # (someone who is not the invited person; the draw's order depends on the pool's pseudonyms)
        services.answer_invitation(
            actor=cast.garam if _rest[0].user != cast.garam else cast.minji, invitation=_rest[0], accept=True
        )
    assert Entry.objects.filter(kind="citizens.invitation_answered").count() == 2


def test_it_refuses_answers_after_the_deadline(drawn):
    inv = _invited(drawn)[0]
    Invitation.objects.filter(pk=inv.pk).update(answer_by=timezone.now() - timedelta(minutes=1))
    inv.refresh_from_db()
    with pytest.raises(DomainError) as err:
        services.answer_invitation(actor=inv.user, invitation=inv, accept=True)
    assert err.value.code == "too_late"


def _replaceable_last(pool, invited):
    """The invitees ordered so that a panel by the same quotas exists without the last two (the
    draw follows the pool's pseudonyms, which differ with the database's ids, so which invitees
    can be replaced differs too): brute force over the small test pool."""
    instance = lottery.instance_of(pool.lotteries.get())
    drawn_indices = {inv.index for inv in invited}
    for leaving in combinations(invited, 2):
        keep = [inv.index for inv in invited if inv not in leaving]
        others = [i for i in range(instance.n) if i not in drawn_indices]
        if any(instance.is_valid_panel(sorted(keep + list(extra))) for extra in combinations(others, 2)):
            return [inv for inv in invited if inv not in leaving] + list(leaving)
    raise AssertionError("no two invitees of the fixture's pool can be replaced by its quotas")


def test_it_replaces_those_who_declined_by_the_same_rules(cast, drawn):
    invited = _replaceable_last(drawn, _invited(drawn))
    for inv in invited[:3]:
        services.answer_invitation(actor=inv.user, invitation=inv, accept=True)
    with pytest.raises(Conflict):  # two have not answered yet
        services.prepare_replacement(actor=cast.doyun, pool=drawn, seed_source="다음 주 로또")
    services.answer_invitation(actor=invited[3].user, invitation=invited[3], accept=False)
    Invitation.objects.filter(pk=invited[4].pk).update(answer_by=timezone.now() - timedelta(minutes=1))  # never answers
    made = services.prepare_replacement(actor=cast.doyun, pool=drawn, seed_source="2026-12-12 로또 6/45 제1201회")
    assert made.kind == LotteryKind.REPLACEMENT and made.committed_at and not made.drawn_at
    confirmed = sorted(inv.index for inv in invited[:3])
    assert made.kept == confirmed and set(made.removed) >= {invited[3].index, invited[4].index}
    instance = lottery.instance_of(made)
    distribution = lottery.distribution_of(made)
    for panel in distribution.panels:
        assert set(confirmed) <= set(panel) and instance.is_valid_panel(panel)
        assert not set(made.removed) & set(panel)
    services.draw_replacement(actor=cast.doyun, pool=drawn, seed="7 8 9 10 11 12 + 13")
    made.refresh_from_db()
    assert lottery.verify(made).ok
    states = dict(Invitation.objects.filter(pool=drawn).values_list("index", "state"))
    assert [states[i] for i in confirmed] == ["confirmed"] * 3
    assert states[invited[3].index] == states[invited[4].index] == "replaced"
    new = [i for i in made.panel if i not in confirmed]
    assert len(new) == 2 and all(states[i] == "invited" for i in new)
    assert Entry.objects.filter(kind="citizens.replacement_drawn", subject=drawn.subject).exists()


def test_it_says_when_no_seat_needs_replacing(cast, drawn):
    for inv in _invited(drawn):
        services.answer_invitation(actor=inv.user, invitation=inv, accept=True)
    with pytest.raises(Conflict) as err:
        services.prepare_replacement(actor=cast.doyun, pool=drawn, seed_source="로또")
    assert err.value.code == "nothing_to_replace"


def test_it_leaves_open_pools_when_consent_is_withdrawn(pool, volunteers):
    nuri = volunteers[1]
    services.withdraw_consent(actor=nuri, purpose=Purpose.ATTRIBUTES)
    assert not Volunteering.objects.filter(pool=pool, user=nuri).exists()


def test_it_keeps_a_committed_lottery_but_forgets_who_left(cast, committed):
    made = committed.lotteries.get()
    leaver = Volunteering.objects.filter(pool=committed).select_related("user").first().user
    services.delete_account(actor=leaver, password="madang-test-pass-2026")
    made.refresh_from_db()
    assert leaver.pk not in made.members and None in made.members
    assert made.commitment == lottery.published(made)["commitment"]
    services.draw_panel(actor=cast.doyun, pool=committed, seed="3 11 19 24 38 42 + 7")
    made.refresh_from_db()
    assert lottery.verify(made).ok
    erased = made.members.index(None)
    if erased in made.panel:  # the erased person's seat is declined at once
        assert Invitation.objects.get(pool=committed, index=erased).state == InvitationState.DECLINED


def test_it_declines_the_pending_seat_of_someone_who_deletes_their_account(drawn):
    inv = _invited(drawn)[0]
    services.delete_account(actor=inv.user, password="madang-test-pass-2026")
    inv.refresh_from_db()
    assert inv.state == InvitationState.DECLINED and inv.lapsed
    v = Volunteering.objects.get(pool=drawn, user=inv.user)
    assert v.snapshot == {}  # the drawn pool keeps the fact, not the attributes
    assert inv.user_id not in Lottery.objects.get(pool=drawn).members


def test_it_discards_an_uncommitted_lottery_when_a_volunteer_leaves(computed, volunteers):
    services.withdraw_volunteering(actor=volunteers[0], pool=computed)
    computed.refresh_from_db()
    assert computed.state == PoolState.CLOSED and not computed.lotteries.exists()


def test_it_refuses_to_withdraw_from_a_committed_lottery(committed, volunteers):
    with pytest.raises(DomainError) as err:
        services.withdraw_volunteering(actor=volunteers[0], pool=committed)
    assert err.value.code == "committed"


def test_it_exports_volunteering_with_the_member_data(pool, volunteers):
    data = services.export_data(volunteers[0])
    assert data["volunteering"][0]["pool"] == pool.title


def test_it_survives_a_pool_of_one_hundred(cast, pool):
    import random

    rng = random.Random(7)
    for i in range(100):
        gender = rng.choice(["female", "male"])
        age = rng.choice(["19-29", "30-39", "40-49", "50-59", "60-69", "70+"])
        services.volunteer(actor=make_citizen(f"c{i}", f"시민{i}", gender, age, "충남"), pool=pool)
    services.close_pool(actor=cast.doyun, pool=pool)
    services.compute_distribution(actor=cast.doyun, pool=pool)
    made = pool.lotteries.get()
    assert len(made.people) == 100 and min(made.probabilities) > 0


def test_it_does_not_start_a_second_computation_while_one_runs(cast, pool, volunteers, settings):
    from madang.jobs.models import Job

    settings.MADANG_JOBS_EAGER = False
    services.close_pool(actor=cast.doyun, pool=pool)
    job = services.compute_distribution(actor=cast.doyun, pool=pool)
    assert job.state == "queued"
    with pytest.raises(Conflict) as err:
        services.compute_distribution(actor=cast.doyun, pool=pool)
    assert err.value.code == "computing" and Job.objects.count() == 1
