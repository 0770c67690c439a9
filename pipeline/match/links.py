"""Links between the goals of two consecutive plans: candidates, probabilities, one decision.

For a pair of plans: both sides analysed (`features.Side`), terms weighted by IDF over the two
plans, candidate pairs found, each scored by the link model (`model.py`), links chosen over the
whole pair at once (`assign.py`), each with its kind and its evidence in words. Earlier goals
whose follow-up says they go on but that get no link keep their best candidates for a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from maalspor.match.assign import Supplies, assign
from maalspor.match.background import background
from maalspor.match.features import (
    FEATURES,
    GoalView,
    Side,
    Weights,
    candidate_pairs,
    pair_features,
)
from maalspor.match.model import LinkModel
from maalspor.match.vocabulary import Analyzer, MatchRules
from maalspor.models.lineage import Candidate, Evidence, Link, LinkKind
from maalspor.settings import MatchingSettings

# Words shown in a link's evidence, of each kind (shared, only earlier, only later).
_EVIDENCE_WORDS = 6
# The probability of a link the plans state (see `stated`).
_STATED = 0.99


@dataclass
class PairScores:
    """The candidate pairs of two plans, their features and probabilities."""

    earlier: Side
    later: Side
    weights: Weights
    rows: np.ndarray
    cols: np.ndarray
    features: np.ndarray
    probability: np.ndarray


def score_pairs(
    earlier: Sequence[GoalView],
    later: Sequence[GoalView],
    r: MatchRules,
    model: LinkModel | None,
    settings: MatchingSettings | None = None,
) -> PairScores:
    """Candidate pairs, their features, and (with a model) their probabilities."""
    analyzer = Analyzer(r)
    left, right = Side.of(earlier, analyzer, r), Side.of(later, analyzer, r)
    weights = Weights(left, right, background(), r.specific_share)
    rows, cols = candidate_pairs(left, right, weights, settings or MatchingSettings())
    features = pair_features(left, right, rows, cols, weights, r)
    if model is None:
        return PairScores(left, right, weights, rows, cols, features, np.zeros(len(rows)))
    probability = model.probability(rows, cols, features)
    return PairScores(left, right, weights, rows, cols, features, probability)


def link_pair(
    earlier: Sequence[GoalView],
    later: Sequence[GoalView],
    settings: MatchingSettings,
    r: MatchRules,
    model: LinkModel,
) -> tuple[list[Link], dict[str, list[Candidate]]]:
    """The links, and the candidates of each earlier goal declared continued."""
    scores = score_pairs(earlier, later, r, model, settings)
    threshold = model.link if settings.threshold is None else settings.threshold
    extra = max(model.extra, threshold)
    probability = with_stated(scores.probability, stated(scores, r))
    # The floor of a goal declared continued is the same share of a threshold a user sets.
    floor = threshold * model.declared / model.link
    probability = declared_best(scores.rows, goes_on(scores), probability, floor, threshold)
    chosen = assign(
        scores.rows,
        scores.cols,
        probability,
        threshold,
        extra,
        settings.exact_assignment_limit,
        supplies=supplies(scores),
        partial=settings.partial_link_min,
        min_supplied=settings.partial_link_supplied,
    )
    predecessors = np.bincount([j for _, j, _ in chosen], minlength=len(later))
    successors = np.bincount([i for i, _, _ in chosen], minlength=len(earlier))
    index = {
        (int(i), int(j)): k for k, (i, j) in enumerate(zip(scores.rows, scores.cols, strict=True))
    }
    links = [
        Link.model_validate(
            {
                "from": earlier[i].id,
                "to": later[j].id,
                "kind": _kind(scores, index[(i, j)], predecessors[j], successors[i], r),
                "score": round(min(1.0, max(0.0, p)), 4),
                "evidence": evidence(scores, index[(i, j)], p, r),
            }
        )
        for i, j, p in chosen
    ]
    linked = {i for i, _, _ in chosen}
    candidates: dict[str, list[Candidate]] = {}
    for i, view in enumerate(earlier):
        if i in linked or view.follow_up is None or not view.follow_up.continued:
            continue
        mine = np.flatnonzero(scores.rows == i)
        best = sorted(mine, key=lambda k: -scores.probability[k])[: r.kept_candidates]
        kept = [
            Candidate(
                to=later[int(scores.cols[k])].id, score=round(float(scores.probability[k]), 4)
            )
            for k in best
            if scores.probability[k] >= r.kept_candidate_min
        ]
        if kept:
            candidates[view.id] = kept
    return links, candidates


def supplies(scores: PairScores) -> Supplies:
    """How much a second predecessor adds to a later goal already linked (`assign.Supplies`):
    the share of the later goal's text (IDF-weighted parts) that stands in the earlier goal's
    context and in none of the later goal's predecessors' so far."""
    bags = scores.weights.bags
    l_text, e_ctx = bags(scores.later.text, "parts"), bags(scores.earlier.context, "parts")

    def share(i: int, j: int, partners: list[int]) -> float:
        _, terms, w = l_text.expand(np.array([j], dtype=np.int64))
        mass = float(w.sum())
        if mass <= 0:
            return 0.0
        lacking = np.ones(len(terms), dtype=bool)
        for partner in partners:
            lacking &= ~e_ctx.holds(np.full(len(terms), partner, dtype=np.int64), terms)
        held = e_ctx.holds(np.full(len(terms), i, dtype=np.int64), terms)
        return float((w * (lacking & held)).sum()) / mass

    return share


def stated(scores: PairScores, r: MatchRules) -> np.ndarray:
    """Which pairs the plans themselves state: a goal printed again word for word (the same
    content terms in the same order), or the successor the earlier goal's follow-up names — by
    its number ("videreføres som mål 3.2"), or by its words when one later goal is clearly the
    one meant ("indgår som delmål under målet om at …"). Whatever else is said, those are
    links."""
    earlier = [t.normalised for t in scores.earlier.text]
    later = [t.normalised for t in scores.later.text]
    rows, cols = scores.rows.tolist(), scores.cols.tolist()
    copies = np.array(
        [bool(earlier[i]) and earlier[i] == later[j] for i, j in zip(rows, cols, strict=True)],
        dtype=bool,
    )
    named = scores.features[:, FEATURES.index("named")] > 0
    quoted = scores.features[:, FEATURES.index("quoted")]
    clear = quoted >= r.reference_min_score
    if clear.any():
        # The clearest phrase of each earlier goal, by a margin over its second best.
        order = np.lexsort((-quoted, scores.rows))
        by_row = scores.rows[order]
        starts = np.flatnonzero(np.r_[True, by_row[1:] != by_row[:-1]])
        ends = np.r_[starts[1:], len(order)]
        best = np.zeros(len(order), dtype=bool)
        second = np.where(
            ends - starts > 1, quoted[order][np.minimum(starts + 1, len(order) - 1)], 0.0
        )
        best[order[starts]] = quoted[order][starts] - second >= r.reference_margin
        clear &= best
    return copies | named | clear


def with_stated(probability: np.ndarray, said: np.ndarray) -> np.ndarray:
    """The model's probabilities, the pairs the plans state taken as certain."""
    return np.where(said, np.maximum(probability, _STATED), probability)


def goes_on(scores: PairScores) -> np.ndarray:
    """Which pairs' earlier goal has a follow-up saying it goes on."""
    return scores.features[:, FEATURES.index("goes_on")] > 0


def declared_best(
    rows: np.ndarray, declared: np.ndarray, probability: np.ndarray, floor: float, link: float
) -> np.ndarray:
    """A goal whose follow-up says it goes on (`declared`) is linked to its most probable
    candidate from a lower probability (`floor`): the declaration is evidence in itself, which
    the model weighs for every candidate alike."""
    if not declared.any() or floor >= link:
        return probability
    order = np.lexsort((-probability, rows))
    by_row = rows[order]
    first = np.r_[True, by_row[1:] != by_row[:-1]]
    best = np.zeros(len(order), dtype=bool)
    best[order[first]] = True
    lift = declared & best & (probability >= floor)
    return np.where(lift, np.maximum(probability, link), probability)


def _kind(
    scores: PairScores, k: int, predecessors: int, successors: int, r: MatchRules
) -> LinkKind:
    if predecessors > 1:
        return "merged"
    if successors > 1:
        return "split"
    i, j = int(scores.rows[k]), int(scores.cols[k])
    a, b = scores.earlier.text[i].normalised, scores.later.text[j].normalised
    if a and b and fuzz.token_sort_ratio(a, b) / 100.0 >= r.same_kind:
        return "same"
    if scores.features[k, FEATURES.index("text_parts")] >= r.reworded_kind:
        return "reworded"
    return "changed"


def evidence(scores: PairScores, k: int, probability: float, r: MatchRules) -> list[Evidence]:
    """The link's probability and what it rests on, in words."""
    i, j = int(scores.rows[k]), int(scores.cols[k])
    row = dict(zip(FEATURES, scores.features[k].tolist(), strict=True))
    weight = scores.weights.weight
    left = set(scores.earlier.context[i].parts)
    right = set(scores.later.context[j].parts)
    text_left, text_right = set(scores.earlier.text[i].parts), set(scores.later.text[j].parts)

    def ranked(words: set[str]) -> str:
        best = sorted(words, key=lambda w: (-weight(w), w))[:_EVIDENCE_WORDS]
        return ", ".join(best) or "–"

    rare = scores.weights.rare
    items = [
        Evidence(
            signal="probability",
            score=round(probability, 4),
            detail="the link model's probability that the later goal carries the earlier one on",
        ),
        Evidence(
            signal="text",
            score=round(row["text_parts"], 4),
            detail=f"shared words (rarest first): {ranked(text_left & text_right)}",
        ),
    ]
    only_left = {w for w in text_left - right if weight(w) >= rare}
    only_right = {w for w in text_right - left if weight(w) >= rare}
    if only_left or only_right:
        items.append(
            Evidence(
                signal="differs",
                score=round(max(row["rare_earlier_only"], row["rare_later_only"]), 4),
                detail=f"rare words only in the earlier goal: {ranked(only_left)}; "
                f"only in the later goal: {ranked(only_right)}",
            )
        )
    if row["docs"]:
        items.append(
            Evidence(
                signal="documentation",
                score=round(row["docs"], 4),
                detail="the Dokumentation items share words",
            )
        )
    if max(row["earlier_in_later"], row["later_in_earlier"]) > row["text_parts"]:
        items.append(
            Evidence(
                signal="context",
                score=round(max(row["earlier_in_later"], row["later_in_earlier"]), 4),
                detail="one goal's words stand in the other goal's text or documentation",
            )
        )
    if row["named"]:
        number = scores.later.views[j].number
        items.append(
            Evidence(signal="reference", score=1.0, detail=f"the follow-up names goal {number}")
        )
    elif row["quoted"] >= r.reference_min_score:
        items.append(
            Evidence(
                signal="reference",
                score=round(row["quoted"], 4),
                detail="the follow-up names this goal in its words",
            )
        )
    if row["described"] >= 0.5:
        items.append(
            Evidence(
                signal="follow_up",
                score=round(row["described"], 4),
                detail="the follow-up describes the later goal in its words",
            )
        )
    if row["goes_on"] > 0:
        items.append(
            Evidence(signal="continued", score=None, detail="the follow-up says the goal goes on")
        )
    elif row["goes_on"] < 0:
        items.append(
            Evidence(signal="continued", score=None, detail="the follow-up says the goal ends")
        )
    return items
