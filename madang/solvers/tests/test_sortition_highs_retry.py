"""A HiGHS solve that ends "Unknown" (a warm basis gone numerically awkward) is solved again from
scratch before anything is reported: the demo's lottery failed this way on PostgreSQL."""

import highspy
import pytest

from madang.solvers.sortition._highs import run_to_optimum

OPTIMAL, UNKNOWN = highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnknown


class Scripted:
    """Stands in for highspy.Highs: answers each run with the next status of its script."""

    def __init__(self, *statuses):
        self.statuses, self.runs, self.cleared, self.options = list(statuses), 0, 0, {}

    def run(self):
        self.runs += 1

    def getModelStatus(self):
        return self.statuses[min(self.runs, len(self.statuses)) - 1]

    def clearSolver(self):
        self.cleared += 1

    def setOptionValue(self, name, value):
        self.options[name] = value

    def modelStatusToString(self, status):
        return "Unknown"


def test_it_solves_again_from_scratch_when_the_warm_start_ends_unknown():
    h = Scripted(UNKNOWN, OPTIMAL)
    run_to_optimum(h, "LP")
    assert (h.runs, h.cleared, h.options) == (2, 1, {})


def test_it_tries_presolve_last_and_then_says_what_failed():
    h = Scripted(UNKNOWN, UNKNOWN, UNKNOWN)
    with pytest.raises(RuntimeError, match="LP ended with status Unknown"):
        run_to_optimum(h, "LP")
    assert (h.runs, h.cleared, h.options) == (3, 2, {"presolve": "on"})


def test_an_optimum_at_once_runs_once():
    h = Scripted(OPTIMAL)
    run_to_optimum(h, "LP")
    assert (h.runs, h.cleared) == (1, 0)
