"""Pairwise wiki survey ("All Our Ideas"): "Which is better for our agency: A or B?".

Voters answer pairs of ideas (or "I can't decide"); new ideas may be added while the survey
runs. The method follows Salganik & Levy, "Wiki surveys: open and quantifiable social data
collection", PLoS ONE 10(5): e0123483 (2015): each idea's score is the estimated chance that it
beats a randomly chosen other idea. Here the strengths come from a Bradley–Terry model (Bradley &
Terry, Biometrika 39, 1952) fitted as a maximum a posteriori estimate under a weak Gaussian prior
by truncated Newton–CG over sparse pair counts (model.py), scores carry a Laplace-approximation
band (scores.py), and the next pairs are chosen adaptively by a Thompson-sampling rule with a
floor for new ideas (select.py). Framework-free: plain numpy arrays in and out, ideas as dense
indices 0..n−1, randomness only from explicit seeds.

Typical use (a Django service maps idea rows to indices and back):

    counts = aggregate(n_ideas, winner, loser, tie)        # all votes so far
    model = fit(counts, init=previous_theta)               # warm start
    # or fit_evidence(counts, ...): the prior's precision estimated from the votes (empirical Bayes)
    table = score(model, counts)                           # table.score, table.lower, table.upper
    pairs = next_pairs(model, 10, seed=seed, shown=shown, active=active)
"""

from .model import DEFAULT_PRIOR_PRECISION, Fit, evidence_precision, fit, fit_evidence
from .scores import Scores, mean_win_chance, score
from .select import next_pairs
from .simulate import Trace, Truth, cast_votes, kendall_tau, make_truth, run_survey, uniform_pairs
from .votes import PairCounts, PairwiseError, aggregate, empty

__all__ = [
    "DEFAULT_PRIOR_PRECISION",
    "Fit",
    "PairCounts",
    "PairwiseError",
    "Scores",
    "Trace",
    "Truth",
    "aggregate",
    "cast_votes",
    "empty",
    "evidence_precision",
    "fit",
    "fit_evidence",
    "kendall_tau",
    "make_truth",
    "mean_win_chance",
    "next_pairs",
    "run_survey",
    "score",
    "uniform_pairs",
]
