"""Pair a plan's follow-up entries with the goals of the plan before it.

A follow-up part repeats the earlier plan's goals near-verbatim: each goal is paired with the
entry whose text (and documentation) is most alike, one to one, scored with rapidfuzz only on
the pairs whose lengths allow the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from maalspor.match.vocabulary import MatchRules, matching_rules
from maalspor.models.plan import FollowUp, Goal


def pair_follow_ups(
    goals: Sequence[Goal], follow_ups: Sequence[FollowUp], r: MatchRules | None = None
) -> dict[int, int]:
    """Index of the follow-up entry that reports on each goal (near-verbatim copies)."""
    r = r or matching_rules()
    if not goals or not follow_ups:
        return {}
    # Copies word for word (text and documentation) pair at once, in order; the rest by
    # their likeness.
    keys = [
        _simple_key(_goal_text(g)) + "\0" + _simple_key(" ".join(g.documentation)) for g in goals
    ]
    waiting: dict[str, list[int]] = {}
    for index, f in enumerate(follow_ups):
        key = _simple_key(_goal_text(f)) + "\0" + _simple_key(" ".join(f.documentation))
        waiting.setdefault(key, []).append(index)
    exact: dict[int, int] = {}
    for index, key in enumerate(keys):
        found = waiting.get(key)
        if found:
            exact[index] = found.pop(0)
    if len(exact) == len(goals) or len(exact) == len(follow_ups):
        return exact
    rest_goals = [i for i in range(len(goals)) if i not in exact]
    taken = set(exact.values())
    rest_follow_ups = [j for j in range(len(follow_ups)) if j not in taken]
    fuzzy = _pair_by_likeness(
        [goals[i] for i in rest_goals], [follow_ups[j] for j in rest_follow_ups], r
    )
    exact.update({rest_goals[i]: rest_follow_ups[j] for i, j in fuzzy.items()})
    return exact


def _pair_by_likeness(
    goals: Sequence[Goal], follow_ups: Sequence[FollowUp], r: MatchRules
) -> dict[int, int]:
    """Each goal paired with the entry whose text and documentation are most alike, one to
    one, when the combined ratio reaches the rules' threshold."""
    # score = w·text + (1 - w)·documentation, documentation ≤ 1: a pair whose text ratio is
    # below this bound (one point to spare) cannot reach the threshold, so the costly
    # token_set_ratio of the documentation is scored on the other pairs only.
    w = r.follow_up_text_weight
    text_floor = (r.follow_up_pair_threshold - (1.0 - w)) / w - 0.01
    rows, cols, text = _ratio_pairs(
        [_simple_key(_goal_text(g)) for g in goals],
        [_simple_key(_goal_text(f)) for f in follow_ups],
        text_floor,
    )
    # The keys once per text (as cdist's processor would), not once per pair.
    goal_docs = [_simple_key(" ".join(g.documentation)) for g in goals]
    follow_up_docs = [_simple_key(" ".join(f.documentation)) for f in follow_ups]
    docs = (
        process.cpdist(
            [goal_docs[i] for i in rows],
            [follow_up_docs[j] for j in cols],
            scorer=fuzz.token_set_ratio,
            processor=None,
            workers=-1,
        )
        / 100.0
    )
    score = w * text + (1.0 - w) * docs
    keep = score >= r.follow_up_pair_threshold
    rows, cols, score = rows[keep], cols[keep], score[keep]
    order = np.lexsort((cols, rows, -score))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for index in order:
        row, col = int(rows[index]), int(cols[index])
        if row not in pairs and col not in used:
            pairs[row] = col
            used.add(col)
    return pairs


def _ratio_pairs(
    a: Sequence[str], b: Sequence[str], floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns (in row-major order) and `fuzz.ratio` / 100 of the pairs scoring `floor`
    or more, the others never scored: the ratio 2·LCS / (len a + len b) is at most
    2·min / (len a + len b), so `b`s much shorter or longer than `a` cannot reach the floor.
    `a` is taken in chunks of similar lengths, each against the `b`s of fitting length."""
    empty = np.zeros(0, dtype=np.intp)
    if not a or not b:
        return empty, empty, np.zeros(0, dtype=np.float32)
    # len b / len a must lie in [c, 1/c] for 2·min / (len a + len b) ≥ floor (lengths > 0).
    c = max(floor - 0.01, 0.0) / (2.0 - max(floor - 0.01, 0.0))
    lengths_a = np.array([len(text) for text in a])
    lengths_b = np.array([len(text) for text in b])
    order_a = np.argsort(lengths_a, kind="stable")
    order_b = np.argsort(lengths_b, kind="stable")
    sorted_b = lengths_b[order_b]
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    found_values: list[np.ndarray] = []
    chunk = 256
    for start in range(0, len(a), chunk):
        rows = order_a[start : start + chunk]
        low = np.searchsorted(sorted_b, lengths_a[rows[0]] * c, side="left")
        high = np.searchsorted(sorted_b, lengths_a[rows[-1]] / c if c else np.inf, side="right")
        if low >= high:
            continue
        cols = order_b[low:high]
        values = (
            process.cdist(
                [a[i] for i in rows],
                [b[j] for j in cols],
                scorer=fuzz.ratio,
                processor=None,
                workers=-1,
            )
            / 100.0
        )
        hit_rows, hit_cols = np.nonzero(values >= floor)
        found_rows.append(rows[hit_rows])
        found_cols.append(cols[hit_cols])
        found_values.append(values[hit_rows, hit_cols])
    if not found_rows:
        return empty, empty, np.zeros(0, dtype=np.float32)
    rows = np.concatenate(found_rows)
    cols = np.concatenate(found_cols)
    values = np.concatenate(found_values)
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], values[order]


def _goal_text(goal: Goal) -> str:
    extra = [s for s in goal.subgoals if s not in goal.text]
    return " ".join([goal.text, *extra])


def _simple_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
