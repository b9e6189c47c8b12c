"""`python -m madang.solvers.opinion (FOLDER | --synthetic N) [--statements M] [--seed K] [--method M]` prints an
opinion map.

FOLDER is a Polis export (participants-votes.csv, comments.csv); moderated-out statements are excluded.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from madang.solvers.opinion import VoteMatrix, adjusted_rand_index, opinion_map, planted


def read_polis_export(folder: Path) -> tuple[VoteMatrix, list[str], list[int], np.ndarray]:
    """Votes, statement ids (column order), moderated-out columns and Polis's group ids (-1 = none)."""
    with (folder / "participants-votes.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    first = header.index("n-disagree") + 1
    gcol = header.index("group-id")  # some exports put an "xid" column before it
    sids = header[first:]
    ps, ss, vs, polis = [], [], [], []
    for i, r in enumerate(rows[1:]):
        polis.append(int(r[gcol]) if r[gcol] != "" else -1)
        for j, cell in enumerate(r[first:]):
            if cell != "":
                ps.append(i)
                ss.append(j)
                vs.append(int(float(cell)))
    moderated: list[int] = []
    cpath = folder / "comments.csv"
    if cpath.exists():
        with cpath.open(newline="") as f:
            out = {row["comment-id"] for row in csv.DictReader(f) if row.get("moderated") == "-1"}
        moderated = [j for j, s in enumerate(sids) if s in out]
    vm = VoteMatrix.from_votes(ps, ss, vs, n_participants=len(rows) - 1, n_statements=len(sids))
    return vm, sids, moderated, np.array(polis)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m madang.solvers.opinion", description=__doc__)
    ap.add_argument("folder", nargs="?", help="Polis export folder")
    ap.add_argument("--synthetic", type=int, default=0, help="planted groups with N participants instead")
    ap.add_argument("--statements", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--method", choices=["polis", "red-dwarf"], default="polis")
    args = ap.parse_args(argv)
    truth = None
    moderated: list[int] = []
    if args.synthetic:
        p = planted(args.synthetic, args.statements, 3, seed=args.seed)
        vm, sids, truth = p.votes, [str(j) for j in range(args.statements)], p.truth
    elif args.folder:
        vm, sids, moderated, polis = read_polis_export(Path(args.folder))
        truth = polis if (polis >= 0).any() else None
    else:
        ap.error("give a folder or --synthetic N")
    res = opinion_map(vm, seed=args.seed, excluded_statements=moderated, method=args.method)
    w = sys.stdout.write
    w(
        f"{vm.n_participants} participants, {vm.n_statements} statements, {vm.n_votes} votes; "
        f"{res.k} groups, silhouette {res.silhouette:.3f}, {res.seconds['total']:.2f}s\n"
    )
    if truth is not None:
        both = (res.labels >= 0) & (truth >= 0)
        w(f"ARI vs reference groups: {adjusted_rand_index(res.labels[both], truth[both]):.3f}\n")
    for g in res.groups:
        reps = ", ".join(f"{sids[s.statement]}{'+' if s.direction == 'agree' else '-'}" for s in g.representative)
        w(f"group {g.id}: {g.size} people; representative: {reps}\n")
    w("consensus agree: " + ", ".join(sids[c.statement] for c in res.consensus_agree) + "\n")
    w("consensus disagree: " + ", ".join(sids[c.statement] for c in res.consensus_disagree) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
