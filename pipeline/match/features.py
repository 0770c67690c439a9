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
from maalspor.match.bags import BagSet, Vocabulary, cover, dice, heaviest
from maalspor.match.vocabulary import Analyzer, MatchRules, Terms
from maalspor.models.plan import FollowUp, Goal
from maalspor.settings import MatchingSettings

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
    "frame_swap",
    "shared_rarest",
    "letters",
    "section",
    "order",
    "best_for_earlier",
    "margin_for_earlier",
    "best_for_later",
    "margin_for_later",
    "rest_of_earlier",
    "rest_of_later",
    "goes_on",
    "ended",
    "named",
    "quoted",
    "described",
    "follow_up_keeps",
    "follow_up_supports",
    "merge_cue",
)

# Which way each feature can speak, as the model is fitted (`model.fit_logistic`): +1 only for a
# link, -1 only against, 0 either way. Likeness can never count against a link however the
# features lean on each other in a small corpus (three text likenesses move together), and a
# rare word one side lacks can never count for one. Features not named here speak for a link.
_SWAPS = ("swap", "swap_elsewhere", "swap_ended", "frame_swap")
_AGAINST = ("rare_earlier_only", "rare_later_only", *_SWAPS, "order", "ended", "follow_up_keeps")
_EITHER_WAY = ("docs_missing", "rest_of_earlier", "rest_of_later", "merge_cue")
SIGNS = {name: -1 if name in _AGAINST else 0 if name in _EITHER_WAY else 1 for name in FEATURES}


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
    quoted: list[list[Terms]] = field(default_factory=list)  # phrases its follow-up names

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
        quoted = [
            [
                t
                for t in (analyzer.terms(p) for p in _quoted(v, r))
                if len(t.parts) >= r.reference_min_terms
            ]
            for v in views
        ]
        return cls(views, text, docs, context, section, follow_up, numbers, quoted)


def _named_numbers(view: GoalView, r: MatchRules) -> set[str]:
    """The goal numbers its follow-up names ("videreføres som mål 3.2")."""
    if view.follow_up is None or not view.follow_up.follow_up:
        return set()
    return {m.group("number") for m in r.reference_number.finditer(view.follow_up.follow_up)}


def _quoted(view: GoalView, r: MatchRules) -> list[str]:
    """The phrases its follow-up uses to name the goal it goes on in ("under målet om …")."""
    if view.follow_up is None or not view.follow_up.follow_up:
        return []
    text = view.follow_up.follow_up
    return [m.group("ref") for cue in r.reference_cues for m in cue.finditer(text)]


class Weights:
    """IDF of every term, per granularity: over the goals of both plans, added to the
    document frequencies of a background of goal texts (`background.py`), so that the frame
    words every plan uses ("styrke", "samarbejde", "udarbejde") weigh little even where the two
    plans are all there is to count. Terms are numbered (`vocabulary`) for the bags."""

    def __init__(
        self, earlier: Side, later: Side, background: Background, specific_share: float
    ) -> None:
        documents = [*earlier.context, *later.context]
        self.top = math.log((len(documents) + background.documents + 1) / 1.5)
        self.vocabulary: dict[str, Vocabulary] = {}
        self.idf: dict[str, np.ndarray] = {}
        for channel in ("words", "parts", "stems"):
            vocabulary = Vocabulary()
            frequency: list[int] = []
            for terms in documents:
                for term in set(getattr(terms, channel)):
                    number = vocabulary.number(term)
                    if number == len(frequency):
                        frequency.append(0)
                    frequency[number] += 1
            prior = background.frequency.get(channel, {})
            count = len(documents) + background.documents
            df = np.asarray(frequency, dtype=np.float64)
            df += np.array([prior.get(t, 0) for t in vocabulary.numbers], dtype=np.float64)
            self.vocabulary[channel] = vocabulary
            self.idf[channel] = np.log((count + 1) / (df + 0.5)) if len(df) else np.zeros(0)
        parts = np.sort(self.idf["parts"])
        # A rare part: used by fewer goals than most parts are (the upper half of the IDF).
        self.rare = float(parts[len(parts) // 2]) if len(parts) else 0.0
        # A specific word (what a goal is about, not its frame): at least this share of the
        # highest IDF a word can have.
        self.specific = specific_share * self.top

    def weight(self, term: str, channel: str = "parts") -> float:
        number = self.vocabulary[channel].numbers.get(term)
        return float(self.idf[channel][number]) if number is not None else 0.0

    def bags(self, items: Sequence[Terms], channel: str) -> BagSet:
        """The bags of one field of every goal; terms neither plan's context uses (a quoted
        phrase's, say) get numbers of their own, weighted as the rarest."""
        vocabulary = self.vocabulary[channel]
        known = len(vocabulary)
        numbers = [[vocabulary.number(t) for t in getattr(terms, channel)] for terms in items]
        idf = self.idf[channel]
        if len(vocabulary) > known:
            idf = np.concatenate([idf, np.full(len(vocabulary) - known, self.top)])
            self.idf[channel] = idf
        return BagSet.of(numbers, idf)


def candidate_pairs(
    earlier: Side, later: Side, weights: Weights, settings: MatchingSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the pairs to score: all of them for small plans; else each goal's
    `per_goal` best by the IDF mass of the stems it shares with the other goal (stems, so that
    a reworded goal's inflections and compounds still meet)."""
    n, m = len(earlier.views), len(later.views)
    per_goal = settings.candidates_per_goal
    if n * m <= settings.all_pairs_limit:
        rows, cols = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
        return rows.ravel(), cols.ravel()
    left = weights.bags(earlier.context, "stems")
    right = weights.bags(later.context, "stems")
    # An inverted index of the later goals by their rare terms, joined with the earlier goals'.
    l_goals = np.repeat(np.arange(m, dtype=np.int64), np.diff(right.offsets))
    # A term many later goals use says little about which one is meant: its postings are
    # skipped (they would make the join grow with the square of the goals).
    postings = np.bincount(right.terms, minlength=int(right.terms.max(initial=0)) + 1)
    keep = postings[right.terms] <= per_goal * settings.max_postings_factor
    l_terms, l_goals = right.terms[keep], l_goals[keep]
    order = np.argsort(l_terms, kind="stable")
    l_terms, l_goals = l_terms[order], l_goals[order]
    e_goals = np.repeat(np.arange(n, dtype=np.int64), np.diff(left.offsets))
    e_terms, e_weights = left.terms, left.weights
    start = np.searchsorted(l_terms, e_terms, side="left")
    end = np.searchsorted(l_terms, e_terms, side="right")
    lengths = end - start
    hit = np.repeat(np.arange(len(e_terms), dtype=np.int64), lengths)
    first = np.repeat(np.cumsum(lengths) - lengths, lengths)
    position = np.repeat(start, lengths) + (np.arange(len(hit), dtype=np.int64) - first)
    if not len(hit):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    keys = e_goals[hit] * m + l_goals[position]
    unique, inverse = np.unique(keys, return_inverse=True)
    mass = np.bincount(inverse, weights=e_weights[hit])
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
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    column = {name: index for index, name in enumerate(FEATURES)}

    def put(name: str, values: np.ndarray) -> None:
        out[:, column[name]] = values

    text = {c: (weights.bags(earlier.text, c), weights.bags(later.text, c)) for c in _CHANNELS}
    for name, channel in zip(("text_words", "text_parts", "text_stems"), _CHANNELS, strict=True):
        put(name, dice(*text[channel], rows, cols))
    e_text, l_text = text["parts"]
    e_docs, l_docs = weights.bags(earlier.docs, "parts"), weights.bags(later.docs, "parts")
    both_docs = (e_docs.mass[rows] > 0) & (l_docs.mass[cols] > 0)
    put("docs", np.where(both_docs, dice(e_docs, l_docs, rows, cols), 0.0))
    put("docs_missing", (~both_docs).astype(np.float64))
    e_ctx, l_ctx = weights.bags(earlier.context, "parts"), weights.bags(later.context, "parts")
    put("earlier_in_later", cover(e_text, l_ctx, rows, cols))
    put("later_in_earlier", cover(l_text, e_ctx, cols, rows))
    put("rare_earlier_only", _rare_only(e_text, l_ctx, rows, cols, weights.rare))
    put("rare_later_only", _rare_only(l_text, e_ctx, cols, rows, weights.rare))
    _subjects(out, column, e_text, l_text, rows, cols, weights)
    # Same frame, other subject: a substitution weighs more the more alike the rest of the
    # texts is (a linear model cannot multiply the two itself).
    put("frame_swap", out[:, column["swap"]] * out[:, column["text_stems"]])
    e_sec, l_sec = weights.bags(earlier.section, "parts"), weights.bags(later.section, "parts")
    put("section", dice(e_sec, l_sec, rows, cols))
    n, m = max(len(earlier.views), 1), max(len(later.views), 1)
    put("order", np.abs(rows / n - cols / m))
    _follow_up(out, column, earlier, later, rows, cols, weights, (e_text, l_text, l_ctx), r)
    put("letters", _letters(earlier, later, rows, cols))
    _competition(out, rows, cols, column, (e_text, l_text, e_ctx, l_ctx))
    return out


_CHANNELS = ("words", "parts", "stems")


def _rare_only(a: BagSet, b: BagSet, a_goals, b_goals, rare: float) -> np.ndarray:
    """The share of a's weight in rare parts that b's bag lacks."""
    mass = a.mass[a_goals]
    pair, terms, w = a.expand(a_goals)
    lacking = (w >= rare) & ~b.holds(b_goals[pair], terms)
    missing = np.bincount(pair, weights=w * lacking, minlength=len(a_goals))
    return np.divide(missing, mass, out=np.zeros(len(a_goals)), where=mass > 0)


def _subjects(out, column, e_text: BagSet, l_text: BagSet, rows, cols, weights: Weights):
    """Same frame, other subject: each text has a specific word the other lacks (a
    substitution, `swap`), the earlier text's one standing in another later goal's text
    (`swap_elsewhere`); and the rarest word the two share (`shared_rarest`)."""
    top, specific = weights.top, weights.specific
    count = len(rows)
    pair, terms, w = e_text.expand(rows)
    held = l_text.holds(cols[pair], terms)
    out[:, column["shared_rarest"]] = heaviest(w * held, pair, count) / top
    lone = (~held) & (w >= specific)
    only_earlier = heaviest(w * lone, pair, count)
    elsewhere_df = np.bincount(l_text.terms, minlength=int(terms.max(initial=0)) + 1)
    away = lone & (elsewhere_df[terms] > 0)
    only_earlier_away = heaviest(w * away, pair, count)
    pair_l, terms_l, w_l = l_text.expand(cols)
    lone_l = (~e_text.holds(rows[pair_l], terms_l)) & (w_l >= specific)
    only_later = heaviest(w_l * lone_l, pair_l, count)
    swapped = (only_earlier > 0) & (only_later > 0)
    out[:, column["swap"]] = np.where(swapped, np.minimum(only_earlier, only_later) / top, 0.0)
    out[:, column["swap_elsewhere"]] = np.where(swapped, only_earlier_away / top, 0.0)


def _follow_up(out, column, earlier: Side, later: Side, rows, cols, weights: Weights, bags, r):
    """What the earlier goal's follow-up says of the pair."""
    e_text, l_text, l_ctx = bags
    top = weights.top
    count = len(rows)
    views = earlier.views
    goes_on = np.array(
        [
            0.0
            if v.follow_up is None or v.follow_up.continued is None
            else 1.0
            if v.follow_up.continued
            else -1.0
            for v in views
        ]
    )
    ended = np.array(
        [
            float(
                v.follow_up is not None
                and v.follow_up.status in ("achieved", "dropped")
                and not v.follow_up.continued
            )
            for v in views
        ]
    )
    merge = np.array(
        [
            float(any(p.search(v.follow_up.follow_up or "") for p in r.merge_cues))
            if v.follow_up is not None
            else 0.0
            for v in views
        ]
    )
    out[:, column["goes_on"]] = goes_on[rows]
    out[:, column["ended"]] = ended[rows]
    out[:, column["swap_ended"]] = out[:, column["swap"]] * ended[rows]
    out[:, column["merge_cue"]] = merge[rows]
    numbers = {number: index for index, number in enumerate({v.number for v in later.views})}
    named = {
        (i, numbers[x]) for i, found in enumerate(earlier.numbers) for x in found if x in numbers
    }
    later_number = np.array([numbers[v.number] for v in later.views], dtype=np.int64)
    out[:, column["named"]] = (
        [
            float((i, n) in named)
            for i, n in zip(rows.tolist(), later_number[cols].tolist(), strict=True)
        ]
        if named
        else 0.0
    )
    quoted = weights.bags(
        [Terms(tuple(), tuple(t for q in qs for t in q.parts), tuple()) for qs in earlier.quoted],
        "parts",
    )
    out[:, column["quoted"]] = cover(quoted, l_ctx, rows, cols)
    said = weights.bags(earlier.follow_up, "parts")
    out[:, column["described"]] = cover(l_text, said, cols, rows)
    # The follow-up repeats a word of the earlier goal that the later one lacks (the subject
    # stays: against), or announces a word of the later goal that the earlier one lacks (for).
    pair, terms, w = e_text.expand(rows)
    keeps = said.holds(rows[pair], terms) & ~l_text.holds(cols[pair], terms)
    out[:, column["follow_up_keeps"]] = heaviest(w * keeps, pair, count) / top
    pair, terms, w = l_text.expand(cols)
    supports = said.holds(rows[pair], terms) & ~e_text.holds(rows[pair], terms)
    out[:, column["follow_up_supports"]] = heaviest(w * supports, pair, count) / top


def _letters(earlier: Side, later: Side, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    left = [earlier.text[i].normalised for i in rows.tolist()]
    right = [later.text[j].normalised for j in cols.tolist()]
    ratios = process.cpdist(left, right, scorer=fuzz.token_set_ratio, processor=None, workers=-1)
    empty = np.array([not a or not b for a, b in zip(left, right, strict=True)], dtype=bool)
    values = np.asarray(ratios, dtype=np.float64) / 100.0
    values[empty] = 0.0
    return values


def _competition(
    out: np.ndarray, rows: np.ndarray, cols: np.ndarray, column: dict, bags: tuple
) -> None:
    """Whether a pair is the best of its earlier goal's and of its later goal's, and the margin
    to the runner-up, by a first score of the texts' likeness; and how much of what the rival
    leaves the pair supplies (`_rest`)."""
    base = (
        out[:, column["text_parts"]]
        + 0.5 * out[:, column["docs"]]
        + 0.5 * np.maximum(out[:, column["earlier_in_later"]], out[:, column["later_in_earlier"]])
    )
    e_text, l_text, e_ctx, l_ctx = bags
    for groups, partners, best, margin, rest, own, theirs in (
        (rows, cols, "best_for_earlier", "margin_for_earlier", "rest_of_earlier", e_text, l_ctx),
        (cols, rows, "best_for_later", "margin_for_later", "rest_of_later", l_text, e_ctx),
    ):
        order = np.lexsort((-base, groups))
        sorted_groups = groups[order]
        starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
        ends = np.r_[starts[1:], len(order)]
        top = base[order][starts]
        has_second = ends - starts > 1
        second_at = np.minimum(starts + 1, len(order) - 1)
        second = np.where(has_second, base[order][second_at], 0.0)
        group_of = np.repeat(np.arange(len(starts)), ends - starts)
        is_top = np.zeros(len(order), dtype=bool)
        is_top[starts] = True
        runner = np.where(is_top, second[group_of], top[group_of])
        out[order, column[best]] = is_top
        out[order, column[margin]] = base[order] - runner
        # The rival of each pair: its goal's best other partner (-1: none).
        top_partner = partners[order][starts]
        second_partner = np.where(has_second, partners[order][second_at], -1)
        rival = np.empty(len(rows), dtype=np.int64)
        rival[order] = np.where(is_top, second_partner[group_of], top_partner[group_of])
        out[:, column[rest]] = _rest(own, theirs, groups, partners, rival)


def _rest(
    own: BagSet, theirs: BagSet, goals: np.ndarray, partners: np.ndarray, rival: np.ndarray
) -> np.ndarray:
    """The share of a goal's words its rival partner lacks that this partner holds: one part of
    a split covers what the other part leaves of the earlier goal, one goal of a merge supplies
    what the other lacks of the later goal. 0 where the goal has no rival or the rival lacks
    nothing."""
    pair, terms, w = own.expand(goals)
    has_rival = rival[pair] >= 0
    left_by_rival = has_rival & ~theirs.holds(np.maximum(rival[pair], 0), terms)
    rest_mass = np.bincount(pair, weights=w * left_by_rival, minlength=len(goals))
    supplied = left_by_rival & theirs.holds(partners[pair], terms)
    covered = np.bincount(pair, weights=w * supplied, minlength=len(goals))
    return np.divide(covered, rest_mass, out=np.zeros(len(goals)), where=rest_mass > 0)
