"""Which pairs become links: one global decision over the two plans, not goal by goal.

Each earlier goal takes at most one successor and each later goal at most one predecessor in a
first pass that maximises the summed log-odds of the links over the whole pair of plans (the
assignment problem, solved exactly per connected group of candidate pairs): a goal whose best
match is a little better for another goal gives way. A second pass adds the merges and splits
the evidence supports: a second predecessor or successor of a goal whose probability reaches a
higher threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from maalspor.settings import MatchingSettings

_HAIR = 1e-9


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1.0 - p))


# What a second predecessor adds to a later goal already linked (see `assign`): the share of
# the later goal's words that the new predecessor supplies and its predecessors so far lack.
Supplies = Callable[[int, int, list[int]], float]


def assign(
    rows: np.ndarray,
    cols: np.ndarray,
    probability: np.ndarray,
    link: float,
    extra: float,
    exact_limit: int = MatchingSettings.exact_assignment_limit,
    supplies: Supplies | None = None,
    partial: float = 1.0,
    min_supplied: float = 1.0,
) -> list[tuple[int, int, float]]:
    """(earlier, later, probability) of the links chosen among the candidate pairs; groups of
    competing pairs of more than `exact_limit` goals are assigned best pair first.

    With `supplies`, a third pass adds the goals of a merge that no one pair shows well: a pair
    of probability `partial` or more whose later goal is linked and whose earlier goal is free,
    where the earlier goal supplies at least `min_supplied` of the later goal's words that its
    predecessors so far lack (the union of the merged goals covers more of the later goal)."""
    eligible = np.flatnonzero(probability >= link)
    # A pair exactly at the threshold gains a hair above nothing, so that the first pass takes
    # it where it is free rather than leave it to the merges and splits.
    gain = {
        (int(rows[k]), int(cols[k])): max(_logit(float(probability[k])) - _logit(link), _HAIR)
        for k in eligible
    }
    chosen: dict[tuple[int, int], float] = {}
    for group in _groups(list(gain)):
        for pair in _best_matching(group, gain, exact_limit):
            chosen[pair] = 0.0
    taken_rows = {i for i, _ in chosen}
    taken_cols = {j for _, j in chosen}
    extras = sorted(
        (k for k in eligible if probability[k] >= extra),
        key=lambda k: (-probability[k], rows[k], cols[k]),
    )
    for k in extras:
        pair = (int(rows[k]), int(cols[k]))
        if pair in chosen:
            continue
        i, j = pair
        # A merge (the later goal has its predecessor) or a split (the earlier goal has its
        # successor), never a second link between two goals that are both taken.
        if (i in taken_rows) != (j in taken_cols):
            chosen[pair] = 0.0
            taken_rows.add(i)
            taken_cols.add(j)
    if supplies is not None and partial < extra:
        _partial_links(rows, cols, probability, chosen, supplies, partial, min_supplied)
    kept = np.flatnonzero(probability >= min(link, partial))
    by_pair = {(int(rows[k]), int(cols[k])): float(probability[k]) for k in kept}
    return sorted((i, j, by_pair[(i, j)]) for i, j in chosen)


def _partial_links(
    rows: np.ndarray,
    cols: np.ndarray,
    probability: np.ndarray,
    chosen: dict[tuple[int, int], float],
    supplies: Supplies,
    partial: float,
    min_supplied: float,
) -> None:
    """The third pass of `assign`, adding to `chosen` in place."""
    successors = {i for i, _ in chosen}
    predecessors: dict[int, list[int]] = {}
    for i, j in chosen:
        predecessors.setdefault(j, []).append(i)
    found = np.flatnonzero(probability >= partial)
    for k in sorted(found, key=lambda k: (-probability[k], rows[k], cols[k])):
        i, j = int(rows[k]), int(cols[k])
        if i in successors or j not in predecessors:
            continue
        if supplies(i, j, predecessors[j]) >= min_supplied:
            chosen[(i, j)] = 0.0
            successors.add(i)
            predecessors[j].append(i)


def _groups(pairs: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The pairs in connected groups (pairs sharing a goal, transitively)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in pairs:
        parent[root(("e", i))] = root(("l", j))
    grouped: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for pair in pairs:
        grouped.setdefault(root(("e", pair[0])), []).append(pair)
    return list(grouped.values())


def _best_matching(
    group: list[tuple[int, int]], gain: dict[tuple[int, int], float], exact_limit: int
) -> list[tuple[int, int]]:
    """The one-to-one pairs of a group with the largest summed gain (all gains are > 0)."""
    if len(group) == 1:
        return group
    earlier = sorted({i for i, _ in group})
    later = sorted({j for _, j in group})
    if len(earlier) + len(later) > exact_limit:
        return _greedy(group, gain)
    size = max(len(earlier), len(later))
    cost = np.zeros((size, size))
    row_of = {i: r for r, i in enumerate(earlier)}
    col_of = {j: c for c, j in enumerate(later)}
    for i, j in group:
        cost[row_of[i], col_of[j]] = -gain[(i, j)]
    assignment = _hungarian(cost)
    return [
        (earlier[r], later[c])
        for r, c in enumerate(assignment)
        if r < len(earlier) and c < len(later) and cost[r, c] < 0
    ]


def _greedy(group: list[tuple[int, int]], gain: dict[tuple[int, int], float]):
    taken_e: set[int] = set()
    taken_l: set[int] = set()
    out = []
    for i, j in sorted(group, key=lambda p: (-gain[p], p)):
        if i not in taken_e and j not in taken_l:
            out.append((i, j))
            taken_e.add(i)
            taken_l.add(j)
    return out


def _hungarian(cost: np.ndarray) -> list[int]:
    """The column of each row in a least-cost assignment of a square matrix (the Hungarian
    method with potentials, O(n³))."""
    n = cost.shape[0]
    u = np.zeros(n + 1)
    v = np.zeros(n + 1)
    match = np.zeros(n + 1, dtype=np.int64)  # match[column] = row (1-based; 0: none)
    way = np.zeros(n + 1, dtype=np.int64)
    for row in range(1, n + 1):
        match[0] = row
        column = 0
        least = np.full(n + 1, np.inf)
        used = np.zeros(n + 1, dtype=bool)
        while True:
            used[column] = True
            current = match[column]
            reduced = cost[current - 1, :] - u[current] - v[1:]
            free = ~used[1:]
            better = free & (reduced < least[1:])
            least[1:][better] = reduced[better]
            way[1:][better] = column
            candidates = np.where(free, least[1:], np.inf)
            nxt = int(np.argmin(candidates)) + 1
            delta = candidates[nxt - 1]
            u[match[used]] += delta
            v[used] -= delta
            least[1:][free] -= delta
            column = nxt
            if match[column] == 0:
                break
        while column:
            previous = way[column]
            match[column] = match[previous]
            column = previous
    result = [0] * n
    for column in range(1, n + 1):
        if match[column]:
            result[match[column] - 1] = column - 1
    return result
