"""What a follow-up's words mean: lemmas, their meanings, clauses, negation with scope.

The meaning lexicon is data (`pipeline/rules/meanings.toml`, compiled in `wordbook.py`): lemmas
of spaCy's Danish lookup table grouped by what they say about a goal (completion, failure,
partial, progress, start, stop, postpone, change, expectation, goes_on, ends, traffic lights). A
word is read by its lemma, by its form, or by the longest listed lemma that ends it (a compound:
"projektstop" → stop), so an inflection or a compound of a known word needs no rule of its own.
A past participle after an auxiliary is a done action whatever the verb ("done"); a completion
in an existential clause or of an indefinite thing is an activity reported ("activity").

`read_meanings` cuts a text into clauses (at punctuation, before a contrast such as "men",
before a reason or concession such as "fordi" or "selv om", and before a later-marker such as
"nu", except inside a reason), applies negation within a clause (two denials cancel; a
denied "rigtigt" flips the clause after it), and returns every meaning found with its polarity
and where it stands. `maalspor.verdicts.learned` turns them into features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maalspor.language.lexicon import lemma
from maalspor.settings import VerdictSettings
from maalspor.verdicts.future import next_period, read_timing, remainders_later, year_of
from maalspor.verdicts.marks import read_marks
from maalspor.verdicts.quantifiers import absent_harms, denied_wholes
from maalspor.verdicts.word_roles import (
    COUNTED_MEANINGS,
    attributive,
    labels_value,
    said_of_a_count,
)
from maalspor.verdicts.wordbook import (
    CLAUSE_PUNCTUATION,
    MEANINGS,
    SENTENCE_END,
    Lexicon,
    Token,
    in_phrase,
    meaning_lexicon,
    sentence_numbers,
)

# Imported from here by the other modules of the verdicts and the tests.
__all__ = [
    "CLAUSE_PUNCTUATION",
    "MEANINGS",
    "Lexicon",
    "Meaning",
    "Reading",
    "Token",
    "meaning_lexicon",
    "read_meanings",
]


@dataclass(frozen=True)
class Meaning:
    """One meaning found in a text."""

    meaning: str
    negated: bool
    start: int  # offsets in the text
    end: int
    clause: int  # the number of its clause
    contrast: bool  # its clause follows a contrast word ("men", "dog")
    later: bool  # its clause follows a later-marker ("nu", "siden")
    field: bool  # its clause follows a field label ("Status:")
    hedged: bool  # an expectation word in its clause
    goal: bool  # a goal word in its clause
    # its sentence opens with an earlier-marker ("Længe så det ud til ..."), no contrast between
    earlier: bool = False
    # how many denials reach it: two deny each other ("Det kan ikke siges, at målet ikke er nået")
    denials: int = 0
    # its clause gives a reason or a concession ("fordi ...", "selv om ..."): not the verdict
    reason: bool = False
    # the number of its sentence
    sentence: int = 0
    # a word of a measure's rise or fall ("steget", "faldet"): whether it is good depends on the
    # measure, which the number readers weigh
    moved: bool = False
    # read by a compound's last part, not by its own lemma ("afholdt" → holde)
    by_part: bool = False


@dataclass(frozen=True)
class Reading:
    """The meanings of a text and its clauses."""

    tokens: list[Token]
    meanings: list[Meaning]
    clauses: int
    clause_of: list[int]  # the clause of every token
    negated: list[bool]  # whether a token stands under an odd number of denials
    # the tokens a tick form leaves unsaid (its marks, its unticked answers; `marks.py`)
    unsaid: frozenset[int] = frozenset()


def _compound(word: str, lexicon: Lexicon, settings: VerdictSettings) -> tuple[str, ...]:
    """The meanings of the longest listed lemma that ends a compound word (read once per word
    and lexicon)."""
    key = (word, settings.min_compound_part)
    found = lexicon.compounds.get(key)
    if found is None:
        found = ()
        # only the parts that end as the word does (all of them for a setting under 3 letters)
        shortest = settings.min_compound_part
        parts = lexicon.parts if shortest < 3 else lexicon.parts_by_end.get(word[-3:], ())
        for part, meanings in parts:
            if len(part) < settings.min_compound_part:
                break
            if len(word) > len(part) + 1 and word.endswith(part):
                found = meanings
                break
        lexicon.compounds[key] = found
    return found


# Meanings a negating prefix denies: "uopfyldt" is a denied completion. ("uændret" is no
# denied change: it says a result stood still, or that a goal goes on as it was.)
_PREFIX_DENIED = frozenset({"completion"})


def _denied_by_prefix(word: str, lexicon: Lexicon, settings: VerdictSettings) -> tuple[str, ...]:
    """The meanings a word denies by a negating prefix (`negating_prefixes`): the rest of the
    word is a listed single word, as form or lemma ("uopfyldt" → opfylde, "ufærdig" → færdig)."""
    for prefix in lexicon.classes["negating_prefixes"]:
        stem = word[len(prefix) :]
        if not word.startswith(prefix) or len(stem) < settings.min_prefixed_stem:
            continue  # most words: one test each on this path, run for every unlisted word
        if any(word.startswith(start) for start in lexicon.classes["not_prefixed"]):
            return ()
        for key in ((stem,), (lemma(stem),)):
            found = tuple(m for m in lexicon.entries.get(key, ()) if m in _PREFIX_DENIED)
            if found:
                return found
    return ()


def _matches_at(tokens: Sequence[Token], at: int, lexicon: Lexicon) -> tuple[int, tuple[str, ...]]:
    """(length, meanings) of the longest lexicon entry at a token; each word of an entry
    matches a token's lemma or its form ("taget af bordet": "taget" is the lemma "tag")."""
    for length in range(min(lexicon.longest, len(tokens) - at), 0, -1):
        window = tokens[at : at + length]
        for entry in lexicon.starting.get(window[0].lemma, ()) + lexicon.starting.get(
            window[0].form, ()
        ):
            if len(entry) == length and all(
                t.lemma == e or t.form == e for t, e in zip(window, entry, strict=True)
            ):
                return length, lexicon.entries[entry]
    return 0, ()


def _separated_at(
    tokens: Sequence[Token], at: int, lexicon: Lexicon, settings: VerdictSettings
) -> tuple[int, tuple[str, ...]]:
    """(length, meanings) of an entry of several words whose first word is parted from the rest
    by words of `middle_field` (pronouns, adverbs, a denial): "tager det ikke med", "holder dog
    fast i", "lader det ligge" read as "tage med", "holde fast", "lade ligge". An entry whose
    other words are an entry themselves is not parted: they are read on their own."""
    middle = lexicon.classes["middle_field"]
    gap = 0
    while (
        gap < settings.middle_field_words
        and at + 1 + gap < len(tokens)
        and tokens[at + 1 + gap].is_word(middle)
    ):
        gap += 1
    first = tokens[at]
    for skipped in range(gap, 0, -1):
        rest = tokens[at + 1 + skipped :]
        for entry in lexicon.starting.get(first.lemma, ()) + lexicon.starting.get(first.form, ()):
            # a tail that has a meaning of its own is read by itself ("arbejdes ikke videre")
            if len(entry) < 2 or len(entry) - 1 > len(rest) or entry[1:] in lexicon.entries:
                continue
            if all(t.lemma == e or t.form == e for t, e in zip(rest, entry[1:], strict=False)):
                return 1 + skipped + len(entry) - 1, lexicon.entries[entry]
    return 0, ()


def _clause_ids(tokens: Sequence[Token], lexicon: Lexicon) -> tuple[list[int], dict[int, str]]:
    """The clause of every token, and how each clause was opened (contrast, reason, later,
    field)."""
    ids, opened = [], {}
    clause = 0
    label_before = False
    for i, token in enumerate(tokens):
        if token.form in CLAUSE_PUNCTUATION or token.form in {",", "-"}:
            clause += 1
            # "Status: grøn", "Opfyldt? Nej": a label's value
            if token.form in {":", "–", "-", "?"} and label_before:
                opened[clause] = "field"
            label_before = False
        elif token.is_word(lexicon.classes["contrast"]):
            clause += 1
            opened[clause] = "contrast"
        elif opened.get(clause) != "reason" and (
            token.is_word(lexicon.classes["reasons"])
            or in_phrase(tokens, i, lexicon.phrases["reasons"])
        ):
            if ids and ids[-1] == clause:
                clause += 1
            opened[clause] = "reason"
        # a later-marker inside a reason says when the reason holds ("fordi kommunen nu ...")
        elif opened.get(clause) != "reason" and (
            token.is_word(lexicon.classes["later"])
            or in_phrase(tokens, i, lexicon.phrases["later"])
        ):
            if ids and ids[-1] == clause and opened.get(clause) != "later":
                clause += 1
            opened[clause] = "later"
        else:
            label_before = token.is_word(lexicon.classes["field_labels"]) or (
                label_before and token.form.isalpha()
            )
        ids.append(clause)
    return ids, opened


def _negated_positions(
    tokens: Sequence[Token], ids: Sequence[int], lexicon: Lexicon, settings: VerdictSettings
) -> list[int]:
    """How many denials reach each token (its clause's negations after and just before it)."""
    counts = [0] * len(tokens)
    negations = lexicon.classes["negations"]
    flipped_clause: set[int] = set()
    # a denial word that opens or ends a phrase of `not_denials` ("ikke desto mindre", "mon
    # ikke") denies nothing
    blocked: set[int] = set()
    for i in range(len(tokens)):
        length = in_phrase(tokens, i, lexicon.phrases["not_denials"])
        blocked.update(range(i, i + length))
    for i, token in enumerate(tokens):
        if not token.is_word(negations) or i in blocked:
            continue
        clause = ids[i]
        forward = token.form != "uden"  # "uden at" reaches only forward
        reach_back = settings.negation_reach_back if forward else 0
        for j in range(max(0, i - reach_back), len(tokens)):
            if ids[j] != clause:
                if j > i:
                    break
                continue
            if j != i:
                counts[j] += 1
        rest = [t for t, c in zip(tokens[i:], ids[i:], strict=True) if c == clause]
        # a verb of saying just before the denial denies too: "Det passer ikke, at ..."
        first = max(0, i - reach_back)
        just_before = [t for k, t in enumerate(tokens[first:i], first) if ids[k] == clause]
        if any(t.is_word(lexicon.classes["denied_truth"]) for t in just_before) or any(
            t.is_word(lexicon.classes["denied_truth"])
            or (t.is_word(lexicon.classes["truth_adjectives"]) and _says_a_clause(rest, k))
            for k, t in enumerate(rest)
        ):
            flipped_clause.add(clause + 1)
    for i, clause in enumerate(ids):
        if clause in flipped_clause:
            counts[i] += 1
    return counts


def _says_a_clause(rest: Sequence[Token], k: int) -> bool:
    """Whether the word of truth at `k` ends its clause, so that the clause after it is what
    it speaks of ("Det er ikke rigtigt, at ..."): "fik aldrig rigtig vind i sejlene og er nu
    lukket ned" denies nothing after it."""
    return k == len(rest) - 1


def _earlier_tokens(
    tokens: Sequence[Token], opened: dict[int, str], ids: Sequence[int], lexicon: Lexicon
) -> list[bool]:
    """Whether each token follows an earlier-marker in its sentence with no contrast or
    later-marker between."""
    flags, on = [], False
    for i, token in enumerate(tokens):
        if token.form in SENTENCE_END or opened.get(ids[i]) in {"contrast", "later"}:
            on = False
        elif token.is_word(lexicon.classes["earlier"]) or in_phrase(
            tokens, i, lexicon.phrases["earlier"]
        ):
            on = True
        flags.append(on)
    return flags


def _dated_clauses(
    tokens: Sequence[Token], ids: Sequence[int], lexicon: Lexicon
) -> tuple[set[int], set[int]]:
    """(latest, earlier) clauses by the times they name: the years ("Vi nåede ikke målet i
    2022. I 2023 lykkedes det."), else the times of the year ("I marts blev det indført ... I
    november valgte ledelsen at stoppe det"). A clause takes the latest time it names, else the
    one its sentence named before it. Where a text names two times or more, the clauses of the
    others are earlier events; for times of the year, those of the latest are later events too.
    (The latest year is often the coming period, an intention rather than an event: "... det er
    besluttet at arbejde tværgående med det i 2016".)"""
    for time_of, marks_latest in ((year_of, False), (lexicon.times.get, True)):
        rank: dict[int, float] = {}
        current: float | None = None
        for token, clause in zip(tokens, ids, strict=True):
            if token.form in SENTENCE_END:
                current = None
                continue
            time = time_of(token.form)
            if time is not None:
                current = max(time, rank.get(clause, time))
                rank[clause] = current
            elif current is not None:
                rank.setdefault(clause, current)
        if len(set(rank.values())) >= 2:
            latest = max(rank.values())
            return (
                {c for c, r in rank.items() if r == latest} if marks_latest else set(),
                {c for c, r in rank.items() if r < latest},
            )
    return set(), set()


def _indefinite_after(
    tokens: Sequence[Token],
    at: int,
    ids: Sequence[int],
    lexicon: Lexicon,
    settings: VerdictSettings,
) -> bool:
    """An indefinite article within `indefinite_object_words` after `at`, in the clause of the
    word before `at`: the done thing is an activity ("gennemførte en undersøgelse"), unless the
    clause names the goal ("Målet er nået en måned før tid"; the caller checks)."""
    clause = ids[at - 1]
    window = range(at, min(len(tokens), at + settings.indefinite_object_words))
    return any(ids[k] == clause and tokens[k].form in lexicon.classes["indefinite"] for k in window)


def _is_participle(tokens: Sequence[Token], at: int, ids: Sequence[int], lexicon: Lexicon) -> bool:
    """A past participle after an auxiliary of its clause ("er udarbejdet", "blev godkendt",
    "har ikke fået ansat"): a done action reported, whatever the verb. Read by its shape: a
    word in -t whose lemma is a verb's infinitive in -e."""
    token = tokens[at]
    if not (token.form.isalpha() and token.form.endswith("t") and token.lemma.endswith("e")):
        return False
    if token.form == token.lemma or token.is_word(lexicon.classes["auxiliaries"]):
        return False
    clause = ids[at]
    auxiliaries = lexicon.classes["auxiliaries"]
    k = at - 1
    while k >= 0 and ids[k] == clause:  # the clause's words before it, nothing further
        if tokens[k].is_word(auxiliaries):
            return True
        k -= 1
    return False


def read_meanings(
    tokens: list[Token], lexicon: Lexicon, settings: VerdictSettings, goal_words: frozenset[str]
) -> Reading:
    """The meanings of a text's tokens, with their polarity and place."""
    ids, opened = _clause_ids(tokens, lexicon)
    denials = _negated_positions(tokens, ids, lexicon, settings)
    earlier = _earlier_tokens(tokens, opened, ids, lexicon)
    latest_clauses, earlier_clauses = _dated_clauses(tokens, ids, lexicon)
    expectation_clauses: set[int] = set()
    goal_clauses = {ids[i] for i, t in enumerate(tokens) if t.is_word(goal_words)}
    existential: dict[int, int] = {}  # clause → where its existential opening ends
    for i in range(len(tokens)):
        length = in_phrase(tokens, i, lexicon.phrases["existential"])
        if length and ids[i] not in existential:
            existential[ids[i]] = i + length
    unsaid = read_marks(tokens, lexicon).unsaid  # a tick form's unticked options
    found: list[tuple[int, int, str]] = []
    prefixed: set[int] = set()  # tokens that deny their own meaning ("uopfyldt")
    by_part: set[int] = set()  # tokens read by a compound's last part
    separated: set[int] = set()  # entries read across middle-field words ("tager det ikke med")
    timing = read_timing(tokens, ids, lexicon)
    deadlines = lexicon.classes["deadline_words"]
    i = 0
    while i < len(tokens):
        if i in unsaid:
            i += 1
            continue
        length, meanings = _matches_at(tokens, i, lexicon)
        if length <= 1:
            parted, parted_meanings = _separated_at(tokens, i, lexicon, settings)
            if parted:
                length, meanings = parted, parted_meanings
                separated.add(i)
        if not length and tokens[i].form.isalpha():
            meanings = _compound(tokens[i].form, lexicon, settings)
            if meanings:
                by_part.add(i)
            else:
                meanings = _denied_by_prefix(tokens[i].form, lexicon, settings)
                if meanings:
                    prefixed.add(i)
            length = 1 if meanings else 0
        if not meanings and _is_participle(tokens, i, ids, lexicon):
            meanings = ("done",)
        as_planned = in_phrase(tokens, i, lexicon.phrases["as_planned"]) or tokens[i].is_word(
            lexicon.classes["as_planned"]
        )
        describes = attributive(tokens, i, length, lexicon)
        counted = said_of_a_count(tokens, i)
        label = labels_value(tokens, i, i + max(length, 1), lexicon, settings.value_label_words)
        deadline = tokens[i].is_word(deadlines) or in_phrase(
            tokens, i, lexicon.phrases["deadline_words"]
        )
        for meaning in meanings:
            if meaning == "neutral" or (meaning == "expectation" and describes):
                continue
            if meaning == "expectation" and deadline and ids[i] in timing.past:
                continue  # "blev gennemført inden årets udgang": a deadline met, no hedge
            if counted and meaning in COUNTED_MEANINGS:
                continue
            if label and meaning == "completion":
                meaning = "tally"  # "etableret 14 | mål 20": what was done, counted
            reported = meaning == "done" or (meaning == "completion" and not as_planned)
            if reported and (
                existential.get(ids[i], len(tokens)) <= i
                or (
                    ids[i] not in goal_clauses
                    and _indefinite_after(tokens, i + max(length, 1), ids, lexicon, settings)
                )
            ):
                meaning = "activity"
            found.append((i, i + max(length, 1), meaning))
            if meaning == "expectation":
                expectation_clauses.add(ids[i])
        i += max(length, 1)
    found.extend(remainders_later(tokens, ids, denials, lexicon, timing))
    found.extend(next_period(tokens, ids, denials, timing, found))
    # a harm that did not happen is a completion, the word of none's own denial taken off
    absent = absent_harms(tokens, ids, denials, lexicon, settings)
    found.extend((i, i + 1, "completion") for i in absent)
    wholes = denied_wholes(tokens, denials, lexicon)
    found.extend((i, i + 1, "partial") for i in wholes)
    sentences = sentence_numbers(tokens)
    moves = lexicon.classes["increase"] | lexicon.classes["decrease"]
    result = []
    for first, after, meaning in found:
        # a parted entry stands, and is denied, where its last word does ("gik dog i luften":
        # after "dog"; "tager vi det ikke med")
        anchor = after - 1 if first in separated else first
        clause = ids[anchor]
        denied = denials[anchor]
        if meaning == "completion" and first in absent:
            denied = absent[first]
        elif meaning == "partial" and first in wholes:
            denied = 0  # the denial makes the part
        result.append(
            Meaning(
                meaning,
                (denied % 2 == 1) != (first in prefixed),
                tokens[first].start,
                tokens[after - 1].end,
                clause,
                opened.get(clause) == "contrast",
                opened.get(clause) == "later" or clause in latest_clauses,
                opened.get(clause) == "field",
                clause in expectation_clauses and meaning != "expectation",
                clause in goal_clauses,
                earlier[first] or clause in earlier_clauses,
                denials[first],
                opened.get(clause) == "reason",
                sentences[first],
                tokens[first].is_word(moves),
                first in by_part,
            )
        )
    negated = [count % 2 == 1 for count in denials]
    return Reading(tokens, result, (ids[-1] + 1) if ids else 0, ids, negated, unsaid)
