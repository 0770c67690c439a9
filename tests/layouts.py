"""Generated-layout test corpus: one declarative plan spec, rendered as PDFs in many layouts.

A `PlanSpec` says what a yearly plan contains (title, organisation, sections with goals, a
follow-up part). Each `render_<layout>(spec, path, **options) -> Path` prints that same content
in another layout with reportlab, drawing every line itself (own line breaking, own
hyphenation, own table rows that split over pages), so the content is known exactly:
`expected_goals(spec, layout)` and `expected_follow_ups(spec, layout)` give what a reader sees
(hyphenation undone, whitespace collapsed), and every renderer writes a sidecar
`<name>.layout.json` (`layout_info(path)`) telling where each goal starts (page and box) and
which layout features really happened (hyphenated line ends, rows split over a page, text
flowing between columns).

Layouts: inline_table, header_grid, single_column, two_columns, uppercase_labels,
label_margin, key_value_table, grid_extra_columns, borderless_table, numbered_goals,
landscape_three_columns (landscape pages, optionally stored with /Rotate 90), mixed_scan (one
page is only an image). The sidecar also lists each page's displayed size (`page_sizes`), the
pages without a text layer (`image_pages`) and cell texts that belong to no field (`foreign`).
Broken inputs: render_scanned, render_encrypted, truncated, not_a_pdf, empty.

Fonts: Bitstream Vera (shipped inside reportlab, so present wherever reportlab is) and the
standard Type 1 Helvetica and Times through WinAnsi; all three cover æ, ø, å, •, –.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = A4
LAYOUTS = (
    "inline_table",
    "header_grid",
    "single_column",
    "two_columns",
    "uppercase_labels",
    "label_margin",
    "key_value_table",
    "grid_extra_columns",
    "borderless_table",
    "numbered_goals",
    "landscape_three_columns",
    "mixed_scan",
)
# How a goal that is only a list reads as `text`: its items joined (maalspor.models.plan.Goal.text).
LIST_GOAL_JOIN = " "
# How the paragraphs of one field (a note, an Opfølgning) are joined: a blank line, as
# pipeline/segment/segmenter.py joins them.
PARAGRAPH_JOIN = "\n\n"
# Words that some line must end in where a layout hyphenates: a real hyphen ("It-" / "strategi")
# and a suspended compound ("lands-" / "og kommunalpolitisk"). The line breaker prefers them.
BREAK_TARGETS = frozenset({"It-", "lands-"})


# ----------------------------------------------------------------------------------------------
# The spec
# ----------------------------------------------------------------------------------------------


class Prose(str):
    """A documentation item printed as a paragraph of prose rather than as a bullet."""

    __slots__ = ()


@dataclass(frozen=True)
class GoalSpec:
    text: str | None  # None: the goal is only a list (its subgoals)
    documentation: tuple[str, ...] = ()  # str: bullet; Prose: paragraph
    subgoals: tuple[str, ...] = ()
    numbered: bool = True  # subgoals "1." "2." or bullets
    note: str | None = None
    follow_up: tuple[str, ...] = ()  # paragraphs of the Opfølgning (follow-up entries only)


@dataclass(frozen=True)
class SectionSpec:
    title: str
    goals: tuple[GoalSpec, ...]
    number: int | None = None
    intro: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeriodSpec:
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class FollowUpSpec:
    heading: str
    period: PeriodSpec
    sections: tuple[SectionSpec, ...]
    intro: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanSpec:
    key: str
    title: str
    organisation: str
    unit: str
    period: PeriodSpec
    intro: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    follow_up: FollowUpSpec | None = None
    number_suffix: str = ""  # "1 Titel" or "1. Titel"


def _norm(text: str) -> str:
    return " ".join(text.split())


# Layouts that print section and group titles in capitals.
UPPERCASE_TITLES = frozenset({"uppercase_labels", "numbered_goals"})


def _layout_title(title: str, layout: str | None) -> str:
    return title.upper() if layout in UPPERCASE_TITLES else title


def _goal_text(goal: GoalSpec) -> str:
    if goal.text is not None:
        return _norm(goal.text)
    return LIST_GOAL_JOIN.join(_norm(s) for s in goal.subgoals)


def _expected(goal: GoalSpec, section: SectionSpec, layout: str | None) -> dict:
    return {
        "section_number": section.number,
        "section": _layout_title(section.title, layout),
        "text": _goal_text(goal),
        "subgoals": [_norm(s) for s in goal.subgoals],
        "note": _norm(goal.note) if goal.note else None,
        "documentation": [_norm(d) for d in goal.documentation],
    }


def expected_goals(spec: PlanSpec, layout: str | None = None) -> list[dict]:
    """The goals of the plan as a reader sees them, in reading order."""
    return [_expected(g, s, layout) for s in spec.sections for g in s.goals]


def expected_follow_ups(spec: PlanSpec, layout: str | None = None) -> list[dict]:
    """The follow-up entries as a reader sees them; paragraphs of the Opfølgning joined by
    PARAGRAPH_JOIN."""
    if spec.follow_up is None:
        return []
    out = []
    for section in spec.follow_up.sections:
        for goal in section.goals:
            entry = _expected(goal, section, layout)
            paragraphs = [_norm(p) for p in goal.follow_up]
            entry["follow_up"] = PARAGRAPH_JOIN.join(paragraphs) if paragraphs else None
            out.append(entry)
    return out


def expected_sections(spec: PlanSpec, layout: str | None = None) -> list[tuple[int | None, str]]:
    """(number, title) of the numbered sections, then the titled groups of the follow-up."""
    groups = spec.follow_up.sections if spec.follow_up else ()
    return [(s.number, _layout_title(s.title, layout)) for s in (*spec.sections, *groups)]


# ----------------------------------------------------------------------------------------------
# Two plans
# ----------------------------------------------------------------------------------------------

ROSKILDE = PlanSpec(
    key="roskilde-boern-og-unge-2019",
    title="Virksomhedsplan for Børn og Unge 2019",
    organisation="Roskilde Kommune",
    unit="Børn og Unge",
    period=PeriodSpec("2019", 2019, 2019),
    intro=(
        "Børn og Unge har ansvaret for kommunens dag- og fritidstilbud, skoler, PPR og "
        "sundhedspleje. Vi er ca. 1.900 medarbejdere, og vi arbejder hver dag for, at alle "
        "børn og unge i Roskilde Kommune trives, lærer og udvikler sig.",
        "Virksomhedsplanen beskriver de mål, vi sætter os for 2019, og hvordan vi vil "
        "dokumentere, at vi er lykkedes. Sidst i planen følger vi op på målene fra 2018, jf. "
        "den politiske aftale om budgettet.",
    ),
    sections=(
        SectionSpec(
            number=1,
            title="Tidlig indsats og inklusion",
            intro=(
                "Vi vil opdage børn og familier med behov for støtte tidligere og sætte ind, "
                "før problemerne vokser. Det kræver et tæt samarbejde mellem sundhedspleje, "
                "dagtilbud, skole og familieafdeling – og at vi bruger vores viden om det "
                "enkelte barn systematisk.",
            ),
            goals=(
                GoalSpec(
                    text="Styrke den tidlige og forebyggende indsats i dagtilbuddene, så flere "
                    "børn får den rette hjælp, før de starter i skole.",
                    documentation=(
                        "Alle dagtilbud anvender det fælles sprogvurderingsmateriale, og "
                        "resultaterne drøftes på forældresamtalerne.",
                        "Antallet af underretninger fra dagtilbud, der fører til en børnefaglig "
                        "undersøgelse, er steget med mindst 10 pct. i forhold til 2018.",
                        "Der er etableret et erfa-netværk for pædagogiske ledere med møder hvert "
                        "kvartal.",
                    ),
                ),
                GoalSpec(
                    text="Udvikle en fælles model for overgangen mellem dagtilbud og skole.",
                    subgoals=(
                        "Alle børn har en overleveringsbeskrivelse, der følger dem fra "
                        "børnehave til børnehaveklasse.",
                        "Forældrene inddrages aktivt i overgangen, bl.a. gennem fælles møder i "
                        "foråret før skolestart.",
                    ),
                    note="Formålet er at sikre, at den viden, dagtilbuddene har om det enkelte "
                    "barn, bliver brugt i skolen, og at ingen børn falder mellem to stole.",
                    documentation=(
                        Prose(
                            "Modellen er beskrevet og godkendt af Børne- og Skoleudvalget inden "
                            "sommerferien 2019. Den evalueres i december med inddragelse af "
                            "ledere, medarbejdere og forældrebestyrelser."
                        ),
                    ),
                ),
                GoalSpec(
                    text="Nedbringe antallet af elever, der modtager undervisning i segregerede "
                    "tilbud uden for almenområdet.",
                    documentation=(
                        Prose("Der udarbejdes en handleplan for inklusion, der bl.a. omfatter:"),
                        "Kompetenceudvikling af ca. 120 lærere og pædagoger i inkluderende "
                        "læringsmiljøer",
                        "Faste konsultationer med PPR på alle skoler, også i udskolingen",
                        "En årlig opgørelse af andelen af elever i almenundervisningen, "
                        "fordelt på skoler og klassetrin",
                    ),
                ),
            ),
        ),
        SectionSpec(
            number=2,
            title="Digitalisering og læring",
            intro=(
                "Digitaliseringen af skole og dagtilbud går hurtigt. Vi vil sikre, at de "
                "digitale redskaber understøtter børnenes læring og trivsel, og at "
                "medarbejderne har de nødvendige kompetencer. Arbejdet tager afsæt i "
                "kommunens It-strategi og i de lands- og kommunalpolitiske mål for "
                "folkeskolen.",
            ),
            goals=(
                GoalSpec(
                    text="Implementere den nye It-strategi for skoleområdet, herunder fælles "
                    "læringsplatforme og digital dannelse på alle klassetrin.",
                    documentation=(
                        "Alle skoler har udarbejdet en lokal handleplan for digital dannelse, "
                        "jf. It-strategien.",
                        "Der er gennemført et kompetenceforløb for alle it-vejledere og "
                        "pædagogiske læringscentre.",
                        "Udgifterne til licenser er reduceret med ca. 0,5 mio. kr. gennem "
                        "fælles indkøb.",
                    ),
                ),
                GoalSpec(
                    text=None,
                    numbered=False,
                    subgoals=(
                        "Styrke elevernes kompetencer i programmering og teknologiforståelse.",
                        "Give lærerne adgang til sparring om brugen af digitale læremidler i "
                        "undervisningen.",
                    ),
                    documentation=(
                        Prose(
                            "Teknologiforståelse indgår som forsøgsfag på fire skoler i "
                            "skoleåret 2019/20. Forsøget evalueres i samarbejde med "
                            "Professionshøjskolen Absalon."
                        ),
                    ),
                ),
                GoalSpec(
                    text="Sikre en ansvarlig og sikker behandling af børns og forældres "
                    "personoplysninger i alle digitale systemer.",
                    note="Målet følger op på databeskyttelsesforordningen og på kommunens "
                    "informationssikkerhedspolitik, som Byrådet vedtog i 2018.",
                    documentation=(
                        "Alle medarbejdere har gennemført e-læringskurset om databeskyttelse.",
                        "Der er foretaget en risikovurdering af de ti mest anvendte systemer på "
                        "børne- og ungeområdet.",
                    ),
                ),
            ),
        ),
        SectionSpec(
            number=3,
            title="Trivsel og sundhed",
            intro=(
                "Børn og unge, der trives, lærer mere. Vi vil derfor arbejde målrettet med "
                "trivsel, bevægelse og mental sundhed i samarbejde med forældre, foreninger og "
                "Sundhed og Omsorg.",
            ),
            goals=(
                GoalSpec(
                    text="Øge elevernes trivsel, så andelen af elever med høj trivsel i den "
                    "nationale trivselsmåling stiger til mindst 90 pct.",
                    documentation=(
                        "Resultaterne af trivselsmålingen drøftes i alle klasser og på "
                        "forældremøderne.",
                        "Skolerne har udarbejdet antimobbestrategier, som er revideret med "
                        "inddragelse af elevrådene.",
                        "Der er afholdt en fælles temadag om mental sundhed for ca. 300 "
                        "medarbejdere, bl.a. med oplæg fra Center for Ungdomsforskning.",
                    ),
                ),
                GoalSpec(
                    text="Styrke samarbejdet med lokale idræts- og kulturforeninger om "
                    "bevægelse i skoledagen.",
                    documentation=(
                        Prose(
                            "Mindst ti foreninger indgår aftaler med skolerne om åben skole. "
                            "Samarbejdet drøftes i BU-MED og i skolebestyrelserne."
                        ),
                    ),
                ),
            ),
        ),
    ),
    follow_up=FollowUpSpec(
        heading="Opfølgning på Børn og Unges mål 2018",
        period=PeriodSpec("2018", 2018, 2018),
        sections=(
            SectionSpec(
                title="Tidlig indsats",
                goals=(
                    GoalSpec(
                        text="Vi vil styrke sprogindsatsen for de 0-6-årige.",
                        documentation=(
                            "Sprogvurderinger gennemføres for alle børn i 3-årsalderen.",
                            "Der er ansat to sprogkonsulenter.",
                        ),
                        follow_up=(
                            "Målet er nået. Sprogvurderingerne er gennemført i alle dagtilbud, "
                            "og de to sprogkonsulenter har været ansat siden 1. marts 2018.",
                        ),
                    ),
                    GoalSpec(
                        text="Vi vil udvikle en tværfaglig indsats for familier med børn i "
                        "alderen 0-3 år.",
                        documentation=(
                            Prose(
                                "Der er etableret et tværfagligt team med sundhedsplejerske, "
                                "socialrådgiver og psykolog."
                            ),
                        ),
                        follow_up=(
                            "Målet er delvist opfyldt. Teamet er etableret, men har først "
                            "arbejdet fra efteråret 2018.",
                            "Indsatsen videreføres i 2019 og evalueres, når den har virket et "
                            "helt år.",
                        ),
                    ),
                ),
            ),
            SectionSpec(
                title="Digital dannelse",
                goals=(
                    GoalSpec(
                        text="Alle elever i udskolingen skal have undervisning i digital dannelse.",
                        documentation=("Undervisningsforløbene er udviklet i samarbejde med SSP.",),
                        follow_up=(
                            "Målet er nået, og indsatsen indgår nu i It-strategien for "
                            "skoleområdet.",
                        ),
                    ),
                    GoalSpec(
                        text="Vi vil indføre en fælles platform for kommunikationen mellem "
                        "skole og hjem.",
                        documentation=(
                            "Aula er taget i brug på alle skoler.",
                            "Forældrene har modtaget vejledning i brugen af platformen.",
                        ),
                        follow_up=(
                            "Målet er ikke nået, da den landsdækkende udrulning af Aula blev "
                            "udskudt. Målet videreføres til 2019.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

VEJLE = PlanSpec(
    key="vejle-teknik-og-miljoe-2020-2021",
    title="Handleplan for Teknik og Miljø 2020-2021",
    organisation="Vejle Kommune",
    unit="Teknik og Miljø",
    period=PeriodSpec("2020-2021", 2020, 2021),
    number_suffix=".",
    intro=(
        "Teknik og Miljø løser opgaver inden for planlægning, byggeri, natur, miljø, veje og "
        "affald. Handleplanen samler de mål, vi arbejder efter i 2020 og 2021, og den bygger "
        "videre på Byrådets vision og den fælles It-strategi for Vejle Kommune.",
    ),
    sections=(
        SectionSpec(
            number=1,
            title="Klimatilpasning og grøn omstilling",
            intro=(
                "Vejle er en del af netværket af modstandsdygtige byer. Vi vil ruste byen til "
                "mere vand fra himlen, fjorden og åerne og samtidig nedbringe kommunens eget "
                "CO2-udslip.",
            ),
            goals=(
                GoalSpec(
                    text="Udarbejde en samlet klimaplan for kommunen i samarbejde med "
                    "forsyningsselskabet, borgerne og virksomhederne.",
                    documentation=(
                        "Klimaplanen er vedtaget af Byrådet senest i december 2020.",
                        "Der er gennemført mindst fire borgermøder, bl.a. i Vejle Midtby og "
                        "Børkop.",
                        "Planen indeholder konkrete mål for CO2-reduktionen frem mod 2030.",
                    ),
                ),
                GoalSpec(
                    text="Nedbringe energiforbruget i kommunens egne bygninger med 15 pct. i "
                    "planperioden.",
                    subgoals=(
                        "Energirenovere skoler og daginstitutioner med det største forbrug først.",
                        "Indføre fjernaflæsning af el-, vand- og varmemålere i alle kommunale "
                        "bygninger.",
                    ),
                    documentation=(
                        Prose(
                            "Der er afsat ca. 5 mio. kr. årligt til energirenovering. Forbruget "
                            "opgøres hvert halve år og forelægges Teknik- og Miljøudvalget."
                        ),
                    ),
                ),
                GoalSpec(
                    text="Sikre klimatilpasningen af de lavtliggende bydele langs fjorden.",
                    note="Indsatsen sker i tæt dialog med grundejerforeningerne og "
                    "Kystdirektoratet og tager højde for de nye statslige retningslinjer for "
                    "kystbeskyttelse.",
                    documentation=(
                        "Der er udarbejdet et skitseprojekt for stormflodssikring af havneområdet.",
                        "Finansieringen af første etape er afklaret med de berørte grundejere.",
                    ),
                ),
            ),
        ),
        SectionSpec(
            number=2,
            title="Effektiv sagsbehandling",
            intro=(
                "Borgere og virksomheder skal opleve en hurtig, korrekt og imødekommende "
                "sagsbehandling. Vi vil bruge digitaliseringen til at frigøre tid til den "
                "faglige dialog og til at forbedre servicen i byggesager, miljøgodkendelser "
                "m.m. Derfor investerer vi i It-understøttelsen af sagsbehandlingen i hele "
                "forvaltningen.",
            ),
            goals=(
                GoalSpec(
                    text="Nedbringe den gennemsnitlige sagsbehandlingstid for byggesager til "
                    "højst 40 dage.",
                    documentation=(
                        "Sagsbehandlingstiden opgøres hver måned og offentliggøres på "
                        "kommunens hjemmeside.",
                        "Der er indført tidlig dialog med ansøgerne om komplekse byggerier, "
                        "f.eks. etageboliger og erhvervsbyggeri.",
                        "Andelen af ansøgninger, der er fuldt oplyste ved modtagelsen, er øget "
                        "til 70 pct.",
                    ),
                ),
                GoalSpec(
                    text=None,
                    subgoals=(
                        "Digitalisere ansøgningerne om gravetilladelser og råden over vejareal.",
                        "Udvikle selvbetjeningsløsninger for affaldsordninger og storskrald.",
                    ),
                    documentation=(
                        Prose(
                            "Løsningerne er sat i drift, og mindst 80 pct. af henvendelserne på "
                            "de to områder sker digitalt ved udgangen af 2021."
                        ),
                    ),
                ),
                GoalSpec(
                    text="Styrke den faglige og tværgående koordinering mellem plan, byg og miljø.",
                    documentation=(
                        Prose(
                            "Der etableres et fælles sagsforum, der mødes hver uge. Forummet "
                            "skal bl.a. sikre, at lokalplaner, miljøgodkendelser og "
                            "byggetilladelser behandles i sammenhæng, jf. Byrådets servicemål."
                        ),
                        "Medarbejderne oplever en bedre koordinering, målt i "
                        "trivselsmålingen 2021.",
                    ),
                ),
            ),
        ),
        SectionSpec(
            number=3,
            title="Trafiksikkerhed og mobilitet",
            intro=(
                "Flere skal kunne vælge cyklen og den kollektive trafik. Vi vil gøre "
                "skolevejene sikrere og skabe en bedre sammenhæng mellem by og land.",
            ),
            goals=(
                GoalSpec(
                    text="Gøre skolevejene mere sikre for de børn, der cykler og går i skole.",
                    documentation=(
                        "Der er gennemført trafiktællinger ved alle skoler.",
                        "Mindst otte farlige krydsninger er ombygget, bl.a. med hævede flader "
                        "og bedre belysning.",
                        "Skolerne deltager i kampagnen Alle Børn Cykler.",
                    ),
                ),
                GoalSpec(
                    text="Udbygge det regionale cykelstinet langs de store indfaldsveje.",
                    note="Udbygningen sker i samarbejde med Vejdirektoratet og nabokommunerne "
                    "og medfinansieres af statens cykelpulje.",
                    documentation=(
                        Prose("Der er anlagt mindst 12 km nye cykelstier i planperioden."),
                    ),
                ),
            ),
        ),
    ),
    follow_up=FollowUpSpec(
        heading="Status på mål fra 2018/19",
        period=PeriodSpec("2018/19", 2018, 2019),
        sections=(
            SectionSpec(
                title="Grøn omstilling",
                goals=(
                    GoalSpec(
                        text="Vi vil halvere kommunens brug af pesticider på offentlige arealer.",
                        documentation=("Der er indkøbt udstyr til mekanisk ukrudtsbekæmpelse.",),
                        follow_up=(
                            "Målet er nået. Forbruget af pesticider er faldet med 62 pct. "
                            "siden 2017.",
                        ),
                    ),
                    GoalSpec(
                        text="Vi vil øge genanvendelsen af husholdningsaffald til 50 pct.",
                        documentation=(
                            "Der er indført sortering af plast og metal ved husstandene.",
                            "Genbrugspladserne har fået nye fraktioner.",
                        ),
                        follow_up=(
                            "Målet er delvist opfyldt, idet genanvendelsen er steget til 44 "
                            "pct. Indsatsen fortsætter i handleplanen med fokus på madaffald.",
                        ),
                    ),
                ),
            ),
            SectionSpec(
                title="Byggesager",
                goals=(
                    GoalSpec(
                        text="Vi vil indføre digital byggesagsbehandling i hele afdelingen.",
                        documentation=(
                            Prose(
                                "Alle byggesager modtages via Byg og Miljø og behandles digitalt."
                            ),
                        ),
                        follow_up=("Målet er nået.",),
                    ),
                    GoalSpec(
                        text="Vi vil forbedre kommunikationen med ansøgerne.",
                        documentation=("Standardbrevene er skrevet om i et klart sprog.",),
                        follow_up=(
                            "Målet er ikke nået. Arbejdet er udskudt på grund af ændringer i "
                            "lands- og kommunalplanlægningen og genoptages i 2020.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

SPECS = {spec.key: spec for spec in (ROSKILDE, VEJLE)}


# ----------------------------------------------------------------------------------------------
# Fonts and line breaking
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    size: float
    leading: float
    # The bullet "•" comes from Vera: reportlab sets it in the standard fonts without a Unicode
    # mapping, so text extraction would read "(cid:127)" (Word likewise takes bullets from
    # another font than the text).
    bullet: str = "Vera"


@cache
def _register_vera() -> None:
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", str(fonts / "VeraBd.ttf")))
    # "▪" (U+25AA, Word's square bullet) is in none of the shipped fonts: Vera gets that code
    # point drawn by its bullet glyph, so the text layer reads "▪".
    face = pdfmetrics.getFont("Vera").face
    face.charToGlyph.setdefault(0x25AA, face.charToGlyph[0x2022])
    face.charWidths.setdefault(0x25AA, face.charWidths[0x2022])


def _fonts(family: str, size: float, leading: float) -> Fonts:
    _register_vera()
    if family == "vera":
        return Fonts("Vera", "Vera-Bold", size, leading)
    if family == "times":
        return Fonts("Times-Roman", "Times-Bold", size, leading)
    return Fonts("Helvetica", "Helvetica-Bold", size, leading)


def _marker_font(fonts: Fonts, marker: str) -> str:
    """List markers that the standard fonts lack ("•", "▪") come from Vera."""
    if marker == "•":
        return fonts.bullet
    if marker == "▪":
        _register_vera()
        return "Vera"
    return fonts.regular


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


_VOWELS = set("aeiouyæøå")
_ONSETS = {
    "bl",
    "br",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "kl",
    "kr",
    "pl",
    "pr",
    "tr",
    "sk",
    "sl",
    "sm",
    "sn",
    "sp",
    "st",
    "sv",
}


def _syllable_points(word: str) -> list[int]:
    """Where a long plain word may be hyphenated: V-CV and VC-CV, three letters each side."""
    core = word.rstrip(".,;:!?)")
    if len(core) < 8 or not core.isalpha() or core.isupper():
        return []
    points = []
    lower = core.lower()
    for i in range(3, len(core) - 3):
        a, b, c = lower[i - 1], lower[i], lower[i + 1]
        if b in _VOWELS or c not in _VOWELS:
            continue
        if a in _VOWELS:
            points.append(i)  # V-CV: "digitali-seringen"
        elif lower[i - 2] in _VOWELS:
            # VC-CV, but a consonant pair that can open a syllable stays together: "-plan"
            points.append(i - 1 if a + b in _ONSETS else i)
    return points


@dataclass
class _Frag:
    text: str
    glue: str  # "space", "hyphen" (after a printed hyphen), "syll" (breaking prints "-"), "end"


def _fragments(text: str, hyphenate: bool) -> list[_Frag]:
    frags: list[_Frag] = []
    for word in text.split():
        pieces: list[_Frag] = []
        parts = (
            re.split(r"(?<=[A-Za-zÆØÅæøå]{2}-)(?=[A-Za-zÆØÅæøå])", word) if hyphenate else [word]
        )
        for j, part in enumerate(parts):
            glue = "space" if j == len(parts) - 1 else "hyphen"
            points = _syllable_points(part) if hyphenate else []
            start = 0
            for p in points:
                if p - start >= 3:
                    pieces.append(_Frag(part[start:p], "syll"))
                    start = p
            pieces.append(_Frag(part[start:], glue))
        frags.extend(pieces)
    if frags:
        frags[-1].glue = "end"
    return frags


def break_lines(
    text: str,
    font: str,
    size: float,
    first_width: float,
    width: float,
    *,
    hyphenate: bool = False,
    justify: bool = False,
) -> list[str]:
    """Break a paragraph into lines: a small Knuth-Plass over spaces, hyphens and syllables.

    Lines that would be stretched too far are avoided; a break right after a word in
    BREAK_TARGETS is strongly preferred where the paragraph allows it.
    """
    frags = _fragments(text, hyphenate)
    n = len(frags)
    if n == 0:
        return []
    inf = float("inf")
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == inf:
            continue
        room = first_width if i == 0 else width
        line = ""
        for j in range(i, n):
            frag = frags[j]
            line += frag.text
            shown = line + ("-" if frag.glue == "syll" else "")
            used = _width(shown, font, size)
            if used > room and j > i:
                break
            if j == n - 1:
                cost = 0.0
            else:
                slack = max(room - used, 0.0) / room
                cost = (slack * (20 if justify else 8)) ** 2
                if slack > (0.3 if justify else 0.45):
                    cost += 50000
                if frag.glue == "syll":
                    cost += 5 if justify else 40
                elif frag.glue == "hyphen":
                    cost += 5
                if frag.text in BREAK_TARGETS and frag.glue in ("hyphen", "space"):
                    cost -= 10000
            if best[i] + cost < best[j + 1]:
                best[j + 1] = best[i] + cost
                back[j + 1] = i
            if frag.glue == "space":
                line += " "
    ends = []
    j = n
    while j > 0:
        ends.append((back[j], j))
        j = back[j]
    lines = []
    for i, j in reversed(ends):
        line = ""
        for k in range(i, j):
            line += frags[k].text
            if frags[k].glue == "space" and k < j - 1:
                line += " "
        if frags[j - 1].glue == "syll":
            line += "-"
        lines.append(line)
    return lines


# ----------------------------------------------------------------------------------------------
# Lines, pages, frames: a tiny page-layout engine
# ----------------------------------------------------------------------------------------------


@dataclass
class Run:
    dx: float
    text: str
    font: str
    justify: float | None = None  # spread the words over this width
    label: bool = False  # print furniture of the goal (a label or a bullet), not its text


@dataclass
class Line:
    runs: list[Run]
    size: float
    leading: float
    owner: str | None = None  # "g3" (goal 3) or "f1" (follow-up 1): the entry the line belongs to
    tag: str | None = None  # "start": first line of the entry's text; "sec:<i>": a heading
    keep: bool = False  # keep with the next line
    gap: bool = False  # vertical space only


def gap(height: float) -> Line:
    return Line([], 0, height, gap=True)


def para(
    text: str,
    fonts: Fonts,
    width: float,
    *,
    dx: float = 0.0,
    lead: Iterable[Run] = (),
    first_dx: float | None = None,
    font: str | None = None,
    size: float | None = None,
    leading: float | None = None,
    hyphenate: bool = False,
    justify: bool = False,
    owner: str | None = None,
    tag: str | None = None,
) -> list[Line]:
    """A paragraph as lines; `lead` runs (label, bullet) go on the first line only."""
    font = font or fonts.regular
    size = size or fonts.size
    leading = leading or fonts.leading
    first_dx = dx if first_dx is None else first_dx
    first_width = width - (first_dx - dx)
    texts = break_lines(text, font, size, first_width, width, hyphenate=hyphenate, justify=justify)
    lines = []
    for k, t in enumerate(texts):
        x = first_dx if k == 0 else dx
        room = first_width if k == 0 else width
        last = k == len(texts) - 1
        runs = [*lead] if k == 0 else []
        runs.append(Run(x, t, font, justify=None if (last or not justify) else room))
        lines.append(Line(runs, size, leading, owner=owner, tag=tag if k == 0 else None))
    if len(lines) > 1:
        lines[0].keep = True
    return lines


def label_line(label: str, fonts: Fonts, *, dx: float = 0.0, owner: str | None = None) -> Line:
    run = Run(dx, label, fonts.bold, label=True)
    return Line([run], fonts.size, fonts.leading, owner, keep=True)


@dataclass
class Frame:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Page:
    ops: list[tuple] = field(default_factory=list)
    size: tuple[float, float] = (PAGE_W, PAGE_H)  # as displayed: (width, height)
    rotate: bool = False  # stored portrait with /Rotate 90, displayed landscape


class Doc:
    """Pages of drawing operations in top-down coordinates, and what the layout recorded."""

    def __init__(self, frames: Callable[[int, float], list[Frame]]):
        self.frames_for = frames  # (page index, band height) -> frames of that page
        self.pages: list[Page] = []
        self.frames: list[Frame] = []
        self.frame_no = 0
        self.y = 0.0
        self.starts: dict[str, dict] = {}  # owner -> {"page", "bbox"}
        self.spans: dict[str, set] = {}  # owner -> {(page, frame)}
        self.marks: dict[str, int] = {}  # tag -> page
        self.line_ends: list[str] = []
        self.splits: list[dict] = []
        self.page_size: tuple[float, float] = (PAGE_W, PAGE_H)  # of the pages to come
        self.rotate = False  # the pages to come are stored rotated (/Rotate 90)
        self.new_page()

    @property
    def page_no(self) -> int:
        return len(self.pages)

    @property
    def frame(self) -> Frame:
        return self.frames[self.frame_no]

    def new_page(self, band: Callable[[Doc, float], float] | None = None) -> None:
        self.pages.append(Page(size=self.page_size, rotate=self.rotate))
        height = band(self, 0.0) if band else 0.0
        self.frames = self.frames_for(self.page_no - 1, height)
        self.frame_no = 0
        self.y = self.frames[0].top

    def next_frame(self) -> None:
        if self.frame_no + 1 < len(self.frames):
            self.frame_no += 1
            self.y = self.frame.top
        else:
            self.new_page()

    @property
    def at_top(self) -> bool:
        return self.y <= self.frame.top + 0.01

    def op(self, *args) -> None:
        self.pages[-1].ops.append(args)

    def text(self, x: float, baseline: float, font: str, size: float, text: str, **kw) -> None:
        self.op("t", x, baseline, font, size, text, kw.get("justify"))

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.6) -> None:
        self.op("l", x0, y0, x1, y1, width)

    def shade(self, x0: float, top: float, x1: float, bottom: float, gray: float) -> None:
        self.op("r", x0, top, x1, bottom, gray)

    def draw_line(self, line: Line, x0: float, top: float) -> None:
        baseline = top + line.size
        for run in line.runs:
            self.text(x0 + run.dx, baseline, run.font, line.size, run.text, justify=run.justify)
        content = [r for r in line.runs if not r.label]
        if content:
            self.line_ends.append(content[-1].text.split(" ")[-1])
        if line.owner:
            self.spans.setdefault(line.owner, set()).add((self.page_no, self.frame_no))
        if line.tag == "start" and line.owner and line.owner not in self.starts and content:
            run = content[0]
            right = (
                run.dx + run.justify
                if run.justify
                else run.dx + _width(run.text, run.font, line.size)
            )
            box = [x0 + run.dx, baseline - 0.8 * line.size, x0 + right, baseline + 0.25 * line.size]
            self.starts[line.owner] = {"page": self.page_no, "bbox": [round(v, 2) for v in box]}
        if line.tag and line.tag.startswith("sec:"):
            self.marks.setdefault(line.tag, self.page_no)

    def flow(self, lines: list[Line]) -> None:
        """Place lines one below the other, moving on to the next frame or page when full."""
        for k, line in enumerate(lines):
            if line.gap:
                if not self.at_top:
                    self.y += line.leading
                continue
            need = line.leading
            m = k
            while lines[m].keep and m + 1 < len(lines):
                m += 1
                need += lines[m].leading
            full = self.y + need > self.frame.bottom and not self.at_top
            if full or self.y + line.leading > self.frame.bottom:
                self.next_frame()
            self.draw_line(line, self.frame.x0, self.y)
            self.y += line.leading

    # -- tables --------------------------------------------------------------------------------

    def row(
        self,
        cells: list[list[Line]],
        widths: list[float],
        *,
        pad: float = 4.0,
        shade: float | None = None,
        header: Callable[[], None] | None = None,
        ruled: bool = True,
        split: bool = True,
    ) -> None:
        """One ruled table row; a row taller than the room left splits over frames/pages: what
        remains of each cell continues in a row at the top of the next page (empty cells stay
        empty), after the repeated header row if `header` is given. `ruled=False` draws no
        lines (a Word table with hidden borders); `split=False` moves a row that does not fit
        to the next page whole."""
        remaining = [list(c) for c in cells]
        first = True
        while True:
            heights = [sum(ln.leading for ln in c) for c in remaining]
            height = max(heights) + 2 * pad
            room = self.frame.bottom - self.y
            if height <= room:
                self._draw_row(remaining, widths, pad, shade, height, ruled)
                self.y += height
                return
            parts = [self._take(c, room - 2 * pad) for c in remaining]
            if not split and not self.at_top:
                parts = [[] for _ in remaining]
            if max(len(p) for p in parts) < 2 or sum(len(p) for p in parts) < 3:
                self.next_frame()
                if header:
                    header()
                continue
            part_height = max(sum(ln.leading for ln in p) for p in parts) + 2 * pad
            self._draw_row(parts, widths, pad, shade, part_height, ruled)
            rest = [c[len(p) :] for c, p in zip(remaining, parts, strict=True)]
            owners = {ln.owner for c in cells for ln in c if ln.owner}
            self.splits.append(
                {
                    "owner": sorted(owners)[0] if owners else None,
                    "page": self.page_no,
                    "first_cell_done": not rest[0],
                    "first_part": first,
                    # per column: the cell goes on in the next page's row
                    "continues": [any(not ln.gap for ln in r) for r in rest],
                }
            )
            first = False
            remaining = rest
            self.next_frame()
            if header:
                header()

    @staticmethod
    def _take(cell: list[Line], room: float) -> list[Line]:
        taken, used = [], 0.0
        for ln in cell:
            if used + ln.leading > room:
                break
            taken.append(ln)
            used += ln.leading
        while taken and len(taken) < len(cell) and taken[-1].keep:
            taken.pop()
        return taken

    def _draw_row(self, cells, widths, pad, shade, height, ruled=True) -> None:
        x0 = self.frame.x0
        top, bottom = self.y, self.y + height
        x1 = x0 + sum(widths)
        if shade is not None:
            self.shade(x0, top, x1, bottom, shade)
        if ruled:
            self.rule(x0, top, x1, top)
            self.rule(x0, bottom, x1, bottom)
        x = x0
        for w, cell in zip(widths, cells, strict=True):
            if ruled:
                self.rule(x, top, x, bottom)
            y = top + pad
            for ln in cell:
                if not ln.gap:
                    self.draw_line(ln, x + pad, y)
                y += ln.leading
            x += w
        if ruled:
            self.rule(x1, top, x1, bottom)

    # -- output -------------------------------------------------------------------------------

    def save(
        self,
        path: Path,
        furniture: Callable[[Doc, int, int], None] | None,
        info: dict,
    ) -> Path:
        total = len(self.pages)
        if furniture:
            for index, page in enumerate(self.pages):
                saved = self.pages
                self.pages = [page]
                furniture(self, index + 1, total)
                self.pages = saved
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        canvas = Canvas(str(path), pagesize=A4, invariant=1)
        canvas.setTitle(info.get("title", ""))
        for page in self.pages:
            _paint(canvas, page)
            canvas.showPage()
        canvas.save()
        info = {
            **info,
            "pages": total,
            "page_size": list(self.pages[0].size),
            "page_sizes": [list(p.size) for p in self.pages],
            "rotated_pages": [i + 1 for i, p in enumerate(self.pages) if p.rotate],
            "starts": self.starts,
            "spans": {k: sorted(v) for k, v in self.spans.items()},
            "marks": self.marks,
            "line_ends": self.line_ends,
            "splits": self.splits,
        }
        _sidecar(path).write_text(json.dumps(info, ensure_ascii=False, indent=1), "utf-8")
        return path


def _paint(canvas: Canvas, page: Page) -> None:
    width, height = page.size
    if page.rotate:
        # Stored portrait, shown landscape: /Rotate 90 turns the page clockwise, so the
        # displayed point (X, Y) is drawn at (height - Y, X) of the stored page.
        canvas.setPageSize((width, height))  # reportlab stores it turned: (height, width)
        canvas.setPageRotation(90)
        canvas.translate(height, 0)
        canvas.rotate(90)
    else:
        canvas.setPageSize((width, height))
    PAGE_H = height
    for op in page.ops:
        kind = op[0]
        if kind == "r":
            _, x0, top, x1, bottom, gray = op
            canvas.setFillGray(gray)
            canvas.rect(x0, PAGE_H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
            canvas.setFillGray(0)
    for op in page.ops:
        kind = op[0]
        if kind == "l":
            _, x0, y0, x1, y1, width = op
            canvas.setLineWidth(width)
            canvas.line(x0, PAGE_H - y0, x1, PAGE_H - y1)
        elif kind == "t":
            _, x, baseline, font, size, text, justify = op
            canvas.setFont(font, size)
            y = PAGE_H - baseline
            words = text.split(" ")
            if not justify or len(words) < 2:
                canvas.drawString(x, y, text)
                continue
            natural = sum(_width(w, font, size) for w in words)
            space = (justify - natural) / (len(words) - 1)
            for k, word in enumerate(words):
                canvas.drawString(x, y, word + (" " if k < len(words) - 1 else ""))
                x += _width(word, font, size) + space


def _sidecar(path: Path) -> Path:
    return Path(path).with_suffix(".layout.json")


def layout_info(path: Path) -> dict:
    """What the renderer recorded about a generated PDF (see the module docstring)."""
    return json.loads(_sidecar(path).read_text("utf-8"))


# ----------------------------------------------------------------------------------------------
# Building blocks shared by the layouts
# ----------------------------------------------------------------------------------------------


def _entries(spec: PlanSpec):
    """(owner, section index or None, section, goal) for goals, then follow-up entries."""
    g = 0
    for si, section in enumerate(spec.sections):
        for goal in section.goals:
            yield f"g{g}", si, section, goal
            g += 1
    if spec.follow_up:
        f = 0
        for section in spec.follow_up.sections:
            for goal in section.goals:
                yield f"f{f}", None, section, goal
                f += 1


def _heading_text(spec: PlanSpec, section: SectionSpec, upper: bool = False) -> str:
    title = section.title.upper() if upper else section.title
    if section.number is None:
        return title
    return f"{section.number}{spec.number_suffix} {title}"


def _goal_lines(
    goal: GoalSpec,
    fonts: Fonts,
    width: float,
    owner: str,
    *,
    dx: float = 0.0,
    lead: list[Run] | None = None,
    first_dx: float | None = None,
    hyphenate: bool = False,
    justify: bool = False,
    bullet: str = "•",
    gap_before_note: float = 3.0,
) -> list[Line]:
    """Goal text, sub-goals and note. `lead` (an inline label) goes before the first line."""
    lines: list[Line] = []
    lead = lead or []
    style = {"hyphenate": hyphenate, "justify": justify, "owner": owner}
    if goal.text is not None:
        lines += para(
            goal.text, fonts, width, dx=dx, lead=lead, first_dx=first_dx, tag="start", **style
        )
        lead = []
    for k, sub in enumerate(goal.subgoals):
        marker = f"{k + 1}." if goal.numbered else bullet
        runs = [*lead, Run(dx, marker, _marker_font(fonts, marker), label=True)]
        tag = "start" if goal.text is None and k == 0 else None
        lines += para(sub, fonts, width - 16, dx=dx + 16, lead=runs, tag=tag, **style)
        lead = []
    if goal.note:
        lines += [gap(gap_before_note)]
        lines += para(goal.note, fonts, width, dx=dx, **style)
    return lines


def _doc_lines(
    items: Iterable[str],
    fonts: Fonts,
    width: float,
    owner: str,
    *,
    dx: float = 0.0,
    lead: list[Run] | None = None,
    first_dx: float | None = None,
    bullet: str = "•",
    hyphenate: bool = False,
    justify: bool = False,
    item_gap: float = 2.0,
) -> list[Line]:
    """Documentation items: bullets with a hanging indent, prose as paragraphs. `lead` (a
    label) goes on the first line; `first_dx` moves a first prose item after an inline label."""
    lines: list[Line] = []
    lead = lead or []
    style = {"hyphenate": hyphenate, "justify": justify, "owner": owner}
    for k, item in enumerate(items):
        if k:
            lines.append(gap(item_gap))
        if isinstance(item, Prose):
            fdx = first_dx if k == 0 else None
            lines += para(item, fonts, width, dx=dx, lead=lead, first_dx=fdx, **style)
        else:
            runs = [*lead, Run(dx, bullet, _marker_font(fonts, bullet), label=True)]
            lines += para(item, fonts, width - 12, dx=dx + 12, lead=runs, **style)
        lead = []
    return lines


def _toc(
    doc: Doc,
    spec: PlanSpec,
    fonts: Fonts,
    width: float,
    pages: dict[str, int] | None,
    *,
    heading: str,
    leaders: bool,
) -> None:
    entries = [("Indledning", 0.0, "sec:intro", True)]
    entries += [
        (_heading_text(spec, s), 0.0, f"sec:{i}", True) for i, s in enumerate(spec.sections)
    ]
    if spec.follow_up:
        entries.append((spec.follow_up.heading, 0.0, "sec:fu", True))
        for k, s in enumerate(spec.follow_up.sections):
            entries.append((s.title, 14.0, f"sec:fu{k}", False))
    doc.flow(para(heading, fonts, width, font=fonts.bold, size=16, leading=28))
    lines = []
    dot = _width(".", fonts.regular, fonts.size)
    for text, indent, mark, bold in entries:
        number = str((pages or {}).get(mark, 99))
        font = fonts.bold if bold else fonts.regular
        num_x = width - _width(number, font, fonts.size)
        runs = [Run(indent, text, font), Run(num_x, number, font)]
        if leaders:
            start = indent + _width(text, font, fonts.size) + 2
            count = int((num_x - 3 - start) / dot)
            runs.insert(1, Run(num_x - 3 - count * dot, "." * count, fonts.regular))
        lines.append(Line(runs, fonts.size, fonts.leading * 1.4))
    doc.flow(lines)
    doc.toc_pages = [*getattr(doc, "toc_pages", []), doc.page_no]


def _search(build: Callable[[float], Doc], ok: Callable[[Doc], bool], limit: int = 700) -> Doc:
    """Build with more and more space before a chosen heading until `ok` holds (a row split
    over a page, text flowing between columns mid-goal)."""
    for pad in range(0, limit, 6):
        doc = build(float(pad))
        if ok(doc):
            return doc
    raise RuntimeError("layout constraint not reachable for this spec")


def _header_footer(
    left: str | None,
    right: str | None,
    footer: Callable[[int, int], str],
    *,
    align: str,
    font: str,
    margin: float = 57.0,
    first: bool = True,
) -> Callable[[Doc, int, int], None]:
    def furniture(doc: Doc, page: int, total: int) -> None:
        if page == 1 and not first:
            return
        PAGE_W, PAGE_H = doc.pages[-1].size
        if left:
            doc.text(margin, 34, font, 8, left)
        if right:
            doc.text(PAGE_W - margin - _width(right, font, 8), 34, font, 8, right)
        if left or right:
            doc.rule(margin, 40, PAGE_W - margin, 40, 0.4)
        text = footer(page, total)
        w = _width(text, font, 8)
        x = {"left": margin, "right": PAGE_W - margin - w, "center": (PAGE_W - w) / 2}[align]
        doc.text(x, PAGE_H - 30, font, 8, text)

    return furniture


def _info(layout: str, spec: PlanSpec, doc: Doc, **options) -> dict:
    return {
        "layout": layout,
        "spec": spec.key,
        "title": spec.title,
        "options": options,
        "toc_pages": getattr(doc, "toc_pages", []),
    }


def _title_block(doc: Doc, spec: PlanSpec, fonts: Fonts, width: float, size: float = 18) -> None:
    doc.flow(para(spec.title, fonts, width, font=fonts.bold, size=size, leading=size * 1.35))
    doc.flow(para(spec.organisation, fonts, width, size=12, leading=20))
    doc.flow([gap(10)])


def _intro(doc: Doc, spec: PlanSpec, fonts: Fonts, width: float, heading_size: float, **style):
    doc.flow([gap(6)])
    doc.flow(
        para(
            "Indledning",
            fonts,
            width,
            font=fonts.bold,
            size=heading_size,
            leading=heading_size * 1.6,
            tag="sec:intro",
        )
    )
    for text in spec.intro:
        doc.flow([*para(text, fonts, width, **style), gap(5)])


def _heading(
    text: str,
    fonts: Fonts,
    width: float,
    size: float,
    *,
    tag: str | None = None,
    before: float = 8.0,
    dx: float = 0.0,
) -> list[Line]:
    """A heading: space before, bold, kept with the lines that follow it."""
    lines = para(text, fonts, width, dx=dx, font=fonts.bold, size=size, leading=size * 1.5, tag=tag)
    for ln in lines:
        ln.keep = True
    return [gap(before), *lines]


# ----------------------------------------------------------------------------------------------
# 1. inline_table: a two-column ruled table per goal with bold labels in the cells
# ----------------------------------------------------------------------------------------------


def _build_inline_table(spec: PlanSpec, toc: dict[str, int] | None) -> Doc:
    fonts = _fonts("vera", 9.5, 12.5)
    margin = 57.0
    width = PAGE_W - 2 * margin
    doc = Doc(lambda i, band: [Frame(margin, 62 + band, PAGE_W - margin, PAGE_H - 58)])
    doc.y = 280
    doc.flow(para(spec.title, fonts, width, font=fonts.bold, size=20, leading=28))
    doc.flow(para(spec.organisation, fonts, width, size=14, leading=20))
    doc.new_page()
    _toc(doc, spec, fonts, width, toc, heading="Indhold", leaders=True)
    doc.new_page()
    _intro(doc, spec, fonts, width, 15)
    widths = [width * 0.56, width * 0.44]
    pad = 4.0
    inner = [w - 2 * pad for w in widths]

    def goal_row(owner: str, goal: GoalSpec, shade_follow_up: bool) -> None:
        left = [label_line("Mål:", fonts, owner=owner), *_goal_lines(goal, fonts, inner[0], owner)]
        right = [
            label_line("Dokumentation:", fonts, owner=owner),
            *_doc_lines(goal.documentation, fonts, inner[1], owner),
        ]
        if not doc.at_top:
            doc.y += 8
        doc.row([left, right], widths, pad=pad)
        if goal.follow_up:
            lines = [label_line("Opfølgning:", fonts, owner=owner)]
            for k, text in enumerate(goal.follow_up):
                lines += ([gap(4)] if k else []) + para(text, fonts, width - 2 * pad, owner=owner)
            doc.row([lines], [width], pad=pad, shade=0.92 if shade_follow_up else None)

    entries = list(_entries(spec))
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(_heading_text(spec, section), fonts, width, 15, tag=f"sec:{si}", before=14)
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(6)])
        for owner, s, _, goal in entries:
            if s == si:
                goal_row(owner, goal, False)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, width, 15, tag="sec:fu"))
        groups = spec.follow_up.sections
        for k, group in enumerate(groups):
            doc.flow(_heading(group.title, fonts, width, 12, tag=f"sec:fu{k}", before=12))
            for owner, s, sec, goal in entries:
                if s is None and sec is group:
                    goal_row(owner, goal, True)
    return doc


def render_inline_table(spec: PlanSpec, path: Path | str, **options) -> Path:
    """Two-column ruled goal tables with bold "Mål:" / "Dokumentation:" at the top of the cells,
    a full-width shaded "Opfølgning:" row under each follow-up entry, a cover, a table of
    contents with dot leaders, a running header and "Side N" footers."""
    first = _build_inline_table(spec, None)
    doc = _build_inline_table(spec, first.marks)
    furniture = _header_footer(
        spec.title,
        spec.organisation,
        lambda n, t: f"Side {n}",
        align="right",
        font="Vera",
        first=False,
    )
    return doc.save(Path(path), furniture, _info("inline_table", spec, doc, **options))


# ----------------------------------------------------------------------------------------------
# 2. header_grid: one grid per section whose first row carries the labels
# ----------------------------------------------------------------------------------------------


def _build_header_grid(spec: PlanSpec, repeat_header: bool, pad_before: float) -> Doc:
    fonts = _fonts("helvetica", 9.5, 12.0)
    margin = 50.0
    width = PAGE_W - 2 * margin
    doc = Doc(lambda i, band: [Frame(margin, 60 + band, PAGE_W - margin, PAGE_H - 55)])
    _title_block(doc, spec, fonts, width, 20)
    doc.flow([gap(pad_before)])
    _intro(doc, spec, fonts, width, 13)
    pad = 4.0

    def header(labels: list[str], widths: list[float]) -> Callable[[], None]:
        def draw() -> None:
            cells = [
                [Line([Run(0, t, fonts.bold, label=True)], fonts.size, fonts.leading)]
                for t in labels
            ]
            doc.row(cells, widths, pad=pad, shade=0.82)

        return draw

    entries = list(_entries(spec))
    goal_widths = [width * 0.5, width * 0.5]
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(_heading_text(spec, section), fonts, width, 13, tag=f"sec:{si}", before=16)
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(6)])
        doc.flow([gap(4)])
        top = header(["Mål", "Dokumentation"], goal_widths)
        if doc.y + 60 > doc.frame.bottom:
            doc.next_frame()
        top()
        for owner, s, _, goal in entries:
            if s != si:
                continue
            cells = [
                _goal_lines(goal, fonts, goal_widths[0] - 2 * pad, owner),
                _doc_lines(goal.documentation, fonts, goal_widths[1] - 2 * pad, owner),
            ]
            doc.row(cells, goal_widths, pad=pad, header=top if repeat_header else None)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, width, 14, tag="sec:fu", before=0))
        fu_widths = [width * 0.36, width * 0.32, width * 0.32]
        for k, group in enumerate(spec.follow_up.sections):
            doc.flow(_heading(group.title, fonts, width, 11, tag=f"sec:fu{k}", before=12))
            top = header(["Mål", "Dokumentation", "Opfølgning"], fu_widths)
            if doc.y + 60 > doc.frame.bottom:
                doc.next_frame()
            top()
            for owner, s, sec, goal in entries:
                if s is not None or sec is not group:
                    continue
                follow = []
                for j, text in enumerate(goal.follow_up):
                    follow += ([gap(4)] if j else []) + para(
                        text, fonts, fu_widths[2] - 2 * pad, owner=owner
                    )
                cells = [
                    _goal_lines(goal, fonts, fu_widths[0] - 2 * pad, owner),
                    _doc_lines(goal.documentation, fonts, fu_widths[1] - 2 * pad, owner),
                    follow,
                ]
                doc.row(cells, fu_widths, pad=pad, header=top if repeat_header else None)
    return doc


def render_header_grid(
    spec: PlanSpec, path: Path | str, *, repeat_header: bool = True, **options
) -> Path:
    """Ruled grids whose first row holds the labels ("Mål | Dokumentation", and
    "Mål | Dokumentation | Opfølgning" in the follow-up part); no labels in the cells. At
    least one goal row splits over a page break with its Mål cell complete on the first page:
    on the next page its documentation goes on in a row with an empty Mål cell (after the
    repeated header row when `repeat_header`)."""

    def ok(doc: Doc) -> bool:
        return any(s["first_cell_done"] and s["owner"].startswith("g") for s in doc.splits)

    doc = _search(lambda pad: _build_header_grid(spec, repeat_header, pad), ok)
    furniture = _header_footer(
        f"{spec.organisation} · {spec.unit}",
        spec.period.label,
        lambda n, t: str(n),
        align="center",
        font="Helvetica",
        margin=50,
    )
    info = _info("header_grid", spec, doc, repeat_header=repeat_header, **options)
    return doc.save(Path(path), furniture, info)


# ----------------------------------------------------------------------------------------------
# 3.-5. running text: single_column, uppercase_labels, two_columns
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Running:
    layout: str
    family: str
    size: float
    leading: float
    margin: float
    columns: int = 1
    gutter: float = 20.0
    upper: bool = False
    colon: bool = True
    doc_inline: bool = True  # "Dokumentation: <first prose item>" on one line
    follow_up_inline: bool = True  # "Opfølgning: <text>" on one line
    follow_up_new_page: bool = False
    bullets: tuple[str, ...] = ("•",)
    hyphenate: bool = True
    justify: bool = True


def _build_running(spec: PlanSpec, st: _Running, pad: float) -> Doc:
    fonts = _fonts(st.family, st.size, st.leading)
    top, bottom = 62.0, PAGE_H - 56
    full = PAGE_W - 2 * st.margin
    colw = (full - st.gutter * (st.columns - 1)) / st.columns

    def frames(index: int, band: float) -> list[Frame]:
        return [
            Frame(
                st.margin + c * (colw + st.gutter),
                top + band,
                st.margin + c * (colw + st.gutter) + colw,
                bottom,
            )
            for c in range(st.columns)
        ]

    doc = Doc(frames)
    style = {"hyphenate": st.hyphenate, "justify": st.justify}

    def label(word: str) -> str:
        word = word.upper() if st.upper else word
        return word + (":" if st.colon else "")

    def band(title: str, subtitle: str | None, mark: str | None) -> Callable[[Doc, float], float]:
        def draw(d: Doc, _: float) -> float:
            y = top
            for ln in para(title, fonts, full, font=fonts.bold, size=17, leading=23, tag=mark):
                d.draw_line(ln, st.margin, y)
                y += ln.leading
            if subtitle:
                d.text(st.margin, y + 12, fonts.regular, 11, subtitle)
                y += 18
            d.rule(st.margin, y + 4, PAGE_W - st.margin, y + 4, 1.2)
            return y + 16 - top

        return draw

    if st.columns > 1:
        doc.pages = []
        doc.new_page(band=band(spec.title, spec.organisation, None))
    else:
        _title_block(doc, spec, fonts, colw, 18)
    _intro(doc, spec, fonts, colw, st.size + 3, **style)
    doc.flow([gap(pad)])
    width = colw
    bold_w = _width  # alias for readability

    def entry(owner: str, index: int, goal: GoalSpec) -> None:
        bullet = st.bullets[index % len(st.bullets)]
        lines: list[Line] = [gap(st.leading * 0.6)]
        goal_label = label("Mål")
        if st.colon and goal.text is not None:
            lead = [Run(0, goal_label, fonts.bold, label=True)]
            first_dx = bold_w(goal_label + " ", fonts.bold, st.size)
            lines += _goal_lines(
                goal, fonts, width, owner, lead=lead, first_dx=first_dx, bullet=bullet, **style
            )
        else:
            lines += [label_line(goal_label, fonts, owner=owner)]
            lines += _goal_lines(goal, fonts, width, owner, bullet=bullet, **style)
        lines.append(gap(3))
        doc_label = label("Dokumentation")
        items = goal.documentation
        if st.colon and st.doc_inline and items and isinstance(items[0], Prose):
            lead = [Run(0, doc_label, fonts.bold, label=True)]
            first_dx = bold_w(doc_label + " ", fonts.bold, st.size)
            lines += _doc_lines(
                items,
                fonts,
                width,
                owner,
                lead=lead,
                first_dx=first_dx,
                bullet=bullet,
                item_gap=2,
                **style,
            )
        else:
            lines += [label_line(doc_label, fonts, owner=owner)]
            lines += _doc_lines(items, fonts, width, owner, bullet=bullet, **style)
        if goal.follow_up:
            lines.append(gap(3))
            fu_label = label("Opfølgning")
            for k, text in enumerate(goal.follow_up):
                if k == 0 and st.colon and st.follow_up_inline:
                    lead = [Run(0, fu_label, fonts.bold, label=True)]
                    first_dx = bold_w(fu_label + " ", fonts.bold, st.size)
                    lines += para(
                        text, fonts, width, lead=lead, first_dx=first_dx, owner=owner, **style
                    )
                else:
                    if k == 0:
                        lines.append(label_line(fu_label, fonts, owner=owner))
                    else:
                        lines.append(gap(3))
                    lines += para(text, fonts, width, owner=owner, **style)
        doc.flow(lines)

    entries = list(_entries(spec))
    hsize = st.size + 3
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(
                _heading_text(spec, section, st.upper),
                fonts,
                width,
                hsize,
                tag=f"sec:{si}",
                before=12,
            )
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width, **style), gap(4)])
        for n, (owner, s, _, goal) in enumerate(entries):
            if s == si:
                entry(owner, n, goal)
    if spec.follow_up:
        heading = spec.follow_up.heading.upper() if st.upper else spec.follow_up.heading
        if st.columns > 1:
            doc.new_page(band=band(heading, None, "sec:fu"))
        else:
            if st.follow_up_new_page:
                doc.new_page()
            doc.flow(_heading(heading, fonts, width, hsize + 2, tag="sec:fu", before=16))
        for k, group in enumerate(spec.follow_up.sections):
            title = group.title.upper() if st.upper else group.title
            doc.flow(_heading(title, fonts, width, st.size + 1.5, tag=f"sec:fu{k}", before=10))
            for n, (owner, s, sec, goal) in enumerate(entries):
                if s is None and sec is group:
                    entry(owner, n, goal)
    return doc


def _check_hyphenation(doc: Doc) -> bool:
    ends = doc.line_ends
    return all(t in ends for t in BREAK_TARGETS) and any(
        e.endswith("-") and e not in BREAK_TARGETS and e[:-1].isalpha() for e in ends
    )


def render_single_column(spec: PlanSpec, path: Path | str, **options) -> Path:
    """Running text in one justified Times column: "Mål: ..." inline, "Dokumentation:" on its
    own line before bullets ("•", "-", "–" in turn) or inline before prose, "Opfølgning: ..."
    inline; words hyphenated at line ends ("digitali-" / "seringen"), and some lines end at a
    real hyphen ("It-" / "strategi") or a suspended compound ("lands-" / "og ...")."""
    st = _Running("single_column", "times", 11.0, 13.6, 72.0, bullets=("•", "-", "–"))
    doc = _build_running(spec, st, 0.0)
    if not _check_hyphenation(doc):
        raise RuntimeError("single_column: the hyphenation cases did not occur")
    furniture = _header_footer(
        None,
        f"{spec.organisation} – {spec.unit}",
        lambda n, t: f"- {n} -",
        align="center",
        font="Times-Roman",
        margin=72,
    )
    return doc.save(Path(path), furniture, _info("single_column", spec, doc, **options))


def render_uppercase_labels(
    spec: PlanSpec, path: Path | str, *, colon: bool = True, **options
) -> Path:
    """single_column with capital labels ("MÅL:", "DOKUMENTATION:" and "OPFØLGNING:" on their
    own lines) and capital section headings; with colon=False the labels stand alone on
    their lines without a colon ("MÅL")."""
    st = _Running(
        "uppercase_labels",
        "times",
        10.5,
        13.0,
        68.0,
        upper=True,
        colon=colon,
        doc_inline=False,
        follow_up_inline=False,
        follow_up_new_page=True,
    )
    doc = _build_running(spec, st, 0.0)
    furniture = _header_footer(
        spec.title, None, lambda n, t: f"{n}/{t}", align="right", font="Times-Roman", margin=68
    )
    info = _info("uppercase_labels", spec, doc, colon=colon, **options)
    return doc.save(Path(path), furniture, info)


def _spans_columns(doc: Doc) -> tuple[bool, bool]:
    """(some goal goes on from the left to the right column, some entry goes on to the next
    page)."""
    across = over = False
    for owner, spans in doc.spans.items():
        if owner.startswith("g") and any((p, 0) in spans and (p, 1) in spans for p, _ in spans):
            across = True
        if any((p, 1) in spans and (p + 1, 0) in spans for p, _ in spans):
            over = True
    return across, over


def render_two_columns(spec: PlanSpec, path: Path | str, **options) -> Path:
    """Newspaper layout: a full-width title band, then two justified, hyphenated columns; a
    goal runs from the bottom of the left column to the top of the right one, and an entry
    runs on to the next page. The follow-up part opens a new page under a full-width band."""

    def ok(doc: Doc) -> bool:
        return all(_spans_columns(doc))

    # The type size decides where the columns break; a little space after the introduction
    # fine-tunes it.
    for tenth in range(90, 111, 2):
        size = tenth / 10
        st = _Running("two_columns", "vera", size, size * 1.29, 45.0, columns=2, gutter=20.0)
        try:
            doc = _search(lambda pad, st=st: _build_running(spec, st, pad), ok, limit=60)
            break
        except RuntimeError:
            continue
    else:
        raise RuntimeError("two_columns: no type size lets the text flow across columns")
    furniture = _header_footer(
        spec.title,
        spec.organisation,
        lambda n, t: f"Side {n} af {t}",
        align="right",
        font="Vera",
        margin=45,
    )
    return doc.save(Path(path), furniture, _info("two_columns", spec, doc, **options))


# ----------------------------------------------------------------------------------------------
# 6. label_margin: labels in a left margin column, the text beside them on the same baseline
# ----------------------------------------------------------------------------------------------

_LABEL_X, _TEXT_X = 60.0, 150.0


def _build_label_margin(spec: PlanSpec, toc: dict[str, int] | None) -> Doc:
    fonts = _fonts("helvetica", 10.0, 13.0)
    right = PAGE_W - 60
    doc = Doc(lambda i, band: [Frame(_LABEL_X, 64 + band, right, PAGE_H - 60)])
    full = right - _LABEL_X
    dx = _TEXT_X - _LABEL_X
    width = right - _TEXT_X
    _title_block(doc, spec, fonts, full, 20)
    _toc(doc, spec, fonts, full, toc, heading="Indholdsfortegnelse", leaders=False)
    doc.new_page()
    _intro(doc, spec, fonts, full, 13)

    def margin(word: str) -> list[Run]:
        return [Run(0, word, fonts.bold, label=True)]

    def entry(owner: str, goal: GoalSpec) -> None:
        lines: list[Line] = [gap(9)]
        lines += _goal_lines(goal, fonts, width, owner, dx=dx, lead=margin("Mål"), bullet="–")
        lines.append(gap(5))
        lines += _doc_lines(
            goal.documentation,
            fonts,
            width,
            owner,
            dx=dx,
            lead=margin("Dokumentation"),
            bullet="–",
            item_gap=3,
        )
        for k, text in enumerate(goal.follow_up):
            lines.append(gap(5 if k == 0 else 3))
            lines += para(
                text, fonts, width, dx=dx, lead=margin("Opfølgning") if k == 0 else [], owner=owner
            )
        doc.flow(lines)

    entries = list(_entries(spec))
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(_heading_text(spec, section), fonts, full, 13, tag=f"sec:{si}", before=16)
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width, dx=dx), gap(4)])
        for owner, s, _, goal in entries:
            if s == si:
                entry(owner, goal)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, full, 15, tag="sec:fu", before=0))
        for k, group in enumerate(spec.follow_up.sections):
            doc.flow(_heading(group.title, fonts, full, 12, tag=f"sec:fu{k}", before=12))
            for owner, s, sec, goal in entries:
                if s is None and sec is group:
                    entry(owner, goal)
    return doc


def render_label_margin(spec: PlanSpec, path: Path | str, **options) -> Path:
    """A definition list: "Mål", "Dokumentation", "Opfølgning" (no colon) in a margin column at
    x=60, their text from x=150 on the same baseline; a contents list whose page numbers stand
    right-aligned without dot leaders."""
    first = _build_label_margin(spec, None)
    doc = _build_label_margin(spec, first.marks)
    furniture = _header_footer(
        spec.title,
        spec.organisation,
        lambda n, t: f"Side {n}",
        align="left",
        font="Helvetica",
        margin=60,
    )
    return doc.save(Path(path), furniture, _info("label_margin", spec, doc, **options))


# ----------------------------------------------------------------------------------------------
# 7. key_value_table: one two-column table per goal, the labels as row headers on the left
# ----------------------------------------------------------------------------------------------

# Cells of rows that are no fields ("Ansvarlig", "Tidsfrist"): they must never reach a field.
_RESPONSIBLE = ("Områdechef", "Afdelingsleder", "Faglig koordinator", "Stabschef", "Centerchef")
_DEADLINES = ("Juni", "Løbende", "December", "Efteråret", "Primo")


def _responsible(n: int) -> str:
    return _RESPONSIBLE[n % len(_RESPONSIBLE)]


def _deadline(n: int, spec: PlanSpec) -> str:
    word = _DEADLINES[n % len(_DEADLINES)]
    return word if word == "Løbende" else f"{word} {spec.period.end}"


def _build_key_value(spec: PlanSpec, extra_rows: bool, pad_before: float) -> Doc:
    fonts = _fonts("helvetica", 10.0, 12.6)
    margin = 56.0
    width = PAGE_W - 2 * margin
    doc = Doc(lambda i, band: [Frame(margin, 60 + band, PAGE_W - margin, PAGE_H - 56)])
    _title_block(doc, spec, fonts, width, 20)
    doc.flow([gap(pad_before)])
    _intro(doc, spec, fonts, width, 14)
    pad = 5.0
    widths = [104.0, width - 104.0]
    inner = widths[1] - 2 * pad

    def key(word: str, owner: str) -> list[Line]:
        return [Line([Run(0, word, fonts.bold, label=True)], fonts.size, fonts.leading, owner)]

    def table(n: int, owner: str, goal: GoalSpec) -> None:
        if not doc.at_top:
            doc.y += 12
        doc.row(
            [key("Mål", owner), _goal_lines(goal, fonts, inner, owner, bullet="•")], widths, pad=pad
        )
        doc.row(
            [
                key("Dokumentation", owner),
                _doc_lines(goal.documentation, fonts, inner, owner, bullet="•"),
            ],
            widths,
            pad=pad,
        )
        if extra_rows:
            doc.row(
                [key("Ansvarlig", owner), para(_responsible(n), fonts, inner, owner=owner)],
                widths,
                pad=pad,
            )
            doc.row(
                [key("Tidsfrist", owner), para(_deadline(n, spec), fonts, inner, owner=owner)],
                widths,
                pad=pad,
            )
        if goal.follow_up:
            lines: list[Line] = []
            for k, text in enumerate(goal.follow_up):
                lines += ([gap(4)] if k else []) + para(text, fonts, inner, owner=owner)
            doc.row([key("Opfølgning", owner), lines], widths, pad=pad)

    entries = list(_entries(spec))
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(_heading_text(spec, section), fonts, width, 14, tag=f"sec:{si}", before=16)
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(6)])
        for n, (owner, s, _, goal) in enumerate(entries):
            if s == si:
                table(n, owner, goal)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, width, 15, tag="sec:fu", before=0))
        for k, group in enumerate(spec.follow_up.sections):
            doc.flow(_heading(group.title, fonts, width, 12, tag=f"sec:fu{k}", before=12))
            for n, (owner, s, sec, goal) in enumerate(entries):
                if s is None and sec is group:
                    table(n, owner, goal)
    return doc


def render_key_value_table(
    spec: PlanSpec, path: Path | str, *, extra_rows: bool = False, **options
) -> Path:
    """One ruled two-column table per goal whose left column holds the labels as row headers
    (bold, no colon): "Mål" | goal, "Dokumentation" | items, and "Opfølgning" | text in the
    follow-up part. With extra_rows, rows that are no fields ("Ansvarlig", "Tidsfrist") follow
    the documentation. A row splits over a page break (its label cell stays on the first page).
    """

    def ok(doc: Doc) -> bool:
        return any(s["owner"] and any(s["continues"][1:]) for s in doc.splits)

    doc = _search(lambda pad: _build_key_value(spec, extra_rows, pad), ok)
    furniture = _header_footer(
        spec.unit,
        spec.organisation,
        lambda n, t: f"Side {n} af {t}",
        align="right",
        font="Helvetica",
        margin=56,
    )
    foreign = []
    if extra_rows:
        n_entries = len(list(_entries(spec)))
        foreign = sorted(
            {_responsible(n) for n in range(n_entries)}
            | {_deadline(n, spec) for n in range(n_entries)}
        )
    info = _info("key_value_table", spec, doc, extra_rows=extra_rows, **options)
    info["foreign"] = foreign
    return doc.save(Path(path), furniture, info)


# ----------------------------------------------------------------------------------------------
# 8. grid_extra_columns: grids with columns that are no fields ("Nr.", "Ansvarlig", "Frist")
# ----------------------------------------------------------------------------------------------


def _build_grid_extra(spec: PlanSpec, header_style: str, pad_before: float) -> Doc:
    fonts = _fonts("helvetica", 9.0, 11.4)
    margin = 42.0
    width = PAGE_W - 2 * margin
    doc = Doc(lambda i, band: [Frame(margin, 58 + band, PAGE_W - margin, PAGE_H - 52)])
    _title_block(doc, spec, fonts, width, 19)
    _intro(doc, spec, fonts, width, 13)
    doc.flow([gap(pad_before)])
    pad = 4.0
    rest = width - 30
    goal_widths = [30.0, rest * 0.36, rest * 0.32, rest * 0.18, rest * 0.14]
    fu_widths = [30.0, rest * 0.34, rest * 0.33, rest * 0.33]

    def header_cell(text: str, explain: str | None, w: float) -> list[Line]:
        if explain is None:
            return [Line([Run(0, text, fonts.bold, label=True)], fonts.size, fonts.leading)]
        if header_style == "one_line":  # all bold, wrapped: "Mål (hvad vil vi opnå?)"
            return para(f"{text} {explain}", fonts, w - 2 * pad, font=fonts.bold)
        return [
            Line([Run(0, text, fonts.bold, label=True)], fonts.size, fonts.leading),
            Line([Run(0, explain, fonts.regular, label=True)], fonts.size, fonts.leading),
        ]

    def header(cells: list[tuple[str, str | None]], widths: list[float]) -> Callable[[], None]:
        def draw() -> None:
            doc.row(
                [header_cell(t, e, w) for (t, e), w in zip(cells, widths, strict=True)],
                widths,
                pad=pad,
                shade=0.85,
            )

        return draw

    goal_header = header(
        [
            ("Nr.", None),
            ("Mål", "(hvad vil vi opnå?)"),
            ("Succeskriterier", "(hvordan ser vi det?)"),
            ("Ansvarlig", None),
            ("Frist", None),
        ],
        goal_widths,
    )
    fu_header = header(
        [
            ("Nr.", None),
            ("Målsætning", None),
            ("Dokumentation/succeskriterier", None),
            ("Status og opfølgning", None),
        ],
        fu_widths,
    )

    def small(text: str, w: float, owner: str) -> list[Line]:
        return para(text, fonts, w - 2 * pad, owner=owner)

    entries = list(_entries(spec))
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(_heading_text(spec, section), fonts, width, 13, tag=f"sec:{si}", before=16)
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(6)])
        doc.flow([gap(4)])
        if doc.y + 70 > doc.frame.bottom:
            doc.next_frame()
        goal_header()
        k = 0
        for n, (owner, s, _, goal) in enumerate(entries):
            if s != si:
                continue
            k += 1
            w = goal_widths
            cells = [
                small(f"{section.number}.{k}", w[0], owner),
                _goal_lines(goal, fonts, w[1] - 2 * pad, owner, bullet="•"),
                _doc_lines(goal.documentation, fonts, w[2] - 2 * pad, owner, bullet="•"),
                small(_responsible(n), w[3], owner),
                small(_deadline(n, spec), w[4], owner),
            ]
            doc.row(cells, w, pad=pad, header=goal_header)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, width, 14, tag="sec:fu", before=0))
        n_fu = 0
        for g, group in enumerate(spec.follow_up.sections):
            doc.flow(_heading(group.title, fonts, width, 11, tag=f"sec:fu{g}", before=12))
            if doc.y + 70 > doc.frame.bottom:
                doc.next_frame()
            fu_header()
            for owner, s, sec, goal in entries:
                if s is not None or sec is not group:
                    continue
                n_fu += 1
                w = fu_widths
                follow: list[Line] = []
                for j, text in enumerate(goal.follow_up):
                    follow += ([gap(4)] if j else []) + para(
                        text, fonts, w[3] - 2 * pad, owner=owner
                    )
                cells = [
                    small(str(n_fu), w[0], owner),
                    _goal_lines(goal, fonts, w[1] - 2 * pad, owner, bullet="•"),
                    _doc_lines(goal.documentation, fonts, w[2] - 2 * pad, owner, bullet="•"),
                    follow,
                ]
                doc.row(cells, w, pad=pad, header=fu_header)
    return doc


def render_grid_extra_columns(
    spec: PlanSpec, path: Path | str, *, header_style: str = "two_lines", **options
) -> Path:
    """Ruled grids "Nr. | Mål | Succeskriterier | Ansvarlig | Frist" (the header cells explain
    themselves: "Mål (hvad vil vi opnå?)", on one bold line with header_style="one_line", or
    "Mål" bold over a plain "(hvad vil vi opnå?)"); in the follow-up part
    "Nr. | Målsætning | Dokumentation/succeskriterier | Status og opfølgning". The columns Nr.,
    Ansvarlig and Frist are no fields. A goal row splits over a page break with its Mål cell
    going on on the next page, under the repeated header row."""

    def ok(doc: Doc) -> bool:
        return any(
            s["owner"] and s["owner"].startswith("g") and s["continues"][1] for s in doc.splits
        )

    doc = _search(lambda pad: _build_grid_extra(spec, header_style, pad), ok)
    furniture = _header_footer(
        f"{spec.organisation} – {spec.unit}",
        None,
        lambda n, t: str(n),
        align="right",
        font="Helvetica",
        margin=42,
    )
    n_entries = len(list(_entries(spec)))
    info = _info("grid_extra_columns", spec, doc, header_style=header_style, **options)
    info["foreign"] = sorted(
        {_responsible(n) for n in range(n_entries)} | {_deadline(n, spec) for n in range(n_entries)}
    )
    return doc.save(Path(path), furniture, info)


# ----------------------------------------------------------------------------------------------
# 9. borderless_table: a goal table whose borders are hidden: columns of text, no lines
# ----------------------------------------------------------------------------------------------


def _build_borderless(spec: PlanSpec) -> Doc:
    fonts = _fonts("vera", 9.0, 11.8)
    margin = 57.0
    width = PAGE_W - 2 * margin
    doc = Doc(lambda i, band: [Frame(margin, 60 + band, PAGE_W - margin, PAGE_H - 56)])
    _title_block(doc, spec, fonts, width, 19)
    _intro(doc, spec, fonts, width, 13)
    pad = 5.4  # Word's default cell margin: 0.19 cm on each side
    two = [width * 0.5, width * 0.5]
    three = [width * 0.34, width * 0.33, width * 0.33]

    def cell(word: str, owner: str, body: list[Line]) -> list[Line]:
        return [
            Line([Run(0, word, fonts.bold, label=True)], fonts.size, fonts.leading, owner),
            *body,
        ]

    def row(owner: str, goal: GoalSpec) -> None:
        widths = three if goal.follow_up else two
        inner = [w - 2 * pad for w in widths]
        cells = [
            cell("Mål:", owner, _goal_lines(goal, fonts, inner[0], owner, bullet="•")),
            cell(
                "Dokumentation:",
                owner,
                _doc_lines(goal.documentation, fonts, inner[1], owner, bullet="•"),
            ),
        ]
        if goal.follow_up:
            lines: list[Line] = []
            for k, text in enumerate(goal.follow_up):
                lines += ([gap(4)] if k else []) + para(text, fonts, inner[2], owner=owner)
            cells.append(cell("Opfølgning:", owner, lines))
        if not doc.at_top:
            doc.y += 10
        doc.row(cells, widths, pad=pad, ruled=False, split=False)

    entries = list(_entries(spec))
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(_heading_text(spec, section), fonts, width, 13, tag=f"sec:{si}", before=16)
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(4)])
        for owner, s, _, goal in entries:
            if s == si:
                row(owner, goal)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, width, 14, tag="sec:fu", before=0))
        for k, group in enumerate(spec.follow_up.sections):
            doc.flow(_heading(group.title, fonts, width, 11, tag=f"sec:fu{k}", before=12))
            for owner, s, sec, goal in entries:
                if s is None and sec is group:
                    row(owner, goal)
    return doc


def render_borderless_table(spec: PlanSpec, path: Path | str, **options) -> Path:
    """A Word goal table with hidden borders: no ruling lines at all, "Mål:" at the top of the
    left cell and "Dokumentation:" at the top of the right one (in the follow-up part a third
    cell "Opfølgning:"), rows apart only by vertical space, several rows to a page. Read
    column by column, a page would give all its goals before all their documentation."""
    doc = _build_borderless(spec)
    furniture = _header_footer(
        None,
        None,
        lambda n, t: f"{spec.organisation} · side {n}",
        align="center",
        font="Vera",
        margin=57,
    )
    return doc.save(Path(path), furniture, _info("borderless_table", spec, doc, **options))


# ----------------------------------------------------------------------------------------------
# 10. numbered_goals: "Mål 1.2:" labels, "Succeskriterier:", capital headings at body size
# ----------------------------------------------------------------------------------------------


def _goal_label(spec: PlanSpec, numbering: str, si: int, k: int, n: int, total: int) -> str:
    """The numbered label of goal k (0-based) of section si, n-th goal of the plan."""
    if numbering == "dotted":
        return f"Mål {si + 1}.{k + 1}:"
    if si == len(spec.sections) - 1 and spec.period.end > spec.period.start:
        return f"Mål for {spec.period.start + min(k, spec.period.end - spec.period.start)}:"
    return f"Mål {n + 1}:"


def _build_numbered(spec: PlanSpec, numbering: str) -> Doc:
    fonts = _fonts("helvetica", 10.0, 13.6)
    margin = 64.0
    width = PAGE_W - 2 * margin
    doc = Doc(lambda i, band: [Frame(margin, 62 + band, PAGE_W - margin, PAGE_H - 58)])
    doc.flow(para(spec.title, fonts, width, font=fonts.bold, size=18, leading=24))
    doc.flow(para(spec.organisation, fonts, width, size=12, leading=20))
    doc.flow([gap(14)])

    def caps_heading(text: str, tag: str | None, before: float = 14.0) -> list[Line]:
        lines = para(text.upper(), fonts, width, tag=tag)  # body size, regular weight
        for ln in lines:
            ln.keep = True
        return [gap(before), *lines, gap(fonts.leading * 0.6)]

    doc.flow(caps_heading("Indledning", "sec:intro", 0))
    for text in spec.intro:
        doc.flow([*para(text, fonts, width), gap(5)])

    def inline(word: str, owner: str, lines_for) -> list[Line]:
        lead = [Run(0, word, fonts.bold, label=True)]
        return lines_for(lead, _width(word + " ", fonts.bold, fonts.size))

    def entry(owner: str, label: str, goal: GoalSpec) -> None:
        lines: list[Line] = [gap(7)]
        if goal.text is not None:
            lines += inline(
                label,
                owner,
                lambda lead, dx: _goal_lines(
                    goal, fonts, width, owner, lead=lead, first_dx=dx, bullet="•"
                ),
            )
        else:
            lines.append(label_line(label, fonts, owner=owner))
            lines += _goal_lines(goal, fonts, width, owner, bullet="•")
        lines.append(gap(4))
        items = goal.documentation
        if items and isinstance(items[0], Prose):
            lines += inline(
                "Succeskriterier:",
                owner,
                lambda lead, dx: _doc_lines(
                    items, fonts, width, owner, lead=lead, first_dx=dx, bullet="•"
                ),
            )
        else:
            lines.append(label_line("Succeskriterier:", fonts, owner=owner))
            lines += _doc_lines(items, fonts, width, owner, bullet="•")
        for k, text in enumerate(goal.follow_up):
            lines.append(gap(4 if k == 0 else 3))
            if k == 0:
                lines += inline(
                    "Status:",
                    owner,
                    lambda lead, dx, text=text: para(
                        text, fonts, width, lead=lead, first_dx=dx, owner=owner
                    ),
                )
            else:
                lines += para(text, fonts, width, owner=owner)
        doc.flow(lines)

    entries = list(_entries(spec))
    total = sum(1 for e in entries if e[1] is not None)
    for si, section in enumerate(spec.sections):
        doc.flow(caps_heading(f"{section.number}. {section.title}", f"sec:{si}"))
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(4)])
        k = 0
        for n, (owner, s, _, goal) in enumerate(entries):
            if s == si:
                entry(owner, _goal_label(spec, numbering, si, k, n, total), goal)
                k += 1
    if spec.follow_up:
        doc.new_page()
        heading = f"Status på målene for {spec.follow_up.period.label}"
        doc.flow(_heading(heading, fonts, width, 13, tag="sec:fu", before=0))
        n = 0
        for g, group in enumerate(spec.follow_up.sections):
            doc.flow(caps_heading(group.title, f"sec:fu{g}", 8))
            for owner, s, sec, goal in entries:
                if s is None and sec is group:
                    n += 1
                    entry(owner, f"Mål {n}:", goal)
    return doc


def render_numbered_goals(
    spec: PlanSpec, path: Path | str, *, numbering: str = "dotted", **options
) -> Path:
    """Running text in one column: goals under bold numbered labels with the goal on the same
    line ("Mål 1.2: ...", or with numbering="global" "Mål 3: ..." and in the last section of a
    plan over several years "Mål for 2020: ..."); "Succeskriterier:" for the documentation and
    "Status:" for the follow-up; section headings in capitals at body size and regular weight
    ("1. TIDLIG INDSATS OG INKLUSION"); the follow-up part headed "Status på målene for
    2018/19"."""
    doc = _build_numbered(spec, numbering)
    furniture = _header_footer(
        spec.title,
        None,
        lambda n, t: f"Side {n}",
        align="center",
        font="Helvetica",
        margin=64,
        first=False,
    )
    info = _info("numbered_goals", spec, doc, numbering=numbering, **options)
    return doc.save(Path(path), furniture, info)


# ----------------------------------------------------------------------------------------------
# 11. landscape_three_columns: landscape grid pages in Times, "–" and "▪" bullets
# ----------------------------------------------------------------------------------------------

LANDSCAPE = (PAGE_H, PAGE_W)


def _build_landscape(spec: PlanSpec, rotate: bool) -> Doc:
    fonts = _fonts("times", 10.5, 12.8)
    margin = 50.0

    size = [PAGE_W, PAGE_H]  # of the page being opened

    def frames(i: int, band: float) -> list[Frame]:
        return [Frame(margin, 56 + band, size[0] - margin, size[1] - 50)]

    doc = Doc(frames)
    portrait_width = PAGE_W - 2 * margin
    doc.y = 150
    doc.flow(para(spec.title, fonts, portrait_width, font=fonts.bold, size=22, leading=30))
    doc.flow(para(spec.organisation, fonts, portrait_width, size=14, leading=22))
    doc.flow([gap(40)])
    _intro(doc, spec, fonts, portrait_width, 15)
    doc.page_size, doc.rotate = LANDSCAPE, rotate
    size[:] = LANDSCAPE
    doc.new_page()
    width = LANDSCAPE[0] - 2 * margin
    pad = 5.0

    def header(labels: list[str], widths: list[float]) -> Callable[[], None]:
        def draw() -> None:
            cells = [
                [Line([Run(0, t, fonts.bold, label=True)], fonts.size + 0.5, fonts.leading)]
                for t in labels
            ]
            doc.row(cells, widths, pad=pad, shade=0.8)

        return draw

    def follow(goal: GoalSpec, w: float, owner: str) -> list[Line]:
        lines: list[Line] = []
        for j, text in enumerate(goal.follow_up):
            lines += ([gap(4)] if j else []) + para(text, fonts, w, owner=owner)
        return lines

    entries = list(_entries(spec))
    goal_widths = [width * 0.5, width * 0.5]
    for si, section in enumerate(spec.sections):
        doc.flow(
            _heading(
                _heading_text(spec, section),
                fonts,
                width,
                15,
                tag=f"sec:{si}",
                before=0 if doc.at_top else 16,
            )
        )
        for text in section.intro:
            doc.flow([*para(text, fonts, width), gap(6)])
        doc.flow([gap(4)])
        if doc.y + 60 > doc.frame.bottom:
            doc.next_frame()
        top = header(["Mål", "Dokumentation"], goal_widths)
        top()
        for n, (owner, s, _, goal) in enumerate(entries):
            if s != si:
                continue
            inner = [w - 2 * pad for w in goal_widths]
            cells = [
                _goal_lines(goal, fonts, inner[0], owner, bullet="–"),
                _doc_lines(
                    goal.documentation, fonts, inner[1], owner, bullet="▪" if n % 2 == 0 else "–"
                ),
            ]
            doc.row(cells, goal_widths, pad=pad, header=top)
    if spec.follow_up:
        doc.new_page()
        doc.flow(_heading(spec.follow_up.heading, fonts, width, 16, tag="sec:fu", before=0))
        fu_widths = [width * 0.34, width * 0.33, width * 0.33]
        inner = [w - 2 * pad for w in fu_widths]
        for k, group in enumerate(spec.follow_up.sections):
            doc.flow(_heading(group.title, fonts, width, 12.5, tag=f"sec:fu{k}", before=10))
            top = header(["Mål", "Dokumentation", "Opfølgning"], fu_widths)
            if doc.y + 60 > doc.frame.bottom:
                doc.next_frame()
            top()
            for owner, s, sec, goal in entries:
                if s is not None or sec is not group:
                    continue
                cells = [
                    _goal_lines(goal, fonts, inner[0], owner, bullet="▪"),
                    _doc_lines(goal.documentation, fonts, inner[1], owner, bullet="▪"),
                    follow(goal, inner[2], owner),
                ]
                doc.row(cells, fu_widths, pad=pad, header=top)
    return doc


def render_landscape_three_columns(
    spec: PlanSpec, path: Path | str, *, rotate: bool = False, **options
) -> Path:
    """A portrait cover and introduction in Times, then landscape pages (A4 turned): a ruled
    grid "Mål | Dokumentation" per section and "Mål | Dokumentation | Opfølgning" in the
    follow-up part, with bullets "–" and "▪". With rotate=True the landscape pages are stored
    portrait with /Rotate 90 (as printers and scanners write them), else as wide pages."""
    doc = _build_landscape(spec, rotate)
    furniture = _header_footer(
        spec.title,
        spec.organisation,
        lambda n, t: f"Side {n} af {t}",
        align="right",
        font="Times-Roman",
        margin=50,
        first=False,
    )
    info = _info("landscape_three_columns", spec, doc, rotate=rotate, **options)
    return doc.save(Path(path), furniture, info)


# ----------------------------------------------------------------------------------------------
# 12. mixed_scan: a text plan with one page that is only an image (a scanned organisation chart)
# ----------------------------------------------------------------------------------------------


def _organisation_chart(spec: PlanSpec, dpi: int = 80):
    """A scanned organisation chart as a greyscale image of an A4 page."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    image = Image.new("L", (int(PAGE_W * scale), int(PAGE_H * scale)), 250)
    draw = ImageDraw.Draw(image)
    fonts = Path(reportlab.__file__).parent / "fonts"
    big = ImageFont.truetype(str(fonts / "VeraBd.ttf"), int(16 * scale))
    small = ImageFont.truetype(str(fonts / "Vera.ttf"), int(9 * scale))

    def box(cx: float, cy: float, text: str) -> None:
        w, h = 130 * scale, 34 * scale
        x, y = cx * scale - w / 2, cy * scale - h / 2
        draw.rectangle([x, y, x + w, y + h], outline=30, width=2, fill=235)
        draw.text((cx * scale, cy * scale), text, font=small, fill=20, anchor="mm")

    draw.text((60 * scale, 70 * scale), f"Organisation – {spec.unit}", font=big, fill=20)
    box(PAGE_W / 2, 170, "Direktør")
    box(PAGE_W / 2, 250, spec.unit)
    children = [s.title[:22] for s in spec.sections]
    for k, name in enumerate(children):
        cx = 110 + k * (PAGE_W - 220) / max(1, len(children) - 1)
        draw.line(
            [PAGE_W / 2 * scale, 267 * scale, PAGE_W / 2 * scale, 300 * scale], fill=30, width=2
        )
        draw.line([cx * scale, 300 * scale, PAGE_W / 2 * scale, 300 * scale], fill=30, width=2)
        draw.line([cx * scale, 300 * scale, cx * scale, 333 * scale], fill=30, width=2)
        box(cx, 350, name)
    draw.line([PAGE_W / 2 * scale, 187 * scale, PAGE_W / 2 * scale, 233 * scale], fill=30, width=2)
    return image


def render_mixed_scan(
    spec: PlanSpec,
    path: Path | str,
    *,
    base: str = "inline_table",
    at: str = "after_toc",
    **options,
) -> Path:
    """`base` layout with one page that has no text layer: a scanned organisation chart put
    in as an image, after the table of contents (at="after_toc") or just before the
    follow-up part (at="before_follow_up"). The page numbers printed on the later pages are
    not changed (the scan was put in after printing)."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.utils import ImageReader

    path = Path(path)
    source = path.with_suffix(".base.pdf")
    render(base, spec, source, **options)
    info = layout_info(source)
    # 0-based index of the page after the contents, or of the follow-up's first page
    after_toc = max(info["toc_pages"] or [1])
    index = after_toc if at == "after_toc" else info["marks"]["sec:fu"] - 1
    scan = io.BytesIO()
    canvas = Canvas(scan, pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(_organisation_chart(spec)), 0, 0, PAGE_W, PAGE_H)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.insert_page(PdfReader(scan).pages[0], index)
    writer.add_metadata({"/Title": spec.title})
    with path.open("wb") as handle:
        writer.write(handle)
    source.unlink()
    _sidecar(source).unlink()
    scanned = index + 1

    def shift(page: int) -> int:
        return page + 1 if page >= scanned else page

    info.update(
        layout="mixed_scan",
        options={"base": base, "at": at, **options},
        pages=info["pages"] + 1,
        page_sizes=[*info["page_sizes"][:index], [PAGE_W, PAGE_H], *info["page_sizes"][index:]],
        toc_pages=[shift(p) for p in info["toc_pages"]],
        starts={k: {**v, "page": shift(v["page"])} for k, v in info["starts"].items()},
        spans={k: [[shift(p), f] for p, f in v] for k, v in info["spans"].items()},
        marks={k: shift(v) for k, v in info["marks"].items()},
        image_pages=[scanned],
        base=base,
    )
    _sidecar(path).write_text(json.dumps(info, ensure_ascii=False, indent=1), "utf-8")
    return path


RENDERERS: dict[str, Callable[..., Path]] = {
    "inline_table": render_inline_table,
    "header_grid": render_header_grid,
    "single_column": render_single_column,
    "two_columns": render_two_columns,
    "uppercase_labels": render_uppercase_labels,
    "label_margin": render_label_margin,
    "key_value_table": render_key_value_table,
    "grid_extra_columns": render_grid_extra_columns,
    "borderless_table": render_borderless_table,
    "numbered_goals": render_numbered_goals,
    "landscape_three_columns": render_landscape_three_columns,
    "mixed_scan": render_mixed_scan,
}


def render(layout: str, spec: PlanSpec, path: Path | str, **options) -> Path:
    return RENDERERS[layout](spec, path, **options)


# ----------------------------------------------------------------------------------------------
# Broken and difficult inputs (generated only; their tests live elsewhere)
# ----------------------------------------------------------------------------------------------


def render_scanned(
    spec: PlanSpec,
    path: Path | str,
    *,
    layout: str = "inline_table",
    dpi: int = 90,
    max_pages: int | None = None,
) -> Path:
    """The plan as a scan: each page of `layout` rasterised and put back as an image, so the
    PDF has no text layer at all."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    path = Path(path)
    source = path.with_suffix(".source.pdf")
    render(layout, spec, source)
    pdf = pdfium.PdfDocument(str(source))
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    try:
        count = len(pdf) if max_pages is None else min(len(pdf), max_pages)
        for index in range(count):
            image = pdf[index].render(scale=dpi / 72).to_pil().convert("L")
            canvas.drawImage(ImageReader(image), 0, 0, PAGE_W, PAGE_H)
            canvas.showPage()
    finally:
        pdf.close()
    canvas.save()
    source.unlink()
    _sidecar(source).unlink()
    return path


def render_encrypted(
    spec: PlanSpec, path: Path | str, password: str, *, layout: str = "inline_table"
) -> Path:
    """The plan encrypted with a user password (nothing can be read without it)."""
    from pypdf import PdfReader, PdfWriter

    path = Path(path)
    source = path.with_suffix(".source.pdf")
    render(layout, spec, source)
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with path.open("wb") as handle:
        writer.write(handle)
    source.unlink()
    _sidecar(source).unlink()
    return path


def truncated(path_in: Path | str, path_out: Path | str, keep: float = 0.6) -> Path:
    """The first `keep` of a PDF's bytes: no cross-reference table, no trailer, cut objects."""
    data = Path(path_in).read_bytes()
    path_out = Path(path_out)
    path_out.write_bytes(data[: max(16, int(len(data) * keep))])
    return path_out


def not_a_pdf(path: Path | str) -> Path:
    """A file named like a PDF that is a Word-like text export."""
    path = Path(path)
    buffer = io.StringIO()
    buffer.write("Virksomhedsplan for Børn og Unge 2019\r\n\r\n")
    buffer.write("Mål: Styrke den tidlige indsats.\r\n")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + buffer.getvalue().encode("cp1252"))
    return path


def empty(path: Path | str) -> Path:
    """A file of zero bytes."""
    path = Path(path)
    path.write_bytes(b"")
    return path
