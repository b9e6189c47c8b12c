"""Opinion map in the manner of Pol.is: groups, the statements that set each apart, and consensus.

Implements the "classic" Polis math pipeline — PCA of the mean-imputed votes with participant scaling,
~100 base clusters, k-means for k = 2..5 with k chosen by silhouette, representativeness and consensus
tests — as described in Small, Bjorkegren, Erkkilä, Shaw & Megill, "Polis: Scaling deliberation by
mapping high dimensional opinion spaces", Recerca 26(2), 2021, in the Polis math source
(compdemocracy/polis, `math/src/polismath/math/`) and in red-dwarf (polis-community/red-dwarf).
Two clustering methods: ``method="polis"`` (the default) is Polis's own two-level clustering (base
clusters started from the earliest participants, groups over the base centres, silhouette over the
base centres), which agrees best with the groups Polis published; ``method="red-dwarf"`` reproduces
red-dwarf's groups (k-means on the participants, silhouette over the participants). Written from
those descriptions; no code copied. Framework-free: plain arrays in and out, randomness only from
an explicit ``seed``, warm start from the previous map. Sparse throughout (CSR of int8 votes;
Lanczos or subspace iteration for the PCA; mini-batch k-means and a grid summary for the clustering
of large conversations), so a million participants fit in a few GiB.
"""

from madang.solvers.opinion.core import Group, OpinionMap, next_statement, opinion_map, statement_priorities
from madang.solvers.opinion.matrix import AGREE, DISAGREE, PASS, OpinionError, VoteMatrix
from madang.solvers.opinion.stats import ConsensusStat, StatementStat
from madang.solvers.opinion.synthetic import Planted, adjusted_rand_index, planted

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "ConsensusStat",
    "Group",
    "OpinionError",
    "OpinionMap",
    "Planted",
    "StatementStat",
    "VoteMatrix",
    "adjusted_rand_index",
    "next_statement",
    "opinion_map",
    "planted",
    "statement_priorities",
]
