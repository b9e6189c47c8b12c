"""MDGP solver: hand-checkable cases, hard rules, and the independent checker."""

import itertools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.grouping import (
    InfeasibleGrouping,
    check,
    diversity_matrix,
    objective,
    read_mdgplib,
    solve,
)


def brute_force(d: np.ndarray, lb: list[int], ub: list[int]) -> float:
    n, g = d.shape[0], len(lb)
    best = -1.0
    for a in itertools.product(range(g), repeat=n):
        sizes = np.bincount(a, minlength=g)
        if all(lb[k] <= sizes[k] <= ub[k] for k in range(g)):
            best = max(best, objective(d, a))
    return best


def test_it_finds_the_optimum_of_a_tiny_instance():
    rng = np.random.default_rng(3)
    d = rng.integers(0, 10, (7, 7)).astype(float)
    d = np.triu(d, 1) + np.triu(d, 1).T
    res = solve(d, [2, 3], [3, 4], seconds=0.5, seed=1)
    assert res.objective == pytest.approx(brute_force(d, [2, 3], [3, 4]))


def test_it_puts_the_two_most_different_people_together():
    d = np.zeros((4, 4))
    d[0, 3] = d[3, 0] = 10.0
    d[1, 2] = d[2, 1] = 1.0
    res = solve(d, 2, 2, groups=2, seconds=0.2)
    assert res.assignment[0] == res.assignment[3]
    assert res.objective == 11.0


def test_it_keeps_cannot_link_apart_and_must_link_together():
    d = np.ones((6, 6)) - np.eye(6)
    d[0, 1] = d[1, 0] = 100.0  # attractive but forbidden
    res = solve(d, 3, 3, groups=2, cannot_link=[(0, 1)], must_link=[(2, 3)], seconds=0.3)
    verdict = check(d, res.assignment, 3, 3, groups=2, cannot_link=[(0, 1)], must_link=[(2, 3)])
    assert verdict.ok, verdict.violations
    assert res.assignment[0] != res.assignment[1]
    assert res.assignment[2] == res.assignment[3]


def test_it_refuses_impossible_bounds_and_contradictory_rules():
    d = np.ones((5, 5))
    with pytest.raises(InfeasibleGrouping):
        solve(d, 3, 3, groups=2)
    with pytest.raises(InfeasibleGrouping):
        solve(d, 2, 3, groups=2, must_link=[(0, 1)], cannot_link=[(1, 0)])


def test_it_builds_diversity_from_categorical_and_numeric_attributes():
    people = [("agency-a", "central", 5), ("agency-a", "local", 9), ("agency-b", "central", None)]
    d = diversity_matrix(people, [2.0, 1.0, 1.0], numeric=[False, False, True])
    assert d[0, 1] == pytest.approx(0 + 1 + 1.0)  # same agency, other level, grade 5 vs 9 = full range
    assert d[0, 2] == pytest.approx(2 + 0 + 1)  # an unknown grade is a category of its own
    assert d[1, 2] == pytest.approx(2 + 1 + 1)
    assert np.allclose(d, d.T)


def test_it_counts_two_blanks_as_alike_and_a_blank_as_unlike_a_stated_value():
    d = diversity_matrix([("f",), (None,), (None,), ("m",)], [1.0])
    assert d[1, 2] == 0.0 and d[0, 1] == 1.0 and d[1, 3] == 1.0 and d[0, 3] == 1.0


def test_it_spreads_people_who_left_gender_blank_over_the_groups():
    # the winter event in small: 12 people, 4 left gender blank; on main they formed a group of their own
    genders = ["female", "male", "female", "male", "female", "male", "female", "male", None, None, None, None]
    d = diversity_matrix([(g,) for g in genders], [1.0])
    res = solve(d, 4, 4, groups=3, seconds=0.3, seed=1)
    blanks = [sum(1 for i, g in enumerate(res.assignment) if g == k and genders[i] is None) for k in range(3)]
    assert sorted(blanks) == [1, 1, 2]


@settings(max_examples=25, deadline=None)
@given(groups=st.integers(2, 5), size=st.integers(2, 6), data=st.data())
def test_it_balances_the_unstated_whatever_their_number(groups, size, data):
    n = groups * size
    blank = data.draw(st.sets(st.integers(0, n - 1)))
    # everybody who stated a value stated a different one: only the blanks can be alike
    d = diversity_matrix([(None if i in blank else i,) for i in range(n)], [1.0])
    res = solve(d, size, size, groups=groups, seconds=0.1, seed=0)
    per_group = [sum(1 for i in blank if res.assignment[i] == k) for k in range(groups)]
    assert max(per_group) - min(per_group) <= 1, per_group


def test_it_is_reproducible_for_a_seed():
    d = np.random.default_rng(0).random((30, 30))
    a = solve(d, 5, 5, groups=6, max_iterations=300, seconds=10, seed=7)
    b = solve(d, 5, 5, groups=6, max_iterations=300, seconds=10, seed=7)
    assert a.assignment == b.assignment
    assert a.iterations == 300


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(4, 24),
    g=st.integers(2, 4),
    seed=st.integers(0, 10**6),
    slack=st.integers(0, 2),
)
def test_it_never_breaks_rules_and_reports_the_checked_objective(n, g, seed, slack):
    rng = np.random.default_rng(seed)
    d = rng.random((n, n)) * 10
    lb = [max(1, n // g - slack)] * g
    ub = [n // g + 1 + slack] * g
    pairs = rng.permutation(n)[: 2 * (n // 6)].reshape(-1, 2)
    cannot = [tuple(map(int, p)) for p in pairs[: len(pairs) // 2]]
    must = [tuple(map(int, p)) for p in pairs[len(pairs) // 2 :]]
    res = solve(d, lb, ub, cannot_link=cannot, must_link=must, seconds=0.1, seed=seed)
    verdict = check(d, res.assignment, lb, ub, cannot_link=cannot, must_link=must)
    assert verdict.ok, verdict.violations
    assert verdict.objective == pytest.approx(res.objective)


def test_it_reads_mdgplib_files_and_solves_them_from_the_command_line(tmp_path):
    path = tmp_path / "tiny_ds.txt"
    lines = ["4 2 ds 1 3 1 3"] + [f"{i} {j} {i + j}" for i in range(4) for j in range(i + 1, 4)]
    path.write_text("\n".join(lines) + "\n")
    inst = read_mdgplib(path)
    assert inst.d[1, 3] == 4.0
    assert inst.d[3, 1] == 4.0
    assert inst.min_sizes == [1, 1]
    assert inst.max_sizes == [3, 3]
    cmd = [sys.executable, "-m", "madang.solvers.grouping", str(path), "--seconds", "0.2"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    # best: {1, 2, 3} with 3 + 4 + 5 = 12 and {0} alone
    assert "objective 12.000000" in out
    assert "ok" in out


def test_it_keeps_cannot_links_apart_even_with_almost_no_time():
    """120 people, 2 per agency, 12 groups: the repair separates colleagues however short the search."""
    import numpy as np

    from madang.solvers.grouping import core

    rng = np.random.default_rng(0)
    d = rng.random((120, 120))
    cannot = [(2 * a, 2 * a + 1) for a in range(60)]
    res = core.solve(d, [10] * 12, [10] * 12, cannot_link=cannot, max_iterations=1, seed=3)
    assert all(res.assignment[i] != res.assignment[j] for i, j in cannot)
