"""Follow every goal from one yearly plan to the next.

`lineage(plans)` orders the plans by period, pairs each plan's follow-up entries with the goals
of the plan before it (or lets them stand in for that plan when it is not given), links every
goal to the goal(s) of the next plan that carry it on, and says what became of each goal.

Goals are compared on several signals, each scored 0-1 for a whole year-by-year matrix at once
(rapidfuzz `process.cdist`, numpy products; no Python loops over pairs of goals):

- text: token-set similarity of the normalised goal texts, on lemmas and on prefix stems;
- documentation: TF-IDF cosine of the Dokumentation items;
- context: cosine of the whole earlier goal against the whole later goal (text, sub-goals, note,
  documentation), which finds a goal carried on inside another goal's documentation;
- section: similarity of the section titles;
- reference: a follow-up sentence naming the goal it goes on in ("indgår i stedet som et delmål
  under målet om ...");
- continued: the follow-up's declaration that the goal goes on (or ends).

The words and weights are data: `pipeline/rules/matching.toml`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from maalspor import nlp
from maalspor.models.common import Period, Source
from maalspor.models.lineage import (
    Candidate,
    Evidence,
    Fate,
    LineageDocument,
    LineageGoal,
    Link,
    LinkKind,
    MatchSettings,
    PlanRef,
)
from maalspor.models.manifest import ExcludedPlan
from maalspor.models.plan import FollowUp, Goal, PlanDocument, Status
from maalspor.naming import slug
from maalspor.rules import rules
from maalspor.series import one_per_period

METHOD = "signals-v1"
# Width of the hashed bag-of-words vectors behind the TF-IDF cosines. 2**11 keeps a 5,000-goal
# plan at 40 MB per matrix with few collisions (a goal has tens of distinct words).
_HASH_DIMENSIONS = 1 << 11


# ---------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class MatchRules:
    """The [matching] table of the rules, read once into typed values."""

    boilerplate: tuple[str, ...]
    boilerplate_patterns: tuple[re.Pattern[str], ...]
    stop_words: frozenset[str]
    lemma_overrides: dict[str, str]
    compound_min_length: int
    compound_min_part: int
    linking_letters: tuple[str, ...]
    stem_length: int
    weights: dict[str, float]
    threshold: float
    declared_continued_threshold: float
    merge_split_threshold: float
    same_kind: float
    reworded_kind: float
    follow_up_pair_threshold: float
    reference_cues: tuple[re.Pattern[str], ...]
    reference_min_score: float
    reference_margin: float
    candidate_count: int
    candidate_min_score: float


_rules_cache: dict[str, MatchRules] = {}


def matching_rules() -> MatchRules:
    """The matching rules in force (ours plus a user's rules file), parsed once per content."""
    table: dict[str, Any] = rules("matching")
    key = repr(table)
    if key not in _rules_cache:
        _rules_cache[key] = _rules_from_table(table)
    return _rules_cache[key]


def _rules_from_table(table: dict[str, Any]) -> MatchRules:
    compounds = table["compounds"]
    thresholds = table["threshold"]
    reference = table["reference"]
    phrases = sorted({p.lower() for p in table["boilerplate"]}, key=lambda p: (-len(p), p))
    return MatchRules(
        boilerplate=tuple(phrases),
        boilerplate_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in table.get("boilerplate_patterns", [])
        ),
        stop_words=nlp.stop_words() | {w.lower() for w in table["stop_words"]},
        lemma_overrides={k.lower(): v.lower() for k, v in table["lemma_overrides"].items()},
        compound_min_length=int(compounds["min_length"]),
        compound_min_part=int(compounds["min_part"]),
        linking_letters=tuple(compounds["linking_letters"]),
        stem_length=int(compounds["stem_length"]),
        weights={k: float(v) for k, v in table["weights"].items()},
        threshold=float(thresholds["default"]),
        declared_continued_threshold=float(thresholds["declared_continued"]),
        merge_split_threshold=float(thresholds["merge_split"]),
        same_kind=float(table["kinds"]["same"]),
        reworded_kind=float(table["kinds"]["reworded"]),
        follow_up_pair_threshold=float(table["follow_ups"]["pair_threshold"]),
        reference_cues=tuple(re.compile(c, re.IGNORECASE) for c in reference["cues"]),
        reference_min_score=float(reference["min_score"]),
        reference_margin=float(reference["margin"]),
        candidate_count=int(table["candidates"]["count"]),
        candidate_min_score=float(table["candidates"]["min_score"]),
    )


_own_names_cache: dict[tuple[int, frozenset[str], tuple[str, ...]], MatchRules] = {}


def _with_own_names(r: MatchRules, plans: Sequence[PlanDocument]) -> MatchRules:
    """The rules plus the series' own names: every plan of a department repeats them.

    The municipality's name words ("Albertslund", "Kommune") and the initials of the municipality
    and the department ("AK", "ØS") become stop words; the department's name as a whole
    ("Økonomi og Stab", "Økonomi- og Stab") becomes boilerplate, while its words stay content
    ("økonomistyring" still meets "økonomisk styring").
    """
    words: set[str] = set()
    phrases: set[str] = set()
    for plan in plans:
        for name, whole in ((plan.organisation, False), (plan.unit, True)):
            if not name:
                continue
            parts = _WORD.findall(name)
            capitals = [p for p in parts if p[:1].isupper()]
            if len(capitals) >= 2:
                words.add("".join(p[0] for p in capitals).lower())
            if whole:
                lower = " ".join(name.lower().split())
                phrases.update({lower, lower.replace("- og", " og"), lower.replace(" og", "- og")})
            else:
                words.update(p.lower() for p in parts)
    if not words and not phrases:
        return r
    key = (id(r), frozenset(words), tuple(sorted(phrases)))
    if key not in _own_names_cache:
        boilerplate = sorted(
            {*r.boilerplate, *(f"{p}s" for p in phrases), *phrases}, key=lambda p: (-len(p), p)
        )
        _own_names_cache[key] = dataclasses.replace(
            r, stop_words=r.stop_words | words, boilerplate=tuple(boilerplate)
        )
    return _own_names_cache[key]


# ---------------------------------------------------------------------------------------------
# Normalisation


@cache
def _boilerplate_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=131072)
def _split_parts(word: str, min_part: int, linking: tuple[str, ...]) -> tuple[str, ...] | None:
    """Fewest known words of `min_part`+ letters that spell `word` (with linking letters)."""
    if len(word) >= min_part and nlp.is_known_word(word):
        return (word,)
    best: tuple[str, ...] | None = None
    for cut in range(len(word) - min_part, min_part - 1, -1):  # longest head first
        head, tail = word[:cut], word[cut:]
        if not nlp.is_known_word(head):
            continue
        for link in ("", *linking):
            if not tail.startswith(link) or len(tail) - len(link) < min_part:
                continue
            rest = _split_parts(tail[len(link) :], min_part, linking)
            if rest is not None and (best is None or len(rest) + 1 < len(best)):
                best = (head, *rest)
    return best


def split_compound(word: str, match_rules: MatchRules | None = None) -> tuple[str, ...]:
    """The known words a Danish compound is made of, or the word alone when it splits into none.

    Known compounds are split too ("kommunikationskanal" → kommunikation, kanal) so that they
    meet their parts in other goals, but only into two parts that are long and no stop words:
    the lookup table knows odd forms ("isat", "ionen") that would cut "organisationen" apart.
    """
    r = match_rules or matching_rules()
    lower = word.lower()
    if len(lower) < r.compound_min_length:
        return (lower,)
    known = nlp.is_known_word(lower)
    min_part = r.compound_min_part + 1 if known else r.compound_min_part
    best: tuple[str, ...] | None = None
    for cut in range(len(lower) - min_part, min_part - 1, -1):
        head, tail = lower[:cut], lower[cut:]
        if head in r.stop_words or not nlp.is_known_word(head):
            continue
        for link in ("", *r.linking_letters):
            rest_word = tail[len(link) :]
            if not tail.startswith(link) or len(rest_word) < min_part:
                continue
            if known:
                rest = (rest_word,) if nlp.is_known_word(rest_word) else None
            else:
                rest = _split_parts(rest_word, min_part, r.linking_letters)
            if rest is None or any(part in r.stop_words for part in rest):
                continue
            if best is None or len(rest) + 1 < len(best):
                best = (head, *rest)
    return best or (lower,)


def _split_deep(word: str, r: MatchRules) -> tuple[str, ...]:
    """Split, then split the parts that are themselves known compounds ("sikkerhedspolitik")."""
    parts = split_compound(word, r)
    if len(parts) == 1:
        return parts
    return tuple(piece for part in parts for piece in _split_deep(_word_lemma(part, r), r))


def _word_lemma(word: str, r: MatchRules) -> str:
    lower = word.lower()
    return r.lemma_overrides.get(lower) or nlp.lemma(lower)


def _clean(text: str, r: MatchRules) -> str:
    for pattern in r.boilerplate_patterns:
        text = pattern.sub(" ", text)
    return _boilerplate_regex(r.boilerplate).sub(" ", text)


def normalise_many(texts: Sequence[str], match_rules: MatchRules | None = None) -> list[str]:
    """Content lemmas of each text, compounds split, stop words and boilerplate removed."""
    r = match_rules or matching_rules()
    cleaned = [_clean(t, r) for t in texts]
    memo = _word_memo.setdefault(id(r), {})
    out: list[str] = []
    for text in cleaned:
        words: list[str] = []
        for word in _WORD.findall(text):
            parts = memo.get(word)
            if parts is None:
                parts = memo[word] = _content_parts(word, r)
            words.extend(parts)
        out.append(" ".join(words))
    return out


# Words of two letters or more (what spaCy's tokenizer marks is_alpha; "it-indkøb" is two).
# A regex instead of the tokenizer: abbreviations and numbers, its strength, are dropped here
# anyway, and it is five times faster on 10,000 goals. Lemmas still come from maalspor.nlp.
_WORD = re.compile(r"[^\W\d_]{2,}")

# Normalised parts per word, per rules object: plans repeat their words many times over.
_word_memo: dict[int, dict[str, tuple[str, ...]]] = {}


def _content_parts(word: str, r: MatchRules) -> tuple[str, ...]:
    lower = word.lower()
    lemma = _word_lemma(word, r)
    if lemma in r.stop_words or lower in r.stop_words:
        return ()
    split = () if lower in r.lemma_overrides else _split_deep(word, r)
    parts = [_word_lemma(p, r) for p in split] if len(split) > 1 else [lemma]
    return tuple(part for part in parts if part not in r.stop_words)


def normalise(text: str, match_rules: MatchRules | None = None) -> str:
    return normalise_many([text], match_rules)[0]


def stems(normalised: str, length: int) -> str:
    return " ".join(word[:length] for word in normalised.split())


# ---------------------------------------------------------------------------------------------
# Signal matrices


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


def features(normalised: str, stem_length: int) -> list[str]:
    """Prefix stems of the words, plus each pair of neighbours ("netværk_leder"), so that the
    parts of a split compound weigh more together than apart."""
    words = [word[:stem_length] for word in normalised.split()]
    return [*words, *(f"{a}_{b}" for a, b in itertools.pairwise(words))]


@lru_cache(maxsize=1 << 18)
def _bucket(word: str) -> int:
    return zlib.crc32(word.encode()) % _HASH_DIMENSIONS


def _hashed_bags(texts: Sequence[list[str]]) -> np.ndarray:
    """Feature counts, hashed into a fixed width (crc32: the same in every run)."""
    bags = np.zeros((len(texts), _HASH_DIMENSIONS), dtype=np.float32)
    words = [word for text in texts for word in text]
    if not words:
        return bags
    buckets = {word: _bucket(word) for word in set(words)}
    columns = np.fromiter(map(buckets.__getitem__, words), dtype=np.intp, count=len(words))
    rows = np.repeat(np.arange(len(texts), dtype=np.intp), [len(text) for text in texts])
    cells, counts = np.unique(rows * _HASH_DIMENSIONS + columns, return_counts=True)
    bags.reshape(-1)[cells] = counts  # whole counts: exact in float32
    return bags


def _idf(*bag_sets: np.ndarray) -> np.ndarray:
    """Inverse document frequency over all given goals: words every goal uses weigh little."""
    documents = sum(len(bags) for bags in bag_sets)
    frequency = sum((bags > 0).sum(axis=0) for bags in bag_sets)
    return (np.log((1.0 + documents) / (1.0 + frequency)) + 1.0).astype(np.float32)


def _tfidf_cosine_of_bags(bags_a: np.ndarray, bags_b: np.ndarray) -> np.ndarray:
    """Cosine of TF-IDF vectors for every pair (rows of `_hashed_bags`, both sides non-empty)."""
    idf = _idf(bags_a, bags_b)
    weighted_a = np.sqrt(bags_a) * idf  # sqrt damps words repeated in long documentation
    weighted_b = np.sqrt(bags_b) * idf
    weighted_a /= np.maximum(np.linalg.norm(weighted_a, axis=1, keepdims=True), 1e-9)
    weighted_b /= np.maximum(np.linalg.norm(weighted_b, axis=1, keepdims=True), 1e-9)
    cosine = weighted_a @ weighted_b.T
    return np.clip(cosine, 0.0, 1.0, out=cosine)


def _coverage_of_bags(bags_a: np.ndarray, bags_b: np.ndarray) -> np.ndarray:
    """Share of each `a`'s IDF mass whose features occur in each `b` (asymmetric containment)."""
    present_a = (bags_a > 0).astype(np.float32)
    present_b = (bags_b > 0).astype(np.float32)
    weighted_a = present_a * _idf(present_a, present_b)
    weighted_a /= np.maximum(weighted_a.sum(axis=1, keepdims=True), 1e-9)
    covered = weighted_a @ present_b.T
    return np.clip(covered, 0.0, 1.0, out=covered)


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
    earlier: Sequence[GoalView], later: Sequence[GoalView], r: MatchRules
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
        name: (_hashed_bags(side_e), _hashed_bags(side_l))
        for name, (side_e, side_l) in feats.items()
    }
    some = bool(earlier) and bool(later)

    def matrix(function, bags_a: np.ndarray, bags_b: np.ndarray) -> np.ndarray:
        if not some:
            return np.zeros((len(bags_a), len(bags_b)), dtype=np.float32)
        return function(bags_a, bags_b)

    text_cosine = matrix(_tfidf_cosine_of_bags, *bags["text"])
    stems_e = [stems(t, r.stem_length) for t in texts_e]
    stems_l = [stems(t, r.stem_length) for t in texts_l]
    text_fuzzy = _fuzzy_on_candidates(stems_e, stems_l, text_cosine)
    text = np.multiply(text_cosine, 0.6, dtype=np.float32)
    text += 0.4 * text_fuzzy
    np.maximum(text_cosine, text, out=text)
    # How much of the earlier goal's text the whole later goal covers (its documentation
    # included), or the later goal's text the whole earlier goal: a goal carried on inside
    # another goal's documentation shows here.
    context = matrix(_coverage_of_bags, bags["text"][0], bags["context"][1])
    np.maximum(
        context, matrix(_coverage_of_bags, bags["text"][1], bags["context"][0]).T, out=context
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
        documentation=matrix(_tfidf_cosine_of_bags, *bags["documentation"]),
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


# Candidates per earlier goal for the fuzzy text scorers: its best pairs by TF-IDF cosine. The
# fuzzy scorers are the costly part (2 x 5,000 goals: 25 M pairs); a pair outside a goal's
# best cosines and below the floor shares too few words for a fuzzy ratio to make it a link.
_FUZZY_CANDIDATES = 25
_FUZZY_COSINE_FLOOR = 0.15


def _fuzzy_on_candidates(a: Sequence[str], b: Sequence[str], cosine: np.ndarray) -> np.ndarray:
    """Rescaled mean of token_set and token_sort ratios, scored with `process.cpdist` on the
    candidate pairs only (the whole matrix when it is small); 0 elsewhere."""
    fuzzy = np.zeros((len(a), len(b)), dtype=np.float32)
    if not a or not b:
        return fuzzy
    if len(a) * len(b) <= _FUZZY_CANDIDATES * max(len(a), len(b)) * 4:
        pairs = 0.5 * _token_set(a, b) + 0.5 * _token_sort(a, b)
        return _rescale(pairs)
    k = min(_FUZZY_CANDIDATES, len(b))
    mask = cosine >= _FUZZY_COSINE_FLOOR
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
        bags_later = _hashed_bags(features_later)
    scores = _coverage_of_bags(_hashed_bags(clause_features), bags_later)
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
# Assignment


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


# ---------------------------------------------------------------------------------------------
# Follow-ups and plans


def pair_follow_ups(
    goals: Sequence[Goal], follow_ups: Sequence[FollowUp], r: MatchRules | None = None
) -> dict[int, int]:
    """Index of the follow-up entry that reports on each goal (near-verbatim copies)."""
    r = r or matching_rules()
    if not goals or not follow_ups:
        return {}
    # score = 0.75 text + 0.25 documentation, documentation ≤ 1: a pair whose text ratio is
    # below this bound (one point to spare) cannot reach the threshold, so the costly
    # token_set_ratio of the documentation is scored on the other pairs only.
    text_floor = (r.follow_up_pair_threshold - 0.25) / 0.75 - 0.01
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
    score = 0.75 * text + 0.25 * docs
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


@dataclass
class _PlanNode:
    """A plan of the series: a given plan, or one stood in for by the next plan's follow-ups."""

    ref: PlanRef
    goals: list[GoalView]
    document: PlanDocument | None  # None for a stand-in


def _period_key(period: Period | None) -> tuple[int, int]:
    return (period.start, period.end) if period else (10**6, 10**6)


def _plan_slug(plan: PlanDocument, period: Period | None) -> str:
    parts = [plan.organisation or "", plan.unit or "", period.label if period else ""]
    return slug(" ".join(p for p in parts if p))


def _unique_ids(candidates: list[tuple[str, str]]) -> list[str]:
    """Preferred id per plan, the file-name slug on a clash, a counter as the last resort."""
    preferred = [c[0] for c in candidates]
    ids: list[str] = []
    for index, (first, fallback) in enumerate(candidates):
        chosen = first if first and preferred.count(first) == 1 else fallback
        base, number = chosen, 2
        while chosen in ids or (chosen != first and chosen in preferred[index + 1 :]):
            chosen = f"{base}-{number}"
            number += 1
        ids.append(chosen)
    return ids


def _build_nodes(plans: Sequence[PlanDocument]) -> list[_PlanNode]:
    ordered = sorted(plans, key=lambda p: (*_period_key(p.period), p.source.path))
    # Each given plan, preceded by a stand-in when its follow-up part covers a plan not given.
    entries: list[tuple[PlanDocument, bool]] = []
    given_periods = {_period_key(p.period) for p in ordered if p.period}
    for plan in ordered:
        period = plan.follow_up_period
        if plan.follow_ups and period and _period_key(period) not in given_periods:
            entries.append((plan, True))
        entries.append((plan, False))
    candidates: list[tuple[str, str]] = []
    for plan, stand_in in entries:
        period = plan.follow_up_period if stand_in else plan.period
        file_slug = slug(Path(plan.source.path).stem)
        preferred = _plan_slug(plan, period) if (plan.unit or plan.organisation) and period else ""
        fallback = (
            f"{file_slug}-{slug(period.label)}-stand-in" if stand_in and period else file_slug
        )
        candidates.append((preferred, fallback))
    ids = _unique_ids(candidates)
    nodes: list[_PlanNode] = []
    for (plan, stand_in), plan_id in zip(entries, ids, strict=True):
        items: Sequence[Goal] = plan.follow_ups if stand_in else plan.goals
        ref = PlanRef(
            id=plan_id,
            title=plan.title,
            organisation=plan.organisation,
            unit=plan.unit,
            period=plan.follow_up_period if stand_in else plan.period,
            source=Source.model_validate(plan.source.model_dump()),
            stand_in=stand_in,
        )
        views = [
            GoalView(
                id=f"{plan_id}/{item.id}",
                plan=plan_id,
                goal=item,
                follow_up=item if isinstance(item, FollowUp) and stand_in else None,
            )
            for item in items
        ]
        nodes.append(_PlanNode(ref=ref, goals=views, document=None if stand_in else plan))
    return nodes


def _attach_follow_ups(earlier: _PlanNode, later: _PlanNode, r: MatchRules) -> None:
    """Give each goal of `earlier` the entry of `later`'s follow-up part that reports on it."""
    if later.document is None or earlier.document is None or not later.document.follow_ups:
        return  # a stand-in is its own follow-up; a stand-in's successor has none
    follow_ups = later.document.follow_ups
    pairs = pair_follow_ups([g.goal for g in earlier.goals], follow_ups, r)
    for goal_index, follow_up_index in pairs.items():
        earlier.goals[goal_index].follow_up = follow_ups[follow_up_index]


# ---------------------------------------------------------------------------------------------
# Evidence, kinds, fates


def _evidence(signals: Signals, row: int, col: int, r: MatchRules) -> list[Evidence]:
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


def fate_of(
    continued: bool | None, status: Status | None, has_successor: bool, is_last: bool
) -> Fate:
    """What became of a goal, from its links and its follow-up's verdict (no follow-up: both
    None). The overrides stage recomputes fates with it after a person's link decisions."""
    if is_last:
        return "open"
    if has_successor:
        return "continued"
    if continued:
        return "missing_successor"
    if status == "achieved":
        return "completed"
    if status == "dropped":
        return "dropped"
    return "ended"


def _fate(goal: GoalView, has_successor: bool, is_last: bool) -> Fate:
    follow_up = goal.follow_up
    continued = follow_up.continued if follow_up else None
    return fate_of(continued, follow_up.status if follow_up else None, has_successor, is_last)


def _lineage_goal(view: GoalView, fate: Fate) -> LineageGoal:
    goal, follow_up = view.goal, view.follow_up
    return LineageGoal(
        id=view.id,
        plan=view.plan,
        goal=goal.id,
        section=goal.section,
        text=goal.text,
        subgoals=list(goal.subgoals),
        documentation=list(goal.documentation),
        page=goal.page,
        status=follow_up.status if follow_up else None,
        continued=follow_up.continued if follow_up else None,
        status_evidence=list(follow_up.status_evidence) if follow_up else [],
        follow_up=follow_up.follow_up if follow_up else None,
        follow_up_page=follow_up.page if follow_up else None,
        fate=fate,
    )


def link_goals(
    earlier: Sequence[GoalView],
    later: Sequence[GoalView],
    *,
    threshold: float | None = None,
    match_rules: MatchRules | None = None,
) -> list[Link]:
    """Links from `earlier` goals to `later` goals, each with kind, score and evidence."""
    return _link_pair(earlier, later, threshold=threshold, match_rules=match_rules)[0]


def _link_pair(
    earlier: Sequence[GoalView],
    later: Sequence[GoalView],
    *,
    threshold: float | None = None,
    match_rules: MatchRules | None = None,
) -> tuple[list[Link], dict[str, list[Candidate]]]:
    """The links, and the candidates of each earlier goal declared continued."""
    r = match_rules or matching_rules()
    cutoff = r.threshold if threshold is None else threshold
    signals = compute_signals(earlier, later, r)
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
                "evidence": _evidence(signals, p.earlier, p.later, r),
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


def one_plan_per_period(
    plans: Sequence[PlanDocument],
) -> tuple[list[PlanDocument], list[ExcludedPlan]]:
    """Per organisation and unit (compared as slugs), one plan per period: the same plan given
    twice (its PDF and its .txt) would be linked to itself. `maalspor.series` decides which."""
    groups: dict[str, list[PlanDocument]] = {}
    for plan in plans:
        groups.setdefault(slug(f"{plan.organisation or ''} {plan.unit or ''}"), []).append(plan)
    kept: list[PlanDocument] = []
    excluded: list[ExcludedPlan] = []
    for group in groups.values():
        chosen, left_out = one_per_period(
            group,
            period=lambda p: p.period,
            source=lambda p: p.source.path,
            items=lambda p: len(p.goals) + len(p.follow_ups),
        )
        kept.extend(chosen)
        excluded.extend(left_out)
    return kept, excluded


def _best_columns(row: np.ndarray, count: int) -> np.ndarray:
    """Columns of the `count` highest scores, best first (ties: lower column first)."""
    if count < len(row):
        top = np.argpartition(-row, count - 1)[:count]
        return top[np.lexsort((top, -row[top]))]
    return np.argsort(-row, kind="stable")


def lineage(plans: list[PlanDocument], *, threshold: float | None = None) -> LineageDocument:
    """The goals of a series of plans, each linked to its successors in the next plan.

    Of inputs that are the same plan (organisation, unit and period) one is linked, the others
    listed in `excluded`.
    """
    plans, excluded = one_plan_per_period(plans)
    r = _with_own_names(matching_rules(), plans)
    cutoff = r.threshold if threshold is None else threshold
    if not 0.0 <= cutoff <= 1.0:
        raise ValueError(f"threshold must lie in 0..1, not {cutoff}")
    nodes = _build_nodes(plans)
    for earlier, later in itertools.pairwise(nodes):
        _attach_follow_ups(earlier, later, r)

    links: list[Link] = []
    candidates: dict[str, list[Candidate]] = {}
    for earlier, later in itertools.pairwise(nodes):
        found, kept = _link_pair(earlier.goals, later.goals, threshold=cutoff, match_rules=r)
        links.extend(found)
        candidates.update(kept)

    successors: dict[str, list[str]] = {}
    predecessors: dict[str, list[str]] = {}
    for link in links:
        successors.setdefault(link.from_, []).append(link.to)
        predecessors.setdefault(link.to, []).append(link.from_)

    goals: list[LineageGoal] = []
    for index, node in enumerate(nodes):
        is_last = index == len(nodes) - 1
        for view in node.goals:
            item = _lineage_goal(view, _fate(view, view.id in successors, is_last))
            item.successors = sorted(successors.get(view.id, []))
            item.predecessors = sorted(predecessors.get(view.id, []))
            item.candidates = candidates.get(view.id, [])
            goals.append(item)
    return LineageDocument(
        plans=[node.ref for node in nodes],
        goals=goals,
        links=sorted(links, key=lambda link: (link.from_, link.to)),
        settings=MatchSettings(threshold=cutoff, method=METHOD),
        excluded=excluded,
    )


# ---------------------------------------------------------------------------------------------
# Baseline


def naive_match(
    earlier: dict[str, str], later: dict[str, str], *, cutoff: float = 60.0
) -> list[tuple[str, str, float]]:
    """The NAIVE baseline the signals are measured against: raw goal texts, `fuzz.ratio`, each
    earlier goal to its single best later goal at `cutoff` (0-100) or more. Not used by
    `lineage`; kept to show what the signals add.
    """
    found: list[tuple[str, str, float]] = []
    for earlier_id, text in sorted(earlier.items()):
        best = process.extractOne(
            text, later, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        if best is not None:
            _, score, later_id = best
            found.append((earlier_id, later_id, score / 100.0))
    return found
