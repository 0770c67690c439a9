"""The follow-up verdict classifier: rule by rule, on the hand-annotated sample, and properties."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maalspor.verdicts.clauses as clauses_module
from maalspor.models import FollowUp, PlanDocument, Source
from maalspor.rules import RulesError, use_rules_file
from maalspor.settings import VerdictSettings
from maalspor.verdicts import phrasebook
from maalspor.verdicts.classifier import Verdict, classify, classify_text, rule_verdicts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "virksomhedsplan-okonomi-og-stab-2016-2017.txt"
ANNOTATIONS = Path(__file__).parent / "annotations" / "follow_up_verdicts_2016_2017.toml"

# --- reading the sample's follow-up part (kept simple: this layout only) ----------------------

_FOLLOW_UP_HEADING = re.compile(r"^Opfølgning på Økonomi og Stabs mål 2015\s*$", re.MULTILINE)
_LABEL = re.compile(r"^(Mål|Dokumentation|Opfølgning):\s*(.*)$")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def read_follow_ups(path: Path = SAMPLE) -> list[tuple[str, str]]:
    """(goal text, Opfølgning text) of every follow-up after the follow-up heading."""
    part = _FOLLOW_UP_HEADING.split(path.read_text(encoding="utf-8"), maxsplit=1)[1]
    entries: list[dict[str, list[str]]] = []
    field = None
    for raw in part.splitlines():
        line = raw.strip()
        if line.isupper():  # "OM VIRKSOMHEDSPLANEN": the follow-up part is over
            break
        label = _LABEL.match(line)
        if label:
            field = label.group(1)
            if field == "Mål":
                entries.append({"Mål": [], "Opfølgning": []})
            line = label.group(2)
        if line and field in ("Mål", "Opfølgning"):
            entries[-1][field].append(line)
    follow_ups = []
    for entry in entries:
        paragraphs = entry["Opfølgning"]
        # A short unpunctuated last paragraph is the next section's heading, not follow-up text.
        last = paragraphs[-1] if paragraphs else ""
        if len(paragraphs) > 1 and last[-1] not in ".!?" and len(last.split()) <= 7:
            paragraphs = paragraphs[:-1]
        follow_ups.append((_collapse(" ".join(entry["Mål"])), "\n\n".join(paragraphs)))
    return follow_ups


def annotated() -> list[tuple[dict, str]]:
    """Every annotation with the follow-up text it names, in document order."""
    with ANNOTATIONS.open("rb") as handle:
        annotations = tomllib.load(handle)["follow_up"]
    follow_ups = read_follow_ups()
    pairs = []
    for annotation in annotations:
        prefix = _collapse(annotation["goal_prefix"])
        found = [i for i, (goal, _) in enumerate(follow_ups) if goal.startswith(prefix)]
        assert len(found) == 1, f"goal_prefix {prefix!r} matches {len(found)} follow-ups"
        pairs.append((found[0], annotation, follow_ups[found[0]][1]))
    assert [index for index, _, _ in pairs] == sorted(index for index, _, _ in pairs)
    return [(annotation, text) for _, annotation, text in pairs]


ANNOTATED = annotated()
EXPLICIT_TEXTS = [text for annotation, text in ANNOTATED if annotation["explicit"]]


def test_sample_has_28_follow_ups_all_annotated() -> None:
    assert len(read_follow_ups()) == 28
    assert len(ANNOTATED) == 28
    assert all(text.strip() for _, text in ANNOTATED)


# --- rule by rule -----------------------------------------------------------------------------

CASES = [
    # achieved, with the inflections of the verbs
    ("Målet er nået.", "achieved", None),
    ("Mål opnået", "achieved", None),
    ("Målene er nået", "achieved", None),
    ("Målet blev opnået i efteråret.", "achieved", None),
    ("Målet er opfyldt (og mere til).", "achieved", None),
    ("Målsætningen er gennemført.", "achieved", None),
    ("Målet er indfriet.", "achieved", None),
    ("Målet nås.", "achieved", None),
    ("Målet opfyldes.", "achieved", None),
    ("Vi har nået målet.", "achieved", None),
    ("Det er lykkedes at nedbringe sygefraværet.", "achieved", None),
    ("MÅLET ER NÅET", "achieved", None),
    ("DET VURDERES OM DER ER BEHOV FOR MERE, OG MÅLET VIDEREFØRES", "in_progress", True),
    ("Det vurderes om der er behov for mere, og målet videreføres", "in_progress", True),
    ("Det vurderes om der er behov for mere og om målet videreføres", "unknown", None),
    ("Målet om mere effektiv administration er opfyldt.", "achieved", None),
    # a verb without the goal as subject or object is an activity, not a verdict
    ("Der er gennemført en analyse af administrationen.", "unknown", None),
    ("Der blev afholdt møder for at nå målet.", "unknown", None),
    # partially achieved
    ("Målet er delvis opfyldt.", "partially_achieved", None),
    ("Målet er delvist opnået", "partially_achieved", None),
    ("Målet er til dels nået.", "partially_achieved", None),
    ("Målet er nået til dels.", "partially_achieved", None),
    ("Målet er ikke fuldt ud nået.", "partially_achieved", None),
    ("Målet er ikke helt opfyldt.", "partially_achieved", None),
    ("Ikke alle mål er nået.", "partially_achieved", None),
    ("Målet er nået for løn, men målet er ikke nået for HR.", "partially_achieved", None),
    # not achieved: negation flips the verb
    ("Målet er ikke nået.", "not_achieved", None),
    # ... but "not yet" is work going on (most of the corpus's readers take it so)
    ("Målet er endnu ikke nået.", "in_progress", None),
    ("Målet blev aldrig opnået.", "not_achieved", None),
    ("Målet nås ikke.", "not_achieved", None),
    ("Ingen af målene er nået.", "not_achieved", None),
    ("Vi har ikke nået målet.", "not_achieved", None),
    ("Det er ikke lykkedes at finde en løsning.", "not_achieved", None),
    ("Forsøget mislykkedes.", "not_achieved", None),
    # negation scope ends at a clause boundary; phrases like "ikke mindst" deny nothing
    ("Der er ikke afholdt møder, men målet er nået.", "achieved", None),
    ("Målet er nået, ikke mindst takket være ledernes indsats.", "achieved", None),
    ("Målet er ikke nået, og det videreføres i 2016/17.", "not_achieved", True),
    ("Målet er ikke nået og videreføres i 2016/17.", "not_achieved", True),
    ("Målet er ikke nået, og der arbejdes videre med det i 2016/17", "not_achieved", True),
    ("Selvom der ikke var tid, er målet nået.", "achieved", None),
    ("Målet er nået i 2015 og indgår derfor ikke i 2016/17.", "achieved", False),
    ("Målet er nået. Derfor videreføres det ikke.", "achieved", False),
    ("Arbejdet er endnu ikke igangsat.", "unknown", None),
    ("Målet forventes ikke nået.", "not_achieved", None),
    ("Målet er næsten nået.", "partially_achieved", None),
    # in progress
    ("Arbejdet pågår.", "in_progress", None),
    ("Implementeringen pågår og næste skridt tages på Store Lederdag.", "in_progress", None),
    ("Projektet er i gang.", "in_progress", None),
    ("Der er igangsat en analyse.", "in_progress", None),
    ("Der arbejdes pt på at optimere brugen af systemet.", "in_progress", None),
    ("Målet videreføres i 2016/17", "in_progress", True),
    ("Målet forventes nået i 2017.", "in_progress", None),
    ("Arbejdet pågår og målet videreføres og afsluttes i 2016", "in_progress", True),
    # changed
    (
        "Målet har ændret sig, da det i stedet er besluttet at udarbejde principper.",
        "changed",
        None,
    ),
    ("Målet er omformuleret.", "changed", None),
    ("Der er i stedet udarbejdet principper for digitalisering.", "changed", None),
    ("Målet indgår i stedet som delmål i 2016/17 under målet om effekt.", "changed", True),
    (
        "Målet er ikke nået i 2015, og det indgår i stedet, som et delmål i 2016/17",
        "not_achieved",
        True,
    ),
    # dropped
    ("Målet bortfalder.", "dropped", False),
    ("Målet viste sig irrelevant.", "dropped", False),
    ("Målet udgår.", "dropped", False),
    ("Målet er droppet.", "dropped", False),
    ("Målet er opgivet.", "dropped", False),
    ("Målet er skrinlagt.", "dropped", False),
    ("Målet er ikke længere relevant.", "dropped", False),
    # several clauses combine: status from one, continued from another
    ("Målet er opnået og det videreudvikles i 2016/17", "achieved", True),
    ("Målet er nået. Det gentages og videreudvikles i 2016/17", "achieved", True),
    ("Målet er delvist opnået og der arbejdes videre med det i 2016.", "partially_achieved", True),
    ("Målet er delvist opfyldt. Målet indgår i 2016/17.", "partially_achieved", True),
    ("Målet er nået og afsluttet.", "achieved", False),
    # continued without a status
    ("ØS fortsætter sit fokus på undervisning.", "unknown", True),
    ("Der er fortsat fokus på trivsel.", "unknown", True),
    ("Der er sat nye mål for netværksarbejdet i 2016.", "unknown", True),
    ("Der er sat fokus på social kapital.", "unknown", None),
    ("Målet videreføres ikke.", "unknown", False),
    # left open: continued null
    (
        "Der er gjort flere spæde forsøg, men målet er ikke nået, og det overvejes pt. om der "
        "skal arbejdes videre med det i 2016/17.",
        "not_achieved",
        None,
    ),
    ("Det vurderes om der skal arbejdes videre med målet.", "unknown", None),
    ("Der tages stilling til om målet videreføres.", "unknown", None),
    ("Det er endnu ikke muligt at sige, om målet er nået.", "unknown", None),
    # only activity described
    ("Der er udarbejdet en ny skabelon som afprøves i 2016", "unknown", None),
    # the cells of a table written on one line are clauses of their own
    ("Målopfyldelse: Delvis | Fortsætter: Ja", "partially_achieved", True),
    # a verdict word that opens its clause is denied anywhere in the clause
    ("Opfyldt blev målet desværre heller ikke i år.", "not_achieved", None),
    # ... a tick is no verb: the unticked options after it deny nothing
    ("Gennemført: ☑ Ja  ☐ Nej", "achieved", None),
    # a verdict word with a number after it labels a value: the numbers reader decides
    # (test_verdict_kinds.py), the phrase rules find no verdict
    ("Opnået: 41 | Mål: 50", "unknown", None),
    ("Kloakrenovering | Mål 9 km | Realiseret 4,5 km | ✗", "not_achieved", None),
    # a judgement of the goal
    ("Indsatsen må betragtes som ikke gennemført.", "not_achieved", None),
    ("Målsætningen er frafaldet efter ønske fra udvalget.", "dropped", None),
    # a denied drop or change is none
    ("Målsætningen er ikke droppet, men udskudt til 2026.", "in_progress", True),
    ("Indsatsen er ikke ændret i forhold til sidste år.", "unknown", None),
    # moved into another plan; carried over
    ("Målet er skrevet ind i den nye klimaplan.", "changed", None),
    ("Det resterende flyttes med over i næste års plan.", "unknown", True),
    ("Udført.", "achieved", None),
    # lights of emoji
    ("Trivsel i klasserne: 🟢", "achieved", None),
    ("Budgetoverholdelse: 🟡", "partially_achieved", None),
    ("Status 3. kvartal: 🔴", "not_achieved", None),
]


@pytest.mark.parametrize(("text", "status", "continued"), CASES, ids=[c[0][:50] for c in CASES])
def test_rule(text: str, status: str, continued: bool | None) -> None:
    """The phrase rules of verdicts.toml, rule by rule; the learned layer keeps what trusted
    rule words decided (docs/verdicts.md)."""
    rule = rule_verdicts([text])[0]
    assert (rule.status, rule.continued) == (status, continued)
    verdict = classify_text(text)
    if rule.decided_by in VerdictSettings().trusted_rule_kinds:
        assert verdict.status == rule.status
    if rule.continued is not None:
        assert verdict.continued == rule.continued
    for words in verdict.evidence:  # evidence is quoted from the text, never made up
        assert words in text
    if verdict.status != "unknown" or verdict.continued is not None:
        assert verdict.evidence  # a verdict always shows the words it rests on


@pytest.mark.parametrize(
    "text",
    [
        "Der er udarbejdet en ny skabelon som afprøves i 2016",
        "Der er gennemført en analyse af administrationen.",
        "Kommissoriet er drøftet i KommuneMED, den 22. april 2015. Drøftelse af bidrag.",
    ],
)
def test_activity_only_has_no_evidence(text: str) -> None:
    verdict = classify_text(text)
    assert (verdict.status, verdict.continued, verdict.evidence) == ("unknown", None, [])
    assert verdict.confidence < 1  # unknown words may still hold a verdict


@pytest.mark.parametrize("text", [None, "", "   \n  "])
def test_no_text_is_unknown(text: str | None) -> None:
    assert classify_text(text) == Verdict("unknown", None, [], 1.0)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Målet er delvis opfyldt. Der er gennemført en sammenligning.",
            ["Målet er delvis opfyldt"],
        ),
        (
            "Målet er nået. Det gentages og videreudvikles i 2016/17",
            ["Målet er nået", "gentages", "videreudvikles"],
        ),
        (
            "Der er gjort forsøg, men målet er ikke nået, og det overvejes pt. om der skal "
            "arbejdes videre.",
            ["målet er ikke nået", "overvejes pt. om"],
        ),
        ("Målet viste sig irrelevant.", ["viste sig irrelevant"]),
        ("Målet er\nikke nået", ["Målet er\nikke nået"]),
    ],
)
def test_evidence_is_the_deciding_words(text: str, evidence: list[str]) -> None:
    assert classify_text(text).evidence == evidence


# --- the hand-annotated sample ------------------------------------------------------------------


def _expected(annotation: dict) -> tuple[str, bool | None]:
    return annotation["status"], annotation.get("continued")


def test_explicit_follow_ups_are_all_right() -> None:
    wrong = []
    for annotation, text in ANNOTATED:
        if annotation["explicit"]:
            verdict = classify_text(text)
            if (verdict.status, verdict.continued) != _expected(annotation):
                wrong.append((annotation["goal_prefix"], _expected(annotation), verdict))
    assert not wrong
    assert len(EXPLICIT_TEXTS) >= 15  # the annotation still marks most follow-ups explicit


def test_accuracy_on_all_follow_ups(capsys: pytest.CaptureFixture[str]) -> None:
    counts = {"explicit": [0, 0, 0], "all": [0, 0, 0]}  # [status right, continued right, total]
    for annotation, text in ANNOTATED:
        verdict = classify_text(text)
        status, continued = _expected(annotation)
        for group in ("explicit", "all") if annotation["explicit"] else ("all",):
            counts[group][0] += verdict.status == status
            counts[group][1] += verdict.continued == continued
            counts[group][2] += 1
        assert all(words in text for words in verdict.evidence)
    with capsys.disabled():
        for group, (status_right, continued_right, total) in counts.items():
            print(
                f"\nverdicts on {group} follow-ups: status {status_right}/{total}, "
                f"continued {continued_right}/{total}"
            )
    status_right, continued_right, total = counts["all"]
    assert status_right / total >= 0.9 and continued_right / total >= 0.9


# --- a whole plan -------------------------------------------------------------------------------


def _plan(texts: list[str | None]) -> PlanDocument:
    follow_ups = [
        FollowUp(id=f"f{i}", section=None, text=f"Mål {i}", page=0, bbox=None, follow_up=text)
        for i, text in enumerate(texts)
    ]
    source = Source(path="plan.txt", sha256="0" * 64, pages=0)
    return PlanDocument(
        source=source, organisation=None, unit=None, title=None, period=None, follow_ups=follow_ups
    )


def test_classify_fills_follow_ups_in_one_spacy_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = clauses_module.pipe_sentences

    def counting(texts, *args, **kwargs):
        calls.append(1)
        return original(texts, *args, **kwargs)

    monkeypatch.setattr(clauses_module, "pipe_sentences", counting)
    texts = [text for _, text in ANNOTATED] + [None]
    plan = _plan(texts)
    result = classify(plan)
    assert len(calls) == 1
    for follow_up, text in zip(result.follow_ups, texts, strict=True):
        verdict = classify_text(text)
        assert (follow_up.status, follow_up.continued) == (verdict.status, verdict.continued)
        assert follow_up.status_evidence == verdict.evidence
    assert result.follow_ups[-1].status == "unknown"
    assert all(f.status is None for f in plan.follow_ups)  # the input plan is left as it was
    PlanDocument.model_validate(result.model_dump())


def test_user_rules_extend_the_verdicts(tmp_path: Path) -> None:
    extra = tmp_path / "my-rules.toml"
    extra.write_text(
        "[verdicts]\n"
        "dropped = ['\\bsat på køl\\b']\n"
        "continued_false = ['\\bsat på køl\\b']\n"
        'achieved_verbs = ["effektueret"]\n',
        encoding="utf-8",
    )
    assert classify_text("Målet er sat på køl.").status == "unknown"
    use_rules_file(extra)
    try:
        verdict = classify_text("Målet er sat på køl.")
        assert (verdict.status, verdict.continued, verdict.evidence) == (
            "dropped",
            False,
            ["sat på køl"],
        )
        assert classify_text("Målet er effektueret.").status == "achieved"
        assert classify_text("Målet er ikke effektueret.").status == "not_achieved"
    finally:
        use_rules_file(None)
    assert classify_text("Målet er sat på køl.").status == "unknown"


def test_the_environments_rules_are_read_when_a_stage_starts(tmp_path: Path, monkeypatch) -> None:
    """MAALSPOR_RULES counts from the next stage on; a running stage keeps the rules it began
    with (they are looked up per line, and read from the environment once)."""
    from maalspor.rules import ENV_VARIABLE, pinned, rules

    extra = tmp_path / "my-rules.toml"
    extra.write_text("[verdicts]\ndropped = ['\\bsat på køl\\b']\n", encoding="utf-8")
    seen: list[bool] = []

    @pinned
    def stage() -> None:
        seen.append("\\bsat på køl\\b" in rules("verdicts")["dropped"])
        monkeypatch.setenv(ENV_VARIABLE, str(extra))
        seen.append("\\bsat på køl\\b" in rules("verdicts")["dropped"])

    stage()
    assert seen == [False, False]
    assert classify_text("Målet er sat på køl.").status == "dropped"
    monkeypatch.delenv(ENV_VARIABLE)
    assert classify_text("Målet er sat på køl.").status == "unknown"


def test_bad_user_pattern_is_reported(tmp_path: Path) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text("[verdicts]\ndropped = ['(unclosed']\n", encoding="utf-8")
    use_rules_file(extra)
    try:
        with pytest.raises(RulesError, match=r"verdicts\.dropped"):
            classify_text("Målet er nået.")
    finally:
        use_rules_file(None)


def test_a_users_form_options_are_read_and_checked(tmp_path: Path) -> None:
    extra = tmp_path / "options.toml"
    extra.write_text('[verdicts.form_options]\nfuldt = "achieved"\n', encoding="utf-8")
    use_rules_file(extra)
    try:
        assert rule_verdicts(["Mål nået: ☐ Delvist ☒ Fuldt"])[0].status == "achieved"
        bad = tmp_path / "bad_options.toml"
        bad.write_text('[verdicts.form_options]\nja = "yes"\n', encoding="utf-8")
        use_rules_file(bad)
        with pytest.raises(RulesError, match=r"verdicts\.form_options"):
            classify_text("Målet er nået.")
    finally:
        use_rules_file(None)


# --- properties ---------------------------------------------------------------------------------

# Words that carry no verdict, alone or together (no verbs of the rules, no "ikke", no "mål").
NEUTRAL_WORDS = [
    "der", "er", "blevet", "udarbejdet", "afholdt", "møder", "med", "en", "et", "ny", "nyt",
    "analyse", "skabelon", "plan", "for", "kommunen", "ledere", "medarbejdere", "undervisning",
    "på", "til", "systemet", "arbejdsgange", "budgettet", "organisationen", "styregruppen",
    "rapport", "model", "borgerne", "dialog", "sammen", "data", "temadag", "workshop", "hele",
    "alle", "flere", "gode", "målet", "ØS", "AK", "og", "af", "2015",
]  # fmt: skip

activity_sentences = st.lists(st.sampled_from(NEUTRAL_WORDS), min_size=2, max_size=12).map(
    lambda words: " ".join(words)[0].upper() + " ".join(words)[1:] + "."
)
# Verdicts that trusted rule words decide: words around them change nothing. (Where the learned
# layer decides, every word is evidence of some weight: its confidence says how sure it is.)
VERDICT_TEXTS = [
    text
    for text in EXPLICIT_TEXTS + [text for text, status, _ in CASES if status != "unknown"]
    if rule_verdicts([text])[0].decided_by in VerdictSettings().trusted_rule_kinds
]


def _closed(text: str) -> str:
    return text if text.rstrip()[-1] in ".!?" else text.rstrip() + "."


@settings(max_examples=150, deadline=None)
@given(
    base=st.sampled_from(VERDICT_TEXTS),
    before=st.lists(activity_sentences, max_size=2),
    after=st.lists(activity_sentences, max_size=2),
)
def test_activity_sentences_never_change_a_verdict(
    base: str, before: list[str], after: list[str]
) -> None:
    base = _closed(base)
    alone = classify_text(base)
    combined = classify_text(" ".join([*before, base, *after]))
    assert combined.status == alone.status
    if rule_verdicts([base])[0].continued is not None:
        # `continued` of rule words; where the rules say nothing of it, the model's value is
        # read from every word (as its status is where no trusted words decide)
        assert combined.continued == alone.continued
        assert combined.evidence == alone.evidence
    else:
        assert combined.evidence[: len(alone.evidence)][:1] == alone.evidence[:1]


@settings(max_examples=100, deadline=None)
@given(
    base=st.sampled_from([text for _, text in ANNOTATED] + [text for text, _, _ in CASES]),
    activity=st.lists(activity_sentences, max_size=2),
)
def test_upper_case_never_changes_a_verdict(base: str, activity: list[str]) -> None:
    text = " ".join([_closed(base), *activity])
    verdict, shouted = classify_text(text), classify_text(text.upper())
    assert (shouted.status, shouted.continued) == (verdict.status, verdict.continued)
    assert shouted.evidence == [words.upper() for words in verdict.evidence]


# Other organisations' goal nouns and verbs are in too ("Resultatkravet er ikke overholdt").
SUBJECTS = [
    "Målet", "Mål", "Målene", "Målsætningen", "Delmålet", "Resultatmålet", "Måltallet",
    "Succeskriteriet", "Milepælen", "Indsatsen", "Resultatkravet", "Ambitionen",
]  # fmt: skip
PARTICIPLES = [
    "nået", "opnået", "opfyldt", "gennemført", "indfriet", "realiseret", "overholdt",
    "implementeret", "ramt",
]  # fmt: skip
subjects = st.sampled_from(SUBJECTS)
auxiliaries = st.sampled_from(
    ["er", "blev", "er blevet", "er dog", "er desværre", "har været", "er dermed", "anses som"]
)
participles = st.sampled_from(PARTICIPLES)
tails = st.sampled_from(["", ".", " i 2015.", " som planlagt", ", og det videreføres i 2016/17."])


@settings(max_examples=150, deadline=None)
@given(
    subject=subjects,
    auxiliary=auxiliaries,
    verb=participles,
    tail=tails,
    negation=st.sampled_from(["ikke", "endnu ikke", "aldrig", "slet ikke", "langt fra"]),
)
def test_a_negated_goal_is_never_achieved(
    subject: str, auxiliary: str, verb: str, tail: str, negation: str
) -> None:
    assert classify_text(f"{subject} {auxiliary} {verb}{tail}").status == "achieved"
    negated = classify_text(f"{subject} {auxiliary} {negation} {verb}{tail}")
    # "not yet" is work going on (or missed, where the model reads a contrast word: "er dog
    # endnu ikke ramt"), the other denials a goal missed; "er dog endnu ikke ramt som planlagt"
    # is read partly reached, a known defect (`test_a_contrast_inside_the_rules_clause_...`)
    if "endnu" in negation:
        assert negated.status != "achieved"
        known_defect = "dog" in auxiliary and tail.strip() == "som planlagt"
        assert negated.status in {"in_progress", "not_achieved"} or known_defect
    else:
        assert negated.status == "not_achieved"


@pytest.mark.xfail(
    strict=True,
    reason="known defect: a contrast word opening the rules' own clause ('er dog endnu ikke "
    "ramt') makes a later word of that clause ('som planlagt') look like a later event, and "
    "the model reads the text as partly reached; fixing it changes which rule verdicts are "
    "trusted, so it waits for the next refit and a new blind round",
)
def test_a_contrast_inside_the_rules_clause_is_no_later_event() -> None:
    assert classify_text("Delmålet er dog endnu ikke ramt som planlagt").status == "in_progress"


@settings(max_examples=100, deadline=None)
@given(
    subject=subjects,
    auxiliary=auxiliaries,
    verb=participles,
    tail=tails,
    partly=st.sampled_from(["ikke helt", "ikke fuldt ud", "delvis", "delvist", "til dels"]),
)
def test_partly_reached_is_partially_achieved(
    subject: str, auxiliary: str, verb: str, tail: str, partly: str
) -> None:
    assert classify_text(f"{subject} {auxiliary} {partly} {verb}{tail}").status == (
        "partially_achieved"
    )


STATUS_CLAUSES = [
    ("Målet er nået", "achieved"),
    ("Målet er ikke nået", "not_achieved"),
    ("Målet er endnu ikke opnået", "in_progress"),
    ("Målet er delvist opfyldt", "partially_achieved"),
    ("Målet viste sig irrelevant", "dropped"),
]
CONTINUED_CLAUSES = [
    ("der arbejdes videre med det i 2016/17", True),
    ("det videreføres i 2016/17", True),
    ("det gentages og videreudvikles", True),
    ("det afsluttes hermed", False),
    ("det overvejes om der skal arbejdes videre med det", None),
]


@settings(max_examples=100, deadline=None)
@given(
    status=st.sampled_from(STATUS_CLAUSES),
    continued=st.sampled_from(CONTINUED_CLAUSES),
    joint=st.sampled_from([", og ", ", men ", " og ", ". Og "]),
)
def test_clauses_combine(
    status: tuple[str, str], continued: tuple[str, bool | None], joint: str
) -> None:
    text = f"{status[0]}{joint}{continued[0]}."
    verdict = classify_text(text)
    assert verdict.status == status[1]
    if continued[1] is None and status[1] == "dropped":
        assert (
            verdict.continued is False
        )  # "irrelevant" ends the goal; the open clause says nothing
    else:
        assert verdict.continued == continued[1]  # "goes on" beats the "irrelevant" ending


@pytest.mark.parametrize(
    ("text", "status", "continued"),
    [
        ("Opfyldt", "achieved", None),
        ("Nået.", "achieved", None),
        ("Gennemført", "achieved", None),
        ("Delvist opfyldt", "partially_achieved", None),
        ("Ikke opfyldt", "not_achieved", None),
        ("Endnu ikke nået", "in_progress", None),
        ("I gang", "in_progress", None),
        ("Videreføres", "in_progress", True),
        ("Udgår", "dropped", False),
        ("Delvis nået – videreføres i 2017", "partially_achieved", True),
        ("Der er gennemført en analyse.", "unknown", None),
    ],
)
def test_terse_status_column_values(text, status, continued):
    """A status column names no subject: the verb that opens the text is said of the goal."""
    verdict = classify_text(text)
    assert (verdict.status, verdict.continued) == (status, continued)


FIELD_VERDICTS = ["Opfyldt", "Gennemført", "Mål nået", "Målet opnået", "Delmål 3 indfriet"]
TICKS = ["☒", "☑", "✓", "✔", "✗", "✘"]
OPTIONS = {"Ja": "achieved", "Nej": "not_achieved", "Delvist": "partially_achieved"}


@settings(max_examples=100, deadline=None)
@given(
    verdict=st.sampled_from(FIELD_VERDICTS),
    asked=st.sampled_from([":", "?"]),
    mark=st.sampled_from(["☐", "✗", "✘", "☒", "❌"]),
    end=st.sampled_from(["", ".", " (se bilag 2)"]),
)
def test_a_mark_alone_answers_no(verdict: str, asked: str, mark: str, end: str) -> None:
    """An empty box or a cross that is a verdict field's whole value answers no."""
    assert rule_verdicts([f"{verdict}{asked} {mark}{end}"])[0].status == "not_achieved"


@settings(max_examples=150, deadline=None)
@given(
    verdict=st.sampled_from(FIELD_VERDICTS),
    order=st.permutations(list(OPTIONS)),
    chosen=st.sampled_from(list(OPTIONS)),
    tick=st.sampled_from(TICKS),
    gap=st.sampled_from([" ", "  ", "   "]),
)
def test_the_ticked_option_of_a_form_answers(
    verdict: str, order: list[str], chosen: str, tick: str, gap: str
) -> None:
    """ "Mål nået: ☐ Ja ☒ Nej ☐ Delvist": the ticked option answers, wherever it stands."""
    form = gap.join(f"{tick if option == chosen else '☐'} {option}" for option in order)
    assert rule_verdicts([f"{verdict}: {form}"])[0].status == OPTIONS[chosen]


@pytest.mark.parametrize("answer", ["Nej", "nej", "NEJ"])
@pytest.mark.parametrize("verdict", FIELD_VERDICTS)
def test_a_question_answered_no(verdict: str, answer: str) -> None:
    """ "Opfyldt? Nej" is the field "Opfyldt: Nej"."""
    assert rule_verdicts([f"{verdict}? {answer} – se afvigelsesforklaring"])[0].status == (
        "not_achieved"
    )
    assert rule_verdicts([f"{verdict}? Ja"])[0].status == "achieved"


@pytest.mark.parametrize(
    "text",
    [
        "Hverken tidsplanen eller effektmålet holdt.",
        "Hverken den nye hjemmeside eller selvbetjeningsløsningen er lanceret.",
        "Hverken bygningen af hallen eller udbuddet af driften blev gennemført i 2024.",
    ],
)
def test_neither_nor_denies_the_verb_of_its_clause(text: str) -> None:
    assert classify_text(text).status == "not_achieved"


def test_neither_nor_stops_at_a_comma() -> None:
    """ "hverken ... eller" denies its own verb, not the clause after the comma."""
    verdict = rule_verdicts(
        ["Da planen hverken blev indført eller fulgt, tages målet ud af planen."]
    )
    assert verdict[0].continued is False


# --- properties of the wider reading (other organisations' language) --------------------------

wide_subjects = st.sampled_from(
    [
        "Målet",
        "Resultatmålet",
        "Måltallet",
        "Succeskriteriet",
        "Milepælen",
        "Indsatsen",
        "Resultatkravet",
        "Ambitionen",
        "Effektmålet",
        "Delmålet om kortere ventetid",
    ]
)


@settings(max_examples=100, deadline=None)
@given(
    subject=wide_subjects,
    auxiliary=auxiliaries,
    verb=participles,
    limit=st.sampled_from(
        [", men ikke for alle skoler", ", dog ikke i alle distrikter", " på nær ét område"]
    ),
)
def test_a_limited_scope_is_partial(subject: str, auxiliary: str, verb: str, limit: str) -> None:
    assert classify_text(f"{subject} {auxiliary} {verb}{limit}.").status == "partially_achieved"


NUMBER_WORDS = ["en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti"]


@settings(max_examples=100, deadline=None)
@given(
    part=st.integers(min_value=0, max_value=10),
    whole=st.integers(min_value=1, max_value=10),
    as_words=st.booleans(),
    noun=st.sampled_from(["delmål", "succeskriterier", "milepæle", "indikatorer"]),
)
def test_a_count_of_goals_decides_by_how_many(
    part: int, whole: int, as_words: bool, noun: str
) -> None:
    if part > whole:
        part, whole = whole, part
    if whole == 0:
        return

    def said(n: int) -> str:
        return NUMBER_WORDS[n - 1] if as_words and n else str(n)

    lead = "Ingen" if part == 0 else said(part).capitalize()
    verdict = classify_text(f"{lead} ud af {said(whole)} {noun} er opfyldt.")
    expected = (
        "not_achieved" if part == 0 else "achieved" if part == whole else "partially_achieved"
    )
    assert verdict.status == expected


@settings(max_examples=100, deadline=None)
@given(
    grade=st.integers(min_value=0, max_value=120),
    label=st.sampled_from(["Opfyldelsesgrad", "Målopfyldelse", "Grad af målopfyldelse"]),
)
def test_a_grade_in_per_cent(grade: int, label: str) -> None:
    verdict = classify_text(f"{label}: {grade} %")
    expected = (
        "achieved" if grade >= 100 else "not_achieved" if grade == 0 else "partially_achieved"
    )
    assert verdict.status == expected
    assert verdict.evidence == [f"{label}: {grade} %"]


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(min_value=1, max_value=99),
    result=st.integers(min_value=1, max_value=99),
    target=st.integers(min_value=1, max_value=99),
)
def test_a_result_against_its_target(start: int, result: int, target: int) -> None:
    """With a start value, the better direction is the one from the start towards the target."""
    if target == start:
        return
    verb = "steg" if result > start else "faldt"
    text = f"Andelen {verb} fra {start} til {result} % mod et mål på {target} %."
    better_high = target > start
    met = result >= target if better_high else result <= target
    assert classify_text(text).status == ("achieved" if met else "not_achieved")


@settings(max_examples=150, deadline=None)
@given(
    result=st.integers(min_value=0, max_value=99),
    target=st.integers(min_value=1, max_value=99),
    bound=st.sampled_from(["højst", "under", "maks.", "mindst", "over", "min."]),
    measure=st.sampled_from(["Ventetid", "Tilfredshed", "Andel", "Fejlprocent", "Dækning"]),
)
def test_a_bound_before_the_target_decides_its_direction(
    result: int, target: int, bound: str, measure: str
) -> None:
    """ "(mål: under 10 %)" is a ceiling and "(mål: mindst 80 %)" a floor, whatever the measure."""
    if result == target:
        return
    ceiling = bound in {"højst", "under", "maks."}
    met = result < target if ceiling else result > target
    status = rule_verdicts([f"{measure}: {result} % (mål: {bound} {target} %)"])[0].status
    assert status == ("achieved" if met else "not_achieved")


@settings(max_examples=60, deadline=None)
@given(result=st.integers(min_value=0, max_value=500), label=st.sampled_from(["mål", "krav"]))
def test_a_target_of_nothing_is_a_ceiling(result: int, label: str) -> None:
    status = rule_verdicts([f"Hændelser i alt: {result} ({label}: 0)"])[0].status
    assert status == ("achieved" if result == 0 else "not_achieved")


@settings(max_examples=60, deadline=None)
@given(
    label=st.sampled_from(["Status", "Målopfyldelse", "Vurdering"]),
    verdict=st.sampled_from(["Opfyldt", "Gennemført", "Nået"]),
    next_label=st.sampled_from(["Videreføres", "Fortsætter", "Videreførelse"]),
    answer=st.sampled_from(["Ja", "Nej", "ja", "nej"]),
    breaks=st.sampled_from(["\n", "\n\n", " \n"]),
)
def test_a_field_line_answers_its_own_label(
    label: str, verdict: str, next_label: str, answer: str, breaks: str
) -> None:
    read = rule_verdicts([f"{label}: {verdict}{breaks}{next_label}: {answer}"])[0]
    assert read.status == "achieved"
    assert read.continued is (answer.lower() == "ja")


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=9),
    seconds=st.integers(min_value=10, max_value=59),
    limit=st.integers(min_value=1, max_value=9),
)
def test_a_time_is_one_number(minutes: int, seconds: int, limit: int) -> None:
    # "2:41 min (krav: under 3 min)": the seconds are no result of their own
    text = f"Svartid: {minutes}:{seconds} min (krav: under {limit} min)"
    evidence = rule_verdicts([text])[0].evidence
    assert not any(e.startswith(f"{seconds} min") for e in evidence)


@settings(max_examples=100, deadline=None)
@given(subject=wide_subjects, year=st.integers(min_value=2015, max_value=2030))
def test_an_expected_verdict_is_in_progress(subject: str, year: int) -> None:
    goal = subject[0].lower() + subject[1:]
    assert classify_text(f"Det forventes, at {goal} nås i {year}.").status == "in_progress"
    assert classify_text(f"{subject} forventes nået i {year}.").status == "in_progress"


VERDICT_WORDS = [
    "Målet", "er", "ikke", "nået", "delvist", "opfyldt", "Status:", "Gul", "tre", "ud", "af",
    "fire", "delmål", "mod", "et", "mål", "på", "55", "%", "fra", "48", "til", "52", "men",
    "for", "alle", "videreføres", "afsluttes", "Det", "forventes,", "at", "nås", "✓", "Nej",
    "Opfyldelsesgrad:", "60", "lykkedes", "implementeret", "udskudt", "2018.", "og", ",", ".",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(VERDICT_WORDS), min_size=1, max_size=25))
def test_evidence_is_always_quoted_from_the_text(words: list[str]) -> None:
    text = " ".join(words)
    verdict = classify_text(text)
    assert all(piece and piece in text for piece in verdict.evidence)
    assert 0 <= verdict.confidence <= 1
    # no words decided: no verdict; a verdict left unknown was left so by nothing or by the
    # model setting a doubted rule reading aside ("videreføres og Gul")
    assert verdict.decided_by != "nothing" or verdict.status == "unknown"
    assert verdict.status != "unknown" or verdict.decided_by in ("nothing", "model")


_PHRASE_WORDS = st.text(alphabet="målet ækø", min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PHRASE_WORDS, min_size=1, max_size=8), st.text(alphabet="målet ækø.,", max_size=60)
)
def test_phrase_tries_match_what_the_plain_alternation_matched(words, text):
    """`_phrases` writes a word list as a trie; it must find the same spans as the plain
    alternation, longest phrase first, that it replaces."""
    unique = {" ".join(w.lower().split()) for w in words if w.strip()}
    phrases = sorted(unique, key=len, reverse=True)
    plain = (
        r"(?<!\w)(?:"
        + "|".join(r"\s+".join(re.escape(part) for part in p.split()) for p in phrases)
        + r")(?!\w)"
        if phrases
        else r"(?!x)x"
    )
    flags = re.IGNORECASE
    trie = re.compile(phrasebook._phrases(words), flags)
    assert [m.span() for m in trie.finditer(text)] == [
        m.span() for m in re.compile(plain, flags).finditer(text)
    ]
