"""Text rules over plain strings: normalising characters, joining printed lines, list items.

Pure functions, no geometry: extraction decides which lines belong together, these functions
decide how their text reads. The Danish-specific data (hyphenation exceptions, bullets) comes
from `pipeline/rules/`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from maalspor.rules import compiled, rules

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_HYPHENS = "-\u00ad\u2010"  # hyphen-minus, soft hyphen, hyphen: the marks a line may break at
_SPACES = re.compile(r"\s+")


@cache
def _translation(dropped: tuple[str, ...], spaces: tuple[str, ...]) -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in _LIGATURES.items()}
    table.update({ord(c): None for c in dropped})
    table.update({ord(c): " " for c in spaces})
    return table


def _normaliser(rules_key: str) -> tuple[dict[int, str | None], re.Pattern]:
    """The translation table of the rules in force, and a pattern that finds a character it
    changes (most text has none: translating it would only copy it)."""
    text_rules = rules("text")
    table = _translation(
        tuple(text_rules["dropped_characters"]), tuple(text_rules["space_characters"])
    )
    return table, re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]")


def normalise(text: str) -> str:
    """NFC, ligatures spelled out, invisible characters dropped, whitespace collapsed."""
    table, changed = compiled("text", _normaliser)
    if changed.search(text):
        text = text.translate(table)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def _last_word(text: str) -> str:
    match = re.search(r"([^\s(\"'“«]+)$", text)
    return match.group(1) if match else ""


def _keeps_hyphen(head: str, tail: str) -> bool:
    """Whether a hyphen at the end of `head` is part of the word rather than a line break mark.

    `head` is the text before the hyphen on the first line, `tail` the next line.
    """
    prefix = _last_word(head)
    if not prefix or not tail:
        return True
    first = tail[0]
    if first.isupper() or first.isdigit():
        return True  # "It-" + "Strategi", "2016-" + "2017"
    if any(ch.isdigit() for ch in prefix):
        return True  # "3-" + "6 områder"
    letters = [ch for ch in prefix if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return True  # "ØS-" + "medarbejdere", "MED-" + "udvalg"
    if any(ch.isupper() for ch in letters[1:]):
        return True  # "SMARTe-", "AKs-"
    if prefix.lower() in {p.lower() for p in rules("text")["hyphenated_prefixes"]}:
        return True  # "erfa-" + "netværk", "it-" + "system", "e-" + "mail"
    # "It-" + "strategi": a short capitalised abbreviation, not a syllable of a known word.
    # (spaCy's lemma table is loaded only here, when a capitalised hyphen needs it.)
    from maalspor.language.lexicon import is_known_word

    return (
        prefix[0].isupper() and len(letters) <= 3 and not is_known_word(prefix + _first_word(tail))
    )


def _first_word(text: str) -> str:
    match = re.match(r"[\wæøåÆØÅ]+", text)
    return match.group(0) if match else ""


def join_two(head: str, tail: str) -> str:
    """Join a printed line to the next one, undoing end-of-line hyphenation.

    "digitali-" + "seringen" → "digitaliseringen"; "lands-" + "og kommunalpolitisk" →
    "lands- og kommunalpolitisk"; "It-" + "strategi" → "It-strategi".
    """
    head = head.rstrip()
    tail = tail.lstrip()
    if not head:
        return tail
    if not tail:
        return head
    if head[-1] in _HYPHENS and len(head) >= 2 and head[-2].isalnum():
        soft = head[-1] == "\u00ad"
        followers = {w.lower() for w in rules("text")["suspended_compound_followers"]}
        if not soft and _first_word(tail).lower() in followers:
            return f"{head[:-1]}- {tail}"  # suspended compound: "lands- og"
        if not soft and _keeps_hyphen(head[:-1], tail):
            return f"{head[:-1]}-{tail}"
        return head[:-1] + tail
    return f"{head} {tail}"


def join_lines(lines: list[str]) -> str:
    """The running text of consecutive printed lines, normalised."""
    text = ""
    for line in lines:
        # Soft hyphens survive until here: at a line end they mark a break, inside they vanish.
        cleaned = line.replace("\u00a0", " ").strip()
        text = join_two(text, cleaned) if text else cleaned
    return normalise(text)


@cache
def _bullet_pattern(bullets: tuple[str, ...], numbered: str) -> tuple[re.Pattern, re.Pattern]:
    glyphs = "".join(re.escape(b) for b in bullets if len(b) == 1 and not b.isalnum())
    words = "|".join(re.escape(b) for b in bullets if b.isalnum())
    # A glyph bullet may touch its text ("-DIF udstikker"), a letter bullet ("o") may not.
    glyph_part = f"[{glyphs}]\\s*" if glyphs else "(?!)"
    word_part = f"(?:{words})\\s+" if words else "(?!)"
    return re.compile(f"^(?:{glyph_part}|{word_part})(?=\\S)"), re.compile(numbered)


def split_list_marker(line: str) -> tuple[str | None, str]:
    """(marker, text) for a list item line: ("•", "Digitalisering"), ("2", "Udvikle ...").

    Marker is None when the line is not a list item. A hyphen counts as a bullet only when a
    space follows it or the next character is a capital ("-DIF ..."), so "-10 %" is no bullet.
    """
    bullet, numbered, ordinal = compiled("structure", _list_patterns)
    stripped = line.lstrip()
    match = numbered.match(stripped)
    if match and not (ordinal is not None and ordinal.match(stripped)):
        return match.group("number"), stripped[match.end() :].strip()
    match = bullet.match(stripped)
    if match:
        marker = stripped[: match.end()].strip()
        rest = stripped[match.end() :].strip()
        if marker in "-–—" and not (stripped[1:2].isspace() or rest[:1].isupper()):
            return None, line.strip()
        if not rest:
            return None, line.strip()
        return marker, rest
    return None, line.strip()


def _list_patterns(rules_key: str) -> tuple[re.Pattern, re.Pattern, re.Pattern | None]:
    """The bullet, numbered-item and ordinal patterns of the rules in force (`split_list_marker`
    runs per printed line: the rules are looked up once, not once per pattern)."""
    structure = rules("structure")
    bullet, numbered = _bullet_pattern(tuple(structure["bullets"]), structure["numbered_item"])
    words = tuple(structure.get("ordinal_words", ()))
    return bullet, numbered, _ordinal_pattern(words) if words else None


@cache
def _ordinal_pattern(words: tuple[str, ...]) -> re.Pattern:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\d{{1,2}}\.\s+(?:{alternation})(?![\wæøå])", re.IGNORECASE)


def is_ordinal(text: str) -> bool:
    """Whether text starts with a Danish ordinal ("9. eller 10. klasse", "1. halvår"), which
    reads as a list number only by accident of a line break (words: `ordinal_words` rule)."""
    words = tuple(rules("structure").get("ordinal_words", ()))
    return bool(words) and bool(_ordinal_pattern(words).match(text.lstrip()))


def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return _SPACES.sub(" ", text).strip()


def goal_display_text(text: str, subgoals: list[str]) -> str:
    """A goal as one line for people: a lead-in such as "Vi vil:" is shown with its sub-goals."""
    if subgoals and text.rstrip().endswith(":"):
        return " ".join([text.rstrip(), *(f"{n}) {s}" for n, s in enumerate(subgoals, start=1))])
    return text
