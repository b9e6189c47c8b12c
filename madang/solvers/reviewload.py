"""Balanced reviewer assignment with conflicts of interest.

Each proposal needs `per_proposal` distinct reviewers; a reviewer may not take a proposal
they have a conflict with (their own, or one from their own department). Among all valid
assignments we want the smallest maximum load, and then loads as even as possible.

Method: the feasibility of "every reviewer takes at most L" is a bipartite b-matching,
i.e. a max-flow (source → proposal with capacity k, proposal → reviewer with capacity 1
where allowed, reviewer → sink with capacity L). Binary search on L gives the optimal
maximum load. Existing assignments are kept and count towards the load.
Dinic's algorithm (Dinic 1970) keeps this well under a second for thousands of proposals.
"""

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


class InfeasibleAssignment(ValueError):
    def __init__[K: Hashable](self, short: Mapping[K, int]) -> None:
        super().__init__(f"{len(short)} proposal(s) lack enough eligible reviewers")
        self.short: dict[Hashable, int] = {p: n for p, n in short.items()}


class _Flow:
    def __init__(self, n: int) -> None:
        self.n = n
        self.head: list[list[int]] = [[] for _ in range(n)]
        self.to: list[int] = []
        self.cap: list[int] = []

    def add(self, u: int, v: int, c: int) -> int:
        self.head[u].append(len(self.to))
        self.to.append(v)
        self.cap.append(c)
        self.head[v].append(len(self.to))
        self.to.append(u)
        self.cap.append(0)
        return len(self.to) - 2

    def maxflow(self, s: int, t: int) -> int:
        total = 0
        while True:
            level = [-1] * self.n
            level[s] = 0
            q = deque([s])
            while q:
                u = q.popleft()
                for e in self.head[u]:
                    if self.cap[e] > 0 and level[self.to[e]] < 0:
                        level[self.to[e]] = level[u] + 1
                        q.append(self.to[e])
            if level[t] < 0:
                return total
            it = [0] * self.n
            while True:
                pushed = self._dfs(s, t, 1 << 30, level, it)
                if not pushed:
                    break
                total += pushed

    def _dfs(self, s: int, t: int, limit: int, level: list[int], it: list[int]) -> int:
        # Iterative DFS: recursion depth would be fine here, but this keeps it bounded.
        stack = [s]
        edges: list[int] = []
        while stack:
            u = stack[-1]
            if u == t:
                f = min(self.cap[e] for e in edges)
                f = min(f, limit)
                for e in edges:
                    self.cap[e] -= f
                    self.cap[e ^ 1] += f
                return f
            advanced = False
            while it[u] < len(self.head[u]):
                e = self.head[u][it[u]]
                v = self.to[e]
                if self.cap[e] > 0 and level[v] == level[u] + 1:
                    stack.append(v)
                    edges.append(e)
                    advanced = True
                    break
                it[u] += 1
            if not advanced:
                stack.pop()
                if edges:
                    edges.pop()
                if stack:
                    it[stack[-1]] += 1
        return 0


@dataclass(frozen=True)
class Assignment[P: Hashable, R: Hashable]:
    pairs: list[tuple[P, R]]
    max_load: int
    loads: dict[R, int]


def assign[P: Hashable, R: Hashable](
    proposals: Iterable[P],
    reviewers: Iterable[R],
    per_proposal: int,
    conflicts: Iterable[tuple[P, R]] = (),
    existing: Iterable[tuple[P, R]] = (),
) -> Assignment[P, R]:
    """Return new (proposal, reviewer) pairs so each proposal has `per_proposal` reviewers."""
    props = list(dict.fromkeys(proposals))
    revs = list(dict.fromkeys(reviewers))
    blocked = set(conflicts)
    have: dict[P, set[R]] = {p: set() for p in props}
    base_load: dict[R, int] = dict.fromkeys(revs, 0)
    for p, r in existing:
        if p in have:
            have[p].add(r)
        if r in base_load:
            base_load[r] += 1
    need = {p: max(0, per_proposal - len(have[p])) for p in props}
    allowed = {p: [r for r in revs if (p, r) not in blocked and r not in have[p]] for p in props}
    short = {p: need[p] - len(allowed[p]) for p in props if len(allowed[p]) < need[p]}
    if short:
        raise InfeasibleAssignment(short)
    total_need = sum(need.values())
    if total_need == 0:
        return Assignment([], max(base_load.values(), default=0), base_load)

    def solve(limit: int, floor: int = 0) -> list[tuple[P, R]] | None:
        """An assignment with every load within [floor, limit], or None.

        Lower bounds without a circulation: first fill each reviewer up to `floor` only, then
        raise the caps to `limit` and keep augmenting. Augmenting paths end at the sink, so
        the flow into the sink from a reviewer never shrinks and the floors stay met.
        """
        n = 2 + len(props) + len(revs)
        src, sink = 0, n - 1
        g = _Flow(n)
        edge_of: list[tuple[int, P, R]] = []
        for i, p in enumerate(props):
            if need[p]:
                g.add(src, 1 + i, need[p])
        r_index = {r: 1 + len(props) + j for j, r in enumerate(revs)}
        for i, p in enumerate(props):
            for r in allowed[p] if need[p] else ():
                edge_of.append((g.add(1 + i, r_index[r], 1), p, r))
        floors = {r: min(max(0, floor - base_load[r]), max(0, limit - base_load[r])) for r in revs}
        flow = 0
        if any(floors.values()):
            for r, node in r_index.items():
                if floors[r]:
                    g.add(node, sink, floors[r])
            flow = g.maxflow(src, sink)
            if flow < sum(floors.values()):
                return None
        for r, node in r_index.items():
            cap = limit - base_load[r] - floors[r]
            if cap > 0:
                g.add(node, sink, cap)
        flow += g.maxflow(src, sink)
        if flow < total_need:
            return None
        return [(p, r) for e, p, r in edge_of if g.cap[e] == 0]

    lo = max(max(base_load.values(), default=0), -(-(total_need + sum(base_load.values())) // max(len(revs), 1)))
    # A reviewer never needs more than one slot per proposal, so this bound is always feasible.
    hi = max(base_load.values(), default=0) + len(props)
    best = solve(hi)
    if best is None:  # cannot happen once per-proposal eligibility holds, but never loop forever
        raise InfeasibleAssignment({p: need[p] for p in props})
    while lo < hi:
        mid = (lo + hi) // 2
        found = solve(mid)
        if found is None:
            lo = mid + 1
        else:
            hi, best = mid, found
    # Then raise the lightest load as far as the optimal maximum allows, so that no reviewer
    # sits idle while others carry the maximum (loads differ by at most one when possible).
    low, high = min(base_load.values(), default=0), hi
    while low < high:
        mid = (low + high + 1) // 2
        found = solve(hi, mid)
        if found is None:
            high = mid - 1
        else:
            low, best = mid, found
    loads = dict(base_load)
    for _, r in best:
        loads[r] += 1
    return Assignment(sorted(best, key=repr), max(loads.values(), default=0), loads)
