"""Social golfer 8-4-10 (32 people, tables of 4, 10 rounds) with no repeated pair, and the other
benchmark instances still at zero repeats. Every claim is recounted here from the plan itself."""

import itertools
from collections import Counter

import pytest

from madang.solvers.rotation import solve
from madang.solvers.rotation.transversal import MAX_ROUNDS, missed_partner, rgdd_8_4_rounds


def pair_counts(plan):
    return Counter(frozenset(p) for rd in plan for table in rd for p in itertools.combinations(table, 2))


def assert_partitions(plan, people, tables, size):
    for r, rd in enumerate(plan):
        assert len(rd) == tables, f"round {r}"
        assert all(len(table) == size for table in rd), f"round {r}"
        assert sorted(p for table in rd for p in table) == list(range(people)), f"round {r} is not a partition"


def test_it_plans_8_4_10_with_every_round_a_partition_and_no_pair_twice():
    res = solve(32, 8, 10, seconds=5, seed=0)
    assert res.method != "tabu search" and "TD(4,8)" in res.method
    assert len(res.plan) == 10
    assert_partitions(res.plan, 32, 8, 4)
    counts = pair_counts(res.plan)
    assert max(counts.values()) == 1
    assert res.repeated_pairs == 0 and res.violations == []
    # 10 rounds x 8 tables x 6 pairs: everyone meets 30 of the 31 others
    assert len(counts) == 480


def test_the_pairs_never_met_form_the_stated_perfect_matching():
    plan = rgdd_8_4_rounds()
    met = pair_counts(plan)
    missed = {frozenset(p) for p in itertools.combinations(range(32), 2)} - set(met)
    assert len(missed) == 16
    assert sorted(p for pair in missed for p in pair) == list(range(32))  # a perfect matching
    for p in range(32):
        q = missed_partner(p)
        assert q != p and missed_partner(q) == p
        assert frozenset((p, q)) in missed
        assert p // 8 == q // 8  # the missed partner is in the same column


def test_it_is_built_from_six_transversal_rounds_three_pairing_rounds_and_one_coset_round():
    plan = rgdd_8_4_rounds()
    columns = [[sorted(p // 8 for p in table) for table in rd] for rd in plan]
    for rd in columns[:6]:  # the kept rounds of the TD(4,8): one person per column at every table
        assert all(cols == [0, 1, 2, 3] for cols in rd)
    for rd in columns[6:9]:  # pairing rounds: two people from each of two columns
        assert all(len(set(cols)) == 2 and Counter(cols).most_common(1)[0][1] == 2 for cols in rd)
        assert len({tuple(sorted(set(cols))) for cols in rd}) == 2  # the columns split into two pairs
    assert all(len(set(cols)) == 1 for cols in columns[9])  # the coset round stays inside columns
    # the 6 TD rounds cover each cross-column pair at most once and no in-column pair
    td = pair_counts(plan[:6])
    assert max(td.values()) == 1 and all(len({p // 8 for p in pair}) == 2 for pair in td)


def test_it_is_deterministic_and_gives_any_shorter_prefix():
    full = rgdd_8_4_rounds()
    assert rgdd_8_4_rounds() == full
    for w in range(MAX_ROUNDS):
        assert rgdd_8_4_rounds(w) == full[:w]
    assert solve(32, 8, 10, seed=0).plan == solve(32, 8, 10, seed=7).plan
    with pytest.raises(ValueError, match="at most 10"):
        rgdd_8_4_rounds(11)
