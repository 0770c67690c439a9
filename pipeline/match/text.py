"""Goal texts made comparable: the matching rules, normalisation and TF-IDF vectors.

The [matching] table of the rules read into `MatchRules` (plus each series' own names as stop
words and boilerplate); a text normalised to its content lemmas (compounds split, stop words and
boilerplate removed); the normalised words turned into prefix-stem features, hashed bags of
words, TF-IDF cosines and coverage for whole matrices of goals at once.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np

from maalspor.language import lexicon as nlp
from maalspor.models.plan import PlanDocument
from maalspor.rules import rules

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


def with_own_names(r: MatchRules, plans: Sequence[PlanDocument]) -> MatchRules:
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
# anyway, and it is five times faster on 10,000 goals. Lemmas still come from maalspor.language.nlp.
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
# Vectors

# Width of the hashed bag-of-words vectors behind the TF-IDF cosines. 2**11 keeps a 5,000-goal
# plan at 40 MB per matrix with few collisions (a goal has tens of distinct words).
_HASH_DIMENSIONS = 1 << 11


def features(normalised: str, stem_length: int) -> list[str]:
    """Prefix stems of the words, plus each pair of neighbours ("netværk_leder"), so that the
    parts of a split compound weigh more together than apart."""
    words = [word[:stem_length] for word in normalised.split()]
    return [*words, *(f"{a}_{b}" for a, b in itertools.pairwise(words))]


@lru_cache(maxsize=1 << 18)
def _bucket(word: str) -> int:
    return zlib.crc32(word.encode()) % _HASH_DIMENSIONS


def hashed_bags(texts: Sequence[list[str]]) -> np.ndarray:
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


def tfidf_cosine_of_bags(bags_a: np.ndarray, bags_b: np.ndarray) -> np.ndarray:
    """Cosine of TF-IDF vectors for every pair (rows of `hashed_bags`, both sides non-empty)."""
    idf = _idf(bags_a, bags_b)
    weighted_a = np.sqrt(bags_a) * idf  # sqrt damps words repeated in long documentation
    weighted_b = np.sqrt(bags_b) * idf
    weighted_a /= np.maximum(np.linalg.norm(weighted_a, axis=1, keepdims=True), 1e-9)
    weighted_b /= np.maximum(np.linalg.norm(weighted_b, axis=1, keepdims=True), 1e-9)
    cosine = weighted_a @ weighted_b.T
    return np.clip(cosine, 0.0, 1.0, out=cosine)


def coverage_of_bags(bags_a: np.ndarray, bags_b: np.ndarray) -> np.ndarray:
    """Share of each `a`'s IDF mass whose features occur in each `b` (asymmetric containment)."""
    present_a = (bags_a > 0).astype(np.float32)
    present_b = (bags_b > 0).astype(np.float32)
    weighted_a = present_a * _idf(present_a, present_b)
    weighted_a /= np.maximum(weighted_a.sum(axis=1, keepdims=True), 1e-9)
    covered = weighted_a @ present_b.T
    return np.clip(covered, 0.0, 1.0, out=covered)
