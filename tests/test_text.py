"""Text rules: normalisation, line joining (hyphenation), list markers, Danish sentences."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maalspor.language import nlp
from maalspor.language.text import join_lines, join_two, normalise, split_list_marker
from maalspor.segment.structure import parse_period

DANISH_LETTERS = "abcdefghijklmnopqrstuvwxyzæøå"
danish_words = st.text(alphabet=DANISH_LETTERS, min_size=2, max_size=12)


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("digitali-", "seringen", "digitaliseringen"),
        ("kompetence-", "udviklingsplanen", "kompetenceudviklingsplanen"),
        ("Ud-", "dannelsen er i gang", "Uddannelsen er i gang"),
        ("uddan\u00ad", "nelse", "uddannelse"),
        ("lands-", "og kommunalpolitisk valg", "lands- og kommunalpolitisk valg"),
        ("Økonomi-", "og Stab", "Økonomi- og Stab"),
        ("ressource-", "og kompetencedeling", "ressource- og kompetencedeling"),
        ("It-", "strategi", "It-strategi"),
        ("ØS-", "MED", "ØS-MED"),
        ("ØS-", "medarbejdernes", "ØS-medarbejdernes"),
        ("erfa-", "netværk", "erfa-netværk"),
        ("it-", "systemer", "it-systemer"),
        ("Smart", "City-tiltag", "Smart City-tiltag"),
        ("2016-", "2017", "2016-2017"),
        ("3-", "6 områder", "3-6 områder"),
        ("Målet er", "nået.", "Målet er nået."),
    ],
)
def test_join_two_undoes_hyphenation_but_keeps_real_hyphens(head, tail, joined):
    assert join_two(head, tail) == joined


@given(
    st.lists(danish_words, min_size=1, max_size=8), st.lists(danish_words, min_size=1, max_size=8)
)
def test_lines_without_hyphens_join_with_one_space(first, second):
    assert join_two(" ".join(first), " ".join(second)) == " ".join(first + second)


@given(danish_words, danish_words)
def test_soft_hyphen_at_line_end_always_disappears(head, tail):
    assert join_two(head + "\u00ad", tail) == head + tail


@given(st.text(alphabet=DANISH_LETTERS + " -\u00a0\u00ad\ufb01", max_size=60))
def test_normalise_is_idempotent_and_leaves_no_invisible_characters(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "\u00ad" not in once and "\u00a0" not in once and "  " not in once
    assert once == once.strip()


def test_normalise_ligatures_and_decomposed_letters():
    decomposed = unicodedata.normalize("NFD", "Økonomi og Stab på tværs")
    assert normalise(decomposed) == "Økonomi og Stab på tværs"
    assert normalise("ﬁnansiering og ﬂeksjob") == "finansiering og fleksjob"
    assert normalise("500.000\u00a0kroner\t i  2016") == "500.000 kroner i 2016"


def test_join_lines_reads_a_hyphenated_paragraph():
    lines = ["I 2016 opgraderes den digi-", "tale infrastruktur, og It-", "strategien følges op."]
    assert (
        join_lines(lines)
        == "I 2016 opgraderes den digitale infrastruktur, og It-strategien følges op."
    )


@pytest.mark.parametrize(
    ("line", "marker", "text"),
    [
        ("• Digitalisering", "•", "Digitalisering"),
        ("▪ Udbud og indkøb", "▪", "Udbud og indkøb"),
        ("– Jura", "–", "Jura"),
        ("- Der er udarbejdet", "-", "Der er udarbejdet"),
        ("-DIF udstikker retning", "-", "DIF udstikker retning"),
        ("1. Understøtte ledernes", "1", "Understøtte ledernes"),
        ("2) Afdække", "2", "Afdække"),
        ("-10 % på it-forbruget", None, "-10 % på it-forbruget"),
        ("Målet er nået", None, "Målet er nået"),
        ("2016 blev et godt år", None, "2016 blev et godt år"),
    ],
)
def test_list_markers(line, marker, text):
    assert split_list_marker(line) == (marker, text)


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2016-2017", "2016-2017", 2016, 2017),
        ("2016/17", "2016/17", 2016, 2017),
        ("i 2016 - 17", "2016 - 17", 2016, 2017),
        ("mål 2015", "2015", 2015, 2015),
        ("2099/00", "2099/00", 2099, 2100),
    ],
)
def test_parse_period(text, label, start, end):
    period = parse_period(text)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_parse_period_without_year():
    assert parse_period("Opfølgning på sidste års mål") is None


def test_danish_sentences_respect_abbreviations_and_ordinals():
    text = (
        "Der er bl.a. afholdt møder, jf. side 12. Målet er nået i 1. halvår. "
        "Det gentages f.eks. i 2016. Derefter evalueres det."
    )
    assert nlp.sentences(text) == [
        "Der er bl.a. afholdt møder, jf. side 12.",
        "Målet er nået i 1. halvår.",
        "Det gentages f.eks. i 2016.",
        "Derefter evalueres det.",
    ]


def test_lemmas_come_from_the_danish_lookup_table():
    assert nlp.lemmas("Vi vil implementere den vedtagne politik") == [
        "vi",
        "ville",
        "implementere",
        "den",
        "vedtage",
        "politik",
    ]


# --- labels ---------------------------------------------------------------------------------

from maalspor.rules import rules  # noqa: E402
from maalspor.segment.labels import label_of  # noqa: E402

FIELD_LABELS = [
    (field, word)
    for field in ("goal", "documentation", "follow_up")
    for word in rules("labels")[field]
]


@given(
    st.sampled_from(FIELD_LABELS),
    st.sampled_from(["lower", "upper", "title", "same"]),
    st.text(alphabet=DANISH_LETTERS + " ", min_size=1, max_size=30).map(str.strip),
)
def test_a_label_with_a_colon_is_recognised_in_any_case(field_and_word, case, rest):
    field, word = field_and_word
    printed = {"lower": word.lower(), "upper": word.upper(), "title": word.title(), "same": word}[
        case
    ]
    assert label_of(f"{printed}: {rest}") == (field, rest)
    assert label_of(printed) == (field, "")


@given(
    st.sampled_from(
        [
            "Målet",
            "Målgruppen",
            "Formålet",
            "Målsætningen",
            "Dokumentationen",
            "Statussen",
            "Opfølgningen",
            "Måles",
        ]
    ),
    st.text(alphabet=DANISH_LETTERS + " ", max_size=30),
)
def test_words_that_only_start_like_a_label_are_never_labels(word, rest):
    assert label_of(f"{word} {rest}".strip()) is None or word == "Måles"


@pytest.mark.parametrize(
    ("line", "bold", "found"),
    [
        ("Mål: Skabe en organisering", None, ("goal", "Skabe en organisering")),
        ("MÅL 3: Skabe", None, ("goal", "Skabe")),
        ("Mål for 2020: Skabe", None, ("goal", "Skabe")),
        ("Dokumentation/succeskriterier: Der er", None, ("documentation", "Der er")),
        ("Status og opfølgning", None, ("follow_up", "")),
        ("Mål Skabe en organisering", "Mål", ("goal", "Skabe en organisering")),
        ("Mål\tSkabe en organisering", None, ("goal", "Skabe en organisering")),
        ("Mål (hvad vil vi opnå?)", None, ("goal", "(hvad vil vi opnå?)")),
        ("Mål Skabe en organisering", None, None),
        ("Målet er nået.", None, None),
        ("Mål og indsatser", None, None),
        ("Aktiviteter: Kurser", None, ("other", "Kurser")),
    ],
)
def test_label_forms(line, bold, found):
    assert label_of(line, bold) == found


def test_no_rule_list_holds_an_empty_entry():
    """An empty string in a rules list is a character lost on the way (it matches nothing)."""
    for table in ("labels", "structure", "text", "verdicts", "matching"):
        for key, value in rules(table).items():
            if isinstance(value, list):
                assert all(isinstance(v, str) and v for v in value), (table, key)
