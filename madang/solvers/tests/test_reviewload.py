"""Balanced reviewer assignment: hand cases, then random instances against brute force."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.reviewload import InfeasibleAssignment, assign


def check(result, proposals, reviewers, k, conflicts=(), existing=()):
    """An independent checker: recompute everything the solver claims from its pairs."""
    pairs = list(result.pairs)
    assert len(pairs) == len(set(pairs)), "a reviewer got the same proposal twice"
    assert not set(pairs) & set(conflicts), "a conflict of interest was assigned"
    assert not set(pairs) & set(existing), "an existing assignment was repeated"
    per = Counter(p for p, _ in [*pairs, *existing] if p in proposals)
    assert all(per[p] == max(k, sum(1 for q, _ in existing if q == p)) for p in proposals)
    loads = Counter({r: 0 for r in reviewers})
    loads.update(r for _, r in [*pairs, *existing] if r in reviewers)
    assert result.loads == dict(loads)
    assert result.max_load == max(loads.values(), default=0)
    return loads


def brute_force(proposals, reviewers, k, conflicts=(), existing=()):
    """(smallest max load, then largest min load) over every valid assignment, or None."""
    blocked = set(conflicts)
    have = {p: {r for q, r in existing if q == p} for p in proposals}
    options = []
    for p in proposals:
        free = [r for r in reviewers if (p, r) not in blocked and r not in have[p]]
        need = max(0, k - len(have[p]))
        if len(free) < need:
            return None
        options.append([[(p, r) for r in combo] for combo in itertools.combinations(free, need)])
    best = None
    for choice in itertools.product(*options):
        loads = Counter({r: 0 for r in reviewers})
        loads.update(r for _, r in existing if r in reviewers)
        loads.update(r for group in choice for _, r in group)
        key = (max(loads.values()), -min(loads.values()))
        best = key if best is None or key < best else best
    return best[0], -best[1]


def test_it_spreads_four_proposals_over_two_reviewers_evenly():
    result = assign(["p1", "p2", "p3", "p4"], ["유나", "하늘"], per_proposal=1)
    assert check(result, ["p1", "p2", "p3", "p4"], ["유나", "하늘"], 1) == {"유나": 2, "하늘": 2}


def test_it_leaves_nobody_idle_while_others_carry_two():
    result = assign(["p1", "p2", "p3", "p4"], ["a", "b", "c"], per_proposal=1)
    assert sorted(check(result, ["p1", "p2", "p3", "p4"], ["a", "b", "c"], 1).values()) == [1, 1, 2]


def test_it_routes_around_conflicts():
    conflicts = [("p1", "a"), ("p2", "a")]
    result = assign(["p1", "p2"], ["a", "b", "c"], per_proposal=2, conflicts=conflicts)
    check(result, ["p1", "p2"], ["a", "b", "c"], 2, conflicts)
    assert sorted(result.pairs) == [("p1", "b"), ("p1", "c"), ("p2", "b"), ("p2", "c")]


def test_it_keeps_existing_assignments_and_counts_them_as_load():
    existing = [("p1", "a"), ("p2", "a")]
    result = assign(["p1", "p2", "p3"], ["a", "b"], per_proposal=1, existing=existing)
    assert result.pairs == [("p3", "b")]
    assert result.loads == {"a": 2, "b": 1}


def test_it_does_nothing_when_everyone_already_has_reviewers():
    result = assign(["p1"], ["a", "b"], per_proposal=1, existing=[("p1", "b")])
    assert result.pairs == []
    assert result.loads == {"a": 0, "b": 1}


def test_it_names_the_proposals_that_cannot_be_covered():
    with pytest.raises(InfeasibleAssignment) as err:
        assign(["p1", "p2"], ["a", "b"], per_proposal=2, conflicts=[("p2", "a")])
    assert err.value.short == {"p2": 1}


def test_it_refuses_more_reviewers_per_proposal_than_exist():
    with pytest.raises(InfeasibleAssignment):
        assign(["p1"], ["a"], per_proposal=2)


@st.composite
def instances(draw, max_proposals=4, max_reviewers=4):
    proposals = [f"p{i}" for i in range(draw(st.integers(1, max_proposals)))]
    reviewers = [f"r{j}" for j in range(draw(st.integers(1, max_reviewers)))]
    k = draw(st.integers(1, min(2, len(reviewers))))
    cells = [(p, r) for p in proposals for r in reviewers]
    conflicts = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells) // 2))
    existing = draw(
        st.lists(st.sampled_from([c for c in cells if c not in conflicts] or cells), unique=True, max_size=2)
    )
    existing = [c for c in existing if c not in conflicts]
    return proposals, reviewers, k, conflicts, existing


@settings(max_examples=150, deadline=None)
@given(instances())
def test_it_matches_brute_force_on_small_instances(instance):
    proposals, reviewers, k, conflicts, existing = instance
    optimum = brute_force(proposals, reviewers, k, conflicts, existing)
    if optimum is None:
        with pytest.raises(InfeasibleAssignment):
            assign(proposals, reviewers, k, conflicts, existing)
        return
    result = assign(proposals, reviewers, k, conflicts, existing)
    loads = check(result, proposals, reviewers, k, conflicts, existing)
    assert (max(loads.values()), min(loads.values())) == optimum


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 60), st.integers(2, 12), st.integers(1, 2), st.randoms(use_true_random=False))
def test_it_balances_loads_to_within_one_without_conflicts(n_proposals, n_reviewers, k, rnd):
    proposals = list(range(n_proposals))
    reviewers = [f"r{j}" for j in range(n_reviewers)]
    rnd.shuffle(reviewers)
    result = assign(proposals, reviewers, k)
    loads = check(result, proposals, reviewers, k)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == n_proposals * k
