"""Lineage of goals across plans: links against a hand annotation, fates, chains, properties.

The two real plans are read from tests/data/*.txt (the sample PDFs' text, tables split into
Mål / Dokumentation / Opfølgning blocks, "Side N" closing each page) by `read_text_plan` below,
until `maalspor.parse` exists; then the PDFs are parsed instead (see `load_plan`). The
follow-ups' verdicts (status, continued) are a person's reading, from the annotation file, so
these tests measure the matcher and not the verdict classifier.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maalspor.match.linker import lineage, naive_match
from maalspor.match.vocabulary import (
    Analyzer,
    _synonym_terms,
    matching_rules,
    split_compound,
)
from maalspor.models.common import Period, Source
from maalspor.models.lineage import LineageDocument
from maalspor.models.plan import FollowUp, Goal, PlanDocument, Section
from maalspor.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
ANNOTATIONS = ROOT / "tests" / "annotations"
SAMPLES = ROOT / "samples"

PLAN_2015 = "albertslund-okonomi-og-stab-2015"
PLAN_2016 = "albertslund-okonomi-og-stab-2016-2017"
PLAN_2018 = "synthetic-okonomi-og-stab-2018-2019"

# ---------------------------------------------------------------------------------------------
# Reading a plan from its text


_TITLE = re.compile(
    r"^virksomhedsplan for (?P<unit>.+?)\s+(?P<period>(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)?\d\d)?)$",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(r"^[A-ZÆØÅ][\wæøå-]+ (?:Kommune|Region)$")
_FOLLOW_UP_HEADING = re.compile(
    r"^opfølgning på .*\bmål (?:fra )?(?P<period>(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)?\d\d)?)$",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^(?P<number>\d{1,2})\.?\s+(?P<title>[A-ZÆØÅ].*)$")
_PAGE_END = re.compile(r"^Side (?P<page>\d+)$")
_TOC_LINE = re.compile(r"\.{4,}\s*\d+$")
_FIELD = re.compile(r"^(?P<label>Mål|Dokumentation|Opfølgning):\s*(?P<rest>.*)$")
_NUMBERED = re.compile(r"^\d{1,2}\.\s+")


def _period(label: str) -> Period:
    years = [int(y) if len(y) == 4 else 2000 + int(y) for y in re.findall(r"\d{2,4}", label)]
    return Period(label=label, start=years[0], end=years[-1])


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _goal_fields(lines: list[str]) -> tuple[str, list[str], str | None]:
    """Lead text, numbered sub-goals, and further paragraphs (the note) of a Mål block."""
    lead: list[str] = []
    subgoals: list[str] = []
    note: list[str] = []
    for number, paragraph in enumerate(_paragraphs(lines)):
        for line in paragraph:
            if _NUMBERED.match(line):
                subgoals.append(_NUMBERED.sub("", line))
            elif number == 0 and not subgoals:
                lead.append(line)
            elif number == 0:
                subgoals[-1] += " " + line
            else:
                note.append(line)
    text = " ".join([*lead, *subgoals]).strip()
    return text, subgoals, " ".join(note) or None


def _documentation(lines: list[str]) -> list[str]:
    items: list[str] = []
    fresh = True
    for line in lines:
        if not line:
            fresh = True
        elif line.startswith("- "):
            items.append(line[2:].strip())
            fresh = False
        elif fresh or not items:
            items.append(line)
            fresh = False
        else:
            items[-1] += " " + line
    return items


def read_text_plan(path: Path) -> PlanDocument:
    """A PlanDocument from a plan's plain text (the layout of tests/data/*.txt)."""
    raw = path.read_bytes()
    lines = [line.strip() for line in raw.decode("utf-8").splitlines()]
    paged = any(_PAGE_END.match(line) for line in lines)
    page = 1 if paged else 0
    title = unit = organisation = None
    period = follow_up_period = None
    sections: list[str] = []
    goals: list[Goal] = []
    follow_ups: list[FollowUp] = []
    in_follow_up = False
    section: str | None = None
    block: dict | None = None
    field: str | None = None

    def close() -> None:
        nonlocal block, field
        if block is None:
            return
        text, subgoals, note = _goal_fields(block["goal"])
        common = {
            "section": block["section"],
            "text": text,
            "subgoals": subgoals,
            "note": note,
            "documentation": _documentation(block["doc"]),
            "page": block["page"],
            "bbox": None,
        }
        if block["follow_up_part"]:
            follow = " ".join(" ".join(p) for p in _paragraphs(block["follow"])) or None
            follow_ups.append(
                FollowUp(id=f"F{len(follow_ups) + 1:03d}", follow_up=follow, **common)
            )
        else:
            goals.append(Goal(id=f"G{len(goals) + 1:03d}", **common))
        block, field = None, None

    def next_line(index: int) -> str:
        return next((line for line in lines[index + 1 :] if line), "")

    for index, line in enumerate(lines):
        page_end = _PAGE_END.match(line)
        if page_end:
            page = int(page_end.group("page")) + 1
            continue
        if _TOC_LINE.search(line):
            continue
        if title is None and (found := _TITLE.match(line)):
            title, unit, period = line, found.group("unit"), _period(found.group("period"))
            continue
        if organisation is None and _ORGANISATION.match(line):
            organisation = line
            continue
        if found := _FOLLOW_UP_HEADING.match(line):
            close()
            in_follow_up, section = True, None
            follow_up_period = _period(found.group("period"))
            continue
        if found := _FIELD.match(line):
            label, rest = found.group("label"), found.group("rest")
            if label == "Mål":
                close()
                block = {
                    "section": section,
                    "page": page,
                    "goal": [],
                    "doc": [],
                    "follow": [],
                    "follow_up_part": in_follow_up,
                }
            field = {"Mål": "goal", "Dokumentation": "doc", "Opfølgning": "follow"}[label]
            if block is not None and rest:
                block[field].append(rest)
            continue
        starts_goal = next_line(index).startswith("Mål")
        if not in_follow_up and field != "goal" and (found := _SECTION.match(line)):
            close()
            section = found.group("title")
            sections.append(section)
            continue
        if (
            in_follow_up
            and line
            and starts_goal
            and len(line.split()) <= 8
            and not line.endswith((".", ":", "!", "?"))
            and (block is None or (field == "follow" and _paragraphs(block["follow"])))
        ):
            close()
            section = line
            sections.append(section)
            continue
        if block is not None and field is not None:
            block[field].append(line)
    close()
    return PlanDocument(
        source=Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest(), pages=0),
        organisation=organisation,
        unit=unit,
        title=title,
        period=period,
        sections=[Section(number=None, title=t) for t in dict.fromkeys(sections)],
        goals=goals,
        follow_up_period=follow_up_period,
        follow_ups=follow_ups,
    )


# ---------------------------------------------------------------------------------------------
# Plans and annotations


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _full(goal) -> str:
    # A list goal may be parsed as lead "Vi vil:" plus sub-goals, or as the items joined.
    return " ".join([goal.text, *(s for s in goal.subgoals if s not in goal.text)])


def find_goal(goals, prefix: str):
    hits = [g for g in goals if _key(_full(g)).startswith(_key(prefix))]
    assert len(hits) == 1, f"{len(hits)} goals start with {prefix!r}"
    return hits[0]


@cache
def annotation(name: str) -> dict:
    return tomllib.loads((ANNOTATIONS / f"{name}.toml").read_text(encoding="utf-8"))


def load_plan(name: str) -> PlanDocument:
    """A plan of the series: the sample PDF through the parser, else the text in tests/data.
    The synthetic plan exists as text only."""
    from maalspor import parse

    pdf = SAMPLES / f"{name}.pdf"
    if pdf.exists():
        return parse(pdf)
    return read_text_plan(DATA / f"{name}.txt")


def with_verdicts(plan: PlanDocument, annotation_name: str) -> PlanDocument:
    """The plan with its follow-ups' verdicts as a person read them (see the annotation)."""
    plan = plan.model_copy(deep=True)
    for prefix, verdict in annotation(annotation_name)["verdicts"].items():
        follow_up = find_goal(plan.follow_ups, prefix)
        follow_up.status = verdict["status"]
        follow_up.continued = verdict.get("continued")
    return plan


@cache
def series() -> tuple[PlanDocument, PlanDocument, PlanDocument]:
    plan_2015 = load_plan(PLAN_2015)
    plan_2016 = with_verdicts(load_plan(PLAN_2016), "links_2015_to_2016_2017")
    plan_2018 = with_verdicts(
        read_text_plan(DATA / f"{PLAN_2018}.txt"), "links_2016_2017_to_synthetic_2018_2019"
    )
    return plan_2015, plan_2016, plan_2018


def annotated_pairs(name: str, earlier: PlanDocument, later: PlanDocument) -> dict:
    """{(earlier goal id, later goal id): grade} of an annotation."""
    return {
        (find_goal(earlier.goals, link["from"]).id, find_goal(later.goals, link["to"]).id): link[
            "grade"
        ]
        for link in annotation(name)["link"]
    }


def predicted_pairs(document: LineageDocument, earlier: str, later: str) -> set[tuple[str, str]]:
    plan_of = {goal.id: goal.plan for goal in document.goals}
    goal_of = {goal.id: goal.goal for goal in document.goals}
    return {
        (goal_of[link.from_], goal_of[link.to])
        for link in document.links
        if plan_of[link.from_] == earlier and plan_of[link.to] == later
    }


def precision_recall(predicted: set, truth: dict) -> tuple[float, float]:
    """Precision over all predicted links (any annotated grade counts), recall over certain."""
    certain = {pair for pair, grade in truth.items() if grade == "certain"}
    correct = sum(1 for pair in predicted if pair in truth)
    precision = correct / len(predicted) if predicted else 1.0
    recall = len(certain & predicted) / len(certain) if certain else 1.0
    return precision, recall


def plan_id(document: LineageDocument, period_label: str) -> str:
    return next(p.id for p in document.plans if p.period and p.period.label == period_label)


# ---------------------------------------------------------------------------------------------
# Links against the hand annotation


def test_links_2015_to_2016_match_the_annotation_and_beat_the_naive_matcher() -> None:
    """The one real pair, held out: the link model never saw it (it is fitted on the lineage
    corpus, tests/lineage_corpus). The floors are below what it reaches (precision 0.79,
    recall 0.91 with the shipped model; docs/matching.md) so that a refit may move a link or
    two, and the naive matcher must be beaten on both counts together."""
    plan_2015, plan_2016, _ = series()
    document = lineage([plan_2015, plan_2016])
    predicted = predicted_pairs(document, plan_id(document, "2015"), plan_id(document, "2016-2017"))
    truth = annotated_pairs("links_2015_to_2016_2017", plan_2015, plan_2016)
    precision, recall = precision_recall(predicted, truth)

    naive = {
        (a, b)
        for a, b, _ in naive_match(
            {g.id: g.text for g in plan_2015.goals}, {g.id: g.text for g in plan_2016.goals}
        )
    }
    naive_precision, naive_recall = precision_recall(naive, truth)
    print(
        f"\nsignals: {len(predicted)} links, precision {precision:.2f}, recall {recall:.2f}"
        f"\nnaive fuzz.ratio>=60: {len(naive)} links, precision {naive_precision:.2f}, "
        f"recall {naive_recall:.2f}"
    )
    assert precision >= 0.65
    assert recall >= 0.65
    assert precision + recall > naive_precision + naive_recall


def test_links_2016_to_synthetic_2018_match_the_annotation() -> None:
    _, plan_2016, plan_2018 = series()
    document = lineage([plan_2016, plan_2018])
    predicted = predicted_pairs(
        document, plan_id(document, "2016-2017"), plan_id(document, "2018-2019")
    )
    truth = annotated_pairs("links_2016_2017_to_synthetic_2018_2019", plan_2016, plan_2018)
    precision, recall = precision_recall(predicted, truth)
    print(f"\nsynthetic: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.9
    assert recall >= 0.9


def test_merges_and_splits_of_the_synthetic_plan_get_their_kinds() -> None:
    _, plan_2016, plan_2018 = series()
    document = lineage([plan_2016, plan_2018])
    goal_of = {goal.id: goal.goal for goal in document.goals}
    kinds = {(goal_of[link.from_], goal_of[link.to]): link.kind for link in document.links}
    truth = annotated_pairs("links_2016_2017_to_synthetic_2018_2019", plan_2016, plan_2018)
    for link in annotation("links_2016_2017_to_synthetic_2018_2019")["link"]:
        if link["kind"] in ("merged", "split"):
            pair = next(
                p
                for p in truth
                if p
                == (
                    find_goal(plan_2016.goals, link["from"]).id,
                    find_goal(plan_2018.goals, link["to"]).id,
                )
            )
            assert kinds.get(pair) == link["kind"], (pair, kinds.get(pair))


def test_follow_ups_are_paired_with_every_2015_goal() -> None:
    plan_2015, plan_2016, _ = series()
    document = lineage([plan_2015, plan_2016])
    goals_2015 = [g for g in document.goals if g.plan == plan_id(document, "2015")]
    assert len(goals_2015) == len(plan_2015.goals) == 28
    assert all(goal.follow_up for goal in goals_2015)
    cash = next(g for g in goals_2015 if "kontantløse" in g.text)
    assert cash.follow_up is not None and "videreføres til 2016" in cash.follow_up


def test_declared_continued_goals_without_successor_are_missing_successor() -> None:
    plan_2015, plan_2016, _ = series()
    document = lineage([plan_2015, plan_2016])
    missing = {g.goal for g in document.goals if g.fate == "missing_successor"}
    expected = {
        find_goal(plan_2015.goals, prefix).id
        for prefix in annotation("links_2015_to_2016_2017")["expected"]["missing_successor"]
    }
    assert expected <= missing
    # Any further goal here has an annotated successor the matcher did not find (a recall
    # miss), never a goal that ended or was completed.
    annotated_from = {
        a for a, _ in annotated_pairs("links_2015_to_2016_2017", plan_2015, plan_2016)
    }
    assert missing - expected <= annotated_from
    for goal in document.goals:
        if goal.fate == "missing_successor":
            assert goal.continued is True and not goal.successors


def test_fates_follow_the_verdicts() -> None:
    plan_2015, plan_2016, _ = series()
    document = lineage([plan_2015, plan_2016])
    by_text = {g.text: g for g in document.goals}
    assert by_text[find_goal(plan_2015.goals, "Vi vil skabe SMART branding").text].fate == "dropped"
    assert by_text[find_goal(plan_2015.goals, "Overholde følgende servicemål").text].fate == (
        "completed"
    )
    latest = plan_id(document, "2016-2017")
    assert all(g.fate == "open" for g in document.goals if g.plan == latest)


# ---------------------------------------------------------------------------------------------
# Chains, stand-ins, threshold, determinism


def test_chain_over_three_plans() -> None:
    plan_2015, plan_2016, plan_2018 = series()
    document = lineage([plan_2018, plan_2015, plan_2016])  # given out of order on purpose
    assert [p.period.label for p in document.plans if p.period] == [
        "2015",
        "2016-2017",
        "2018-2019",
    ]
    goals = {g.id: g for g in document.goals}
    start = next(g for g in document.goals if g.text.startswith("Vi vil implementere den vedtagne"))
    chain = [start]
    while chain[-1].successors:
        chain.append(goals[chain[-1].successors[0]])
    assert [g.text.split()[0] for g in chain] == ["Vi", "Fortsætte", "Revidere"]
    assert [g.fate for g in chain] == ["continued", "continued", "open"]
    assert all(g.predecessors == [p.id] for p, g in itertools.pairwise(chain))
    # The 2016-17 follow-up pairs with the 2015 goals; the 2018-19 one with the 2016-17 goals.
    middle = chain[1]
    assert middle.follow_up is not None and "revision" in middle.follow_up
    missing = {g.text for g in document.goals if g.fate == "missing_successor"}
    assert any(t.startswith("Nyt forenklet koncept for årsregnskabet") for t in missing)
    dropped = {g.text for g in document.goals if g.fate == "dropped"}
    for prefix in annotation("links_2016_2017_to_synthetic_2018_2019")["expected"]["dropped"]:
        assert any(_key(t).startswith(_key(prefix)) for t in dropped)


def test_new_goals_that_merely_share_words_are_not_linked() -> None:
    _, plan_2016, plan_2018 = series()
    document = lineage([plan_2016, plan_2018])
    by_goal = {g.goal: g for g in document.goals if g.plan == plan_id(document, "2018-2019")}
    for prefix in annotation("links_2016_2017_to_synthetic_2018_2019")["expected"]["new"]:
        goal = by_goal[find_goal(plan_2018.goals, prefix).id]
        assert goal.predecessors == [], (goal.text, goal.predecessors)


def test_a_plan_alone_gets_a_stand_in_from_its_follow_up_part() -> None:
    _, plan_2016, _ = series()
    document = lineage([plan_2016])
    assert [p.stand_in for p in document.plans] == [True, False]
    stand_in = document.plans[0]
    assert stand_in.period is not None and stand_in.period.label == "2015"
    assert stand_in.id != document.plans[1].id
    stand_in_goals = [g for g in document.goals if g.plan == stand_in.id]
    assert len(stand_in_goals) == len(plan_2016.follow_ups)
    assert all(g.follow_up for g in stand_in_goals)
    linked = {g.text for g in stand_in_goals if g.successors}
    assert any(t.startswith("Vi vil implementere den vedtagne") for t in linked)


def test_plan_and_goal_ids() -> None:
    plan_2015, plan_2016, _ = series()
    document = lineage([plan_2015, plan_2016])
    assert [p.id for p in document.plans] == [
        "albertslund-kommune-okonomi-og-stab-2015",
        "albertslund-kommune-okonomi-og-stab-2016-2017",
    ]
    assert all(g.id == f"{g.plan}/{g.goal}" for g in document.goals)
    assert len({g.id for g in document.goals}) == len(document.goals)


def test_threshold_is_settable_and_recorded() -> None:
    plan_2015, plan_2016, _ = series()
    default = lineage([plan_2015, plan_2016])
    strict = lineage([plan_2015, plan_2016], Settings().replace(matching={"threshold": 0.95}))
    loose = lineage([plan_2015, plan_2016], Settings().replace(matching={"threshold": 0.2}))
    assert strict.settings.threshold == 0.95
    assert len(strict.links) < len(default.links) < len(loose.links)
    with pytest.raises(ValueError):
        lineage([plan_2015, plan_2016], Settings().replace(matching={"threshold": 1.5}))


def test_output_is_deterministic() -> None:
    plan_2015, plan_2016, plan_2018 = series()
    first = lineage([plan_2015, plan_2016, plan_2018]).model_dump_json(by_alias=True)
    second = lineage([plan_2018, plan_2016, plan_2015]).model_dump_json(by_alias=True)
    assert first == second


def test_links_carry_explained_evidence() -> None:
    plan_2015, plan_2016, _ = series()
    document = lineage([plan_2015, plan_2016])
    for link in document.links:
        assert 0.0 <= link.score <= 1.0
        assert any(e.signal == "text" for e in link.evidence)
        assert all(e.detail for e in link.evidence)
    reference_links = [
        link for link in document.links if any(e.signal == "reference" for e in link.evidence)
    ]
    assert reference_links, "the effektjægere follow-up names its successor"


# ---------------------------------------------------------------------------------------------
# Normalisation


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("informationssikkerhedspolitikken", ("informations", "sikkerhedspolitikken")),
        ("kommunikationskanal", ("kommunikations", "kanal")),
        ("organisationen", ("organisationen",)),
        ("medarbejdere", ("medarbejdere",)),
    ],
)
def test_split_compound(word: str, parts: tuple[str, ...]) -> None:
    assert split_compound(word) == parts


def test_terms_meet_compounds_definite_forms_synonyms_and_numbers() -> None:
    analyzer = Analyzer(matching_rules())
    one = analyzer.terms("Vi vil implementere den vedtagne informationssikkerhedspolitik")
    two = analyzer.terms("Fortsætte implementeringen af informationssikkerhedspolitikken.")
    # ("information" and "sikkerhed" are read as the words they are made from)
    assert {"informere", "sikker", "politik"} <= set(one.parts) & set(two.parts)
    assert "vi" not in analyzer.terms("Vi vil afprøve nye samarbejdsformer").parts
    # borgere / brugere are one term; numbers, years and their units are left out
    assert analyzer.terms("Flere borgere").parts == analyzer.terms("flere brugere").parts
    assert analyzer.terms("25 pct. i 2023").parts == ()


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        # a noun made from a verb is the verb: a goal nominalised meets its earlier wording
        ("Renovering af de kommunale legepladser", "Renovere de kommunale legepladser"),
        ("Kortlægning af trafikstøjen", "Kortlægge trafikstøjen"),
        ("Bedre koordination af hjemmeplejen", "Bedre koordinere hjemmeplejen"),
        ("Nedbringelse af ventetiden", "Nedbringe ventetiden"),
        # a compound the lookup table lacks is inflected in its last part
        ("En klimatilpasningsstrategi vedtages", "Klimatilpasningsstrategien vedtages"),
    ],
)
def test_derived_and_inflected_words_meet(earlier: str, later: str) -> None:
    analyzer = Analyzer(matching_rules())
    assert analyzer.terms(earlier).words == analyzer.terms(later).words


def test_synonym_groups_are_read_as_goal_texts_are() -> None:
    # a group names "evaluering", a derived noun: its forms and its verb are the same term
    rules = dataclasses.replace(
        matching_rules(), synonyms=_synonym_terms([["måling", "evaluering"]], matching_rules())
    )
    analyzer = Analyzer(rules)
    assert analyzer.terms("evalueringen").words == analyzer.terms("målingen").words
    assert analyzer.terms("evaluere").words == analyzer.terms("måling").words


def test_synonym_groups_that_share_a_word_are_one() -> None:
    unjoined = dataclasses.replace(matching_rules(), synonyms={})
    terms = _synonym_terms([["fravær", "udeblivelse"], ["udeblivelse", "forsømmelse"]], unjoined)
    analyzer = Analyzer(dataclasses.replace(unjoined, synonyms=terms))
    assert analyzer.terms("forsømmelsen").words == analyzer.terms("fravær").words
    # a word in no group stays itself
    assert analyzer.terms("sygefravær").words != analyzer.terms("fravær").words


def test_a_derivation_needs_a_known_base() -> None:
    analyzer = Analyzer(dataclasses.replace(matching_rules(), synonyms={}))
    # "bygning" is no "byge" (its base would be too short), "station" no "stere"
    assert analyzer.terms("bygningen ved stationen").words == ("bygning", "station")


# ---------------------------------------------------------------------------------------------
# Properties


_WORDS = [
    "budget",
    "styring",
    "læring",
    "netværk",
    "borgere",
    "data",
    "indkøb",
    "løn",
    "jura",
    "arkiv",
    "trivsel",
    "kvalitet",
    "strategi",
    "politik",
    "analyse",
    "udbud",
    "moms",
    "valg",
    "sikkerhed",
    "rådhus",
    "skoler",
    "klubber",
    "ældre",
    "sundhed",
    "miljø",
    "affald",
    "vand",
]
_goal_texts = st.lists(
    st.lists(st.sampled_from(_WORDS), min_size=3, max_size=7, unique=True).map(" ".join),
    min_size=1,
    max_size=6,
    unique_by=lambda text: frozenset(text.split()),
)


def _plan(texts: list[str], label: str, start: int) -> PlanDocument:
    return PlanDocument(
        source=Source(path=f"{label}.txt", sha256="0" * 64, pages=0),
        organisation="Albertslund Kommune",
        unit="Økonomi og Stab",
        title=f"Virksomhedsplan {label}",
        period=Period(label=label, start=start, end=start),
        goals=[
            Goal(id=f"G{i + 1:03d}", section=None, text=t, page=1, bbox=None)
            for i, t in enumerate(texts)
        ],
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_goal_texts)
def test_a_plan_matched_against_itself_links_every_goal_to_itself(texts: list[str]) -> None:
    document = lineage([_plan(texts, "2020", 2020), _plan(texts, "2021", 2021)])
    pairs = {(link.from_.split("/")[-1], link.to.split("/")[-1]) for link in document.links}
    assert pairs == {(f"G{i + 1:03d}", f"G{i + 1:03d}") for i in range(len(texts))}
    assert all(link.kind == "same" for link in document.links)
    assert all(0.0 <= link.score <= 1.0 for link in document.links)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_goal_texts, _goal_texts)
def test_scores_stay_within_bounds_and_goals_link_at_most_once(old: list[str], new: list[str]):
    document = lineage(
        [_plan(old, "2020", 2020), _plan(new, "2021", 2021)],
        Settings().replace(matching={"threshold": 0.0}),
    )
    assert all(0.0 <= link.score <= 1.0 for link in document.links)
    sources = [link.from_ for link in document.links if link.kind not in ("split",)]
    targets = [link.to for link in document.links if link.kind not in ("merged",)]
    assert len(sources) == len(set(sources))
    assert len(targets) == len(set(targets))
