"""Goal texts as content terms: the matching rules, and the analyser that applies them.

A text becomes the lemmas of its content words (spaCy's Danish lookup table through
`maalspor.language.lexicon`, with `lemma_overrides`), numbers and years left out (a target
raised from "25 pct. i 2023" to "35 pct. i 2024" is the same goal), stop words and boilerplate
removed, and each lemma mapped to its synonym group ("borger" and "bruger" are one term). Three
granularities are kept, because paraphrase works at all three:

- `words`: whole words ("sagsbehandlingstid");
- `parts`: the words and their compound parts ("sag", "behandling", "tid"), so that
  "sagsbehandlingstiden" meets "behandlingstid" and "tid";
- `stems`: the first letters of each part ("digitalt" and "digitalisering" both "digita").

The words, groups and limits are data: `[matching]` in `pipeline/rules/matching.toml`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from maalspor.language import lexicon
from maalspor.models.plan import PlanDocument
from maalspor.rules import compiled, rules

# Words of two letters or more; digits never make a word ("2023", "25", "3.2").
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class MatchRules:
    """The [matching] table of the rules, read once into typed values."""

    boilerplate: tuple[str, ...]
    boilerplate_patterns: tuple[re.Pattern[str], ...]
    stop_words: frozenset[str]
    lemma_overrides: dict[str, str]
    synonyms: dict[str, str]  # lemma → its group's first lemma
    derivations: tuple[tuple[str, str], ...]  # (noun ending, verb ending), longest first
    compound_min_length: int
    compound_min_part: int
    linking_letters: tuple[str, ...]
    stem_length: int
    follow_up_pair_threshold: float
    follow_up_text_weight: float
    reference_cues: tuple[re.Pattern[str], ...]
    reference_min_terms: int
    reference_min_score: float
    reference_margin: float
    reference_number: re.Pattern[str]
    merge_cues: tuple[re.Pattern[str], ...]
    specific_share: float
    kept_candidates: int
    kept_candidate_min: float
    same_kind: float
    reworded_kind: float


def _derivations(endings: Sequence[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    """[noun ending, base ending] pairs, the longest noun ending first."""
    pairs = ((str(noun).lower(), str(base).lower()) for noun, base in endings)
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def matching_rules() -> MatchRules:
    """The matching rules in force (ours plus a user's rules file), parsed once per content."""
    return compiled("matching", _compile)


@cache
def _compile(_key: str) -> MatchRules:
    table: dict[str, Any] = rules("matching")
    compounds = table["compounds"]
    reference = table["reference"]
    phrases = sorted({p.lower() for p in table["boilerplate"]}, key=lambda p: (-len(p), p))
    number_words = "|".join(re.escape(w) for w in reference["number_words"])
    unjoined = MatchRules(
        boilerplate=tuple(phrases),
        boilerplate_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in table.get("boilerplate_patterns", [])
        ),
        stop_words=lexicon.stop_words() | {w.lower() for w in table["stop_words"]},
        lemma_overrides={k.lower(): v.lower() for k, v in table["lemma_overrides"].items()},
        synonyms={},
        derivations=_derivations(table.get("derivations", {}).get("endings", [])),
        compound_min_length=int(compounds["min_length"]),
        compound_min_part=int(compounds["min_part"]),
        linking_letters=tuple(compounds["linking_letters"]),
        stem_length=int(compounds["stem_length"]),
        follow_up_pair_threshold=float(table["follow_ups"]["pair_threshold"]),
        follow_up_text_weight=float(table["follow_ups"]["text_weight"]),
        reference_cues=tuple(re.compile(c, re.IGNORECASE) for c in reference["cues"]),
        reference_min_terms=int(reference["min_terms"]),
        reference_min_score=float(reference["min_score"]),
        reference_margin=float(reference["margin"]),
        reference_number=re.compile(
            rf"\b(?:{number_words})\s+(?:nr\.\s*)?(?P<number>\d{{1,2}}(?:\.\d{{1,2}}){{0,2}})"
            r"(?![\d,%])",
            re.IGNORECASE,
        ),
        merge_cues=tuple(re.compile(c, re.IGNORECASE) for c in table["merges"]["cues"]),
        specific_share=float(table["features"]["specific_share"]),
        kept_candidates=int(table["candidates"]["count"]),
        kept_candidate_min=float(table["candidates"]["min_probability"]),
        same_kind=float(table["kinds"]["same"]),
        reworded_kind=float(table["kinds"]["reworded"]),
    )
    groups = table.get("synonyms", {}).get("groups", [])
    return dataclasses.replace(unjoined, synonyms=_synonym_terms(groups, unjoined))


def _synonym_terms(groups: Sequence[Sequence[str]], unjoined: MatchRules) -> dict[str, str]:
    """term → its group's term. A group's words, written as lemmas, pass the derivations that
    goal texts' words pass (a noun made from a verb is the verb: `Analyzer.base_term`); groups
    that share a word are one group (two lists may each hold "borger"), named by a first word."""
    analyzer = Analyzer(unjoined)
    parent: dict[str, str] = {}

    def root(term: str) -> str:
        while parent[term] != term:
            parent[term] = parent[parent[term]]
            term = parent[term]
        return term

    for group in groups:
        terms = [t for word in group if (t := analyzer.base_term(str(word)))]
        for term in terms:
            parent.setdefault(term, term)
        for term in terms[1:]:
            first, other = root(terms[0]), root(term)
            if first != other:
                parent[other] = first
    return {term: root(term) for term in parent if root(term) != term}


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
    boilerplate = sorted(
        {*r.boilerplate, *(f"{p}s" for p in phrases), *phrases}, key=lambda p: (-len(p), p)
    )
    return dataclasses.replace(r, stop_words=r.stop_words | words, boilerplate=tuple(boilerplate))


# ---------------------------------------------------------------------------------------------
# Compounds


@lru_cache(maxsize=131072)
def _split_parts(word: str, min_part: int, linking: tuple[str, ...]) -> tuple[str, ...] | None:
    """Fewest known words of `min_part`+ letters that spell `word` (with linking letters)."""
    if len(word) >= min_part and lexicon.is_known_word(word):
        return (word,)
    best: tuple[str, ...] | None = None
    for cut in range(len(word) - min_part, min_part - 1, -1):  # longest head first
        head, tail = word[:cut], word[cut:]
        if not lexicon.is_known_word(head):
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
    known = lexicon.is_known_word(lower)
    min_part = r.compound_min_part + 1 if known else r.compound_min_part
    best: tuple[str, ...] | None = None
    for cut in range(len(lower) - min_part, min_part - 1, -1):
        head, tail = lower[:cut], lower[cut:]
        if head in r.stop_words or not lexicon.is_known_word(head):
            continue
        for link in ("", *r.linking_letters):
            rest_word = tail[len(link) :]
            if not tail.startswith(link) or len(rest_word) < min_part:
                continue
            if known:
                rest = (rest_word,) if lexicon.is_known_word(rest_word) else None
            else:
                rest = _split_parts(rest_word, min_part, r.linking_letters)
            if rest is None or any(part in r.stop_words for part in rest):
                continue
            if best is None or len(rest) + 1 < len(best):
                best = (head, *rest)
    return best or (lower,)


# ---------------------------------------------------------------------------------------------
# The analyser


@dataclass(frozen=True)
class Terms:
    """A text's content terms at three granularities (see the module's docstring)."""

    words: tuple[str, ...]
    parts: tuple[str, ...]
    stems: tuple[str, ...]

    @property
    def normalised(self) -> str:
        """The parts in their order, as one string (for the character-level comparison)."""
        return " ".join(self.parts)


@cache
def _boilerplate_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class Analyzer:
    """Text → `Terms`, with the words of a series memoised (plans repeat their words)."""

    def __init__(self, r: MatchRules) -> None:
        self.r = r
        self._memo: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._texts: dict[str, Terms] = {}  # section titles and boilerplate repeat

    def terms(self, text: str) -> Terms:
        found = self._texts.get(text)
        if found is None:
            found = self._texts[text] = self._analyse(text)
        return found

    def _analyse(self, text: str) -> Terms:
        r = self.r
        for pattern in r.boilerplate_patterns:
            text = pattern.sub(" ", text)
        if r.boilerplate:
            text = _boilerplate_regex(r.boilerplate).sub(" ", text)
        words: list[str] = []
        parts: list[str] = []
        for word in _WORD.findall(text):
            analysed = self._memo.get(word)
            if analysed is None:
                analysed = self._memo[word] = self._word(word)
            whole, pieces = analysed
            if whole:
                words.append(whole)
                parts.extend(pieces)
        length = r.stem_length
        stems = tuple(part[:length] for part in parts)
        return Terms(tuple(words), tuple(parts), stems)

    def _word(self, word: str) -> tuple[str, tuple[str, ...]]:
        """(the word's term, its parts' terms); ("", ()) for a stop word."""
        r = self.r
        lower = word.lower()
        lemma = self._lemma(lower)
        if lemma in r.stop_words or lower in r.stop_words:
            return "", ()
        split = () if lower in r.lemma_overrides else self._split_deep(lower)
        if lemma == lower and len(split) > 1:
            lemma = self._compound_lemma(lower)
        pieces = [self._lemma(p) for p in split] if len(split) > 1 else [lemma]
        pieces = [self._term(p) for p in pieces if p not in r.stop_words]
        whole = self._term(lemma)
        return whole, tuple(dict.fromkeys([whole, *pieces]))

    def base_term(self, lemma: str) -> str:
        """The term of a word written as a lemma, before synonyms join it to others ("" for a
        stop word): a noun made from a verb is the verb ("evaluering" → "evaluere"). Not the
        lookup table's reading of the form: it reads the nouns "borger" and "bruger" as the
        verbs "borge" and "bruge" (their plurals it reads right)."""
        lower = lemma.lower()
        lower = self.r.lemma_overrides.get(lower, lower)
        return "" if lower in self.r.stop_words else self._verb_of(lower)

    def _lemma(self, lower: str) -> str:
        return self.r.lemma_overrides.get(lower) or lexicon.lemma(lower)

    def _compound_lemma(self, lower: str) -> str:
        """A compound the lookup table lacks is inflected in its last part: its lemma is the
        word with that part's lemma ("ejendomsstrategien" → "ejendomsstrategi"), so that its
        forms meet as one word and are no substitution of each other."""
        head = split_compound(lower, self.r)[-1]
        if not lower.endswith(head):
            return lower
        return lower[: len(lower) - len(head)] + self._lemma(head)

    def _term(self, lemma: str) -> str:
        lemma = self._verb_of(lemma)
        return self.r.synonyms.get(lemma, lemma)

    def _verb_of(self, noun: str) -> str:
        """A noun made from a verb or an adjective is that word ("renovering" → "renovere",
        "udskrivelse" → "udskrive", "kortlægning" → "kortlægge", "tryghed" → "tryg"), where it
        is a known word: a goal nominalised ("Renovering af ...") meets its earlier wording
        ("Renovere ...")."""
        r = self.r
        for ending, verb_ending in r.derivations:
            if noun.endswith(ending) and len(noun) - len(ending) >= r.compound_min_part:
                verb = noun[: len(noun) - len(ending)] + verb_ending
                if lexicon.is_known_word(verb):
                    return verb
        return noun

    def _split_deep(self, word: str) -> tuple[str, ...]:
        """Split, then split the parts that are themselves known compounds."""
        parts = split_compound(word, self.r)
        if len(parts) == 1:
            return parts
        return tuple(piece for part in parts for piece in self._split_deep(self._lemma(part)))
