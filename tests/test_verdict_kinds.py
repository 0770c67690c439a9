"""The whole verdict reader (phrase rules + learned layer) on each kind of issue 23, with texts
made up for these tests (in none of the corpus rounds: `test_texts_are_not_in_the_corpus`).
Examples of the issue that are still read wrongly are listed in docs/verdicts.md.

The rule-by-rule cases are in test_classify.py, the parts of the meaning reader in
test_verdict_meaning.py, the figures per round in test_verdict_corpus.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from maalspor.models.plan import FollowUp, PlanDocument, Source, Status
from maalspor.verdicts import classify, classify_text, classify_texts
from maalspor.verdicts.records import verdict_of_texts

CORPUS = Path(__file__).parent / "verdict_corpus"
# Texts about continuation: any status is taken (the case is about `continued`).
ANY_STATUS = set(get_args(Status))

# (kind, text, acceptable statuses, acceptable continued values)
CASES: list[tuple[str, str, set[str], set[bool | None]]] = [
    # words the phrase lists lack, in any inflection
    ("lexical", "Er landet som planlagt", {"achieved"}, {None, False}),
    ("lexical", "Sat i bero indtil videre", {"dropped", "in_progress"}, {None, True}),
    ("lexical", "Det er besluttet at droppe indsatsen", {"dropped"}, {False, None}),
    ("lexical", "Ordningen er nu udrullet i hele kommunen", {"achieved"}, {None, False}),
    ("lexical", "Er blevet skrinlagt", {"dropped"}, {False, None}),
    ("lexical", "Vi besluttede at opgive det", {"dropped"}, {False, None}),
    ("lexical", "Indsatsen er udskudt til næste år", {"in_progress", "dropped"}, {True}),
    # numbers against a target with a direction
    ("numbers", "Responstid: 38 minutter (krav: højst 30)", {"not_achieved"}, {None}),
    ("numbers", "Selvbetjeningsgrad 84 % (mål 80 %)", {"achieved"}, {None}),
    (
        "numbers",
        "Sagsbehandlingstiden er faldet fra 9,1 til 7,4 dage mod et mål på 8 dage",
        {"achieved"},
        {None},
    ),
    ("numbers", "2 af 9 gennemført", {"partially_achieved", "not_achieved"}, {None}),
    # fields and traffic lights
    ("field", "Farve: gul", {"partially_achieved"}, {None}),
    ("field", "Stade: gult lys", {"partially_achieved"}, {None}),
    ("field", "Samlet vurdering – grøn", {"achieved"}, {None}),
    # negation with scope
    ("negation", "Hverken tidsplanen eller effektmålet holdt", {"not_achieved"}, {None}),
    (
        "negation",
        "Projektet blev afsluttet uden at have nået målet",
        {"not_achieved"},
        {False, None},
    ),
    # work going on is no verdict beside a shortfall the phrase rules could not place
    (
        "order",
        "Målet om at korte ventetiden ned til 20 dage blev ikke nået (26 dage). Indsatsen "
        "videreføres.",
        {"not_achieved"},
        {True},
    ),
    # ... and a stage done while the work goes on leaves it going on
    ("order", "Målet videreføres; første fase er gennemført.", {"in_progress"}, {True}),
    ("lexical", "Uopfyldt ved årets udgang", {"not_achieved"}, {None}),
    # the later clause decides
    (
        "order",
        "Udbuddet blev annulleret i april, men gennemført på ny i oktober, og kontrakten er nu "
        "underskrevet",
        {"achieved"},
        {None},
    ),
    # hedges
    ("hedge", "Ventes i mål inden sommerferien", {"in_progress"}, {None, True}),
    ("hedge", "Stort set på plads", {"partially_achieved", "achieved"}, {None}),
    # continued
    ("continued", "Videreføres som indsats 4.1 i næste års plan", ANY_STATUS, {True}),
    ("continued", "Målet tages ikke med i næste års plan", ANY_STATUS, {False}),
    ("continued", "Indgår ikke i planen fremover", ANY_STATUS, {False}),
    # a going-on denied in its clause ends the goal, however it is worded
    ("continued", "Indsatsen bliver ikke en del af den kommende plan", ANY_STATUS, {False}),
    ("continued", "Optræder ikke i planen fremover", ANY_STATUS, {False}),
    (
        "continued",
        "Målet er ikke nået, og der er fortsat ikke ansat en koordinator",
        ANY_STATUS,
        {None},
    ),
    ("continued", "Vi holder fast i målet næste år, selv om det er nået", {"achieved"}, {True}),
    # activity only: no verdict
    ("no_verdict", "Der er afholdt tre temamøder med lederne i foråret.", {"unknown"}, {None}),
    # lights of emoji and the cells of a table on one line
    ("field", "Kundetilfredshed: 🟢", {"achieved"}, {None}),
    ("field", "Bemanding i weekenden: 🟡", {"partially_achieved"}, {None}),
    ("field", "Økonomi: 🔴", {"not_achieved"}, {None}),
    ("field", "Gennemført: Delvis | Fortsætter: Ja", {"partially_achieved"}, {True}),
    # a denied claim denies the clause it introduces
    ("negation", "Vi kan ikke påstå, at målet er opfyldt.", {"not_achieved"}, {None}),
    ("negation", "Man kan ikke sige, at målet ikke er nået.", {"achieved"}, {None}),
    ("negation", "Opfyldt blev målet desværre heller ikke i år.", {"not_achieved"}, {None}),
    # a value labelled by a verdict word, against its target
    ("numbers", "Opnået: 41 | Mål: 50", {"not_achieved", "partially_achieved"}, {None}),
    # a target between two values
    ("numbers", "Andel med fast læge: 76 % | Målinterval: 70-80 %", {"achieved"}, {None}),
    # a share is measured against a share, not against the time in its condition
    (
        "numbers",
        "Målet var, at mindst 80 % af ansøgningerne skulle afgøres inden for 20 dage. "
        "Resultatet blev 86 %.",
        {"achieved"},
        {None},
    ),
    # status words of management English
    ("field", "Projektstatus: on track", {"in_progress"}, {None}),
    ("field", "Projektstatus: off track", {"not_achieved"}, {None}),
    # a bound written with a full stop; a budget frame is a ceiling
    ("numbers", "Vandforbrug: 14.200 m³. Målsætning: max. 15.000 m³.", {"achieved"}, {None}),
    (
        "numbers",
        "Udgifter til vikarer blev 2,1 mio. kr. inden for en ramme på 2,5 mio. kr.",
        {"achieved"},
        {None},
    ),
    # a result against its target outranks the work going on
    (
        "order",
        "Frafaldet skulle holdes under 12 %. Det endte på 17 %. Målet videreføres.",
        {"not_achieved"},
        {True},
    ),
    # twelfth pass: a question field answered no, a box left empty, a form's ticked option
    ("field", "Målopfyldelse i 2024? Nej, jf. notat.", {"not_achieved"}, {None}),
    ("field", "Leveret til tiden: ☐", {"not_achieved"}, {None}),
    ("field", "Implementeret: ☐ Ja ☐ Nej ☒ Delvist", {"partially_achieved"}, {None}),
    # "næppe" denies with a hedge
    ("hedge", "Vi vurderer, at målet næppe nås i år.", {"not_achieved", "in_progress"}, {None}),
    # a result level with, or under, the target
    (
        "numbers",
        "Vi sluttede året med 310 nye lejligheder, svarende til målet.",
        {"achieved"},
        {None},
    ),
    ("numbers", "Samlet for året lander vi lidt under målet.", {"not_achieved"}, {None}),
    # a limit value has no close miss
    ("numbers", "Bly i drikkevandet: 5,3 µg/l (grænseværdi 5 µg/l).", {"not_achieved"}, {None}),
    # a scope left out is part of the goal not reached
    (
        "plain",
        "Ordningen er indført i hjemmeplejen, men endnu ikke i sygeplejen.",
        {"partially_achieved"},
        {None, True},
    ),
    # leaving the plan says the goal ends, not that it was dropped
    (
        "continued",
        "Den nye vagtplanlægning er indført på alle centre og udgår derfor af handleplanen.",
        {"achieved"},
        {False},
    ),
    ("continued", "Målet tages ud af planen, da det er nået.", {"achieved"}, {False}),
    # a goal replaced in its present form is changed
    (
        "continued",
        "Målet udgår i sin nuværende form og erstattes af et mål om kortere svartider.",
        {"changed"},
        {False, True, None},
    ),
    # keeping at it, or letting it lie
    ("continued", "Vi nåede det ikke, men vi giver ikke op.", {"not_achieved"}, {True}),
    ("continued", "Ikke nået. Vi lader det ligge.", {"not_achieved", "dropped"}, {False}),
    ("continued", "Ikke lykkedes endnu; vi gør et nyt forsøg til efteråret.", ANY_STATUS, {True}),
    (
        "continued",
        "Borgerpanelet blev ikke etableret, og vi prøver ikke igen.",
        ANY_STATUS,
        {False},
    ),
    ("continued", "Fristen er rykket til 2026.", ANY_STATUS, {True}),
    # thirteenth pass: a target of nothing is a ceiling; a bound before the target decides
    ("numbers", "Arbejdsulykker med fravær: 3 (mål: 0)", {"not_achieved"}, {None}),
    ("numbers", "Klager over støj: 0 (mål: 0)", {"achieved"}, {None}),
    ("numbers", "Tomgangsprocent: 4 % (mål: under 5 %)", {"achieved"}, {None}),
    # uptime is better high; a service level agreement is a target
    (
        "numbers",
        "Oppetid på hjemmesiden: 98,1 % (SLA 99,9 %)",
        {"not_achieved", "partially_achieved"},
        {None},
    ),
    # "under" a nominalised verb is work going on
    ("terse", "Under ombygning", {"in_progress"}, {None}),
    # "undtagen" limits a verdict; "hvorimod ... endnu ikke" leaves a scope out
    (
        "plain",
        "Alle afdelinger har fået de nye skabeloner, hvorimod kirurgien endnu ikke har fået dem.",
        {"partially_achieved"},
        {None, True},
    ),
    ("numbers", "Vi holdt 24 borgermøder, hvilket svarer til målet.", {"achieved"}, {None}),
    # renamed, and carried on as ordinary operations
    ("plain", "Projektet fortsætter med et nyt navn: 'Grøn By'.", {"changed"}, {True, None}),
    (
        "continued",
        "Målet er nået og videreføres som en del af den daglige drift.",
        {"achieved"},
        {False},
    ),
    ("continued", "Målet er nået, men vi viderefører det et år mere.", {"achieved"}, {True}),
    # fourteenth pass: a field on its own line answers its own label; a bounded target is no
    # result; a result in the target's sentence before one in the next; a time is one number
    ("field", "Status: Gennemført\nFortsætter: Nej", {"achieved"}, {False}),
    ("field", "Mål nået: Ja\nVidereførelse: Ja", {"achieved"}, {True}),
    (
        "numbers",
        "Sager behandlet inden for fristmålet: 61 % (mål: mindst 75 %)",
        {"not_achieved", "partially_achieved"},
        {None},
    ),
    (
        "numbers",
        "Henvendelser om skrald: 120 (maks. 150 jf. aftalen). Sidste sæson: 170.",
        {"achieved"},
        {None},
    ),
    # an expected ending has not happened; leaving the plan in other words; stopping now
    ("field", "Status: I gang – forventet afsluttet ultimo 2025", {"in_progress"}, {None, True}),
    ("continued", "Målet er opfyldt og skrives ud af handleplanen.", {"achieved"}, {False}),
    ("continued", "Vi stopper med målet, da ordningen nu er lovpligtig.", ANY_STATUS, {False}),
    (
        "continued",
        "Opgaven overføres til Region Midt og indgår derfor ikke i vores plan for 2025.",
        ANY_STATUS,
        {False},
    ),
]


# Examples of the issue read wrongly (strict xfail: a fix shows). The three of the second pass
# (a postponement read as not achieved, "afsluttet uden at have nået målet" as reached, "stort
# set på plads" left unknown) read right since the third pass.
STILL_WRONG: set[str] = set()


@pytest.mark.parametrize(
    ("kind", "text", "statuses", "continued"),
    [
        pytest.param(
            *case,
            marks=[pytest.mark.xfail(strict=True, reason="still read wrongly")]
            if case[1] in STILL_WRONG
            else [],
        )
        for case in CASES
    ],
    ids=[f"{c[0]}: {c[1][:40]}" for c in CASES],
)
def test_kind(kind: str, text: str, statuses: set[str], continued: set[bool | None]) -> None:
    verdict = classify_text(text)
    assert verdict.status in statuses, (kind, verdict)
    assert verdict.continued in continued, (kind, verdict)
    assert all(words in text for words in verdict.evidence)
    assert 0 <= verdict.confidence <= 1


def test_one_code_path() -> None:
    """`maalspor verdict` (records), classify_texts and the plan stage give the same verdicts."""
    texts = [text for _, text, _, _ in CASES]
    plan = PlanDocument(
        source=Source(path="plan.txt", sha256="0" * 64, pages=0),
        organisation=None,
        unit=None,
        title=None,
        period=None,
        follow_ups=[
            FollowUp(id=f"f{i}", section=None, text="Mål", page=0, bbox=None, follow_up=text)
            for i, text in enumerate(texts)
        ],
    )
    staged = [(f.status, f.continued) for f in classify(plan).follow_ups]
    records = [(r.status, r.continued) for r in verdict_of_texts(texts)]
    together = [(v.status, v.continued) for v in classify_texts(texts)]
    one_by_one = [(classify_text(t).status, classify_text(t).continued) for t in texts]
    assert staged == records == together == one_by_one


def corpus_texts() -> set[str]:
    """Every text of every corpus file, lower-cased (the tests' texts must be none of them)."""
    corpus = set()
    for path in CORPUS.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                corpus.add(json.loads(line)["text"].strip().lower())
    return corpus


def test_texts_are_not_in_the_corpus() -> None:
    assert not {text.lower() for _, text, _, _ in CASES} & corpus_texts()
