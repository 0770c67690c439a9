"""Word plans read directly (issue 26): the office plans as their PDFs read, and what real Word
files hold — list numbers, merged cells, nested tables, text boxes, tracked changes, fields,
headers and footers, sections — each in a document built here from OOXML (tests/docxfiles.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from maalspor import parse
from maalspor.extract import extract
from maalspor.match.linker import one_plan_per_period
from tests import docxfiles as D
from tests.test_office_pdfs import FIXTURES, OFFICE, _parsed

GOAL_FIELDS = ("section", "section_number", "text", "subgoals", "note", "documentation")
FOLLOW_UP_FIELDS = (*GOAL_FIELDS, "follow_up", "status", "continued", "status_evidence")


def _lines(path: Path) -> list[str]:
    """Every line extraction gives, in reading order."""
    document = extract(path)
    return [ln.text for page in document.pages for block in page.blocks for ln in block.lines]


def _plan(tmp_path: Path, body: str, name: str = "plan.docx", **kwargs):
    return parse(D.write(tmp_path / name, D.document(body, **kwargs)))


# --- the office plans: the .docx reads as its PDF ---------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_office_plan_docx_parses_as_its_pdf(name):
    pdf = _parsed(name)
    docx = parse(OFFICE / f"{name}.docx")
    for field in ("title", "unit", "organisation", "period", "follow_up_period", "sections"):
        assert getattr(docx, field) == getattr(pdf, field), f"{name}: {field}"
    assert len(docx.goals) == len(pdf.goals) and len(docx.follow_ups) == len(pdf.follow_ups)
    for kind, fields in (("goals", GOAL_FIELDS), ("follow_ups", FOLLOW_UP_FIELDS)):
        for index, (got, expected) in enumerate(
            zip(getattr(docx, kind), getattr(pdf, kind), strict=True)
        ):
            for field in fields:
                assert getattr(got, field) == getattr(expected, field), (
                    f"{name}: {kind}[{index}].{field}"
                )
    # Provenance without pages: page 0, no box, and where it stands in word/document.xml.
    assert docx.source.pages == 0
    assert all(
        g.page == 0 and g.bbox is None and g.locator for g in [*docx.goals, *docx.follow_ups]
    )
    assert all(r.locator and r.page == 0 for g in docx.goals for r in g.regions)


def test_locator_points_at_the_goals_element(tmp_path):
    """paragraph n is (//w:body//w:p)[n]; table, row and cell are the w:tbl, w:tr, w:tc."""
    name = "kultur-og-fritid-aarhus-2024"
    plan = parse(OFFICE / f"{name}.docx")
    with zipfile.ZipFile(OFFICE / f"{name}.docx") as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{{{D.W_NS}}}body")
    paragraphs = list(body.iter(f"{{{D.W_NS}}}p"))
    tables = list(body.iter(f"{{{D.W_NS}}}tbl"))

    def text(element) -> str:
        return "".join(t.text or "" for t in element.iter(f"{{{D.W_NS}}}t"))

    for goal in plan.goals:
        where = goal.locator
        assert goal.text in text(paragraphs[where.paragraph - 1])
        row = tables[where.table - 1].findall(f"{{{D.W_NS}}}tr")[where.row - 1]
        cell = row.findall(f"{{{D.W_NS}}}tc")[where.cell - 1]
        assert goal.text in text(cell)
    # Left out of a PDF plan's JSON, present in a Word plan's.
    assert (
        '"locator"' in plan.model_dump_json() and '"locator"' not in _parsed(name).model_dump_json()
    )


# --- what real Word files contain --------------------------------------------------------------


def test_list_numbers_are_computed_as_word_shows_them(tmp_path):
    body = D.cover() + D.p("Uddannelse", style="Heading1", num=(2, 0))
    body += D.labelled("Mål:", "Flere unge i uddannelse.", num=(2, 1))
    body += D.p(D.run("Dokumentation:", bold=True))
    body += D.p("Flere optages", num=(3, 0)) + D.p("Færre falder fra", num=(3, 0))
    body += D.labelled("Mål:", "Flere ledige i job.", num=(2, 1))
    body += D.p(D.run("Dokumentation:", bold=True))
    body += D.p("Flere i løntimer", num=(4, 0))  # a new list instance, restarted: "a)" again
    body += D.p("Beskæftigelse", style="Heading1", num=(2, 0))
    body += D.labelled("Mål:", "Færre på kontanthjælp:", num=(2, 1))
    body += D.p("Flere i virksomhedspraktik", num=(5, 0)) + D.p("Flere i job", num=(5, 0))
    body += D.p("Kort tid til første samtale", style="ListBullet")
    path = D.write(tmp_path / "lists.docx", D.document(body))
    lines = _lines(path)
    assert lines[2:] == [
        "1. Uddannelse",
        "1.1 Mål: Flere unge i uddannelse.",
        "Dokumentation:",
        "a) Flere optages",
        "b) Færre falder fra",
        "1.2 Mål: Flere ledige i job.",
        "Dokumentation:",
        "a) Flere i løntimer",
        "2. Beskæftigelse",
        "2.1 Mål: Færre på kontanthjælp:",
        "I. Flere i virksomhedspraktik",
        "II. Flere i job",
        "• Kort tid til første samtale",
    ]
    plan = parse(path)
    assert [(s.number, s.title) for s in plan.sections] == [(1, "Uddannelse"), (2, "Beskæftigelse")]
    assert [g.documentation for g in plan.goals[:2]] == [
        ["Flere optages", "Færre falder fra"],
        ["Flere i løntimer"],
    ]


def test_merged_cells_span_columns_and_rows(tmp_path):
    restart, go_on = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    table = D.table(
        D.row(D.cell(D.p(D.run("1. Biblioteker", bold=True)), props='<w:gridSpan w:val="2"/>')),
        D.row(D.cell(D.p(D.run("Mål", bold=True))), D.cell(D.p("Flere børn skal læse."))),
        D.row(
            D.cell(D.p(D.run("Succeskriterier", bold=True)), props=restart),
            D.cell(D.p("Mindst 6.000 deltager", style="ListBullet")),
        ),
        D.row(D.cell(props=go_on), D.cell(D.p("Opgøres i december."))),
        D.row(D.cell(D.p(D.run("Ansvarlig", bold=True))), D.cell(D.p("Hanne Sørensen"))),
    )
    plan = _plan(tmp_path, D.cover() + table)
    assert [(s.number, s.title) for s in plan.sections] == [(1, "Biblioteker")]
    [goal] = plan.goals
    assert goal.text == "Flere børn skal læse."
    assert goal.documentation == ["Mindst 6.000 deltager", "Opgøres i december."]
    assert (goal.locator.table, goal.locator.row, goal.locator.cell) == (1, 2, 2)


def test_nested_tables_and_a_one_cell_frame(tmp_path):
    inner = D.table(D.row(D.cell(D.p("Udlån")), D.cell(D.p("+5 %"))), widths=(2000, 2000))
    goals = D.table(
        D.row(D.cell(D.p(D.run("Mål", bold=True))), D.cell(D.p(D.run("Dokumentation", bold=True)))),
        D.row(D.cell(D.p("Flere skal låne bøger.")), D.cell(D.p("Nøgletal:"), inner)),
    )
    frame = D.table(D.row(D.cell(D.p("1. Kultur", style="Heading1"), goals)), widths=(8000,))
    plan = _plan(tmp_path, D.cover() + frame)
    [goal] = plan.goals
    assert (goal.section_number, goal.text) == (1, "Flere skal låne bøger.")
    assert goal.documentation == ["Nøgletal:", "Udlån", "+5 %"]
    assert goal.locator.table == 2  # the goal table inside the frame (//w:tbl)[2]


def test_text_boxes_are_read_once_after_their_anchor(tmp_path):
    box = D.text_box(D.labelled("Mål:", "Alle skoler har en læsevejleder."))
    body = D.cover() + D.p("1. Læsning", style="Heading1")
    body += D.p(D.run("Indsatsen fortsætter."), box)
    body += D.labelled("Dokumentation:", "Tælles hvert år.")
    path = D.write(tmp_path / "box.docx", D.document(body))
    lines = _lines(path)
    assert lines.count("Mål: Alle skoler har en læsevejleder.") == 1  # not its VML fallback too
    assert lines.index("Indsatsen fortsætter.") < lines.index(
        "Mål: Alle skoler har en læsevejleder."
    )
    [goal] = parse(path).goals
    assert (goal.text, goal.documentation) == (
        "Alle skoler har en læsevejleder.",
        ["Tælles hvert år."],
    )


def test_tracked_changes_read_as_accepted_with_a_warning(tmp_path):
    author = 'w:id="{}" w:author="A" w:date="2024-01-10T10:00:00Z"'

    def ins(n: int, xml: str) -> str:
        return f"<w:ins {author.format(n)}>{xml}</w:ins>"

    def deleted(n: int, text: str) -> str:
        run = f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'
        return f"<w:del {author.format(n)}>{run}</w:del>"

    mark_deleted = f"<w:rPr><w:del {author.format(9)}/></w:rPr>"
    body = D.cover() + D.p("1. Trafik", style="Heading1")
    body += D.p(
        D.run("Mål:", bold=True),
        D.run(" Færre "),
        deleted(1, "alvorlige "),
        ins(2, D.run("dræbte og tilskadekomne ")),
        D.run("i trafikken."),
    )
    body += D.p(D.run("Dokumentation:", bold=True), D.run(" Tallene "), ppr=mark_deleted)
    body += D.p(D.run("opgøres årligt."))
    body += f"<w:moveFrom {author.format(3)}>{D.run('Flyttet tekst')}</w:moveFrom>"
    body += D.table(
        D.row(D.cell(D.p("Slettet række")), D.cell(D.p("x")), props=f"<w:del {author.format(4)}/>"),
        D.row(
            D.cell(D.p(D.run("Mål:", bold=True), D.run(" Flere cykelstier."))),
            D.cell(D.p(D.run("Dokumentation:", bold=True), D.run(" 10 km ny sti."))),
        ),
    )
    path = D.write(tmp_path / "tracked.docx", D.document(body))
    plan = parse(path)
    assert [(g.text, g.documentation) for g in plan.goals] == [
        ("Færre dræbte og tilskadekomne i trafikken.", ["Tallene opgøres årligt."]),
        ("Flere cykelstier.", ["10 km ny sti."]),
    ]
    assert "Slettet" not in plan.model_dump_json() and "Flyttet" not in plan.model_dump_json()
    assert any("tracked changes" in w and "accepted" in w for w in plan.warnings)
    clean = _plan(tmp_path, D.cover() + D.labelled("Mål:", "Ingen ændringer."), name="clean.docx")
    assert not any("tracked" in w for w in clean.warnings)


def test_a_table_of_contents_field_is_skipped_other_fields_are_text(tmp_path):
    begin = D.run(inner='<w:fldChar w:fldCharType="begin"/>')
    toc = D.run(inner='<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h </w:instrText>')
    separate = D.run(inner='<w:fldChar w:fldCharType="separate"/>')
    end = D.run(inner='<w:fldChar w:fldCharType="end"/>')
    contents = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent>"
        + D.p("Indhold", style="Heading1")
        + D.p(begin, toc, separate, D.run("1. Mål for skolerne\t3"))
        + D.p(D.run("Mål: Et mål i indholdsfortegnelsen\t4"))
        + D.p(D.run("2. Opfølgning\t5"), end)
        + "</w:sdtContent></w:sdt>"
    )
    simple = '<w:fldSimple w:instr=" TOC \\o ">' + D.run("Mål: Også skjult\t6") + "</w:fldSimple>"
    body = D.cover() + contents + D.p(simple) + D.p("1. Mål for skolerne", style="Heading1")
    body += D.p(
        D.run("Mål:", bold=True),
        D.run(" Rapporteres til "),
        D.field("DOCPROPERTY Udvalg", "Børne- og Ungeudvalget"),
        D.run("."),
    )
    path = D.write(tmp_path / "toc.docx", D.document(body))
    lines = _lines(path)
    assert not any("\t" in line or "Også skjult" in line for line in lines)
    assert "Mål: Rapporteres til Børne- og Ungeudvalget." in lines
    assert not any("DOCPROPERTY" in line for line in lines)
    assert [g.text for g in parse(path).goals] == ["Rapporteres til Børne- og Ungeudvalget."]


def test_headers_and_footers_are_furniture_not_content(tmp_path):
    header = D.p("Viborg Kommune · Virksomhedsplan 2023 for Teknik og Miljø")
    footer = D.p("Side ", D.field("PAGE", "1"), " af ", D.field("NUMPAGES", "9"))
    body = D.p("Virksomhedsplan 2023 for Teknik og Miljø", style="Title") + D.PAGE_BREAK
    body += D.p("1. Klima", style="Heading1") + D.labelled("Mål:", "Mindre CO2.")
    path = D.write(tmp_path / "hf.docx", D.document(body, headers=(header,), footers=(footer,)))
    document = extract(path)
    assert document.furniture == [
        "Viborg Kommune · Virksomhedsplan 2023 for Teknik og Miljø",
        "Side 1 af 9",
    ]
    assert not any("Viborg" in line or "Side" in line for line in _lines(path))
    plan = parse(path)
    assert plan.organisation == "Viborg Kommune"  # named only in the running header
    assert [g.text for g in plan.goals] == ["Mindre CO2."]


def test_a_landscape_section_is_read_in_its_place(tmp_path):
    landscape = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
    portrait = '<w:pgSz w:w="11906" w:h="16838"/>'
    body = D.cover() + D.p("1. Skoler", style="Heading1") + D.labelled("Mål:", "Før.")
    body += D.p("", ppr=f"<w:sectPr>{portrait}</w:sectPr>")  # the portrait section ends here
    body += D.p("2. Oversigt", style="Heading1") + D.labelled("Mål:", "I den liggende side.")
    body += D.p("", ppr=f'<w:sectPr>{landscape}<w:type w:val="nextPage"/></w:sectPr>')
    body += D.p("3. Dagtilbud", style="Heading1") + D.labelled("Mål:", "Efter.")
    path = D.write(tmp_path / "landscape.docx", D.document(body, final_section=portrait))
    document = extract(path)
    # Each section starts a new page: the cover, then one page per section.
    assert [page.blocks[0].lines[0].text for page in document.pages] == [
        "Virksomhedsplan 2024 for Kultur og Fritid",
        "1. Skoler",
        "2. Oversigt",
        "3. Dagtilbud",
    ]
    plan = parse(path)
    assert [(g.section_number, g.text) for g in plan.goals] == [
        (1, "Før."),
        (2, "I den liggende side."),
        (3, "Efter."),
    ]


def test_headings_by_style_name_and_outline_level(tmp_path):
    body = D.cover()
    body += D.p("1. Sundhed", style="Overskrift1")  # "Overskrift 1": body size, not bold
    body += D.labelled("Mål:", "Flere raske år.")
    body += D.p("2. Omsorg", ppr='<w:outlineLvl w:val="0"/>')  # a heading by its own level
    body += D.labelled("Mål:", "Tryg hjemmepleje.")
    plan = _plan(tmp_path, body)
    assert [(s.number, s.title) for s in plan.sections] == [(1, "Sundhed"), (2, "Omsorg")]
    assert [g.section for g in plan.goals] == ["Sundhed", "Omsorg"]


def test_bold_labels_soft_hyphens_and_non_breaking_spaces(tmp_path):
    body = D.cover() + D.p("1. Økonomi", style="Heading1")
    body += D.p(D.run("Mål", bold=True), D.run(" Budgettet overholdes med 5\u00a0mio.\u00a0kr."))
    body += D.p(
        D.run("Doku\u00admen\u00adtation", props='<w:rStyle w:val="Strong"/>'),
        D.run(" Må\u00adnedlige opfølgninger."),
    )
    plan = _plan(tmp_path, body)
    [goal] = plan.goals
    assert goal.text == "Budgettet overholdes med 5 mio. kr."
    assert goal.documentation == ["Månedlige opfølgninger."]


def test_content_controls_comments_hidden_and_capitals(tmp_path):
    placeholder = (
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + D.labelled("Mål:", "Klik her for at angive tekst.")
        + "</w:sdtContent></w:sdt>"
    )
    control = (
        "<w:sdt><w:sdtPr/><w:sdtContent>"
        + D.labelled("Mål:", "Et mål i en indholdskontrol.")
        + "</w:sdtContent></w:sdt>"
    )
    inline = D.p(
        D.run("Mål:", bold=True),
        "<w:sdt><w:sdtContent>" + D.run(" Færre klager.") + "</w:sdtContent></w:sdt>",
    )
    comment = D.p(
        D.run("Mål:", bold=True),
        '<w:commentRangeStart w:id="0"/>',
        D.run(" Hurtigere svar."),
        '<w:commentRangeEnd w:id="0"/>',
        D.run(inner='<w:commentReference w:id="0"/>'),
    )
    comments = (
        f'<?xml version="1.0"?><w:comments xmlns:w="{D.W_NS}"><w:comment w:id="0" w:author="A">'
        "<w:p><w:r><w:t>Er det realistisk?</w:t></w:r></w:p></w:comment></w:comments>"
    ).encode()
    hidden = D.p(
        D.run("Mål:", bold=True),
        D.run(" Skjult udkast.", props="<w:vanish/>"),
        D.run(" Synligt mål."),
    )
    caps = D.p(D.run("indsats", props="<w:caps/>"))
    body = D.cover() + D.p("1. Service", style="Heading1") + placeholder + control + inline
    body += comment + hidden + caps
    path = D.write(tmp_path / "cc.docx", D.document(body, extra={"word/comments.xml": comments}))
    assert "INDSATS" in _lines(path)
    plan = parse(path)
    assert [g.text for g in plan.goals] == [
        "Et mål i en indholdskontrol.",
        "Færre klager.",
        "Hurtigere svar.",
        "Synligt mål.",
    ]
    assert "realistisk" not in plan.model_dump_json() and "Klik her" not in plan.model_dump_json()


def test_a_header_row_marked_to_repeat(tmp_path):
    """Word's "repeat as header row" marks the header; a goal row marked by mistake (its cells
    hold labels with content) stays a goal row."""
    header = "<w:tblHeader/>"
    table = D.table(
        D.row(
            D.cell(D.p(D.run("Mål", bold=True))),
            D.cell(D.p(D.run("Frist", bold=True))),
            props=header,
        ),
        D.row(D.cell(D.p("Kortere ventetid.")), D.cell(D.p("1. juni"))),
        D.row(D.cell(D.p("Færre klager.")), D.cell(D.p("1. oktober"))),
    )
    stacked = D.table(
        D.row(D.cell(D.labelled("Mål:", "Flere digitale ansøgninger.")), props=header),
        D.row(D.cell(D.labelled("Dokumentation:", "80 % søger digitalt."))),
    )
    body = D.cover() + D.p("1. Borgerservice", style="Heading1") + table + stacked
    path = D.write(tmp_path / "header.docx", D.document(body))
    cells = [b for page in extract(path).pages for b in page.blocks if b.kind == "cell"]
    assert [(b.table, b.row) for b in cells if b.header] == [(1, 0), (1, 0), (2, 0)]
    assert [(g.text, g.documentation) for g in parse(path).goals] == [
        ("Kortere ventetid.", []),
        ("Færre klager.", []),
        ("Flere digitale ansøgninger.", ["80 % søger digitalt."]),
    ]


def test_docm_is_read_and_its_macros_never_run(tmp_path):
    data = D.document(D.cover() + D.labelled("Mål:", "Et mål i et makrodokument."), macros=True)
    plan = parse(D.write(tmp_path / "plan.docm", data))
    assert [g.text for g in plan.goals] == ["Et mål i et makrodokument."]
    with zipfile.ZipFile(tmp_path / "plan.docm") as archive:
        assert "word/vbaProject.bin" in archive.namelist()  # there, and never opened


def test_the_same_plan_as_docx_and_pdf_is_linked_once():
    name = "job-og-uddannelse-vejle-2023"
    pdf, docx = _parsed(name), parse(OFFICE / f"{name}.docx")
    kept, excluded = one_plan_per_period([docx, pdf])
    assert [p.source.path for p in kept] == [pdf.source.path]
    assert [e.path for e in excluded] == [docx.source.path]
    assert re.match(r"same period \(2023\) as .*\.pdf", excluded[0].reason)
