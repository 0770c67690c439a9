"""The body of a Word document, walked in document order: paragraphs and tables as Word shows
them once every tracked change is accepted.

- Runs give the text: `w:t`, tabs, line breaks, non-breaking and soft hyphens, symbols; hidden
  text (`w:vanish`) is not printed, so not read; text set in "All caps" is read in capitals.
- Tracked changes are read as accepted: insertions (`w:ins`, `w:moveTo`) in, deletions
  (`w:del`, `w:moveFrom`, deleted rows and cells) out, a deleted paragraph mark joins its
  paragraph to the next. Comments, bookmarks and proofing marks carry no text.
- Fields: an instruction (`w:instrText`) is never text; a field's cached result is, except a
  generated listing's (a table of contents, an index): that is no content of the plan.
- Content controls (`w:sdt`) are read through; one that shows its placeholder ("Klik her for at
  angive tekst") holds no content. Of alternative content (`mc:AlternateContent`), the first
  choice is read: the fallback repeats it for older programs.
- Text boxes and shapes (`w:txbxContent`) are read after the paragraph they are anchored in.
- Tables: rows and cells with their grid column and span (`w:gridSpan`, `w:gridBefore`), a
  cell merged down (`w:vMerge`) is one cell in the row it starts in, a header row marked to
  repeat (`w:tblHeader`) says so.
- Page breaks (`w:br w:type="page"`, "page break before", section breaks that start a new page)
  are kept: they cut the document where its pages are sure to end.

Every paragraph keeps where it stands: its position among the body's `w:p` elements, and the
innermost table, row and cell holding it (`Locator`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from maalspor import errors
from maalspor.extract.docx.lines import RunText, printed_lines
from maalspor.extract.docx.numbering import Numbering
from maalspor.extract.docx.styles import ParagraphStyle, Styles, W, is_on, outline_level, val
from maalspor.models.common import Locator
from maalspor.models.page import Line

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, R, TBL, TR, TC = f"{W}p", f"{W}r", f"{W}tbl", f"{W}tr", f"{W}tc"
SDT, SDT_CONTENT, SDT_PR = f"{W}sdt", f"{W}sdtContent", f"{W}sdtPr"
ALTERNATE, CHOICE, FALLBACK = f"{MC}AlternateContent", f"{MC}Choice", f"{MC}Fallback"
TEXTBOX = f"{W}txbxContent"
# Wrappers whose content is read as if they were not there.
_THROUGH = {f"{W}{t}" for t in ("hyperlink", "smartTag", "customXml", "dir", "bdo", "ins")}
_THROUGH.add(f"{W}moveTo")
_DELETED = {f"{W}del", f"{W}moveFrom"}
# Elements that mark a tracked change not yet accepted or rejected.
_TRACKED = {
    f"{W}{t}"
    for t in (
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
    )
}
# Fields whose result is a listing generated from the document, not content of its own.
_GENERATED_FIELDS = {"TOC", "INDEX", "TOA"}
# Section types that start the section on a new page (w:type missing: a new page).
_PAGE_SECTIONS = {"nextPage", "oddPage", "evenPage"}
_TWIPS_PER_POINT = 20


@dataclass
class Paragraph:
    lines: list[Line]
    break_before: bool = False
    break_after: bool = False


@dataclass
class Cell:
    col: int  # grid column it starts in (leftmost: 0)
    span: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Row:
    cells: list[Cell]
    header: bool  # marked to repeat as the table's header row


@dataclass
class Table:
    columns: list[float]  # boundaries of the grid columns, in points from the table's left
    rows: list[Row]


Item = Paragraph | Table


@dataclass
class _Field:
    instruction: str = ""
    in_result: bool = False
    generated: bool = False


def _generated(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in _GENERATED_FIELDS


class BodyReader:
    """Walks one story (the body, a header, a footer) into paragraphs and tables."""

    def __init__(
        self,
        root: Element,
        styles: Styles,
        numbering: Numbering,
        max_depth: int,
        path: Path,
    ) -> None:
        self.styles, self.numbering = styles, numbering
        self.max_depth, self.path = max_depth, path
        self.fields: list[_Field] = []
        self.visible = True
        self.tracked = False
        self.placeholders = 0  # content controls showing their placeholder text
        self.embedded = False  # an embedded document (w:altChunk), which is not read
        # Positions as XPath counts them: (//w:p)[n], (//w:tbl)[n].
        self.paragraph_number: dict[Element, int] = {}
        self.table_number: dict[Element, int] = {}
        self.page_after: set[Element] = set()  # paragraphs a new-page section follows
        ends: list[tuple[Element, Element]] = []  # (paragraph, the sectPr of the section it ends)
        for element in root.iter():
            tag = element.tag
            if tag == P:
                self.paragraph_number[element] = len(self.paragraph_number) + 1
                section = element.find(f"{W}pPr/{W}sectPr")
                if section is not None:
                    ends.append((element, section))
            elif tag == TBL:
                self.table_number[element] = len(self.table_number) + 1
            elif tag in _TRACKED:
                self.tracked = True
            elif tag == f"{W}altChunk":
                self.embedded = True
        # A section ends at the paragraph holding its sectPr; how the next one starts (a new
        # page, or continuous) is the w:type of the next sectPr (the body's own, last).
        following = [section for _, section in ends[1:]]
        final = root.find(f"{W}sectPr")
        following.append(final if final is not None else Element(f"{W}sectPr"))
        for (paragraph, _), section in zip(ends, following[: len(ends)], strict=True):
            if (val(section, "type") or "nextPage") in _PAGE_SECTIONS:
                self.page_after.add(paragraph)

    # --- block level: paragraphs, tables, content controls -----------------------------------

    def blocks(self, parent: Element, depth: int = 0, where: Locator | None = None) -> list[Item]:
        """The paragraphs and tables of a container (the body, a cell, a text box)."""
        if depth > self.max_depth:
            raise errors.DamagedDocxError(
                f"{self.path}: damaged Word document (tables, content controls or text boxes "
                f"nested more than {self.max_depth} deep)"
            )
        items: list[Item] = []
        # A paragraph whose mark was deleted runs on into the next (the deletion accepted).
        carried: tuple[RunText, Locator] | None = None
        for element in self._block_elements(parent):
            if element.tag == TBL:
                if carried is not None:
                    items.extend(self._finish(carried[0], None, None, carried[1]))
                    carried = None
                table = self.table(element, depth + 1)
                if table is not None:
                    items.append(table)
                continue
            text, ppr, style, floating = self._paragraph_text(element, depth, where)
            place = self._locator(element, where)
            if carried is not None:
                text, place = carried[0].join(text), carried[1]
                carried = None
            mark = ppr.find(f"{W}rPr") if ppr is not None else None
            if mark is not None and any(mark.find(tag) is not None for tag in _DELETED):
                carried = (text, place)
            else:
                items.extend(self._finish(text, ppr, style, place))
            items.extend(floating)
        if carried is not None:
            items.extend(self._finish(carried[0], None, None, carried[1]))
        return items

    def _block_elements(self, parent: Element):
        """The w:p and w:tbl of a container, through content controls and other wrappers."""
        for child in parent:
            tag = child.tag
            if tag in (P, TBL):
                yield child
            elif tag == SDT:
                content = self._sdt_content(child)
                if content is not None:
                    yield from self._block_elements(content)
            elif tag in _THROUGH:
                yield from self._block_elements(child)
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    yield from self._block_elements(branch)

    def _sdt_content(self, sdt: Element) -> Element | None:
        properties = sdt.find(SDT_PR)
        if properties is not None and is_on(properties.find(f"{W}showingPlcHdr")):
            self.placeholders += 1
            return None
        return sdt.find(SDT_CONTENT)

    def _locator(self, paragraph: Element, where: Locator | None) -> Locator:
        number = self.paragraph_number.get(paragraph, 0)
        if where is None:
            return Locator(paragraph=number)
        return where.model_copy(update={"paragraph": number})

    # --- paragraphs -----------------------------------------------------------------------

    def _paragraph_text(
        self, paragraph: Element, depth: int, where: Locator | None
    ) -> tuple[RunText, Element | None, ParagraphStyle, list[Item]]:
        ppr = paragraph.find(f"{W}pPr")
        style = self.styles.paragraph(val(ppr, "pStyle"))
        text = RunText()
        floating: list[Item] = []
        self._inline(paragraph, text, style, floating, depth, where)
        before = is_on(ppr.find(f"{W}pageBreakBefore")) if ppr is not None else None
        if before if before is not None else style.page_break_before:
            text.break_before = True
        if paragraph in self.page_after:
            text.break_after = True
        return text, ppr, style, floating

    def _finish(
        self,
        text: RunText,
        ppr: Element | None,
        style: ParagraphStyle | None,
        locator: Locator,
    ) -> list[Item]:
        """The paragraph with its list number, if it has text (a page break kept either way)."""
        style = style or self.styles.paragraph(None)
        label = self._label(ppr, style)
        if label is not None and text.has_text:
            mark = ppr.find(f"{W}rPr") if ppr is not None else None
            props = self.styles.run(style, val(mark, "rStyle"), mark)
            if label.rpr is not None:
                props = self.styles.run(style, None, label.rpr)
            text.prepend(label.text, label.separator, props)
        lines = printed_lines(text, outline_level(ppr, style), locator)
        if not lines and not (text.break_before or text.break_after):
            return []
        return [Paragraph(lines, text.break_before, text.break_after)]

    def _label(self, ppr: Element | None, style: ParagraphStyle):
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id = val(num, "numId") if num is not None else None
        level_text = val(num, "ilvl") if num is not None else None
        if num_id is None:
            num_id, level = style.num_id, style.num_level
            if num_id is None:
                return None
            if level is None:
                level = self.numbering.level_of_style(num_id, style.style_id)
        else:
            if num_id == "0":
                return None  # numbering switched off for this paragraph
            level = int(level_text) if level_text and level_text.isdigit() else None
            if level is None:
                level = style.num_level if style.num_id == num_id and style.num_level else 0
        return self.numbering.label(num_id, level)

    def _inline(
        self,
        parent: Element,
        text: RunText,
        style: ParagraphStyle,
        floating: list[Item],
        depth: int,
        where: Locator | None,
    ) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self._run(child, child, text, style, floating, depth, where)
            elif tag in _THROUGH:
                self._inline(child, text, style, floating, depth, where)
            elif tag == f"{W}fldSimple":
                if not _generated(child.get(f"{W}instr") or ""):
                    self._inline(child, text, style, floating, depth, where)
            elif tag == SDT:
                content = self._sdt_content(child)
                if content is not None:
                    self._inline(content, text, style, floating, depth, where)
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._inline(branch, text, style, floating, depth, where)
            # w:del, w:moveFrom (deleted), comments, bookmarks, proofing marks, equations: no text

    def _run(
        self,
        run: Element,
        content: Element,
        text: RunText,
        style: ParagraphStyle,
        floating: list[Item],
        depth: int,
        where: Locator | None,
    ) -> None:
        rpr = run.find(f"{W}rPr")
        props = self.styles.run(style, val(rpr, "rStyle"), rpr)
        shown = not props.hidden
        for child in content:
            tag = child.tag[len(W) :] if child.tag.startswith(W) else child.tag
            if tag == "t":
                if self.visible and shown:
                    text.text(child.text or "", props)
            elif tag in ("tab", "ptab"):
                if self.visible and shown:
                    text.text("\t", props)
            elif tag in ("br", "cr"):
                if self.visible and shown:
                    if child.get(f"{W}type") == "page":
                        text.page_break()
                    else:
                        text.line_break()
            elif tag == "noBreakHyphen":
                if self.visible and shown:
                    text.text("-", props)
            elif tag == "sym":
                if self.visible and shown:
                    text.text(_symbol(child), props)
            elif tag == "fldChar":
                self._field_char(child.get(f"{W}fldCharType"))
            elif tag == "instrText":
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction += child.text or ""
            elif tag in ("drawing", "pict", "object"):
                if self.visible and shown:
                    floating.extend(self._text_boxes(child, depth, where))
            elif child.tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._run(run, branch, text, style, floating, depth, where)
            elif tag == "ruby":
                base = child.find(f"{W}rubyBase")
                if base is not None:
                    self._inline(base, text, style, floating, depth, where)

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            field_ = self.fields[-1]
            field_.in_result = True
            field_.generated = _generated(field_.instruction)
        elif kind == "end" and self.fields:
            self.fields.pop()
        self.visible = all(f.in_result and not f.generated for f in self.fields)

    def _text_boxes(self, element: Element, depth: int, where: Locator | None) -> list[Item]:
        """The content of the text boxes in a drawing or shape, in document order."""
        items: list[Item] = []
        for content in _outermost(element, TEXTBOX):
            items.extend(self.blocks(content, depth + 1, where))
        return items

    # --- tables -----------------------------------------------------------------------------

    def table(self, table: Element, depth: int) -> Table | None:
        """A table's rows and cells on its grid; None when no row is left."""
        number = self.table_number.get(table, 0)
        widths: list[float] = []
        for column in table.findall(f"{W}tblGrid/{W}gridCol"):
            try:
                widths.append(max(0.0, float(column.get(f"{W}w") or 0) / _TWIPS_PER_POINT))
            except ValueError:
                widths.append(0.0)
        rows: list[Row] = []
        merged_down: dict[int, Cell] = {}  # grid column → the cell a vMerge continues
        for row_number, row in enumerate(_children(table, TR), start=1):
            trpr = row.find(f"{W}trPr")
            if trpr is not None and any(trpr.find(tag) is not None for tag in _DELETED):
                continue  # a deleted row, accepted
            header = trpr is not None and bool(is_on(trpr.find(f"{W}tblHeader")))
            column = int(val(trpr, "gridBefore") or 0) if trpr is not None else 0
            cells: list[Cell] = []
            for cell_number, cell in enumerate(_children(row, TC), start=1):
                tcpr = cell.find(f"{W}tcPr")
                if tcpr is not None and tcpr.find(f"{W}cellDel") is not None:
                    continue
                span_text = val(tcpr, "gridSpan")
                span = int(span_text) if span_text and span_text.isdigit() else 1
                span = max(1, span)
                where = Locator(paragraph=0, table=number, row=row_number, cell=cell_number)
                items = self.blocks(cell, depth, where)
                vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                hmerge = val(tcpr, "hMerge")
                if vmerge is not None and vmerge.get(f"{W}val") != "restart":
                    above = merged_down.get(column)
                    if above is not None:
                        above.items.extend(items)
                        column += span
                        continue
                if hmerge is not None and hmerge != "restart" and cells:
                    cells[-1].span += span
                    cells[-1].items.extend(items)
                    column += span
                    continue
                entry = Cell(col=column, span=span, items=items)
                cells.append(entry)
                if vmerge is not None:
                    merged_down[column] = entry
                else:
                    merged_down.pop(column, None)
                column += span
            if cells:
                rows.append(Row(cells=cells, header=header))
        if not rows:
            return None
        needed = max(c.col + c.span for r in rows for c in r.cells)
        if len(widths) < needed:
            widths += [widths[-1] if widths else 1.0] * (needed - len(widths))
        columns = [0.0]
        for width in widths:
            columns.append(round(columns[-1] + width, 2))
        return Table(columns=columns, rows=rows)


def _children(parent: Element, tag: str):
    """Rows of a table, cells of a row: also those inside content controls and wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _THROUGH:
            yield from _children(child, tag)


def _branch(alternate: Element) -> Element | None:
    """The content of alternative content to read: its first choice, else its fallback."""
    choice = alternate.find(CHOICE)
    return choice if choice is not None else alternate.find(FALLBACK)


def _outermost(element: Element, tag: str):
    """Descendants with `tag` not inside another such, one branch of alternative content."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == ALTERNATE:
            branch = _branch(child)
            if branch is not None:
                yield from _outermost(branch, tag)
        else:
            yield from _outermost(child, tag)


def _symbol(element: Element) -> str:
    """A symbol character (w:sym): symbol fonts' code points are in the private use area, as a
    PDF's text gives them (Symbol's bullet is U+F0B7)."""
    code = element.get(f"{W}char") or ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if value < 0x100 and (element.get(f"{W}font") or "").lower() in ("symbol", "wingdings"):
        value += 0xF000
    return chr(value) if 0 < value < 0x110000 else ""
