"""Metamorphic layout generator: ONE plan's content printed in many layouts.

Every variant holds the same goals, documentation items and follow-ups; only the print
changes: label style (inline "Mål:", label on its own line, a header-row grid, a key-value
table, upper case without colon, bold without colon, bullet-led), 1-3 newspaper columns, ruled
or unruled tables, A4 or Letter, margins, type size, and a *shift*: blank space before the first
section that moves every line down, so that a sweep over the shift cuts each goal, label,
bullet and heading by a page break and (with columns) by a column break.

`render(style, path)` writes the PDF and returns which content owners a page break and a column
break cut (`Cuts`); `expected()` is what every variant must parse to. Drawing reuses the small
layout engine of `tests/layouts.py` (frames, line breaking, table rows split over pages).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from tests.layouts import Doc, Frame, Line, Run, _fonts, _paint, _width, gap, para

# ----------------------------------------------------------------------------------------------
# The content (one plan). "\n" in a text is a forced line break (Shift+Enter in a word
# processor): it puts a Danish ordinal ("9. eller 10. klasse") at the start of a printed line.
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    goal: str
    documentation: tuple[str, ...] = ()
    follow_up: str | None = None
    subgoals: tuple[str, ...] = ()  # numbered sub-goals under the goal's text
    responsible: str = ""  # the "Ansvarlig" column of tables with columns that are no field
    schedule: str = ""  # the "Tidsplan" column


TITLE = "Virksomhedsplan 2017 for Teknik og Uddannelse"
ORGANISATION = "Nordby Kommune"
HEADER = "Nordby Kommune · Teknik og Uddannelse"
INTRO = (
    "Planen beskriver de mål, vi sætter os for 2017, og hvordan vi dokumenterer dem. Sidst i "
    "planen følger vi op på målene fra sidste periode."
)
SECTIONS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    (
        "1. Læring og uddannelse",
        (
            Entry(
                "Alle unge skal have en plan for deres uddannelse, når de går i\n9. eller 10. "
                "klasse. Vi starter med at afdække behovene sammen med skolerne og "
                "ungdomsvejledningen.",
                (
                    "Antallet af elever med en uddannelsesplan opgøres hvert år i\n1. halvår "
                    "og igen i 3. kvartal.",
                    "Vejledernes samtaler registreres i elevplanen.",
                ),
            ),
            Entry(
                "Trivslen i klasserne skal stige. Målingen gentages hvert år, så vi kan se "
                "udviklingen og sætte ind, hvor den går den forkerte vej.",
                ("Den nationale trivselsmåling.", "Dialogmøder med elevrådene."),
            ),
        ),
    ),
    (
        "2. Drift og økonomi",
        (
            Entry(
                "Sagsbehandlingstiden for byggesager skal ned på 40 dage i gennemsnit. Vi "
                "følger tallene hver måned og retter indsatsen til, når det er nødvendigt.",
                (
                    "Månedlig opgørelse af sagsbehandlingstiden.",
                    "Sagen behandles i udvalget ved\n2. behandling af budgettet.",
                ),
            ),
            Entry(
                "Energiforbruget i de kommunale bygninger skal falde med 5 procent. Vi "
                "udskifter belysningen og følger forbruget på hver bygning.",
                ("Årlig energiregnskab for alle bygninger.",),
            ),
        ),
    ),
)
FOLLOW_UP_HEADING = "Opfølgning på Økonomi og Stabs mål 2016-2017"
FOLLOW_UPS: tuple[Entry, ...] = (
    Entry(
        "Alle nye medarbejdere skal have et introduktionsforløb. Forløbet skal være klar "
        "inden sommerferien.",
        follow_up="Målet er nået. Alle nye medarbejdere har fået et forløb, og det evalueres "
        "hvert halve år.",
    ),
    Entry(
        "Sygefraværet skal ned under 4 procent.",
        follow_up="Målet er delvist nået. Fraværet faldt til 4,3 procent i løbet af\n"
        "2. halvår, og indsatsen fortsætter.",
    ),
    Entry(
        "Vi vil digitalisere ansøgningerne om byggetilladelse.",
        follow_up="Målet er nået. Ansøgningerne kommer nu digitalt ind.",
    ),
)


# The table families' content (`Style.lists`): the same plan with a goal of numbered sub-goals
# (the second one goes on in parentheses, so a break inside it leaves a lower-case fragment) and
# a documentation list of four bullets, so that a sweep puts a page break inside each list.
LIST_SECTIONS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    (
        SECTIONS[0][0],
        (
            dataclasses.replace(
                SECTIONS[0][1][0],
                documentation=(
                    *SECTIONS[0][1][0].documentation,
                    "Skolernes egne opgørelser af fravær og frafald.",
                    "En årlig samtale med hver ungdomsvejleder om de unge, der endnu ikke har "
                    "en plan.",
                ),
            ),
            SECTIONS[0][1][1],
        ),
    ),
    (
        SECTIONS[1][0],
        (
            dataclasses.replace(
                SECTIONS[1][1][0],
                subgoals=(
                    "Nedbringe ventetiden på de enkle sager til 20 dage.",
                    "Sikre bedre stier (også belysning og cykelparkering ved stationerne).",
                    "Udarbejde en plan for digital ansøgning om byggetilladelse.",
                ),
            ),
            SECTIONS[1][1][1],
        ),
    ),
)
# Label words (goal, documentation, follow-up): the ones the rules know, then made-up ones that
# no rules file lists ("#": the goal's running number), for the discovery of labels.
VOCABULARIES: tuple[tuple[str, str, str], ...] = (
    ("Mål", "Dokumentation", "Opfølgning"),
    ("Fokuspunkt #", "Sådan måler vi", "Vurdering"),
    ("Det vil vi", "Tegn på succes", "Resultat pr. 31.12."),
    ("Pejlemærke", "Målepunkter", "Evaluering"),
    ("Indsatsområde #", "Det ser vi på", "Det nåede vi"),
    ("Ambition", "Sådan dokumenterer vi", "Vores vurdering"),
)
# The columns that are no field, by goal and by follow-up (`Style.extra_columns`).
RESPONSIBLE = ("Skolechef", "UU-chef", "Byggechef", "Driftschef")
SCHEDULE = ("Hele 2017", "Løbende", "Marts 2017", "December")
EXTRA_COLUMNS = ("Ansvarlig", "Tidsplan")
# Names that wrap in a narrow "Ansvarlig" column (`Style.long_responsible`).
LONG_RESPONSIBLE = (
    "Chef for skoler og dagtilbud",
    "Leder af UU-centret",
    "Byggechef og teamleder",
    "Driftschef for ejendomme",
)


def sections(style: Style | None = None) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
    """The plan's sections as `style` prints them."""
    return LIST_SECTIONS if style is not None and style.lists else SECTIONS


def _flat(text: str) -> str:
    return " ".join(text.split())


def expected(style: Style | None = None) -> dict:
    """What every variant must parse to: goals (text, documentation, sub-goals marked as such)
    and follow-ups."""
    return {
        "goals": [
            (
                _flat(e.goal),
                [_flat(d) for d in e.documentation] + [f"<subgoal> {s}" for s in e.subgoals],
            )
            for _, entries in sections(style)
            for e in entries
        ],
        "follow_ups": [(_flat(e.goal), _flat(e.follow_up or "")) for e in FOLLOW_UPS],
    }


def parsed(plan) -> dict:
    """The same view of a parsed plan (`PlanDocument`); a stray sub-goal or note shows as an
    extra documentation entry marked as such, so it cannot go unnoticed."""

    def extras(goal) -> list[str]:
        return [f"<subgoal> {s}" for s in goal.subgoals] + (
            [f"<note> {goal.note}"] if goal.note else []
        )

    return {
        "goals": [(g.text, [*g.documentation, *extras(g)]) for g in plan.goals],
        "follow_ups": [
            (f.text, f.follow_up or "") if not extras(f) else (f.text, " | ".join(extras(f)))
            for f in plan.follow_ups
        ],
    }


# ----------------------------------------------------------------------------------------------
# Styles
# ----------------------------------------------------------------------------------------------

FLOW_LABELS = ("inline", "own_line", "upper", "bold", "bullet")
TABLE_LABELS = ("grid", "key_value")
LABEL_STYLES = (*FLOW_LABELS, *TABLE_LABELS)


@dataclass(frozen=True)
class Style:
    labels: str = "inline"  # one of LABEL_STYLES
    columns: int = 1  # newspaper columns (flow styles)
    ruled: bool = True  # tables: ruling lines drawn or not
    page: str = "A4"  # or "Letter"
    margin: float = 56.0  # left/right margin
    frame_height: float | None = None  # height of the text frame (None: the page's)
    size: float = 10.0
    shift: float = 0.0  # blank space before the first section, points
    repeat_header: bool = True  # grid: header row repeated after a page break
    doc_on_new_page: bool = False  # every Dokumentation label starts a page
    lists: bool = False  # the content with numbered sub-goals and a longer bullet list
    extra_columns: int = 0  # grid: columns that are no field ("Ansvarlig", "Tidsplan"), 0-2
    orientation: str = "portrait"  # "landscape": every page; "mixed": the goal pages only
    fill: bool = False  # tables: cells drawn as filled boxes, no ruling lines
    vocabulary: int = 0  # the label words: VOCABULARIES[vocabulary] (0: the ones the rules know)
    # One column that is no field ("Ansvarlig", `extra_columns=1`): its share of the width (the
    # fields share the rest as 40 : 42) and its place (0 first, 1 between the fields, 2 last).
    narrow_share: float = 0.18
    narrow_at: int = 1
    long_responsible: bool = False  # the "Ansvarlig" cells name several words (they wrap)

    @property
    def name(self) -> str:
        base = Style()
        parts = [self.labels]
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if item.name != "labels" and value != getattr(base, item.name):
                parts.append(
                    f"{item.name}={value:g}" if isinstance(value, float) else f"{item.name}={value}"
                )
        return "-".join(parts)


@dataclass
class Cuts:
    """Content owners ("g0.goal", "g1.doc0", "f2.follow_up", "h:fu") split by a break."""

    page: set[str] = field(default_factory=set)
    column: set[str] = field(default_factory=set)
    pages: int = 0


PAGE_SIZES = {"A4": A4, "Letter": LETTER}
FILL_GREY = 0.9  # the fill of a table cell drawn as a box (`Style.fill`); headers darker
HEADER_GREY = 0.75
FILL_SPACE = 2.0  # white space between filled cells, points
GUTTER = 18.0
TOP = 70.0  # the running header stands above this
BOTTOM = 60.0  # the footer below this


def _lines(
    text: str,
    fonts,
    width: float,
    *,
    lead=(),
    first_dx=None,
    owner=None,
    dx=0.0,
    font=None,
    size=None,
    leading=None,
) -> list[Line]:
    """A paragraph whose "\n" are forced line breaks; `lead` runs go on its first line."""
    out: list[Line] = []
    for k, piece in enumerate(text.split("\n")):
        out += para(
            piece,
            fonts,
            width,
            dx=dx,
            lead=lead if k == 0 else (),
            first_dx=first_dx if k == 0 else None,
            owner=owner,
            font=font,
            size=size,
            leading=leading,
        )
    for line in out[:-1]:
        line.keep = False
    return out


class _Doc(Doc):
    """The layout engine, recording which owner each drawn line belongs to, in drawing order;
    with `fill`, table cells are grey boxes parted by white space instead of ruling lines (a
    designed publication)."""

    def __init__(self, frames) -> None:
        self.fill = False
        self.fill_grey = FILL_GREY
        super().__init__(frames)
        self.drawn: list[tuple[int, int, str | None]] = []  # (page, frame, owner)

    def _draw_row(self, cells, widths, pad, shade, height, ruled=True) -> None:
        if self.fill:
            x = self.frame.x0
            for width in widths:
                grey = shade if shade is not None else self.fill_grey
                self.shade(x + FILL_SPACE, self.y + FILL_SPACE, x + width, self.y + height, grey)
                x += width
            shade, ruled = None, False
        super()._draw_row(cells, widths, pad, shade, height, ruled)

    def draw_line(self, line: Line, x0: float, top: float) -> None:
        super().draw_line(line, x0, top)
        self.drawn.append((self.page_no, self.frame_no, line.owner))


class _Builder:
    def __init__(self, style: Style) -> None:
        self.style = style
        portrait = PAGE_SIZES[style.page]
        self.portrait = portrait
        self.landscape = (portrait[1], portrait[0])
        self.fonts = _fonts("helvetica", style.size, round(style.size * 1.25, 2))
        self.columns = style.columns if style.labels in FLOW_LABELS else 1
        self.goal_number = 0

        def frames(_index: int, _band: float) -> list[Frame]:
            _page_w, page_h = self.page_size
            bottom = page_h - BOTTOM
            if style.frame_height:
                bottom = min(bottom, TOP + style.frame_height)
            col_w = self.col_w
            return [
                Frame(
                    style.margin + c * (col_w + GUTTER),
                    TOP,
                    style.margin + c * (col_w + GUTTER) + col_w,
                    bottom,
                )
                for c in range(self.columns)
            ]

        self.doc = doc = _Doc(frames)
        doc.fill = style.fill
        # The first page again, in the style's size and orientation.
        doc.page_size = self.landscape if style.orientation == "landscape" else portrait
        doc.pages.clear()
        doc.new_page()

    @property
    def width(self) -> float:
        return self.page_size[0] - 2 * self.style.margin

    @property
    def col_w(self) -> float:
        return (self.width - (self.columns - 1) * GUTTER) / self.columns

    @property
    def page_size(self) -> tuple[float, float]:
        return self.doc.page_size if hasattr(self, "doc") else self.portrait

    def turn(self, landscape: bool) -> None:
        """Go on on a new page in the other orientation (`Style.orientation == "mixed"`)."""
        self.doc.page_size = self.landscape if landscape else self.portrait
        self.doc.new_page()

    # -- pieces

    def word(self, word: str, numbered: bool = True) -> str:
        """A field's label word in the style's vocabulary ("Mål" → "Fokuspunkt 3"): "#" is the
        goal's running number (left out in a table's header)."""
        vocabulary = dict(zip(VOCABULARIES[0], VOCABULARIES[self.style.vocabulary], strict=True))
        printed = vocabulary.get(word, word)
        if "#" in printed:
            if not numbered:
                return printed.replace(" #", "")
            self.goal_number += 1
            printed = printed.replace("#", str(self.goal_number))
        return printed

    def label(self, word: str) -> str:
        word = self.word(word)
        labels = self.style.labels
        if labels == "upper":
            return word.upper()
        if labels == "bold":
            return word
        return f"{word}:"

    def label_font(self) -> str:
        return self.fonts.regular if self.style.labels == "upper" else self.fonts.bold

    def heading(self, text: str, owner: str, size_ratio: float = 1.3) -> list[Line]:
        size = round(self.style.size * size_ratio, 1)
        lines = _lines(
            text,
            self.fonts,
            self.col_w,
            font=self.fonts.bold,
            size=size,
            leading=size * 1.4,
            owner=owner,
        )
        for line in lines:
            line.keep = True
        return [gap(self.style.size), *lines]

    def labelled(self, word: str, text: str, owner: str, *, inline: bool) -> list[Line]:
        """A field: its label inline before the text or on a line of its own."""
        fonts, width = self.fonts, self.col_w
        label = self.label(word)
        dx = 0.0
        lead: list[Run] = []
        if self.style.labels == "bullet":
            lead.append(Run(0, "•", fonts.bullet, label=True))
            dx = 12.0
        if inline:
            lead.append(Run(dx, label, self.label_font(), label=True))
            first = dx + _width(label + " ", self.label_font(), fonts.size) + 1
            # A bullet-led field hangs: its later lines stand under the label, not the bullet.
            return _lines(text, fonts, width - dx, dx=dx, lead=lead, first_dx=first, owner=owner)
        lead.append(Run(dx, label, self.label_font(), label=True))
        head = Line(lead, fonts.size, fonts.leading, f"{owner}:label", keep=True)
        return [head, *_lines(text, fonts, width - dx, dx=dx, owner=owner)]

    def items(self, word: str, items: tuple[str, ...], owner: str) -> list[Line]:
        """A label on its own line, then the items as bullets with a hanging indent."""
        fonts = self.fonts
        lead: list[Run] = []
        dx = 0.0
        if self.style.labels == "bullet":
            lead.append(Run(0, "•", fonts.bullet, label=True))
            dx = 12.0
        lead.append(Run(dx, self.label(word), self.label_font(), label=True))
        lines = [Line(lead, fonts.size, fonts.leading, f"{owner}.doc:label", keep=True)]
        marker = "–" if self.style.labels == "bullet" else "•"
        for k, item in enumerate(items):
            bullet = Run(dx, marker, fonts.bullet, label=True)
            lines += _lines(
                item,
                fonts,
                self.col_w - dx - 12,
                dx=dx + 12,
                lead=[bullet],
                owner=f"{owner}.doc{k}",
            )
        return lines

    def numbered(self, items: tuple[str, ...], width: float, owner: str) -> list[Line]:
        """Numbered sub-goals ("1." ...) with a hanging indent."""
        fonts, lines = self.fonts, []
        for k, item in enumerate(items):
            number = Run(0, f"{k + 1}.", fonts.regular, label=True)
            lines += _lines(item, fonts, width - 14, dx=14, lead=[number], owner=f"{owner}.sub{k}")
        return lines

    # -- the plan

    def build(self) -> _Doc:
        doc, fonts, style = self.doc, self.fonts, self.style
        doc.flow(
            _lines(
                TITLE,
                fonts,
                self.col_w,
                font=fonts.bold,
                size=style.size * 1.8,
                leading=style.size * 2.4,
            )
        )
        doc.flow(
            _lines(ORGANISATION, fonts, self.col_w, size=style.size * 1.2, leading=style.size * 1.8)
        )
        doc.flow([gap(style.size), *_lines(INTRO, fonts, self.col_w)])
        if style.orientation == "mixed":
            self.turn(landscape=True)  # the goal table on landscape pages
        elif style.shift:
            doc.new_page()
        # The plan proper starts on a new page, `shift` points down: a sweep over the shift
        # moves every line of it past a page (and column) break.
        doc.y += style.shift
        index = 0
        for title, entries in sections(style):
            doc.flow(self.heading(title, f"h:{index}"))
            if style.labels in TABLE_LABELS:
                self.table(entries, index)
            else:
                for k, entry in enumerate(entries):
                    self.flow_entry(entry, f"g{index + k}")
            index += len(entries)
        if style.orientation == "mixed":
            self.turn(landscape=False)  # the follow-up part on portrait pages again
        doc.flow(self.heading(FOLLOW_UP_HEADING, "h:fu", 1.4))
        if style.labels in TABLE_LABELS:
            self.table(FOLLOW_UPS, 0, follow_up=True)
        else:
            for k, entry in enumerate(FOLLOW_UPS):
                self.flow_entry(entry, f"f{k}", follow_up=True)
        return doc

    def flow_entry(self, entry: Entry, owner: str, follow_up: bool = False) -> None:
        doc, style = self.doc, self.style
        inline = style.labels in ("inline", "bold", "bullet")
        lines = [gap(style.size * 0.8)]
        lines += self.labelled("Mål", entry.goal, f"{owner}.goal", inline=inline)
        lines += self.numbered(entry.subgoals, self.col_w, owner)
        if entry.documentation:
            doc.flow([*lines, gap(style.size * 0.3)])
            if style.doc_on_new_page:
                doc.new_page()
            lines = self.items("Dokumentation", entry.documentation, owner)
        if follow_up and entry.follow_up:
            lines += [gap(style.size * 0.3)]
            lines += self.labelled(
                "Opfølgning", entry.follow_up, f"{owner}.follow_up", inline=inline
            )
        doc.flow(lines)

    def table(self, entries: tuple[Entry, ...], first: int, follow_up: bool = False) -> None:
        doc, fonts, style = self.doc, self.fonts, self.style
        pad = 4.0
        prefix = "f" if follow_up else "g"

        def cell_text(text: str, width: float, owner: str) -> list[Line]:
            return _lines(text, fonts, width - 2 * pad, owner=owner)

        def cell_items(items: tuple[str, ...], width: float, owner: str) -> list[Line]:
            lines: list[Line] = []
            for k, item in enumerate(items):
                bullet = Run(0, "•", fonts.bullet, label=True)
                lines += _lines(
                    item, fonts, width - 2 * pad - 12, dx=12, lead=[bullet], owner=f"{owner}.doc{k}"
                )
            return lines

        def goal_cell(entry: Entry, width: float, owner: str) -> list[Line]:
            text = cell_text(entry.goal, width, f"{owner}.goal")
            return text + self.numbered(entry.subgoals, width - 2 * pad, owner)

        def column_cell(name: str, entry: Entry, number: int, width: float) -> list[Line]:
            owner = f"{prefix}{number}"
            if name == "Mål":
                return goal_cell(entry, width, owner)
            if name == "Opfølgning":
                return cell_text(entry.follow_up or "", width, f"{owner}.follow_up")
            if name == "Dokumentation":
                return cell_items(entry.documentation, width, owner)
            values = RESPONSIBLE if name == EXTRA_COLUMNS[0] else SCHEDULE
            if name == EXTRA_COLUMNS[0] and style.long_responsible:
                values = LONG_RESPONSIBLE
            return cell_text(values[number % len(values)], width, owner)

        second = "Opfølgning" if follow_up else "Dokumentation"
        if style.labels == "grid":
            # A column that is no field stands between the fields, another at the end.
            names = {
                0: ["Mål", second],
                1: ["Mål", EXTRA_COLUMNS[0], second],
                2: ["Mål", EXTRA_COLUMNS[0], second, EXTRA_COLUMNS[1]],
            }[style.extra_columns]
            shares = {0: (0.5, 0.5), 1: (0.4, 0.18, 0.42), 2: (0.34, 0.15, 0.36, 0.15)}
            if style.extra_columns == 1 and (style.narrow_share, style.narrow_at) != (0.18, 1):
                rest = 1.0 - style.narrow_share
                field_shares = [rest * 0.4 / 0.82, rest * 0.42 / 0.82]
                names = ["Mål", second]
                names.insert(style.narrow_at, EXTRA_COLUMNS[0])
                field_shares.insert(style.narrow_at, style.narrow_share)
                shares[1] = tuple(field_shares)
            widths = [self.width * share for share in shares[style.extra_columns]]
            shade = HEADER_GREY if style.fill else 0.85 if style.ruled else None

            def header() -> None:
                cells = [
                    [
                        Line(
                            [Run(0, self.word(t, numbered=False), fonts.bold, label=True)],
                            fonts.size,
                            fonts.leading,
                        )
                    ]
                    for t in names
                ]
                doc.row(cells, widths, pad=pad, shade=shade, ruled=style.ruled)

            doc.flow([gap(4)])
            if doc.y + 3 * fonts.leading + 4 * pad > doc.frame.bottom:
                doc.next_frame()
            header()
            for k, entry in enumerate(entries):
                width = dict(zip(names, widths, strict=True))
                cells = [column_cell(name, entry, first + k, width[name]) for name in names]
                doc.row(
                    cells,
                    widths,
                    pad=pad,
                    ruled=style.ruled,
                    header=header if style.repeat_header else None,
                )
            return
        widths = [self.width * 0.25, self.width * 0.75]
        for k, entry in enumerate(entries):
            owner = f"{prefix}{first + k}"
            doc.flow([gap(8)])

            def key(word: str) -> list[Line]:
                run = Run(0, self.word(word), fonts.bold, label=True)
                return [Line([run], fonts.size, fonts.leading)]

            doc.row(
                [key("Mål"), goal_cell(entry, widths[1], owner)],
                widths,
                pad=pad,
                ruled=style.ruled,
            )
            right = (
                cell_text(entry.follow_up or "", widths[1], f"{owner}.follow_up")
                if follow_up
                else cell_items(entry.documentation, widths[1], owner)
            )
            doc.row([key(second), right], widths, pad=pad, ruled=style.ruled)


def _cuts(doc: _Doc) -> Cuts:
    """A break between two drawn lines cuts the content on both sides of it."""
    cuts = Cuts(pages=len(doc.pages))
    for (page_a, frame_a, owner_a), (page_b, frame_b, owner_b) in itertools.pairwise(doc.drawn):
        if (page_a, frame_a) == (page_b, frame_b):
            continue
        target = cuts.page if page_a != page_b else cuts.column
        target.update(o for o in (owner_a, owner_b) if o)
    # A table row draws its cells one after the other: an owner drawn on two pages was cut.
    pages: dict[str, set[int]] = {}
    for page, _frame, owner in doc.drawn:
        if owner:
            pages.setdefault(owner, set()).add(page)
    cuts.page.update(owner for owner, seen in pages.items() if len(seen) > 1)
    return cuts


def render(style: Style, path: Path | str) -> Cuts:
    """Print the plan in `style` to `path` (running header and page numbers on every page)."""
    builder = _Builder(style)
    doc = builder.build()
    fonts = builder.fonts
    total = len(doc.pages)
    canvas = Canvas(str(path), pagesize=doc.page_size, invariant=1)
    canvas.setTitle("")
    for number, page in enumerate(doc.pages, start=1):
        width, height = page.size
        page.ops.append(("t", style.margin, 40, fonts.regular, 8, HEADER, None))
        footer = f"Side {number} af {total}"
        x = width - style.margin - _width(footer, fonts.regular, 8)
        page.ops.append(("t", x, height - 30, fonts.regular, 8, footer, None))
        _paint(canvas, page)
        canvas.showPage()
    canvas.save()
    return _cuts(doc)


def owners(style: Style | None = None) -> set[str]:
    """Every content owner a sweep should cut: fields, documentation items and their label
    lines, sub-goals, headings ("g1.doc0", "g1.doc:label", "g2.sub1", "f2.follow_up", "h:fu")."""
    names = {"h:0", "h:2", "h:fu"}
    index = 0
    for _, entries in sections(style):
        for entry in entries:
            names.update({f"g{index}.goal", f"g{index}.doc:label"})
            names.update(f"g{index}.doc{k}" for k in range(len(entry.documentation)))
            names.update(f"g{index}.sub{k}" for k in range(len(entry.subgoals)))
            index += 1
    for k, _ in enumerate(FOLLOW_UPS):
        names.update({f"f{k}.goal", f"f{k}.follow_up"})
    return names


def sweep(base: Style, steps: int, step: float | None = None) -> list[Style]:
    """`base` shifted by 0, 1, ... steps-1 lines (or `step` points)."""
    step = step or round(base.size * 1.25, 2)
    return [dataclasses.replace(base, shift=k * step) for k in range(steps)]


def parse(path: Path) -> dict:
    """Extract and segment a PDF (no classification): the view compared across variants."""
    from maalspor.extract.reader import extract
    from maalspor.segment.segmenter import segment

    return parsed(segment(extract(path)))


def differences(got: dict, want: dict) -> list[str]:
    """Readable differences between two parsed views (empty when they agree)."""
    out: list[str] = []
    for key in ("goals", "follow_ups"):
        a, b = got[key], want[key]
        if len(a) != len(b):
            out.append(f"{key}: {len(a)} instead of {len(b)}")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                out.append(f"{key}[{i}]: {x!r} != {y!r}")
    return out
