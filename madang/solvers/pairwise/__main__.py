"""`python -m madang.solvers.pairwise [--ideas N] [--votes V] [--seed S]`: simulate a small wiki
survey (voters who disagree, late ideas, "can't decide"), once with adaptive pairs and once with
uniform random pairs, and print Kendall τ against the true ranking."""

from __future__ import annotations

import argparse
import sys
import time

from .scores import score
from .simulate import make_truth, run_survey


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m madang.solvers.pairwise", description=__doc__)
    parser.add_argument("--ideas", type=int, default=100, help="number of ideas (default 100)")
    parser.add_argument("--votes", type=int, default=None, help="number of votes (default 60 per idea)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the truth, the voters and the pair choice")
    parser.add_argument("--spread", type=float, default=1.0, help="standard deviation of the true strengths")
    parser.add_argument("--top", type=int, default=5, help="how many top ideas to list")
    args = parser.parse_args(argv)
    if args.ideas < 2:
        parser.error("--ideas must be at least 2")
    votes = args.votes if args.votes is not None else 60 * args.ideas
    truth = make_truth(args.ideas, seed=args.seed, spread=args.spread)
    out = sys.stdout.write
    late = int((truth.arrival > 0).sum())
    out(f"{args.ideas} ideas ({late} submitted during the survey), {votes} votes, seed {args.seed}\n")
    traces = {}
    for strategy in ("adaptive", "uniform"):
        start = time.perf_counter()
        trace = traces[strategy] = run_survey(truth, votes, seed=args.seed + 1, strategy=strategy, checkpoints=[votes])
        took = time.perf_counter() - start
        ties = int(trace.tie.sum())
        out(f"{strategy:>8}: Kendall tau {trace.tau[-1]:.4f}  ({ties} can't-decide, {took:.1f} s)\n")
    adaptive = traces["adaptive"]
    assert adaptive.fit is not None and adaptive.counts is not None
    table = score(adaptive.fit, adaptive.counts)
    out("top ideas (adaptive run): idea  score  [95% band]  votes  true strength\n")
    for idea in table.ranking()[: args.top]:
        shown = table.wins[idea] + table.losses[idea] + table.ties[idea]
        out(
            f"  {idea:5d}  {table.score[idea]:.3f}  [{table.lower[idea]:.3f}, {table.upper[idea]:.3f}]"
            f"  {shown:5d}  {truth.theta[idea]:+.2f}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
