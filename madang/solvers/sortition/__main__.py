"""`python -m madang.solvers.sortition <instance-dir> [--seed SEED] [--k K] [--draw PUBLIC_SEED]`:
compute the LEXIMIN lottery for an instance directory and print the result."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .distribution import geometric_mean, gini
from .draw import commit, draw
from .instance import read_instance
from .leximin import InfeasibleQuotas, find_leximin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m madang.solvers.sortition", description=__doc__)
    parser.add_argument("instance", help="directory with categories.csv and respondents.csv")
    parser.add_argument("--k", type=int, default=None, help="panel size (default: from the directory name)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the solver's own random choices")
    parser.add_argument("--draw", metavar="PUBLIC_SEED", help="also draw a panel with this public seed")
    parser.add_argument("--method", choices=("auto", "relaxation", "staged"), default="auto")
    args = parser.parse_args(argv)
    instance = read_instance(args.instance, args.k)
    try:
        result = find_leximin(instance, seed=args.seed, method=args.method)
    except InfeasibleQuotas as exc:
        sys.stdout.write(exc.report.explain() + "\n")
        return 2
    probs = result.probabilities
    out = sys.stdout.write
    out(f"instance {instance.name}: pool {instance.n}, panel {instance.k}, {len(instance.categories)} categories\n")
    out(f"LEXIMIN in {result.stats.seconds:.2f} s ({result.stats.route}; {result.stats.types} types)\n")
    out(f"minimum probability {probs.min():.6f}  (k/n = {instance.k / instance.n:.6f})\n")
    out(f"Gini {gini(probs):.4f}  geometric mean {geometric_mean(probs):.6f}\n")
    levels, counts = np.unique(np.round(probs, 6), return_counts=True)
    out("probability levels: " + ", ".join(f"{v:.6f}×{c}" for v, c in zip(levels, counts, strict=True)) + "\n")
    out(f"lottery over {len(result.distribution)} panels; commitment {commit(result.distribution)}\n")
    if args.draw is not None:
        panel = draw(result.distribution, args.draw)
        out(f"drawn panel for seed {args.draw!r}: {' '.join(map(str, panel))}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
