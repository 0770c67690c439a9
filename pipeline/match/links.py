"""Which goals of one plan carry on which goals of the next: link selection.

One-to-one links greedy by combined score, then merges and splits on strong evidence (an
explicit reference, a declared continuation, a high score); each link gets its kind (same,
reworded, changed, merged, split), score and evidence, and a goal declared continued but left
unlinked gets its best candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from maalspor.match.scores import GoalView, Signals, compute_signals, evidence
from maalspor.match.text import MatchRules
from maalspor.models.lineage import Candidate, Link, LinkKind
from maalspor.settings import MatchingSettings


@dataclass(frozen=True)
class PairLink:
    earlier: int
    later: int
    score: float


def assign(signals: Signals, score: np.ndarray, threshold: float, r: MatchRules) -> list[PairLink]:
    """One-to-one links greedy by score, then merges/splits on strong evidence.

    Greedy on a score-sorted list is optimal enough here: real plans have few competing
    candidates per goal, and it keeps the choice explainable ("the best pair goes first").
    """
    n_earlier, n_later = score.shape
    if n_earlier == 0 or n_later == 0:
        return []
    floor = min(threshold, r.declared_continued_threshold)
    rows, cols = np.nonzero(score >= floor)
    values = score[rows, cols]
    # Sort by score (desc), then by position, so equal scores resolve the same way every run.
    order = np.lexsort((cols, rows, -values))
    best_for_row = np.argmax(score, axis=1)
    best_for_col = np.argmax(score, axis=0)

    links: list[PairLink] = []
    taken_rows: set[int] = set()
    taken_cols: set[int] = set()

    def needed(row: int, col: int) -> float:
        declared = signals.continued[row] > 0 and best_for_row[row] == col
        return r.declared_continued_threshold if declared else threshold

    for index in order:
        row, col, value = int(rows[index]), int(cols[index]), float(values[index])
        if row in taken_rows or col in taken_cols or value < needed(row, col):
            continue
        links.append(PairLink(row, col, value))
        taken_rows.add(row)
        taken_cols.add(col)

    # Merges: an earlier goal left without successor whose best later goal is already taken.
    for row in range(n_earlier):
        if row in taken_rows:
            continue
        col = int(best_for_row[row])
        value = float(score[row, col])
        explicit = signals.reference[row, col] > 0
        declared = signals.continued[row] > 0 and value >= r.declared_continued_threshold
        strong = value >= r.merge_split_threshold
        if col in taken_cols and (explicit or strong or (declared and value >= threshold)):
            links.append(PairLink(row, col, value))
            taken_rows.add(row)

    # Splits: a later goal left without predecessor whose best earlier goal is already linked.
    for col in range(n_later):
        if col in taken_cols:
            continue
        row = int(best_for_col[col])
        value = float(score[row, col])
        if row in taken_rows and value >= r.merge_split_threshold and best_for_row[row] != col:
            links.append(PairLink(row, col, value))
            taken_cols.add(col)
    return sorted(links, key=lambda link: (link.earlier, link.later))


def _kind(
    link: PairLink, signals: Signals, predecessors: int, successors: int, r: MatchRules
) -> LinkKind:
    if predecessors > 1:
        return "merged"
    if successors > 1:
        return "split"
    same = fuzz.token_sort_ratio(
        signals.same_text[link.earlier], signals.same_text_later[link.later], processor=None
    )
    if same / 100.0 >= r.same_kind:
        return "same"
    if signals.text[link.earlier, link.later] >= r.reworded_kind:
        return "reworded"
    return "changed"


def link_pair(
    earlier: Sequence[GoalView],
    later: Sequence[GoalView],
    settings: MatchingSettings,
    match_rules: MatchRules,
) -> tuple[list[Link], dict[str, list[Candidate]]]:
    """The links, and the candidates of each earlier goal declared continued."""
    r = match_rules
    cutoff = r.threshold if settings.threshold is None else settings.threshold
    signals = compute_signals(earlier, later, r, settings)
    score = signals.combined(r)
    pairs = assign(signals, score, cutoff, r)
    predecessors = np.bincount([p.later for p in pairs], minlength=len(later))
    successors = np.bincount([p.earlier for p in pairs], minlength=len(earlier))
    links = [
        Link.model_validate(
            {
                "from": earlier[p.earlier].id,
                "to": later[p.later].id,
                "kind": _kind(p, signals, predecessors[p.later], successors[p.earlier], r),
                "score": round(min(1.0, max(0.0, p.score)), 4),
                "evidence": evidence(signals, p.earlier, p.later, r),
            }
        )
        for p in pairs
    ]
    linked = {(p.earlier, p.later) for p in pairs}
    candidates: dict[str, list[Candidate]] = {}
    for row in np.flatnonzero(signals.continued > 0) if len(later) else ():
        best = _best_columns(score[row], r.candidate_count + int(successors[row]))
        found = [
            Candidate(to=later[col].id, score=round(float(score[row, col]), 4))
            for col in best
            if (row, col) not in linked and score[row, col] >= r.candidate_min_score
        ]
        if found:
            candidates[earlier[row].id] = found[: r.candidate_count]
    return links, candidates


def _best_columns(row: np.ndarray, count: int) -> np.ndarray:
    """Columns of the `count` highest scores, best first (ties: lower column first)."""
    if count < len(row):
        top = np.argpartition(-row, count - 1)[:count]
        return top[np.lexsort((top, -row[top]))]
    return np.argsort(-row, kind="stable")
