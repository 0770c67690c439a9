"""The signals between two plans' goals, each scored 0-1 for a whole year-by-year matrix.

Text (TF-IDF cosine and rapidfuzz ratios on the normalised texts, `process.cdist` and
`process.cpdist`), documentation, context, section, an explicit reference in a follow-up, and the
follow-up's declaration that the goal goes on: computed with numpy on whole matrices, no Python
loops over pairs of goals. `evidence` words the signals of one linked pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from maalspor.match.text import (
    MatchRules,
    coverage_of_bags,
    features,
    hashed_bags,
    normalise_many,
    stems,
    tfidf_cosine_of_bags,
)
from maalspor.models.lineage import Evidence
from maalspor.models.plan import FollowUp, Goal
from maalspor.settings import MatchingSettings


def _token_set(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """token_set_ratio for every pair, 0-1; pairs with an empty side score 0, not 100."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    matrix = process.cdist(
        a, b, scorer=fuzz.token_set_ratio, processor=None, dtype=np.uint8, workers=-1
    ).astype(np.float32)
    matrix /= 100.0
    empty_a = np.array([not s for s in a])
    empty_b = np.array([not s for s in b])
    matrix[empty_a, :] = 0.0
    matrix[:, empty_b] = 0.0
    return matrix


def _token_sort(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    matrix = process.cdist(
        a, b, scorer=fuzz.token_sort_ratio, processor=None, dtype=np.uint8, workers=-1
    ).astype(np.float32)
    return matrix / 100.0


def _rescale(ratio: np.ndarray) -> np.ndarray:
    """rapidfuzz ratios of unrelated Danish sentences sit near 0.5: map 0.5..1 onto 0..1."""
    return np.clip((ratio - 0.5) / 0.5, 0.0, 1.0)


@dataclass
class GoalView:
    """A goal as the matcher sees it: its own fields plus the follow-up that reports on it."""

    id: str
    plan: str
    goal: Goal
    follow_up: FollowUp | None = None

    @property
    def full_text(self) -> str:
        text = self.goal.text
        extra = [s for s in self.goal.subgoals if s not in text]
        return " ".join([text, *extra])

    @property
    def context_text(self) -> str:
        parts = [self.full_text, self.goal.note or "", *self.goal.documentation]
        return " ".join(p for p in parts if p)


@dataclass
class Signals:
    """Every signal for every (earlier, later) pair; rows are earlier goals."""

    text: np.ndarray
    text_cosine: np.ndarray
    text_fuzzy: np.ndarray
    same_text: list[str]  # normalised texts, compared only for the pairs that get linked
    same_text_later: list[str]
    documentation: np.ndarray
    context: np.ndarray
    section: np.ndarray
    reference: np.ndarray
    continued: np.ndarray
    reference_detail: dict[int, tuple[int, str]] = field(default_factory=dict)

    def combined(self, r: MatchRules) -> np.ndarray:
        w = r.weights
        # w_text·text + w_doc·documentation + w_context·context + w_section·section, summed
        # left to right in float32 as the plain expression would, in two buffers (a 5,000 ×
        # 5,000 matrix is 100 MB).
        score = np.multiply(self.text, w["text"], dtype=np.float32)
        term = np.empty_like(score)
        for name in ("documentation", "context", "section"):
            np.multiply(getattr(self, name), w[name], out=term)
            score += term
        del term
        score += np.where(self.continued > 0, w["continued_bonus"], 0.0)[:, None]
        score -= np.where(self.continued < 0, w["ended_penalty"], 0.0)[:, None]
        np.maximum(score, self.reference, out=score)  # a named successor needs no other evidence
        return np.clip(score, 0.0, 1.0, out=score)


def compute_signals(
    earlier: Sequence[GoalView],
    later: Sequence[GoalView],
    r: MatchRules,
    settings: MatchingSettings,
) -> Signals:
    def normalised(views: Sequence[GoalView]) -> tuple[list[str], list[str], list[str]]:
        texts = normalise_many([g.full_text for g in views], r)
        docs = normalise_many([" ".join(g.goal.documentation) for g in views], r)
        notes = normalise_many([g.goal.note or "" for g in views], r)
        contexts = [
            " ".join(p for p in parts if p) for parts in zip(texts, notes, docs, strict=True)
        ]
        return texts, docs, contexts

    texts_e, docs_e, context_e = normalised(earlier)
    texts_l, docs_l, context_l = normalised(later)
    feats = {
        name: (
            [features(t, r.stem_length) for t in side_e],
            [features(t, r.stem_length) for t in side_l],
        )
        for name, side_e, side_l in (
            ("text", texts_e, texts_l),
            ("documentation", docs_e, docs_l),
            ("context", context_e, context_l),
        )
    }
    # Each list of features hashed once; empty sides give empty matrices.
    bags = {
        name: (hashed_bags(side_e), hashed_bags(side_l)) for name, (side_e, side_l) in feats.items()
    }
    some = bool(earlier) and bool(later)

    def matrix(function, bags_a: np.ndarray, bags_b: np.ndarray) -> np.ndarray:
        if not some:
            return np.zeros((len(bags_a), len(bags_b)), dtype=np.float32)
        return function(bags_a, bags_b)

    text_cosine = matrix(tfidf_cosine_of_bags, *bags["text"])
    stems_e = [stems(t, r.stem_length) for t in texts_e]
    stems_l = [stems(t, r.stem_length) for t in texts_l]
    text_fuzzy = _fuzzy_on_candidates(stems_e, stems_l, text_cosine, settings)
    text = np.multiply(text_cosine, 0.6, dtype=np.float32)
    text += 0.4 * text_fuzzy
    np.maximum(text_cosine, text, out=text)
    # How much of the earlier goal's text the whole later goal covers (its documentation
    # included), or the later goal's text the whole earlier goal: a goal carried on inside
    # another goal's documentation shows here.
    context = matrix(coverage_of_bags, bags["text"][0], bags["context"][1])
    np.maximum(
        context, matrix(coverage_of_bags, bags["text"][1], bags["context"][0]).T, out=context
    )
    continued = np.array(
        [
            0.0
            if g.follow_up is None or g.follow_up.continued is None
            else (1.0 if g.follow_up.continued else -1.0)
            for g in earlier
        ],
        dtype=np.float32,
    )
    reference, reference_detail = _reference_signal(
        earlier, feats["text"][1], r, bags_later=bags["text"][1]
    )
    return Signals(
        text=text,
        text_cosine=text_cosine,
        text_fuzzy=text_fuzzy,
        same_text=texts_e,
        same_text_later=texts_l,
        documentation=matrix(tfidf_cosine_of_bags, *bags["documentation"]),
        context=context,
        section=_section_similarity(earlier, later, r),
        reference=reference,
        continued=continued,
        reference_detail=reference_detail,
    )


def _section_similarity(
    earlier: Sequence[GoalView], later: Sequence[GoalView], r: MatchRules
) -> np.ndarray:
    """Section titles compared once per distinct pair of titles (plans have a handful)."""
    titles_e = [g.goal.section or "" for g in earlier]
    titles_l = [g.goal.section or "" for g in later]
    unique_e, index_e = np.unique(np.array(titles_e, dtype=object), return_inverse=True)
    unique_l, index_l = np.unique(np.array(titles_l, dtype=object), return_inverse=True)
    scores = _token_set(normalise_many(list(unique_e), r), normalise_many(list(unique_l), r))
    if not len(earlier) or not len(later):  # a plan without goals: nothing to compare
        return np.zeros((len(earlier), len(later)), dtype=np.float32)
    return scores[np.ix_(index_e, index_l)]


def _fuzzy_on_candidates(
    a: Sequence[str], b: Sequence[str], cosine: np.ndarray, settings: MatchingSettings
) -> np.ndarray:
    """Rescaled mean of token_set and token_sort ratios, scored with `process.cpdist` on the
    candidate pairs only (the whole matrix when it is small); 0 elsewhere."""
    fuzzy = np.zeros((len(a), len(b)), dtype=np.float32)
    if not a or not b:
        return fuzzy
    candidates = settings.fuzzy_candidates
    if len(a) * len(b) <= candidates * max(len(a), len(b)) * 4:
        pairs = 0.5 * _token_set(a, b) + 0.5 * _token_sort(a, b)
        return _rescale(pairs)
    k = min(candidates, len(b))
    mask = cosine >= settings.fuzzy_cosine_floor
    for start in range(0, len(a), 512):  # row blocks: each row is selected on its own
        block = slice(start, start + 512)
        top = np.argpartition(-cosine[block], k - 1, axis=1)[:, :k]
        np.put_along_axis(mask[block], top, True, axis=1)
    rows, cols = np.nonzero(mask)
    left = [a[i] for i in rows]
    right = [b[j] for j in cols]
    kwargs = {"processor": None, "dtype": np.uint8, "workers": -1}
    token_set = process.cpdist(left, right, scorer=fuzz.token_set_ratio, **kwargs)
    token_sort = process.cpdist(left, right, scorer=fuzz.token_sort_ratio, **kwargs)
    score = (0.5 * token_set.astype(np.float32) + 0.5 * token_sort.astype(np.float32)) / 100.0
    empty_a = np.array([not text for text in a], dtype=bool)
    empty_b = np.array([not text for text in b], dtype=bool)
    score[empty_a[rows] | empty_b[cols]] = 0.0
    fuzzy[rows, cols] = _rescale(score)
    return fuzzy


def _reference_signal(
    earlier: Sequence[GoalView],
    features_later: Sequence[list[str]],
    r: MatchRules,
    *,
    bags_later: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[int, tuple[int, str]]]:
    """Score of the later goal a follow-up names as its successor; 0 elsewhere."""
    reference = np.zeros((len(earlier), len(features_later)), dtype=np.float32)
    clauses: list[tuple[int, str]] = []
    for row, goal in enumerate(earlier):
        text = " ".join((goal.follow_up.follow_up or "").split()) if goal.follow_up else ""
        for cue in r.reference_cues:
            found = cue.search(text)
            if found:
                clauses.append((row, found.group("ref").strip()))
                break
    detail: dict[int, tuple[int, str]] = {}
    if not clauses or not features_later:
        return reference, detail
    normalised = normalise_many([clause for _, clause in clauses], r)
    clause_features = [features(c, r.stem_length) for c in normalised]
    if bags_later is None:
        bags_later = hashed_bags(features_later)
    scores = coverage_of_bags(hashed_bags(clause_features), bags_later)
    for (row, clause), clause_scores in zip(clauses, scores, strict=True):
        order = np.argsort(-clause_scores, kind="stable")
        best = int(order[0])
        runner_up = float(clause_scores[order[1]]) if len(order) > 1 else 0.0
        if (
            clause_scores[best] >= r.reference_min_score
            and clause_scores[best] - runner_up >= r.reference_margin
        ):
            # A clear reference is as strong as a near-verbatim text match.
            reference[row, best] = min(1.0, 0.5 + float(clause_scores[best]) / 2)
            detail[row] = (best, clause)
    return reference, detail


# ---------------------------------------------------------------------------------------------
# Evidence


def evidence(signals: Signals, row: int, col: int, r: MatchRules) -> list[Evidence]:
    w = r.weights
    found: list[Evidence] = [
        Evidence(
            signal="text",
            score=round(float(signals.text[row, col]), 3),
            detail=(
                f"normalised goal texts: TF-IDF cosine {signals.text_cosine[row, col]:.2f}, "
                f"fuzzy token ratio {signals.text_fuzzy[row, col]:.2f} (weight {w['text']})"
            ),
        )
    ]
    if signals.documentation[row, col] > 0:
        found.append(
            Evidence(
                signal="documentation",
                score=round(float(signals.documentation[row, col]), 3),
                detail=f"TF-IDF cosine of the Dokumentation items (weight {w['documentation']})",
            )
        )
    if signals.context[row, col] > 0:
        found.append(
            Evidence(
                signal="context",
                score=round(float(signals.context[row, col]), 3),
                detail="share of one goal's text found in the other goal incl. its "
                f"documentation (weight {w['context']})",
            )
        )
    if signals.section[row, col] > 0:
        found.append(
            Evidence(
                signal="section",
                score=round(float(signals.section[row, col]), 3),
                detail=f"section titles alike (weight {w['section']})",
            )
        )
    if signals.reference[row, col] > 0:
        _, clause = signals.reference_detail[row]
        found.append(
            Evidence(
                signal="reference",
                score=round(float(signals.reference[row, col]), 3),
                detail=f'the follow-up names this goal: "{clause}"',
            )
        )
    if signals.continued[row] > 0:
        found.append(
            Evidence(
                signal="continued",
                score=None,
                detail=f"the follow-up says the goal goes on (+{w['continued_bonus']})",
            )
        )
    elif signals.continued[row] < 0:
        found.append(
            Evidence(
                signal="continued",
                score=None,
                detail=f"the follow-up says the goal ends (-{w['ended_penalty']})",
            )
        )
    return found
