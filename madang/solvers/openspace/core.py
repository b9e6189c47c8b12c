"""Open Space scheduling by iterated tabu search over topic-to-slot assignments.

The objective and the hard rules are defined in `model.py`: lexicographically, first the people
turned away (room overflow plus the whole audience of every unscheduled topic), then the clashes
(lost attendance). Because room choice inside a slot only changes the overflow, and sorted
matching (largest topic in the largest room) gives the least overflow of a slot, the search state
is just the slot of each topic, with one extra pseudo-slot for "unscheduled" that has unlimited
places, no clashes, and rooms of capacity 0. Rooms are seated at the end.

Method: tabu search in the style of the iterated tabu search for graph colouring / timetabling
(Hertz & de Werra, "Using tabu search techniques for graph coloring", Computing 39:345-351, 1987;
the perturb-and-restart loop of Lourenço, Martin & Stützle, "Iterated local search", Handbook of
Metaheuristics, 2003), with the same numpy move scoring as `madang.solvers.grouping`. Neighbourhoods:

* move one topic to another slot with a free room (or off the board);
* swap the slots of two topics (a scheduled topic with an unscheduled one exchanges its place on
  the board);
* ejection chains of two links (Glover, "Ejection chains, reference structures and alternating
  path methods for traveling salesman problems", Discrete Applied Mathematics 65:223-253, 1996):
  t takes u's place in u's slot and u moves on to a third slot with a free room, or off the board.
  This is how a topic gets into a full slot: as a swap and then a move it passes through a
  schedule that turns more people away, which the weighted cost ranks behind every step that only
  adds clashes, so the walk takes it only when all of those are tabu, and without chains the
  search can stall with a topic left out or badly seated;
* trades of the free topics of two whole slots (the period exchange of exam timetabling). Slots
  differ through away conveners, forbidden cells and pins, so the best grouping of topics may
  only fit under another slot labelling, which single moves reach only through many worse steps.

Every move, swap and chain is scored at each step with a handful of matrix products (trades, at
most S(S − 1)/2 of them, directly from the counts):

* clashes: with C[p, s] = the number of p's wanted topics held in s, a topic t entering s costs
  Σ_{p∈t} [C[p, s] ≥ 1] and leaving s saves Σ_{p∈t} [C[p, s] ≥ 2]; as matrices, G1 = M·[C ≥ 1] and
  G2 = M·[C ≥ 2] for the topic × person incidence M. A swap of t and u is the sum of their two
  moves, corrected for the people who want both (their counts do not change), which is a weighted
  M·Mᵀ product. A chain is t's move into u's slot plus u's move on, corrected for the people who
  want both and for whom u was the only wanted topic in its slot (t's move alone charged them).
* overflow: the overflow of a slot with sorted matching is Σ_h max(0, N_s(h) − R_s(h)) over head
  counts h, where N_s(h) is the number of its topics with audience ≥ h and R_s(h) the number of its
  rooms with capacity ≥ h (the k-th largest topic overflows the k-th largest room at exactly the
  levels h where it is one too many). N and R are constant between the distinct audience and
  capacity values, so a topic of audience a entering or leaving a slot changes the overflow by a
  prefix sum over those intervals; when one topic leaves a slot and another enters it (a swap, or
  the middle of a chain), only the levels between their two audiences change.

Tabu rule: a topic that left slot s may not return to s for a random tenure unless that would
beat the best schedule (aspiration); a swap, chain or trade is tabu if one of its topics may not
enter its new slot. After `depth` steps without a new best the search returns to the best
schedule and tries the best ejection chain through up to four distinct slots (fewer with more
than seven slots; `_eject`, a dynamic program); if none improves it, it perturbs the best with a
few random moves, swaps or chains that turn nobody more away, then resumes. The final schedule
gets the same ejection chains until none improves it, so whatever the budget the result has no
improving chain of that kind.
The constructive start places topics largest audience first into the slot that adds the fewest
people turned away, then the fewest clashes.

Re-placing by hand (`replace`) pins the facilitator's move and runs the same search from the old
schedule with a cost per topic moved to another slot; by default that cost sits between the two
levels of the objective (so nobody is turned away to spare a move, and no topic moves to spare a
clash), and the rooms within a slot are then re-seated by a min-cost assignment that keeps every
topic it can in its old room.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from math import comb

import numpy as np
import numpy.typing as npt

from madang.solvers.openspace.model import Cell, Market, Schedule, moved, validate

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# tabu tenure = base + U[0, spread) with both × number of topics, stall depth (steps) before a
# perturbation and its strength (random moves), and the most slots an ejection chain tried when
# the walk stalls may touch, fewer if that would mean more than `sets` sets of slots; set by hand,
# then checked on the benchmark markets (three seeds reach the
# proven optimum within 0.3-1.5 s on every instance the exact model proves)
_TUNE = {"base": 0.1, "spread": 0.2, "depth": 150, "strength": 4, "reach": 4, "sets": 100}


@dataclass(frozen=True)
class Result:
    schedule: Schedule
    turned_away: int
    clashes: int
    overflow: int
    iterations: int
    seconds: float
    restarts: int = 0


@dataclass(frozen=True)
class Replacement:
    market: Market  # the market with the facilitator's move pinned
    result: Result
    moved: list[tuple[Hashable, Cell | None, Cell | None]]  # other topics: (topic, before, after)


def _key(x: Hashable) -> str:
    return repr(x)


class _Problem:
    """The market as arrays. Free (unpinned) topics are searched; pinned ones are constants."""

    def __init__(self, market: Market) -> None:
        validate(market)
        self.market = market
        topics = market.topics
        self.T = T = len(topics)
        self.S = S = len(market.slots)
        slot_ix = {s: i for i, s in enumerate(market.slots)}
        room_ix = {r.id: i for i, r in enumerate(market.rooms)}
        self.cap = np.array([r.capacity for r in market.rooms], dtype=np.int64)
        people = sorted({p for t in topics for p in t.audience}, key=_key)
        person_ix = {p: i for i, p in enumerate(people)}
        conveners = sorted({c for t in topics for c in t.conveners}, key=_key)
        conv_ix = {c: i for i, c in enumerate(conveners)}
        self.a = np.array([len(t.audience) for t in topics], dtype=np.int64)
        self.M = np.zeros((T, len(people)))
        self.CV = np.zeros((T, len(conveners)))
        for i, t in enumerate(topics):
            self.M[i, [person_ix[p] for p in t.audience]] = 1.0
            self.CV[i, [conv_ix[c] for c in t.conveners]] = 1.0
        self.shared_conv = self.CV @ self.CV.T
        self.pin_slot = np.full(T, -1, dtype=np.int64)
        self.pin_room = np.full(T, -1, dtype=np.int64)
        topic_ix = {t.id: i for i, t in enumerate(topics)}
        for tid, (room, slot) in market.pinned.items():
            self.pin_slot[topic_ix[tid]] = slot_ix[slot]
            self.pin_room[topic_ix[tid]] = room_ix[room]
        self.movable = self.pin_slot < 0
        taken = {(int(self.pin_room[i]), int(self.pin_slot[i])) for i in np.flatnonzero(~self.movable)}
        forbidden = {(room_ix[r], slot_ix[s]) for r, s in market.forbidden}
        self.pool = [
            [r for r in range(len(market.rooms)) if (r, s) not in forbidden and (r, s) not in taken] for s in range(S)
        ]
        self.nroom = np.array([len(p) for p in self.pool] + [T + 1], dtype=np.int64)
        self.allowed = np.ones((T, S + 1), dtype=bool)
        for i, t in enumerate(topics):
            for s, sid in enumerate(market.slots):
                if not self.pool[s] or any(sid in market.unavailable.get(c, frozenset()) for c in t.conveners):
                    self.allowed[i, s] = False
        # head-count levels: intervals (b[j-1], b[j]] on which N_s and R_s are constant; ell[0] = 0
        self.b = np.unique(np.concatenate([[0], self.a, self.cap]))
        self.ell = np.concatenate([[0], np.diff(self.b)]).astype(np.float64)
        self.level = np.searchsorted(self.b, self.a)
        self.R = np.zeros((S + 1, len(self.b)), dtype=np.int64)
        for s in range(S):
            caps = self.cap[self.pool[s]]
            self.R[s] = (caps[None, :] >= self.b[:, None]).sum(axis=1)
        self.pinned_overflow = int(
            sum(max(0, int(self.a[i] - self.cap[self.pin_room[i]])) for i in np.flatnonzero(~self.movable))
        )
        self.total_audience = int(self.a.sum())
        # what the pinned topics hold in each slot (they stay when two slots trade their topics)
        self.pinned_any = bool((~self.movable).any())
        self.Cp = np.zeros((len(people), S), dtype=np.int64)
        self.Kp = np.zeros((len(conveners), S), dtype=np.int64)
        for k in np.flatnonzero(~self.movable):
            self.Cp[:, self.pin_slot[k]] += self.M[k].astype(np.int64)
            self.Kp[:, self.pin_slot[k]] += self.CV[k].astype(np.int64)

    def overflow_of(self, topic: int, room: int) -> int:
        return max(0, int(self.a[topic] - self.cap[room]))


class _State:
    """Slot of every topic (S = unscheduled) with the counts that score moves incrementally."""

    def __init__(self, pb: _Problem, w_primary: float, home_cost: FloatArray) -> None:
        self.pb = pb
        S = pb.S
        self.slot = np.full(pb.T, S, dtype=np.int64)
        self.slot[~pb.movable] = pb.pin_slot[~pb.movable]
        self.C = np.zeros((pb.M.shape[1], S + 1), dtype=np.int64)
        self.K = np.zeros((pb.CV.shape[1], S + 1), dtype=np.int64)
        self.N = np.zeros((S + 1, len(pb.b)), dtype=np.int64)
        self.count = np.zeros(S + 1, dtype=np.int64)
        for i in range(pb.T):
            self._add(i, int(self.slot[i]))
        self.w = w_primary
        self.H = home_cost
        self.h_any = bool(home_cost.any())

    def _add(self, t: int, s: int, sign: int = 1) -> None:
        pb = self.pb
        self.C[:, s] += sign * pb.M[t].astype(np.int64)
        if s < pb.S:
            self.K[:, s] += sign * pb.CV[t].astype(np.int64)
        if pb.movable[t]:
            self.N[s, 1 : pb.level[t] + 1] += sign
            self.count[s] += sign

    def move(self, t: int, s: int) -> None:
        self._add(t, int(self.slot[t]), -1)
        self.slot[t] = s
        self._add(t, s)

    def primary(self) -> int:
        over = np.maximum(0, self.N - self.pb.R) * self.pb.ell
        return self.pb.pinned_overflow + round(float(over.sum()))

    def clashes(self) -> int:
        return int(np.maximum(0, self.C[:, : self.pb.S] - 1).sum())

    def changes_cost(self) -> float:
        return float(self.H[np.arange(self.pb.T), self.slot].sum())

    def cost(self) -> float:
        return self.w * self.primary() + self.clashes() + self.changes_cost()

    def score(self, chains: bool = False) -> _Scores:
        """Every move, swap and (with `chains`) ejection chain scored from the current counts."""
        pb = self.pb
        S, T = pb.S, pb.T
        cur = self.slot
        ar = np.arange(T)
        d1 = (self.C >= 1).astype(np.float64)
        d2 = (self.C >= 2).astype(np.float64)
        d1[:, S] = 0.0
        d2[:, S] = 0.0
        g1 = pb.M @ d1
        g2 = pb.M @ d2
        move_clash = g1 - g2[ar, cur][:, None]
        cum_e = np.cumsum(pb.ell * (self.N >= pb.R), axis=1)
        cum_f = np.cumsum(pb.ell * (self.N > pb.R), axis=1)
        lv = pb.level
        leave = cum_f[cur, lv]  # people no longer turned away when a topic leaves its slot
        move_over = cum_e[:, lv].T - leave[:, None]
        h_cur = self.H[ar, cur]
        move_rest = move_clash + self.H - h_cur[:, None]
        move = self.w * move_over + move_rest
        busy = pb.CV @ self.K.astype(np.float64)
        free = self.count < pb.nroom
        move_ok = pb.allowed & pb.movable[:, None] & free[None, :] & (busy < 0.5)
        move_ok[:, S] = pb.movable
        move_ok[ar, cur] = False

        b1 = (pb.M * d1[:, cur].T) @ pb.M.T
        a2 = (pb.M * d2[:, cur].T) @ pb.M.T
        into = move_clash[:, cur]  # into[t, u]: t moves into u's slot
        swap_clash = into + into.T - (b1 + b1.T - a2 - a2.T)
        k_in = lv[None, :]
        k_out = lv[:, None]
        # v[t, u]: change of t's slot when t leaves it and u enters it
        v = cum_e[cur[:, None], k_in] - cum_e[cur, lv][:, None]
        v = np.where(k_in > k_out, v, cum_f[cur[:, None], k_in] - cum_f[cur, lv][:, None])
        swap_over = v + v.T
        dh = self.H[:, cur] - h_cur[:, None]
        swap = self.w * swap_over + swap_clash + dh + dh.T
        into_slot = pb.allowed[:, cur]
        conv_free = ((busy[:, cur] - pb.shared_conv) < 0.5) | (cur[None, :] == S)
        ok_one = into_slot & conv_free  # ok_one[t, u]: t may take u's place in u's slot
        both = pb.movable[:, None] & pb.movable[None, :] & (cur[:, None] != cur[None, :])
        swap_ok = ok_one & ok_one.T & both & (ar[:, None] < ar[None, :])
        trade, trade_ok, trade_over = self._trades()
        scores = _Scores(move, swap, move_ok, swap_ok, move_over, swap_over, trade, trade_ok, trade_over)
        if not chains:
            return scores

        # chains (t, u, s): t takes u's place in u's slot and u moves on to a third slot s (or off
        # the board), so a topic can enter a full slot. t leaves its slot, u's slot changes as in a
        # swap (v[u, t]) and u enters s; s differs from both old slots, so the only overlap is in
        # u's slot: a person who wants t and u keeps their count there, where t's move alone
        # would have charged a clash if u was their only topic in it. The chain costs u's move
        # to s plus a link cost of the pair, which does not depend on s (u's leaving is in both).
        # Scored only for the pairs whose first half is allowed.
        first = ok_one & both & (cur[None, :] != S)
        tt, uu = np.nonzero(first)
        link_over = v[uu, tt] - leave[tt] + leave[uu]
        link = self.w * link_over + into[tt, uu] + dh[tt, uu] - b1[uu, tt] + a2[uu, tt]
        chain = link[:, None] + move[uu]
        chain_ok = move_ok[uu] & (np.arange(S + 1)[None, :] != cur[tt][:, None])
        chain_over = link_over[:, None] + move_over[uu]
        return _Scores(
            move,
            swap,
            move_ok,
            swap_ok,
            move_over,
            swap_over,
            trade,
            trade_ok,
            trade_over,
            np.stack([tt, uu], axis=1),
            link,
            chain,
            chain_ok,
            chain_over,
        )

    def _trades(self) -> tuple[FloatArray, BoolArray, FloatArray]:
        """(cost change, allowed, turned-away change) of trading the free topics of slots a and b.

        The pinned topics stay. o[a, b] is the overflow of slot a holding b's free topics, q[a, b]
        its clashes and e[a, b] the change costs of b's topics in a; the current values are the
        diagonals. Without pins a trade keeps every slot's clashes and conveners, and without
        change costs it keeps their sum, so those terms are skipped.
        """
        pb = self.pb
        S = pb.S
        free = self.slot[:, None] == np.arange(S)[None, :]
        free &= pb.movable[:, None]  # free[t, b]: t is a free topic of slot b
        o = (np.maximum(0, self.N[None, :S, :] - pb.R[:S, None, :]) * pb.ell).sum(axis=2)
        bad = (~pb.allowed[:, :S]).T.astype(np.float64) @ free
        half = (bad < 0.5) & (self.count[None, :S] <= pb.nroom[:S, None])
        q = np.zeros((S, S))
        if pb.pinned_any:
            cm = self.C[:, :S] - pb.Cp
            km = self.K[:, :S] - pb.Kp
            q = np.maximum(0, pb.Cp[:, :, None] + cm[:, None, :] - 1).sum(axis=0).astype(np.float64)
            half &= ((pb.Kp[:, :, None] + km[:, None, :]) <= 1).all(axis=0)
        e = self.H[:, :S].T @ free if self.h_any else np.zeros((S, S))
        ar = np.arange(S)
        ok = half & half.T & (ar[:, None] < ar[None, :])
        ok &= (self.count[:S, None] + self.count[None, :S]) > 0

        def change(x: FloatArray) -> FloatArray:
            d = np.diag(x)
            return x + x.T - d[:, None] - d[None, :]

        over = change(o)
        return self.w * over + change(q) + change(e), ok, over


@dataclass(frozen=True)
class _Scores:
    """Cost change of every move (T × (S+1)), swap (T × T, t < u), slot trade (S × S, a < b) and
    ejection chain (pairs (t, u) × (S+1), the pairs listed in `pairs`), where each is allowed, and
    the turned-away part of each. `link` is a chain's cost less that of u's move on: t taking u's
    place and u leaving, with u's leaving counted back."""

    move: FloatArray
    swap: FloatArray
    move_ok: BoolArray
    swap_ok: BoolArray
    move_over: FloatArray
    swap_over: FloatArray
    trade: FloatArray
    trade_ok: BoolArray
    trade_over: FloatArray
    pairs: IntArray | None = None
    link: FloatArray | None = None
    chain: FloatArray | None = None
    chain_ok: BoolArray | None = None
    chain_over: FloatArray | None = None


def _pick(values: FloatArray, mask: BoolArray, rng: np.random.Generator) -> tuple[int, float]:
    """A uniformly random index among the smallest allowed values (-1 if none is allowed)."""
    if not mask.any():
        return -1, np.inf
    masked = np.where(mask, values, np.inf)
    low = float(masked.min())
    ties = np.flatnonzero(masked <= low + 1e-9)
    return int(ties[rng.integers(len(ties))]), low


def _construct(
    st: _State, rng: np.random.Generator, prefer: IntArray | None = None, last: frozenset[int] = frozenset()
) -> None:
    """Largest audience first into the slot adding the fewest turned away, then clashes.

    With `prefer` (re-placing), topics first go back to their old slot when the rules allow it,
    the topics in `last` after all others.
    """
    pb = st.pb
    order = sorted(np.flatnonzero(pb.movable).tolist(), key=lambda i: (-int(pb.a[i]), i))
    if prefer is not None:
        for t in sorted(order, key=lambda i: i in last):
            s = int(prefer[t])
            if s < pb.S and pb.allowed[t, s] and st.count[s] < pb.nroom[s] and pb.CV[t] @ st.K[:, s] == 0:
                st.move(t, s)
    for t in order:
        if st.slot[t] != pb.S:
            continue
        sc = st.score()
        ok_t = sc.move_ok[t].copy()
        ok_t[pb.S] = False
        s, delta = _pick(sc.move[t] + 1e-3 * st.count / (pb.nroom + 1), ok_t, rng)
        if s >= 0 and delta < 0:
            st.move(t, s)


def _search(
    st: _State,
    rng: np.random.Generator,
    deadline: float,
    max_iterations: int | None,
) -> tuple[IntArray, int, int]:
    pb = st.pb
    T, S, S1 = pb.T, pb.S, pb.S + 1
    current = st.cost()
    best, best_slot = current, st.slot.copy()
    tabu = np.zeros((T, S1), dtype=np.int64)
    # floors keep tiny markets from cycling (a tenure of 1 undoes the last move at once)
    base = max(2, int(_TUNE["base"] * T))
    spread = max(3, int(_TUNE["spread"] * T))
    reach = 0  # the most slots an ejection chain touches, with at most `sets` sets of them
    while reach < min(int(_TUNE["reach"]), S) and sum(comb(S, k) for k in range(reach + 2)) <= _TUNE["sets"]:
        reach += 1
    it = stall = restarts = 0
    while best > 0 and (max_iterations is None or it < max_iterations):
        if max_iterations is None and time.perf_counter() >= deadline:
            break
        it += 1
        sc = st.score(chains=True)
        assert sc.pairs is not None and sc.chain is not None and sc.chain_ok is not None
        cur = st.slot
        asp = best - current - 1e-9
        blocked = tabu > it
        m_free = sc.move_ok & (~blocked | (sc.move < asp))
        into_blocked = blocked[:, cur]  # into_blocked[t, u]: t may not enter u's slot
        s_free = sc.swap_ok & (~(into_blocked | into_blocked.T) | (sc.swap < asp))
        c_tabu = into_blocked[sc.pairs[:, 0], sc.pairs[:, 1]][:, None] | blocked[sc.pairs[:, 1]]
        c_free = sc.chain_ok & (~c_tabu | (sc.chain < asp))
        # a trade is tabu when one of its topics may not enter its new slot
        free = (cur[:, None] == np.arange(S)[None, :]) & pb.movable[:, None]
        kept_out = blocked[:, :S].T.astype(np.float64) @ free  # kept_out[a, b]: b's topics barred from a
        t_free = sc.trade_ok & (((kept_out + kept_out.T) < 0.5) | (sc.trade < asp))
        picks = [
            _pick(sc.move, m_free, rng),
            _pick(sc.swap, s_free, rng),
            _pick(sc.chain, c_free, rng),
            _pick(sc.trade, t_free, rng),
        ]
        low = min(value for _, value in picks)
        if low == np.inf:
            if not (sc.move_ok.any() or sc.swap_ok.any() or sc.chain_ok.any() or sc.trade_ok.any()):
                break
            stall = int(_TUNE["depth"])  # every move is tabu: perturb from the best instead
        else:
            kinds = [k for k, (i, value) in enumerate(picks) if i >= 0 and value <= low + 1e-9]
            kind = kinds[int(rng.integers(len(kinds)))] if len(kinds) > 1 else kinds[0]
            index, delta = picks[kind]
            tenure = base + int(rng.integers(spread))
            steps = _steps(sc, kind, index, cur, pb.movable)
            for t, _ in steps:
                tabu[t, cur[t]] = it + tenure
            for t, s in steps:
                st.move(t, s)
            current += delta
            if current < best - 1e-9:
                best, best_slot, stall = current, st.slot.copy(), 0
            else:
                stall += 1
        if stall >= _TUNE["depth"]:
            restarts += 1
            stall = 0
            _restore(st, best_slot)
            if _eject(st, reach) < 0:  # a longer chain still improves the best
                best, best_slot = st.cost(), st.slot.copy()
            else:
                _perturb(st, rng, int(_TUNE["strength"]))
            current = st.cost()
            tabu[:] = 0
    _restore(st, best_slot)
    for _ in range(T):
        if _eject(st, reach) >= 0:
            break
    return st.slot.copy(), it, restarts


def _steps(sc: _Scores, kind: int, index: int, cur: IntArray, movable: BoolArray) -> list[tuple[int, int]]:
    """The (topic, new slot) moves of a move (kind 0), swap (1), ejection chain (2) or slot trade (3)
    by flat index into the scores of that kind."""
    S1 = sc.move.shape[1]
    if kind == 0:
        t, s = divmod(index, S1)
        return [(t, s)]
    if kind == 1:
        t, u = divmod(index, sc.swap.shape[1])
        return [(t, int(cur[u])), (u, int(cur[t]))]
    if kind == 3:
        a, b = divmod(index, S1 - 1)
        return [(int(t), b) for t in np.flatnonzero(movable & (cur == a))] + [
            (int(t), a) for t in np.flatnonzero(movable & (cur == b))
        ]
    assert sc.pairs is not None
    k, s = divmod(index, S1)
    t, u = (int(x) for x in sc.pairs[k])
    return [(t, int(cur[u])), (u, s)]


def _eject(st: _State, reach: int) -> float:
    """Apply the best ejection chain touching at most `reach` slots if it lowers the cost; its
    change, or 0.

    A chain t → u1 → … → uk → s: t takes u1's place, u1 takes u2's, and so on, and uk moves to a
    slot s with a free room or off the board, every slot touched at most once. The cost is then
    exactly the sum of the link costs and uk's move (each term changes one slot, and slots are
    scored independently), so the best chain is a shortest path over (head topic, slots touched),
    found by dynamic programming over the sets of slots touched, smallest first (Ahuja, Ergun,
    Orlin & Punnen, "A survey of very large-scale neighborhood search techniques", Discrete
    Applied Mathematics 123:75-102, 2002). It runs when the tabu walk stalls, and on the final
    schedule.
    """
    pb = st.pb
    S, T = pb.S, pb.T
    if S == 0 or not pb.movable.any():
        return 0.0
    sc = st.score(chains=True)
    assert sc.pairs is not None and sc.link is not None
    cur = st.slot.copy()
    bit = [0 if s == S else 1 << s for s in cur.tolist()]  # the slot a topic leaves, as a set
    edge = np.full((T, T), np.inf)
    edge[sc.pairs[:, 0], sc.pairs[:, 1]] = sc.link
    # states[touched] = (cost so far, previous head) of every head topic
    states: dict[int, tuple[FloatArray, IntArray]] = {}

    def state(mask: int) -> tuple[FloatArray, IntArray]:
        if mask not in states:
            states[mask] = (np.full(T, np.inf), np.full(T, -1, dtype=np.int64))
        return states[mask]

    for t in np.flatnonzero(pb.movable).tolist():
        state(bit[t])[0][t] = 0.0
    best, best_at = -1e-9, (-1, -1, -1)
    for size in range(reach + 1):
        for mask in [m for m in states if m.bit_count() == size]:
            d, _ = states[mask]
            # finish: the head moves to an untouched slot (or off the board)
            untouched = np.array([(mask >> slot) & 1 == 0 for slot in range(S)] + [True])
            end = np.where(sc.move_ok & untouched[None, :], sc.move + d[:, None], np.inf)
            k = int(np.argmin(end))
            if end.flat[k] < best:
                best, best_at = float(end.flat[k]), (mask, *divmod(k, S + 1))
            if size == reach:
                continue
            # extend: the head takes the place of a topic in an untouched slot
            step = d[:, None] + edge
            step[:, ~untouched[cur]] = np.inf
            x = np.argmin(step, axis=0)
            value = step[x, np.arange(T)]
            for slot in np.flatnonzero(untouched[:S]).tolist():
                heads = np.flatnonzero((cur == slot) & np.isfinite(value))
                if heads.size == 0:
                    continue
                dn, pn = state(mask | 1 << slot)
                heads = heads[value[heads] < dn[heads] - 1e-12]
                dn[heads], pn[heads] = value[heads], x[heads]
    mask, head, s = best_at
    if mask < 0:
        return 0.0
    steps = [(head, s)]
    while states[mask][1][head] >= 0:
        prev = int(states[mask][1][head])
        steps.append((prev, int(cur[head])))
        mask &= ~bit[head]
        head = prev
    for t, slot in steps:
        st.move(t, slot)
    return best


def _restore(st: _State, slots: IntArray) -> None:
    for t in np.flatnonzero(st.slot != slots):
        st.move(int(t), int(slots[t]))


def _perturb(st: _State, rng: np.random.Generator, strength: int) -> None:
    """Random moves, swaps and ejection chains that turn nobody more away (they may add clashes)."""
    for _ in range(strength):
        sc = st.score(chains=True)
        assert sc.chain_ok is not None and sc.chain_over is not None
        m = sc.move_ok & (sc.move_over <= 0)
        m[:, st.pb.S] = False
        options = [
            np.flatnonzero(m),
            np.flatnonzero(sc.swap_ok & (sc.swap_over <= 0)),
            np.flatnonzero(sc.chain_ok & (sc.chain_over <= 0)),
        ]
        total = sum(o.size for o in options)
        if total == 0:
            return
        k = int(rng.integers(total))
        kind = 0
        while k >= options[kind].size:
            k -= options[kind].size
            kind += 1
        cur = st.slot.copy()
        for t, s in _steps(sc, kind, int(options[kind][k]), cur, st.pb.movable):
            st.move(t, s)


def _fill(st: _State, rng: np.random.Generator) -> None:
    """Put unscheduled topics on any free cell that costs nothing (an audience-less topic, say)."""
    pb = st.pb
    for t in sorted(np.flatnonzero(pb.movable & (st.slot == pb.S)).tolist(), key=lambda i: (-int(pb.a[i]), i)):
        sc = st.score()
        ok = sc.move_ok[t].copy()
        ok[pb.S] = False
        s, delta = _pick(sc.move[t], ok, rng)
        if s >= 0 and delta <= 0:
            st.move(t, s)


def _assign(cost: list[list[float]]) -> list[int]:
    """Min-cost assignment of n rows to distinct columns of an n × m matrix (n ≤ m).

    Shortest augmenting paths with potentials (Kuhn-Munkres, in the O(n² m) form of Jonker &
    Volgenant); returns the column of each row.
    """
    n = len(cost)
    if n == 0:
        return []
    m = len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j] = row (1-based) holding column j; column 0 is the root
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        low = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta, j1 = inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < low[j]:
                        low[j], way[j] = reduced, j0
                    if low[j] < delta:
                        delta, j1 = low[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    low[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    col = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            col[owner[j] - 1] = j - 1
    return col


def _seat(pb: _Problem, slots: IntArray, old: Schedule | None = None) -> Schedule:
    """Rooms for every slot: largest topic in largest room, or (re-placing) the least-overflow
    seating that keeps the most topics in their old room."""
    market = pb.market
    placements: dict[Hashable, Cell] = {}
    for k in np.flatnonzero(~pb.movable):
        placements[market.topics[k].id] = (market.rooms[pb.pin_room[k]].id, market.slots[pb.pin_slot[k]])
    for s in range(pb.S):
        here = [int(i) for i in np.flatnonzero(pb.movable & (slots == s))]
        pool = pb.pool[s]
        if old is None:
            here.sort(key=lambda i: (-int(pb.a[i]), i))
            rooms = sorted(pool, key=lambda r: (-int(pb.cap[r]), r))
            chosen = rooms[: len(here)]
        else:
            big = float(len(here) + 1)
            before = [old.placements.get(market.topics[i].id) for i in here]
            cost = [
                [
                    big * pb.overflow_of(i, r) + (0.0 if prev == (market.rooms[r].id, market.slots[s]) else 1.0)
                    for r in pool
                ]
                for i, prev in zip(here, before, strict=True)
            ]
            chosen = [pool[j] for j in _assign(cost)]
        for i, r in zip(here, chosen, strict=True):
            placements[market.topics[i].id] = (market.rooms[r].id, market.slots[s])
    dropped = [int(i) for i in np.flatnonzero(pb.movable & (slots == pb.S))]
    dropped.sort(key=lambda i: (-int(pb.a[i]), i))
    return Schedule(placements, tuple(market.topics[i].id for i in dropped))


def _result(st: _State, schedule: Schedule, iterations: int, start: float, restarts: int) -> Result:
    primary = st.primary()
    dropped = int(st.pb.a[st.slot == st.pb.S].sum())
    return Result(schedule, primary, st.clashes(), primary - dropped, iterations, time.perf_counter() - start, restarts)


def solve(
    market: Market,
    *,
    seconds: float = 1.0,
    seed: int = 0,
    max_iterations: int | None = None,
) -> Result:
    """Schedule a market: the fewest people turned away, then the fewest clashes.

    Stops after `seconds`, or, if `max_iterations` is given, after that many tabu steps whatever
    the time (then the result depends only on the market and `seed`, not on the machine's speed).
    """
    start = time.perf_counter()
    pb = _Problem(market)
    rng = np.random.default_rng(seed)
    st = _State(pb, float(pb.total_audience + 1), np.zeros((pb.T, pb.S + 1)))
    _construct(st, rng)
    _, iterations, restarts = _search(st, rng, start + seconds, max_iterations)
    _fill(st, rng)
    return _result(st, _seat(pb, st.slot), iterations, start, restarts)


def replace(
    market: Market,
    schedule: Schedule,
    topic: Hashable,
    room: Hashable,
    slot: Hashable,
    *,
    change_cost: float | None = None,
    seconds: float = 0.5,
    seed: int = 0,
    max_iterations: int | None = None,
) -> Replacement:
    """Apply the facilitator's move of `topic` to (`room`, `slot`), pin it, and re-optimise the rest.

    Moving another topic to a different slot costs `change_cost` clashes; the default (None)
    costs more than any clash saving, so other topics change slot only where the move forces it
    (the topic it displaced, a topic of the same convener in that slot) or where that keeps
    someone from being turned away. Raises `InfeasibleMarket` if the move breaks a hard rule.
    """
    start = time.perf_counter()
    market.topic(topic)
    new_market = market.with_pin(topic, room, slot)
    pb = _Problem(new_market)
    slot_ix = {s: i for i, s in enumerate(new_market.slots)}
    home = np.full(pb.T, pb.S, dtype=np.int64)
    for i, t in enumerate(new_market.topics):
        cell = schedule.placements.get(t.id)
        if cell is not None and cell[1] in slot_ix:
            home[i] = slot_ix[cell[1]]
    lam = float(pb.total_audience + 1) if change_cost is None else float(change_cost)
    h = lam * (np.arange(pb.S + 1)[None, :] != home[:, None])
    h[~pb.movable] = 0.0
    st = _State(pb, lam * pb.T + pb.total_audience + 1, h)
    rng = np.random.default_rng(seed)
    # the topic that held the cell goes back to its slot last, so it is the one displaced if full
    displaced = frozenset(
        i for i, t in enumerate(new_market.topics) if t.id != topic and schedule.placements.get(t.id) == (room, slot)
    )
    _construct(st, rng, prefer=home, last=displaced)
    _, iterations, restarts = _search(st, rng, start + seconds, max_iterations)
    _fill(st, rng)
    new = _seat(pb, st.slot, old=schedule)
    others = [t.id for t in new_market.topics if t.id != topic]
    return Replacement(new_market, _result(st, new, iterations, start, restarts), moved(schedule, new, others))
