"""Siting: the next p stations that newly cover the most population (weighted maximal covering,
existing stations fixed), with a bound that says how good the answer is.

API (pure numpy/scipy/highspy; nothing here knows Django)::

    from fucai.planning.siting import SitingProblem, solve, conflict_pairs, clear_of

    problem = SitingProblem(
        weights=population,          # float (n,) per demand point (H3 cell)
        cover=cover_matrix(...),     # CSR (m candidates × n demand) bool, geometry.cover_matrix
        covered=covered_by(...),     # bool (n,): already covered by the existing stations
        p=98,                        # at most p new sites
        conflicts=conflict_pairs(candidate_xy, 300.0),   # new sites < 300 m apart: not both
        allowed=clear_of(candidate_xy, station_xy, 200.0),  # spacing against existing/layers
        groups=county_index,         # int (m,), -1 for none
        quotas={3: 10},              # at most 10 new sites in group 3
    )
    result = solve(problem, method="auto", time_limit=30.0, gap=0.001, threads=2, seed=0)

`SitingResult`: `chosen` (candidate indices into the problem's rows, in the order of their
marginal gain), `gains` (the weight each adds, given the existing stations and the sites before it;
they sum to `covered_after − covered_before`), `covered_before` (weight covered by the existing
stations), `covered_after`, `upper_bound` (a proven upper bound on `covered_after`), `gap_pct`,
`solver`, `status`, `bound`, `seconds`, `stats`.

**The gap is the gap of the new coverage**: `gap_pct = (upper_bound − covered_after) /
(upper_bound − covered_before) × 100`, i.e. how far the newly covered population may be from the
best possible newly covered population. (Measured on total coverage it would look much smaller
whenever the existing network already covers most people; with no existing stations the two are
the same.) `status` is HiGHS's own model status string for the MIP (`Optimal` means optimal
within `gap`, HiGHS's `mip_rel_gap`; `Time limit reached` is not optimal), `Optimal` or
`Within gap (decomposition)` when the decomposition below proved the answer optimal (gap 0) or
within `gap`, or `heuristic` when no MIP ran; `bound` says where `upper_bound` comes from
(HiGHS's MIP dual bound, the Lagrangian decomposition, the LP relaxation solved by HiGHS, or the
elementary bound "the p best single gains" when HiGHS gave none in time).

Methods: `exact` — the MIP on the reduced model, HiGHS through highspy, under `time_limit`;
`greedy` — lazy greedy then 1-swap local search, bounded by the LP relaxation (HiGHS); `auto`
(default) — the greedy solution, then (without quotas) the Lagrangian decomposition; if that
does not prove the answer within `gap`, the better answer so far is handed to the HiGHS MIP as
its starting incumbent (`setSolution`) for the time left, the best of them returned with
HiGHS's status and the smaller of the two bounds.

The decomposition: without quotas, the candidates and demand fall apart into connected
components (coverage and conflict edges; ≈ 3,000 at province scale) coupled only by Σ x ≤ p.
HiGHS solves the LP relaxation (simplex, ≈ 2 s at province scale); its duals (λ of Σ x ≤ p, u
of the coverage rows, v of the conflict rows, taken ≥ 0) give for every component an upper bound
on Z_c(λ) = max Σ w y − λ Σ x over the component in integers (its share of the LP dual
objective). Where the LP solution is not integral (a dozen components at province scale) HiGHS
solves Z_c(λ) exactly as a small MIP (in this process, under the time left), and λp + Σ_c Z_c
bound is a proven upper bound (Lagrangian relaxation of Σ x ≤ p), tighter than the LP's. The
components' integer solutions (the LP's own where it is integral) are the primal answer, trimmed
or greedily filled to p; when they use exactly p sites the bound is attained and the answer is
optimal. At province scale without existing stations the LP bound was 0.03 % above the optimum
and the greedy 0.40 % below it: the weak side was the heuristic, not the bound.

Before any model, the problem is reduced: demand already covered, weightless or reachable by no
allowed candidate is dropped; demand points with the same set of candidates are merged (weights
summed; sets compared by two 64-bit random hashes and their size); candidates covering nothing
are dropped; without conflicts, a candidate whose demand set is contained in another's (same
group) is dropped (the other is never worse). The MIP: binary x_j per candidate, y_i ∈ [0, 1] per
merged demand, max Σ w_i y_i s.t. y_i ≤ Σ_{j covers i} x_j, Σ x_j ≤ p, x_a + x_b ≤ 1 per
conflict, Σ_{j ∈ g} x_j ≤ quota_g. Sites are "at most p": once nothing more can be gained (or
the rules leave no room), fewer are returned.

The MIP runs in a spawned child process (HiGHS 1.16 was seen to overrun its own time limit by
minutes on a province-scale model without existing stations, deaf to interrupt callbacks): the
child streams each improving incumbent with HiGHS's dual bound, and is stopped 0.5 s after its
limit if it overruns — the status then says so. Spawning costs ≈ 1–2 s (a fresh interpreter
importing numpy, scipy, highspy) and, as with any spawn, the calling script's `__main__` must be
import-safe (`if __name__ == "__main__":`; Django's and pytest's entry points are).

Not done here: minimum quotas (only maxima); the spacing rules themselves (network/spacing.py)
— the caller turns them into `conflict_pairs` and `clear_of` distances.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

EPS = 1e-9
STARTUP_S = 60.0  # how long a HiGHS child may take to start before it counts as stuck


@dataclass
class SitingProblem:
    """A weighted maximal covering problem with the existing stations already in place."""

    weights: np.ndarray
    cover: sparse.csr_matrix
    covered: np.ndarray | None = None
    p: int = 1
    conflicts: np.ndarray | None = None
    groups: np.ndarray | None = None
    quotas: dict[int, int] | None = None
    allowed: np.ndarray | None = None


@dataclass
class SitingResult:
    """The chosen sites, what each adds, and how far the answer may be from the best."""

    chosen: np.ndarray
    gains: np.ndarray
    covered_before: float
    covered_after: float
    upper_bound: float
    gap_pct: float
    solver: str
    status: str
    bound: str
    seconds: float
    stats: dict = field(default_factory=dict)


def conflict_pairs(xy: np.ndarray, min_distance_m: float) -> np.ndarray:
    """(k, 2) index pairs of positions (metres) closer than `min_distance_m` (the spacing check's
    "distance < minimum" is a violation; exactly the minimum is allowed)."""
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, float).reshape(-1, 2)
    if min_distance_m <= 0 or len(xy) < 2:
        return np.empty((0, 2), np.int64)
    radius = np.nextafter(float(min_distance_m), 0.0)
    return cKDTree(xy).query_pairs(radius, output_type="ndarray").astype(np.int64)


def clear_of(xy: np.ndarray, fixed_xy: np.ndarray, min_distance_m: float) -> np.ndarray:
    """Bool per position (metres): at least `min_distance_m` from every fixed point (existing
    stations, a layer's points). Combine several rules with `&`."""
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, float).reshape(-1, 2)
    fixed_xy = np.asarray(fixed_xy, float).reshape(-1, 2)
    if min_distance_m <= 0 or not len(fixed_xy) or not len(xy):
        return np.ones(len(xy), bool)
    dist, _ = cKDTree(fixed_xy).query(xy, k=1, distance_upper_bound=float(min_distance_m))
    return dist >= min_distance_m


# --- reduction ---------------------------------------------------------------------------------


@dataclass
class _Reduced:
    A: sparse.csr_matrix  # kept candidates × merged demand, int8 ones
    w: np.ndarray  # merged demand weights
    cand: np.ndarray  # original index of each kept candidate
    conflicts: np.ndarray  # (k, 2) in kept indices
    groups: np.ndarray  # (m',) group per kept candidate
    quotas: dict[int, int]
    stats: dict


def _binary_csr(matrix) -> sparse.csr_matrix:
    m = sparse.csr_matrix(matrix, copy=True)
    m.eliminate_zeros()
    m.sum_duplicates()
    m.data = np.ones(m.nnz, np.int8)
    return m


def _merge_demand(A: sparse.csr_matrix, w: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Merge demand columns with identical candidate sets (weights summed); drops empty columns."""
    D = A.T.tocsr()
    size = np.diff(D.indptr)
    keep = size > 0
    rng = np.random.default_rng(20260903)
    r1, r2 = (rng.integers(0, 2**63, A.shape[0], dtype=np.uint64) for _ in range(2))
    starts = D.indptr[:-1][keep]
    h1 = np.add.reduceat(r1[D.indices], starts) if D.nnz else np.empty(0, np.uint64)
    h2 = np.add.reduceat(r2[D.indices], starts) if D.nnz else np.empty(0, np.uint64)
    cols = np.flatnonzero(keep)
    keys = np.column_stack([h1, h2, size[keep].astype(np.uint64)])
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    merged_w = np.bincount(inverse.ravel(), weights=w[cols], minlength=first.size)
    return A[:, cols[first]].tocsr(), merged_w


def _dominated(A: sparse.csr_matrix, groups: np.ndarray) -> np.ndarray:
    """Bool per candidate: its demand set lies within another candidate's of the same group
    (identical sets: all but the lowest index)."""
    Ai = A.astype(np.int32)
    overlap = (Ai @ Ai.T).tocoo()
    size = np.diff(A.indptr)
    j, k, o = overlap.row, overlap.col, overlap.data
    within = (j != k) & (o == size[j]) & (groups[j] == groups[k])
    strict = size[j] < size[k]
    same = (size[j] == size[k]) & (k < j)
    out = np.zeros(A.shape[0], bool)
    out[j[within & (strict | same)]] = True
    return out


def _reduce(problem: SitingProblem, covered: np.ndarray) -> _Reduced:
    C = _binary_csr(problem.cover)
    m, n = C.shape
    w = np.asarray(problem.weights, float)
    allowed = np.ones(m, bool) if problem.allowed is None else np.asarray(problem.allowed, bool)
    groups = np.full(m, -1) if problem.groups is None else np.asarray(problem.groups, np.int64)
    stats = {"demand": n, "candidates": m, "candidates_allowed": int(allowed.sum())}
    open_ = ~covered & (w > 0)
    cand = np.flatnonzero(allowed)
    A = C[cand][:, np.flatnonzero(open_)].tocsr()
    A, mw = _merge_demand(A, w[open_])
    stats["demand_open"] = int(open_.sum())
    conflicts = _remap_conflicts(problem.conflicts, m, cand)
    useful = np.diff(A.indptr) > 0
    if not len(conflicts) and useful.any():
        useful &= ~_dominated(A, groups[cand] if problem.quotas else np.zeros(cand.size, int))
    keep = np.flatnonzero(useful)
    cand, A = cand[keep], A[keep]
    conflicts = _remap_conflicts(conflicts, useful.size, keep)
    A, mw = _merge_demand(A, mw)
    stats |= {
        "demand_merged": A.shape[1],
        "candidates_kept": A.shape[0],
        "conflicts_kept": len(conflicts),
        "cover_nnz": int(A.nnz),
    }
    quotas = {int(g): int(q) for g, q in (problem.quotas or {}).items()}
    return _Reduced(A, mw, cand, conflicts, groups[cand], quotas, stats)


def _remap_conflicts(conflicts, m: int, keep: np.ndarray) -> np.ndarray:
    if conflicts is None or not len(conflicts):
        return np.empty((0, 2), np.int64)
    new = np.full(m, -1)
    new[keep] = np.arange(keep.size)
    pairs = new[np.asarray(conflicts, np.int64).reshape(-1, 2)]
    pairs = pairs[(pairs >= 0).all(axis=1) & (pairs[:, 0] != pairs[:, 1])]
    return np.unique(np.sort(pairs, axis=1), axis=0)


# --- heuristic ---------------------------------------------------------------------------------


class _Rules:
    """Conflicts and quotas on the reduced candidates."""

    def __init__(self, r: _Reduced):
        m = r.A.shape[0]
        c = r.conflicts
        self.adj = sparse.csr_matrix(
            (np.ones(2 * len(c), np.int8), (np.r_[c[:, 0], c[:, 1]], np.r_[c[:, 1], c[:, 0]])),
            shape=(m, m),
        )
        self.groups = r.groups
        self.quotas = r.quotas

    def neighbours(self, j: int) -> np.ndarray:
        return self.adj.indices[self.adj.indptr[j] : self.adj.indptr[j + 1]]

    def room(self, counts: dict[int, int], g: int) -> bool:
        return g not in self.quotas or counts.get(g, 0) < self.quotas[g]


def _greedy(r: _Reduced, rules: _Rules, p: int) -> list[int]:
    A, w = r.A, r.w
    uncovered = np.ones(A.shape[1], bool)
    heap = [(-g, j, 0) for j, g in enumerate((A @ w).tolist()) if g > EPS]
    heapq.heapify(heap)
    blocked = np.zeros(A.shape[0], bool)
    chosen: list[int] = []
    counts: dict[int, int] = {}
    while heap and len(chosen) < p:
        _neg, j, stamp = heapq.heappop(heap)
        g_j = int(rules.groups[j])
        if blocked[j] or not rules.room(counts, g_j):
            continue
        idx = A.indices[A.indptr[j] : A.indptr[j + 1]]
        if stamp != len(chosen):
            gain = float(w[idx][uncovered[idx]].sum())
            if gain > EPS:
                heapq.heappush(heap, (-gain, j, len(chosen)))
            continue
        chosen.append(j)
        counts[g_j] = counts.get(g_j, 0) + 1
        uncovered[idx] = False
        blocked[rules.neighbours(j)] = True
    return chosen


def _swap_round(r: _Reduced, rules: _Rules, chosen: list[int], p: int) -> int:
    """One round of improving 1-swaps (and additions while fewer than p), applying every move
    whose value the moves before it in the round cannot have changed. Returns the moves made."""
    A, w = r.A, r.w
    m, n = A.shape
    is_chosen = np.zeros(m, bool)
    is_chosen[chosen] = True
    cnt = np.asarray(A[chosen].sum(axis=0)).ravel() if chosen else np.zeros(n)
    unique = cnt == 1
    owner = np.full(n, -1)
    Ac = A[chosen].tocoo()
    sel = unique[Ac.col]
    owner[Ac.col[sel]] = np.asarray(chosen)[Ac.row[sel]]
    gain_add = A @ (w * (cnt == 0))
    loss = np.zeros(m)
    np.add.at(loss, owner[unique], w[unique])
    coo = A.tocoo()
    sel = unique[coo.col]
    overlap = sparse.csr_matrix(
        (w[coo.col[sel]], (coo.row[sel], owner[coo.col[sel]])), shape=(m, m)
    )
    overlap.sum_duplicates()
    min_loss = loss[chosen].min() if chosen else 0.0
    best = gain_add - (min_loss if len(chosen) >= p else 0.0)
    if overlap.nnz:
        row = np.repeat(np.arange(m), np.diff(overlap.indptr))
        val = gain_add[row] + overlap.data - loss[overlap.indices]
        np.maximum.at(best, row, val)
    best[is_chosen] = 0.0
    order = np.argsort(-best)
    order = order[best[order] > EPS * max(1.0, float(w.sum()))]
    touched = np.zeros(n, bool)
    counts: dict[int, int] = {}
    for s in chosen:
        g = int(rules.groups[s])
        counts[g] = counts.get(g, 0) + 1
    moves = 0
    for j in order.tolist():
        idx_j = A.indices[A.indptr[j] : A.indptr[j + 1]]
        if touched[idx_j].any() or is_chosen[j]:
            continue
        move = _best_partner(j, chosen, is_chosen, rules, counts, gain_add, loss, overlap, p)
        if move is None:
            continue
        s = move
        if s >= 0:
            idx_s = A.indices[A.indptr[s] : A.indptr[s + 1]]
            if touched[idx_s].any():
                continue
            chosen.remove(s)
            is_chosen[s] = False
            gs = int(rules.groups[s])
            counts[gs] -= 1
            touched[idx_s] = True
        chosen.append(j)
        is_chosen[j] = True
        gj = int(rules.groups[j])
        counts[gj] = counts.get(gj, 0) + 1
        touched[idx_j] = True
        moves += 1
    return moves


def _best_partner(j, chosen, is_chosen, rules, counts, gain_add, loss, overlap, p):
    """The chosen site to swap out for j (−1: just add j), or None if no feasible improvement."""
    clash = rules.neighbours(j)
    clash = clash[is_chosen[clash]]
    if len(clash) > 1:
        return None
    ch = np.asarray(chosen, np.int64)
    g_j = int(rules.groups[j])
    if not len(clash) and len(chosen) < p and rules.room(counts, g_j) and gain_add[j] > EPS:
        return -1
    if not len(ch):
        return None
    row = overlap.getrow(j)
    ov = np.zeros(loss.size)
    ov[row.indices] = row.data
    value = gain_add[j] + ov[ch] - loss[ch]
    ok = np.ones(ch.size, bool)
    if len(clash):
        ok &= ch == clash[0]
    if not rules.room(counts, g_j):
        ok &= rules.groups[ch] == g_j
    value[~ok] = -np.inf
    k = int(np.argmax(value))
    return int(ch[k]) if value[k] > EPS * max(1.0, gain_add[j]) else None


def _heuristic(r: _Reduced, rules: _Rules, p: int, deadline: float) -> tuple[list[int], int]:
    chosen = _greedy(r, rules, p)
    rounds = 0
    while time.perf_counter() < deadline:
        rounds += 1
        if not _swap_round(r, rules, chosen, p):
            break
    return chosen, rounds


def _value(r: _Reduced, chosen) -> float:
    if not len(chosen):
        return 0.0
    hit = np.asarray(r.A[list(chosen)].sum(axis=0)).ravel() > 0
    return float(r.w[hit].sum())


# --- HiGHS -------------------------------------------------------------------------------------


def _highs_model(r: _Reduced, p: int, integral: bool):
    import highspy

    A, w = r.A, r.w
    m, n = A.shape
    blocks = [[-A.T.astype(float), sparse.identity(n, format="csr")]]
    blocks.append([sparse.csr_matrix(np.ones((1, m))), None])
    upper = [np.zeros(n), [float(p)]]
    if len(r.conflicts):
        k = len(r.conflicts)
        c = sparse.csr_matrix(
            (np.ones(2 * k), (np.repeat(np.arange(k), 2), r.conflicts.ravel())), shape=(k, m)
        )
        blocks.append([c, None])
        upper.append(np.ones(k))
    for g, q in r.quotas.items():
        members = (r.groups == g).astype(float)
        if members.any():
            blocks.append([sparse.csr_matrix(members.reshape(1, m)), None])
            upper.append([float(q)])
    M = sparse.bmat(blocks, format="csc")
    M.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = M.shape[1], M.shape[0]
    lp.col_cost_ = np.r_[np.zeros(m), w]
    lp.col_lower_ = np.zeros(m + n)
    lp.col_upper_ = np.ones(m + n)
    lp.row_lower_ = np.full(M.shape[0], -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.asarray(u, float) for u in upper])
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = M.shape[1], M.shape[0]
    lp.a_matrix_.start_ = M.indptr.astype(np.int32)
    lp.a_matrix_.index_ = M.indices.astype(np.int32)
    lp.a_matrix_.value_ = M.data
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [
            highspy.HighsVarType.kContinuous
        ] * n
    return lp


def _quiet_highs():
    """A Highs instance, made with the process's standard output closed: HiGHS 1.16 prints its
    banner when constructed, before `output_flag` can be set, and a command's JSON on standard
    output must stay JSON."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _highs(lp, *, time_limit: float, gap: float, threads: int, seed: int):
    h = _quiet_highs()
    for name, value in (
        ("output_flag", False),
        ("log_to_console", False),
        ("time_limit", max(float(time_limit), 0.01)),
        ("mip_rel_gap", float(gap)),
        ("mip_abs_gap", 0.0),
        ("threads", int(threads)),
        ("presolve", "on"),
        ("random_seed", int(seed)),
    ):
        h.setOptionValue(name, value)
    h.passModel(lp)
    return h


def _run_mip(r, p, start, *, time_limit, gap, threads, seed):
    """The MIP in a child process (spawned: HiGHS's thread pool does not survive a fork) that
    streams its incumbents and dual bound: HiGHS 1.16 does not always stop at its time limit (on
    a province-scale model without existing stations it stayed in the root node for minutes after
    the limit, ignoring interrupt callbacks), so the child is stopped at the limit if it overruns,
    keeping the last incumbent and bound it reported."""
    import multiprocessing as mp

    if mp.current_process().daemon:  # a daemonic process may not have children: run it here
        return _mip_here(r, p, start, time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_mip_child,
        args=(send, r, p, start, time.time() + time_limit, gap, threads, seed),
        daemon=True,
    )
    child.start()
    send.close()
    deadline = time.perf_counter() + time_limit + STARTUP_S
    last = None
    while True:
        wait = deadline - time.perf_counter()
        if wait <= 0 or not recv.poll(wait):
            break
        try:
            msg = recv.recv()
        except EOFError:
            break
        if msg[0] == "ready":  # HiGHS's own clock starts now: give it its limit, then 0.5 s
            deadline = time.perf_counter() + msg[1] + 0.5
        elif msg[0] == "done":
            child.join()
            return msg[1:]
        else:
            last = msg
    child.kill()
    child.join()
    status = "Time limit reached (HiGHS overran it and was stopped)"
    if last is None:
        return [], status, np.inf, 0
    return last[1], status, last[2], 0


class _Collect:
    """Stands in for the child's pipe when the MIP runs in this process: keeps the last message."""

    def __init__(self) -> None:
        self.messages: list[tuple] = []

    def send(self, message: tuple) -> None:
        self.messages.append(message)

    def close(self) -> None:
        pass


def _mip_here(r, p, start, *, time_limit, gap, threads, seed):
    """The MIP in this process (where no child may be started), trusting HiGHS's time limit."""
    pipe = _Collect()
    _mip_child(pipe, r, p, start, time.time() + time_limit, gap, threads, seed)
    return list(pipe.messages[-1][1:])


def _mip_child(send, r, p, start, wall_deadline, gap, threads, seed):
    import highspy

    m = r.A.shape[0]
    lp = _highs_model(r, p, True)
    # the process start-up (imports, ≈ 1–2 s) and the model build come out of the time limit
    left = max(0.01, wall_deadline - time.time())
    h = _highs(lp, time_limit=left, gap=gap, threads=threads, seed=seed)
    send.send(("ready", left))
    if start:
        n = r.A.shape[1]
        x = np.zeros(m + n)
        x[start] = 1.0
        x[m:] = np.minimum(1.0, np.asarray(r.A[start].sum(axis=0)).ravel())
        h.setSolution(m + n, np.arange(m + n, dtype=np.int32), x)

    def improving(kind, message, out, data_in, user):
        xs = np.asarray(out.mip_solution)[:m]
        send.send(("sol", np.flatnonzero(xs > 0.5).tolist(), float(out.mip_dual_bound)))

    h.setCallback(improving, None)
    h.startCallback(highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution)
    h.run()
    info = h.getInfo()
    chosen = []
    if info.primal_solution_status == 2:  # feasible
        xs = np.asarray(h.getSolution().col_value[:m])
        chosen = np.flatnonzero(xs > 0.5).tolist()
    status = h.modelStatusToString(h.getModelStatus())
    send.send(("done", chosen, status, float(info.mip_dual_bound), int(info.mip_node_count)))
    send.close()


def _run_lp(r, p, *, time_limit, threads, seed):
    h = _highs(
        _highs_model(r, p, False), time_limit=time_limit, gap=0.0, threads=threads, seed=seed
    )
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    ok = h.getModelStatus() == h.getModelStatus().kOptimal
    # an optimal LP's objective bounds the MIP; otherwise use the dual objective only if valid
    return (float(h.getInfo().objective_function_value) if ok else np.inf), status


def _elementary_bound(r: _Reduced, p: int) -> float:
    single = np.sort(r.A @ r.w)[::-1]
    return float(min(single[:p].sum(), r.w.sum()))


# --- Lagrangian decomposition --------------------------------------------------------------------


def _components(r: _Reduced) -> tuple[int, np.ndarray, np.ndarray]:
    """Connected components of candidates and demand (coverage and conflict edges): without
    quotas only Σ x ≤ p couples them. Returns (count, labels of candidates, labels of demand)."""
    from scipy.sparse.csgraph import connected_components

    A = r.A
    m, n = A.shape
    c = r.conflicts
    conf = sparse.csr_matrix((np.ones(len(c)), (c[:, 0], c[:, 1])), shape=(m, m))
    count, label = connected_components(
        sparse.bmat([[conf, A], [sparse.csr_matrix((n, m)), None]], format="csr"), False
    )
    return count, label[:m], label[m : m + n]


def _component_mip(r: _Reduced, cands: np.ndarray, lam: float, time_limit: float, threads, seed):
    """max Σ w y − λ Σ x over one component, in integers (HiGHS): (its dual bound, chosen)."""
    demand = np.unique(r.A[cands].indices)
    sub = _Reduced(
        r.A[cands][:, demand].tocsr(),
        r.w[demand],
        cands,
        _remap_conflicts(r.conflicts, r.A.shape[0], cands),
        np.full(cands.size, -1),
        {},
        {},
    )
    lp = _highs_model(sub, cands.size, True)
    lp.col_cost_ = np.r_[np.full(cands.size, -lam), sub.w]
    h = _highs(lp, time_limit=time_limit, gap=0.0, threads=threads, seed=seed)
    h.run()
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return np.inf, None
    x = np.asarray(h.getSolution().col_value[: cands.size])
    return float(info.mip_dual_bound), cands[x > 0.5]


def _decompose(r: _Reduced, p: int, deadline: float, threads: int, seed: int):
    """Lagrangian decomposition on Σ x ≤ p (no quotas): the LP relaxation (HiGHS) gives λ, the
    cardinality row's dual, and the duals u ≥ 0 of the coverage rows and v ≥ 0 of the conflict
    rows; for any such multipliers, λp + Σ_c Z_c(λ) bounds the optimum, where Z_c(λ) = max
    Σ w y − λ Σ x over component c in integers. Z_c is bounded by the LP dual's share of c
    (Σ max(0, w_i − u_i) + Σ v_k + Σ max(0, (Aᵀu)_j − λ − Σ v_k)) or, tighter, by HiGHS's MIP
    dual bound on c alone — solved for the components where the LP solution is not integral
    (at province scale a dozen of ≈ 3,000). The components' integer solutions (the LP's
    elsewhere) form the primal answer, trimmed or filled to p. Returns (chosen, bound, stats)
    or None when the time ran out first."""
    A, w = r.A, r.w
    m, n = A.shape
    left = deadline - time.perf_counter()
    if left <= 0:
        return None
    h = _highs(_highs_model(r, p, False), time_limit=left, gap=0.0, threads=threads, seed=seed)
    h.run()
    if h.getModelStatus() != h.getModelStatus().kOptimal:
        return None
    sol = h.getSolution()
    x = np.asarray(sol.col_value[:m])
    duals = np.abs(np.asarray(sol.row_dual))
    u, lam, v = duals[:n], float(duals[n]), duals[n + 1 : n + 1 + len(r.conflicts)]
    count, cl, dl = _components(r)
    cv = np.zeros(m)
    if len(v):
        np.add.at(cv, r.conflicts.ravel(), np.repeat(v, 2))
    piece = np.bincount(dl, weights=np.maximum(0.0, w - u), minlength=count)
    piece += np.bincount(cl, weights=np.maximum(0.0, A @ u - lam - cv), minlength=count)
    if len(v):
        piece += np.bincount(cl[r.conflicts[:, 0]], weights=v, minlength=count)
    pick = x > 0.5
    hit = np.asarray(A[np.flatnonzero(pick)].sum(axis=0)).ravel() > 0
    z_int = np.bincount(dl, weights=w * hit, minlength=count)
    z_int -= lam * np.bincount(cl, weights=pick.astype(float), minlength=count)
    upper = piece.copy()
    chosen = set(np.flatnonzero(pick).tolist())
    size = np.bincount(cl, minlength=count)
    gain = piece - z_int > 1e-7 * max(1.0, float(w.sum()))
    open_ = np.flatnonzero(gain & (size <= m // 2))  # one giant component: as hard as the MIP
    open_ = open_[np.argsort(z_int[open_] - piece[open_])]
    solved = 0
    for c in open_.tolist():
        left = deadline - time.perf_counter()
        if left <= 0.05:
            break
        cands = np.flatnonzero(cl == c)
        bound_c, sub = _component_mip(r, cands, lam, left, threads, seed)
        upper[c] = min(upper[c], bound_c)
        if sub is not None:
            chosen.difference_update(cands.tolist())
            chosen.update(sub.tolist())
        solved += 1
    bound = lam * p + float(upper.sum())
    stats = {
        "lp_objective": float(h.getInfo().objective_function_value),
        "lp_fractional": int(((x > 1e-6) & (x < 1 - 1e-6)).sum()),
        "components": int(count),
        "components_open": int(open_.size),
        "components_solved": solved,
        "lagrangian_bound": bound,
    }
    return _fit(r, _Rules(r), sorted(chosen), p), bound, stats


def _decomposed(r, p, chosen, deadline, gap, threads, seed, stats) -> bool:
    """Runs the decomposition (without quotas) into `stats` (its answer as "_chosen", bound as
    "_bound", kept for the MIP when the gap is not closed); True when it proves the better of its
    answer and `chosen` within `gap` (relative, as HiGHS's `mip_rel_gap`)."""
    if r.quotas:
        return False
    t = time.perf_counter()
    out = _decompose(r, p, deadline, threads, seed)
    if out is None:
        return False
    sites, bound, info = out
    stats |= info | {"decomposition_s": round(time.perf_counter() - t, 3)}
    stats["_chosen"] = sites if _value(r, sites) > _value(r, chosen) else chosen
    stats["_bound"] = bound
    return _gap(r, stats["_chosen"], bound) <= gap * 100.0 + 1e-9


def _gap(r: _Reduced, chosen, bound: float) -> float:
    return max(0.0, (bound - _value(r, chosen)) / max(bound, EPS) * 100.0)


def _fit(r: _Reduced, rules: _Rules, chosen: list[int], p: int) -> list[int]:
    """Trim to p sites (dropping the least loss first) or fill up greedily to p."""
    A, w = r.A, r.w
    chosen = list(chosen)
    while len(chosen) > p:
        cnt = np.asarray(A[chosen].sum(axis=0)).ravel()
        loss = A[chosen] @ (w * (cnt == 1))
        chosen.pop(int(np.argmin(loss)))
    if len(chosen) < p:
        hit = (
            np.asarray(A[chosen].sum(axis=0)).ravel() > 0 if chosen else np.zeros(A.shape[1], bool)
        )
        blocked = np.zeros(A.shape[0], bool)
        for j in chosen:
            blocked[rules.neighbours(j)] = True
        blocked[chosen] = True
        while len(chosen) < p:
            gain = A @ (w * ~hit)
            gain[blocked] = -1.0
            j = int(np.argmax(gain))
            if gain[j] <= EPS:
                break
            chosen.append(j)
            hit[_row(A, j)] = True
            blocked[rules.neighbours(j)] = True
            blocked[j] = True
    return chosen


# --- solve -------------------------------------------------------------------------------------


def solve(
    problem: SitingProblem,
    *,
    method: str = "auto",
    time_limit: float = 30.0,
    gap: float = 0.001,
    threads: int = 2,
    seed: int = 0,
) -> SitingResult:
    """Choose at most `problem.p` new sites; see the module docstring for methods and the gap."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    n = np.asarray(problem.weights).size
    covered = np.zeros(n, bool) if problem.covered is None else np.asarray(problem.covered, bool)
    before = float(np.asarray(problem.weights, float)[covered].sum())
    r = _reduce(problem, covered)
    stats = dict(r.stats, reduce_s=round(time.perf_counter() - t0, 3))
    p = int(problem.p)
    if p <= 0 or not r.A.shape[0]:
        return _result(
            problem, r, [], before, before, "none", "nothing to cover", "exact", t0, stats
        )
    chosen: list[int] = []
    if method in ("greedy", "auto"):
        chosen, rounds = _heuristic(r, _Rules(r), p, deadline)
        stats |= {"heuristic_s": round(time.perf_counter() - t0, 3), "swap_rounds": rounds}
        stats["heuristic_value"] = _value(r, chosen)
    left = deadline - time.perf_counter()
    if method == "greedy":
        lp_bound, lp_status = _run_lp(r, p, time_limit=left, threads=threads, seed=seed)
        bound = min(lp_bound, _elementary_bound(r, p))
        source = f"LP relaxation (HiGHS: {lp_status})" if lp_bound <= bound else "p best gains"
        solver, status = "lazy greedy + 1-swaps", "heuristic"
    elif method == "auto" and _decomposed(r, p, chosen, deadline, gap, threads, seed, stats):
        chosen, bound = stats.pop("_chosen"), stats.pop("_bound")
        solver = "lazy greedy + 1-swaps; HiGHS LP + MIP per component (Lagrangian decomposition)"
        status = "Optimal" if _gap(r, chosen, bound) <= 1e-9 else "Within gap (decomposition)"
        source = "Lagrangian decomposition (HiGHS LP duals, HiGHS MIP per open component)"
    elif method in ("exact", "auto"):
        start = stats.pop("_chosen", chosen)
        if _value(r, start) > _value(r, chosen):
            chosen = start
        left = deadline - time.perf_counter()
        mip, status, dual, nodes = _run_mip(
            r, p, chosen, time_limit=left, gap=gap, threads=threads, seed=seed
        )
        stats["mip_nodes"] = nodes
        if _value(r, mip) >= _value(r, chosen):
            chosen = mip
        lagrangian = stats.pop("_bound", np.inf)
        bound = min(dual, _elementary_bound(r, p), lagrangian)
        source = f"MIP dual bound (HiGHS: {status})"
        if bound < dual:
            source = "Lagrangian decomposition" if bound == lagrangian else "p best gains"
        solver = "HiGHS MIP" + (" (warm start: lazy greedy + 1-swaps)" if method == "auto" else "")
    else:
        raise ValueError(f"unknown method {method!r}")
    value = _value(r, chosen)
    return _result(
        problem, r, chosen, before, before + max(bound, value), solver, status, source, t0, stats
    )


def _result(problem, r, chosen, before, upper, solver, status, source, t0, stats) -> SitingResult:
    order, gains = _marginal_order(r, chosen)
    after = before + float(gains.sum())
    new_bound = upper - before
    gap_pct = 0.0 if new_bound <= EPS else max(0.0, (upper - after) / new_bound * 100.0)
    return SitingResult(
        chosen=r.cand[np.asarray(order, np.int64)] if len(order) else np.empty(0, np.int64),
        gains=gains,
        covered_before=before,
        covered_after=after,
        upper_bound=upper,
        gap_pct=gap_pct,
        solver=solver,
        status=status,
        bound=source,
        seconds=time.perf_counter() - t0,
        stats=stats,
    )


def _marginal_order(r: _Reduced, chosen) -> tuple[list[int], np.ndarray]:
    """The chosen sites re-ordered greedily by marginal gain (lazily: gains only shrink), with
    those gains; sites that add nothing are left out."""
    A, w = r.A, r.w
    uncovered = np.ones(A.shape[1], bool)
    heap = [(-float(w[_row(A, j)].sum()), j, 0) for j in chosen]
    heapq.heapify(heap)
    order: list[int] = []
    gains: list[float] = []
    while heap:
        neg, j, stamp = heapq.heappop(heap)
        idx = _row(A, j)
        if stamp != len(order):
            gain = float(w[idx][uncovered[idx]].sum())
            if gain > 0:
                heapq.heappush(heap, (-gain, j, len(order)))
            continue
        order.append(j)
        gains.append(-neg)
        uncovered[idx] = False
    return order, np.asarray(gains, float)


def _row(A: sparse.csr_matrix, j: int) -> np.ndarray:
    return A.indices[A.indptr[j] : A.indptr[j + 1]]
