"""LEGACY-style greedy lottery: the traditional sequential quota-filling procedure that Flanigan et
al. (Nature 596, 2021) compare LEXIMIN with, and a Monte Carlo estimate of its selection
probabilities (it has no closed form).

One attempt: while seats are free, take the value whose unmet minimum is largest relative to the
number of eligible pool members who have it (the most urgent), and invite a uniformly random
eligible person with that value; once every minimum is met, invite uniformly among the eligible.
Whenever a value reaches its maximum, everyone with it stops being eligible. An attempt that gets
stuck or misses a minimum is discarded and the procedure restarts.
"""

from __future__ import annotations

import numpy as np

from .instance import Instance


class _Legacy:
    def __init__(self, instance: Instance) -> None:
        self.k = instance.k
        self.features = instance.feature_matrix()
        self.q_count = len(instance.quotas)
        self.qmin = np.array([q.min for q in instance.quotas], dtype=np.int64)
        self.qmax = np.array([q.max for q in instance.quotas], dtype=np.int64)
        self.members = [np.nonzero((self.features == q).any(axis=1))[0] for q in range(self.q_count)]

    def attempt(self, rng: np.random.Generator) -> list[int] | None:
        feats = self.features
        eligible = np.ones(len(feats), dtype=bool)
        filled = np.zeros(self.q_count, dtype=np.int64)
        panel: list[int] = []
        eligible[:] = True
        for q in np.nonzero(self.qmax <= 0)[0]:
            eligible[self.members[q]] = False
        while len(panel) < self.k:
            available = np.bincount(feats[eligible].ravel(), minlength=self.q_count)
            need = self.qmin - filled
            if ((need > 0) & (available < need)).any():
                return None
            if (need > 0).any():
                urgency = np.where(need > 0, need / np.maximum(available, 1), -1.0)
                urgent = int(np.argmax(urgency))
                pool = self.members[urgent][eligible[self.members[urgent]]]
            else:
                pool = np.nonzero(eligible)[0]
            if len(pool) == 0:
                return None
            person = int(pool[rng.integers(len(pool))])
            panel.append(person)
            eligible[person] = False
            filled[feats[person]] += 1
            for q in feats[person]:
                if filled[q] >= self.qmax[q]:
                    eligible[self.members[q]] = False
        if (filled < self.qmin).any():
            return None
        return sorted(panel)


def legacy_panel(instance: Instance, seed: int, max_attempts: int = 1000) -> list[int]:
    runner = _Legacy(instance)
    rng = np.random.default_rng(seed)
    for _ in range(max_attempts):
        panel = runner.attempt(rng)
        if panel is not None:
            return panel
    raise RuntimeError(f"the greedy lottery found no valid panel in {max_attempts} attempts")


def legacy_probabilities(instance: Instance, runs: int, seed: int = 0) -> tuple[np.ndarray, int]:
    """Selection frequency of every pool member over `runs` successful greedy panels, and the
    number of failed attempts along the way."""
    runner = _Legacy(instance)
    rng = np.random.default_rng(seed)
    hits = np.zeros(instance.n)
    failures = 0
    done = 0
    while done < runs:
        panel = runner.attempt(rng)
        if panel is None:
            failures += 1
            if failures > 100 * runs + 1000:
                raise RuntimeError("the greedy lottery almost never finds a valid panel")
            continue
        hits[panel] += 1
        done += 1
    return hits / runs, failures
