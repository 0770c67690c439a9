"""A lineage of five yearly plans (2015-2019) built directly, for the views of a long series:
chains that live to the latest plan, end completed, split, merge, go missing.

    2015 G1 → 2016 G1 → 2017 G1 → 2018 G1 → 2019 G1      lives to the latest plan
    2015 G2 → 2016 G2 → 2017 G2                          completed in 2017
    2015 G3 → 2016 G3                                    promised, missing in 2017
    2015 G4 → 2016 G4 → 2017 G3 ; 2015 G4 → 2016 G5      split; G3 ends 2017, G5 dropped
    2015 G5 (dropped), 2015 G6 (ended)
    2016 G6 → 2017 G4 → 2018 G2 → 2019 G2                new in 2016, to the latest plan
    2017 G5 + 2017 G6 → 2018 G3 → 2019 G3                merged in 2018
"""

from __future__ import annotations

from maalspor.match.linker import fate_of
from maalspor.models.common import Period, Source
from maalspor.models.lineage import (
    Candidate,
    Evidence,
    LineageDocument,
    LineageGoal,
    Link,
    MatchSettings,
    PlanRef,
)

YEARS = (2015, 2016, 2017, 2018, 2019)
GOALS = 6
LINKS = [
    ((2015, 1), (2016, 1)),
    ((2016, 1), (2017, 1)),
    ((2017, 1), (2018, 1)),
    ((2018, 1), (2019, 1)),
    ((2015, 2), (2016, 2)),
    ((2016, 2), (2017, 2)),
    ((2015, 3), (2016, 3)),
    ((2015, 4), (2016, 4)),
    ((2015, 4), (2016, 5)),
    ((2016, 4), (2017, 3)),
    ((2016, 6), (2017, 4)),
    ((2017, 4), (2018, 2)),
    ((2018, 2), (2019, 2)),
    ((2017, 5), (2018, 3)),
    ((2017, 6), (2018, 3)),
    ((2018, 3), (2019, 3)),
]
# The verdicts of the follow-ups of goals without a successor: (status, continued).
ENDS = {
    (2017, 2): ("achieved", False),
    (2016, 3): ("in_progress", True),  # promised to go on: missing
    (2016, 5): ("dropped", False),
    (2015, 5): ("dropped", False),
    (2017, 3): ("achieved", False),
    (2018, 4): ("achieved", False),
    (2018, 5): ("dropped", False),
}
TOPICS = [
    "digital selvbetjening for borgerne",
    "kortere sagsbehandlingstid i økonomi",
    "en strategi for økonomistyring",
    "bedre arbejdsmiljø og trivsel",
    "kontantløse institutioner",
    "færre papirblanketter",
]


def plan_id(year: int) -> str:
    return f"roskilde-kommune-okonomi-{year}"


def goal_id(year: int, number: int) -> str:
    return f"{plan_id(year)}/G{number:03}"


def five_plans() -> LineageDocument:
    links = [
        Link.model_validate(
            {
                "from": goal_id(*a),
                "to": goal_id(*b),
                "kind": "same",
                "score": 0.9,
                "evidence": [Evidence(signal="text", score=0.9, detail="the same wording")],
            }
        )
        for a, b in LINKS
    ]
    # Split and merged as the matcher names them.
    outs: dict[str, int] = {}
    ins: dict[str, int] = {}
    for link in links:
        outs[link.from_] = outs.get(link.from_, 0) + 1
        ins[link.to] = ins.get(link.to, 0) + 1
    links = [
        link.model_copy(
            update={
                "kind": "merged"
                if ins[link.to] > 1
                else "split"
                if outs[link.from_] > 1
                else "same"
            }
        )
        for link in links
    ]
    plans = [
        PlanRef(
            id=plan_id(year),
            title=f"Virksomhedsplan for Økonomi {year}",
            organisation="Roskilde Kommune",
            unit="Økonomi",
            period=Period(label=str(year), start=year, end=year),
            source=Source(path=f"plans/plan-{year}.pdf", sha256=f"{year:064x}", pages=8),
        )
        for year in YEARS
    ]
    goals = []
    for year in YEARS:
        for number in range(1, GOALS + 1):
            gid = goal_id(year, number)
            after = sorted(link.to for link in links if link.from_ == gid)
            before = sorted(link.from_ for link in links if link.to == gid)
            last = year == YEARS[-1]
            status, continued = ENDS.get((year, number), (None, None))
            if after:
                status, continued = "in_progress", True
            goals.append(
                LineageGoal(
                    id=gid,
                    plan=plan_id(year),
                    goal=f"G{number:03}",
                    section="Drift",
                    text=f"Mål {number} for {year}: {TOPICS[number - 1]}",
                    page=number + 1,
                    status=None if last else status,
                    continued=None if last else continued,
                    fate=fate_of(continued, status, bool(after), last),
                    candidates=[Candidate(to=goal_id(2017, 5), score=0.31)]
                    if (year, number) == (2016, 3)
                    else [],
                    predecessors=before,
                    successors=after,
                )
            )
    return LineageDocument(
        plans=plans,
        goals=goals,
        links=sorted(links, key=lambda link: (link.from_, link.to)),
        settings=MatchSettings(threshold=0.4, method="rules"),
    )
