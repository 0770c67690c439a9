"""What the matcher knows of a pair of goals: a row of numbers per (earlier goal, later goal).

Every goal's text, documentation, whole context, section title and follow-up text become content
terms (`vocabulary.py`). Terms are weighted by their inverse document frequency over the two
plans (IDF: a word that one goal uses weighs more than one every goal uses), so that the words
that name a goal's subject count and its frame ("Styrke samarbejdet med …", "Udarbejde en plan
for …") hardly does. From the weighted terms, for each candidate pair:

- how much the two texts share, at the three granularities (IDF-weighted Dice);
- how much the documentation shares, and how much of each goal's text stands anywhere in the
  other goal's context (a goal carried on inside another goal's documentation);
- the IDF mass of rare words that only one side has — evidence *against* a link;
- the texts' likeness letter by letter (rapidfuzz), section titles, and order in the plan;
- whether the pair is each goal's best by text and by how much (competition);
- what the follow-up says: goes on, ended, names this goal ("videreføres som mål 3.2"),
  describes it (its words found in the later goal), or merges it.

Candidate pairs are every pair of small plans, or, for large ones, each goal's best by its rare
terms (an inverted index), so that the cost grows with the goals, not with their pairs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from maalspor.match.background import Background
from maalspor.match.vocabulary import Analyzer, MatchRules, Terms
from maalspor.models.plan import FollowUp, Goal

FEATURES = (
    "text_words",
    "text_parts",
    "text_stems",
    "docs",
    "docs_missing",
    "earlier_in_later",
    "later_in_earlier",
    "rare_earlier_only",
    "rare_later_only",
    "swap",
    "swap_elsewhere",
    "swap_ended",
    "shared_rarest",
    "letters",
    "section",
    "order",
    "best_for_earlier",
    "margin_for_earlier",
    "best_for_later",
    "margin_for_later",
    "goes_on",
    "ended",
    "named",
    "described",
    "follow_up_keeps",
    "follow_up_supports",
    "merge_cue",
)
# A word whose IDF reaches this share of the highest possible names something specific.
SPECIFIC_SHARE = 0.6
# Pairs of plans up to this many pairs are all scored; larger plans are searched (see module).
ALL_PAIRS_LIMIT = 40_000


@dataclass
class GoalView:
    """A goal as the matcher sees it: its own fields plus the follow-up that reports on it."""

    id: str
    plan: str
    goal: Goal
    follow_up: FollowUp | None = None
    number: str | None = None  # "3.2": its section's number and its place there

    @property
    def full_text(self) -> str:
        text = self.goal.text
        extra = [s for s in self.goal.subgoals if s not in text]
        return " ".join([text, *extra])


@dataclass
class Side:
    """One plan's goals, analysed."""

    views: Sequence[GoalView]
    text: list[Terms]
    docs: list[Terms]
    context: list[Terms]
    section: list[Terms]
    follow_up: list[Terms]
    numbers: list[set[str]] = field(default_factory=list)

    @classmethod
    def of(cls, views: Sequence[GoalView], analyzer: Analyzer, r: MatchRules) -> Side:
        text = [analyzer.terms(v.full_text) for v in views]
        docs = [analyzer.terms(" ".join(v.goal.documentation)) for v in views]
        notes = [analyzer.terms(v.goal.note or "") for v in views]
        context = [
            Terms(
                t.words + n.words + d.words,
                t.parts + n.parts + d.parts,
                t.stems + n.stems + d.stems,
            )
            for t, n, d in zip(text, notes, docs, strict=True)
        ]
        section = [analyzer.terms(v.goal.section or "") for v in views]
        follow_up = [
            analyzer.terms(v.follow_up.follow_up or "") if v.follow_up else Terms((), (), ())
            for v in views
        ]
        numbers = [_named_numbers(v, r) for v in views]
        return cls(views, text, docs, context, section, follow_up, numbers)


def _named_numbers(view: GoalView, r: MatchRules) -> set[str]:
    """The goal numbers its follow-up names ("videreføres som mål 3.2")."""
    if view.follow_up is None or not view.follow_up.follow_up:
        return set()
    return {m.group("number") for m in r.reference_number.finditer(view.follow_up.follow_up)}


class Weights:
    """IDF of every term, per granularity: over the goals of both plans, added to the
    document frequencies of a background of goal texts (`background.py`), so that the frame
    words every plan uses ("styrke", "samarbejde", "udarbejde") weigh little even where the two
    plans are all there is to count."""

    def __init__(self, earlier: Side, later: Side, background: Background) -> None:
        documents = [*earlier.context, *later.context]
        self.idf: dict[str, dict[str, float]] = {}
        for channel in ("words", "parts", "stems"):
            frequency: dict[str, int] = {}
            for terms in documents:
                for term in set(getattr(terms, channel)):
                    frequency[term] = frequency.get(term, 0) + 1
            prior = background.frequency.get(channel, {})
            count = len(documents) + background.documents
            self.idf[channel] = {
                term: math.log((count + 1) / (df + prior.get(term, 0) + 0.5))
                for term, df in frequency.items()
            }
        self.top = math.log((len(documents) + background.documents + 1) / 1.5)
        parts = sorted(self.idf["parts"].values())
        # A rare part: used by fewer goals than most parts are (the upper half of the IDF).
        self.rare = parts[len(parts) // 2] if parts else 0.0
        # A specific word (what a goal is about, not its frame): at least this share of the
        # highest IDF a word can have.
        self.specific = SPECIFIC_SHARE * self.top

    def bag(self, terms: Terms, channel: str) -> dict[str, float]:
        idf = self.idf[channel]
        return {t: idf.get(t, 0.0) for t in getattr(terms, channel)}


def _dice(a: dict[str, float], b: dict[str, float], mass_a: float, mass_b: float) -> float:
    total = mass_a + mass_b
    if not total:
        return 0.0
    shared = sum(a[t] for t in (a.keys() & b.keys()))
    return 2.0 * shared / total


def _cover(a: dict[str, float], b: dict[str, float], mass_a: float) -> float:
    if not mass_a:
        return 0.0
    return sum(a[t] for t in (a.keys() & b.keys())) / mass_a


@dataclass
class _Bags:
    """Every goal's weighted terms of one field and granularity, and their masses."""

    bags: list[dict[str, float]]
    mass: np.ndarray

    @classmethod
    def of(cls, items: list[Terms], weights: Weights, channel: str) -> _Bags:
        bags = [weights.bag(t, channel) for t in items]
        return cls(bags, np.array([sum(b.values()) for b in bags], dtype=np.float64))


def candidate_pairs(
    earlier: Side, later: Side, weights: Weights, per_goal: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the pairs to score: all of them for small plans; else each goal's
    `per_goal` best by the IDF mass of the parts it shares (rare parts only)."""
    n, m = len(earlier.views), len(later.views)
    if n * m <= ALL_PAIRS_LIMIT:
        rows, cols = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
        return rows.ravel(), cols.ravel()
    idf = weights.idf["parts"]
    postings: dict[str, list[int]] = {}
    for j, terms in enumerate(later.context):
        for term in set(terms.parts):
            if idf.get(term, 0.0) >= weights.rare:
                postings.setdefault(term, []).append(j)
    keys: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for i, terms in enumerate(earlier.context):
        for term in set(terms.parts):
            found = postings.get(term)
            if found:
                keys.append(np.int64(i) * m + np.asarray(found, dtype=np.int64))
                values.append(np.full(len(found), idf[term]))
    if not keys:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    mass = np.bincount(inverse, weights=np.concatenate(values))
    rows, cols = unique // m, unique % m
    keep = _top_k(rows, mass, per_goal) | _top_k(cols, mass, per_goal)
    return rows[keep].astype(np.intp), cols[keep].astype(np.intp)


def _top_k(groups: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Mask of each group's `k` best entries."""
    order = np.lexsort((-score, groups))
    ranked = np.empty_like(order)
    starts = np.r_[0, np.flatnonzero(np.diff(groups[order])) + 1]
    positions = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranked[order] = positions
    return ranked < k


def pair_features(
    earlier: Side, later: Side, rows: np.ndarray, cols: np.ndarray, weights: Weights, r: MatchRules
) -> np.ndarray:
    """One row of `FEATURES` per candidate pair (rows index `earlier`, cols `later`)."""
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    if not len(rows):
        return out
    column = {name: index for index, name in enumerate(FEATURES)}
    e_text = {c: _Bags.of(earlier.text, weights, c) for c in ("words", "parts", "stems")}
    l_text = {c: _Bags.of(later.text, weights, c) for c in ("words", "parts", "stems")}
    e_docs, l_docs = (
        _Bags.of(earlier.docs, weights, "parts"),
        _Bags.of(later.docs, weights, "parts"),
    )
    e_ctx = _Bags.of(earlier.context, weights, "parts")
    l_ctx = _Bags.of(later.context, weights, "parts")
    e_sec, l_sec = (
        _Bags.of(earlier.section, weights, "parts"),
        _Bags.of(later.section, weights, "parts"),
    )
    e_follow = _Bags.of(earlier.follow_up, weights, "parts")
    rare, top = weights.rare, weights.top
    specific = weights.specific
    later_index = _term_index(l_text["parts"])
    n, m = max(len(earlier.views), 1), max(len(later.views), 1)
    later_numbers = [v.number for v in later.views]
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        row = out[k]
        for name, channel in (
            ("text_words", "words"),
            ("text_parts", "parts"),
            ("text_stems", "stems"),
        ):
            a, b = e_text[channel], l_text[channel]
            row[column[name]] = _dice(a.bags[i], b.bags[j], a.mass[i], b.mass[j])
        if e_docs.mass[i] and l_docs.mass[j]:
            row[column["docs"]] = _dice(
                e_docs.bags[i], l_docs.bags[j], e_docs.mass[i], l_docs.mass[j]
            )
        else:
            row[column["docs_missing"]] = 1.0
        text_e, text_l = e_text["parts"], l_text["parts"]
        row[column["earlier_in_later"]] = _cover(text_e.bags[i], l_ctx.bags[j], text_e.mass[i])
        row[column["later_in_earlier"]] = _cover(text_l.bags[j], e_ctx.bags[i], text_l.mass[j])
        row[column["rare_earlier_only"]] = _rare_only(text_e.bags[i], l_ctx.bags[j], rare)
        row[column["rare_later_only"]] = _rare_only(text_l.bags[j], e_ctx.bags[i], rare)
        # Same frame, other subject: each text has a specific word the other lacks (a
        # substitution), the earlier text's one standing in another later goal, or the goal
        # having ended.
        swap, elsewhere = _swap(text_e.bags[i], text_l.bags[j], j, later_index, specific, top)
        row[column["swap"]] = swap
        row[column["swap_elsewhere"]] = elsewhere
        shared = text_e.bags[i].keys() & text_l.bags[j].keys()
        row[column["shared_rarest"]] = max((text_e.bags[i][t] for t in shared), default=0.0) / top
        row[column["section"]] = _dice(e_sec.bags[i], l_sec.bags[j], e_sec.mass[i], l_sec.mass[j])
        row[column["order"]] = abs(i / n - j / m)
        view = earlier.views[i]
        follow_up = view.follow_up
        if follow_up is not None:
            row[column["goes_on"]] = (
                1.0 if follow_up.continued else -1.0 if follow_up.continued is False else 0.0
            )
            row[column["ended"]] = float(
                follow_up.status in ("achieved", "dropped") and not follow_up.continued
            )
            row[column["swap_ended"]] = row[column["swap"]] * row[column["ended"]]
            row[column["named"]] = float(later_numbers[j] in earlier.numbers[i])
            row[column["described"]] = _cover(text_l.bags[j], e_follow.bags[i], text_l.mass[j])
            # The follow-up repeats a word of the earlier goal that the later one lacks (the
            # subject stays: against), or announces a word of the later goal (for).
            said = e_follow.bags[i]
            keeps = [w for t, w in text_e.bags[i].items() if t in said and t not in text_l.bags[j]]
            supports = [
                w for t, w in text_l.bags[j].items() if t in said and t not in text_e.bags[i]
            ]
            row[column["follow_up_keeps"]] = max(keeps, default=0.0) / top
            row[column["follow_up_supports"]] = max(supports, default=0.0) / top
            text = follow_up.follow_up or ""
            row[column["merge_cue"]] = float(any(p.search(text) for p in r.merge_cues))
    out[:, column["letters"]] = _letters(earlier, later, rows, cols)
    _competition(out, rows, cols, column)
    return out


def _rare_only(a: dict[str, float], b: dict[str, float], rare: float) -> float:
    """The share of a text's IDF mass in rare parts that the other goal's context lacks."""
    total = sum(a.values())
    if not total:
        return 0.0
    return sum(w for t, w in a.items() if w >= rare and t not in b) / total


def _term_index(bags: _Bags) -> dict[str, set[int]]:
    """Which later goals' texts hold each term."""
    index: dict[str, set[int]] = {}
    for j, bag in enumerate(bags.bags):
        for term in bag:
            index.setdefault(term, set()).add(j)
    return index


def _swap(
    a: dict[str, float],
    b: dict[str, float],
    j: int,
    index: dict[str, set[int]],
    specific: float,
    top: float,
) -> tuple[float, float]:
    """(how specific the words are that the two texts swap, how specific the earlier text's
    swapped word is that another later goal's text has), each 0..1: 0 when either text has no
    specific word the other lacks."""
    only_a = [(w, t) for t, w in a.items() if w >= specific and t not in b]
    only_b = [w for t, w in b.items() if w >= specific and t not in a]
    if not only_a or not only_b:
        return 0.0, 0.0
    swap = min(max(w for w, _ in only_a), max(only_b)) / top
    elsewhere = max((w for w, t in only_a if index.get(t, set()) - {j}), default=0.0) / top
    return swap, elsewhere


def _letters(earlier: Side, later: Side, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    left = [earlier.text[i].normalised for i in rows.tolist()]
    right = [later.text[j].normalised for j in cols.tolist()]
    ratios = process.cpdist(left, right, scorer=fuzz.token_set_ratio, processor=None, workers=-1)
    empty = np.array([not a or not b for a, b in zip(left, right, strict=True)], dtype=bool)
    values = np.asarray(ratios, dtype=np.float64) / 100.0
    values[empty] = 0.0
    return values


def _competition(out: np.ndarray, rows: np.ndarray, cols: np.ndarray, column: dict) -> None:
    """Whether a pair is the best of its earlier goal's and of its later goal's, and the margin
    to the runner-up, by a first score of the texts' likeness."""
    base = (
        out[:, column["text_parts"]]
        + 0.5 * out[:, column["docs"]]
        + 0.5 * np.maximum(out[:, column["earlier_in_later"]], out[:, column["later_in_earlier"]])
    )
    for groups, best, margin in (
        (rows, "best_for_earlier", "margin_for_earlier"),
        (cols, "best_for_later", "margin_for_later"),
    ):
        order = np.lexsort((-base, groups))
        sorted_groups = groups[order]
        first = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
        top = np.maximum.reduceat(base[order], np.flatnonzero(first))
        group_index = np.cumsum(first) - 1
        second = np.zeros_like(top)
        starts = np.flatnonzero(first)
        ends = np.r_[starts[1:], len(order)]
        has_second = ends - starts > 1
        second[has_second] = base[order][starts[has_second] + 1]
        is_top = first  # the first of each group after sorting by -base
        values_best = np.zeros(len(order))
        values_best[is_top] = 1.0
        runner = np.where(is_top, second[group_index], top[group_index])
        out[order, column[best]] = values_best
        out[order, column[margin]] = base[order] - runner
