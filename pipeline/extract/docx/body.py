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
innermost table, row and cell holding it (`Line.locator`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from maalspor import errors
from maalspor.extract.docx.lines import RunText, printed_lines
from maalspor.extract.docx.numbering import Numbering
from maalspor.extract.docx.styles import ParagraphStyle, Styles, W, is_on, outline_level, val
from maalspor.models.page import Line, LocatorTuple

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, R, TBL, TR, TC = f"{W}p", f"{W}r", f"{W}tbl", f"{W}tr", f"{W}tc"
SDT, SDT_CONTENT, SDT_PR = f"{W}sdt", f"{W}sdtContent", f"{W}sdtPr"
ALTERNATE, CHOICE, FALLBACK = f"{MC}AlternateContent", f"{MC}Choice", f"{MC}Fallback"
TEXTBOX = f"{W}txbxContent"
SECTION = f"{W}sectPr"
PPR, PSTYLE, NUM_PR, OUTLINE = f"{W}pPr", f"{W}pStyle", f"{W}numPr", f"{W}outlineLvl"
PAGE_BREAK_BEFORE, VAL = f"{W}pageBreakBefore", f"{W}val"
TRPR, TCPR, TBL_HEADER = f"{W}trPr", f"{W}tcPr", f"{W}tblHeader"
GRID_BEFORE, GRID_SPAN, CELL_DEL = f"{W}gridBefore", f"{W}gridSpan", f"{W}cellDel"
V_MERGE, H_MERGE = f"{W}vMerge", f"{W}hMerge"
RPR, T, SYM, RUBY = f"{W}rPr", f"{W}t", f"{W}sym", f"{W}ruby"
FLD_CHAR, NO_BREAK_HYPHEN = f"{W}fldChar", f"{W}noBreakHyphen"
_FIELD_TAGS = {FLD_CHAR, f"{W}instrText"}
_TABS = {f"{W}tab", f"{W}ptab"}
_BREAKS = {f"{W}br", f"{W}cr"}
_SHAPES = {f"{W}drawing", f"{W}pict", f"{W}object"}
# Wrappers whose content is read as if they were not there.
_THROUGH = {f"{W}{t}" for t in ("hyperlink", "smartTag", "customXml", "dir", "bdo", "ins")}
_THROUGH.add(f"{W}moveTo")
_DELETED = {f"{W}del", f"{W}moveFrom"}
# Elements that mark a tracked change not yet accepted or rejected, found in the part's bytes.
TRACKED = re.compile(
    rb"<(?:[\w.-]+:)?(?:ins|del|moveFrom|moveTo|rPrChange|pPrChange|sectPrChange|tblPrChange"
    rb"|trPrChange|tcPrChange|tblGridChange|numberingChange|cellIns|cellDel|cellMerge)[\s/>]"
)
EMBEDDED = re.compile(rb"<(?:[\w.-]+:)?altChunk[\s/>]")
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
        self.placeholders = 0  # content controls showing their placeholder text
        # Positions as XPath counts them: (//w:p)[n], (//w:tbl)[n].
        self.paragraph_number = {p: n for n, p in enumerate(root.iter(P), start=1)}
        self.table_number = {t: n for n, t in enumerate(root.iter(TBL), start=1)}
        # A section ends at the paragraph holding its sectPr; how the next one starts (a new
        # page, or continuous) is the w:type of the next sectPr (the body's own, last).
        sections = list(root.iterfind(f".//{W}pPr/{SECTION}"))
        final = root.find(SECTION)
        if final is not None:
            sections.append(final)
        self.page_after = {
            section
            for section, following in itertools.pairwise(sections)
            if (val(following, "type") or "nextPage") in _PAGE_SECTIONS
        }  # the sectPr elements a section starting on a new page follows

    # --- block level: paragraphs, tables, content controls -----------------------------------

    def blocks(
        self, parent: Element, depth: int = 0, where: LocatorTuple | None = None
    ) -> list[Item]:
        """The paragraphs and tables of a container (the body, a cell, a text box)."""
        if depth > self.max_depth:
            raise errors.DamagedDocxError(
                f"{self.path}: damaged Word document (tables, content controls or text boxes "
                f"nested more than {self.max_depth} deep)"
            )
        items: list[Item] = []
        # A paragraph whose mark was deleted runs on into the next (the deletion accepted).
        carried: tuple[RunText, LocatorTuple] | None = None
        for element in self._block_elements(parent):
            if element.tag == TBL:
                if carried is not None:
                    items.extend(self._finish(carried[0], {}, None, carried[1]))
                    carried = None
                table = self.table(element, depth + 1)
                if table is not None:
                    items.append(table)
                continue
            text, props, style, floating = self._paragraph_text(element, depth, where)
            place = self._locator(element, where)
            if carried is not None:
                text, place = carried[0].join(text), carried[1]
                carried = None
            mark = props.get(RPR)
            if mark is not None and any(mark.find(tag) is not None for tag in _DELETED):
                carried = (text, place)
            else:
                items.extend(self._finish(text, props, style, place))
            items.extend(floating)
        if carried is not None:
            items.extend(self._finish(carried[0], {}, None, carried[1]))
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

    def _locator(self, paragraph: Element, where: LocatorTuple | None) -> LocatorTuple:
        number = self.paragraph_number.get(paragraph, 0)
        return (number, None, None, None) if where is None else (number, *where[1:])

    # --- paragraphs -----------------------------------------------------------------------

    def _paragraph_text(
        self, paragraph: Element, depth: int, where: LocatorTuple | None
    ) -> tuple[RunText, dict[str, Element], ParagraphStyle, list[Item]]:
        ppr = paragraph.find(PPR)
        # The paragraph's properties by tag, read once (a paragraph asks for several).
        props = {child.tag: child for child in ppr} if ppr is not None else {}
        named = props.get(PSTYLE)
        style = self.styles.paragraph(named.get(VAL) if named is not None else None)
        text = RunText()
        floating: list[Item] = []
        self._inline(paragraph, text, style, floating, depth, where)
        before = is_on(props.get(PAGE_BREAK_BEFORE))
        if before if before is not None else style.page_break_before:
            text.break_before = True
        section = props.get(SECTION)
        if section is not None and section in self.page_after:
            text.break_after = True
        return text, props, style, floating

    def _finish(
        self,
        text: RunText,
        props: dict[str, Element],
        style: ParagraphStyle | None,
        locator: LocatorTuple,
    ) -> list[Item]:
        """The paragraph with its list number, if it has text (a page break kept either way)."""
        style = style or self.styles.paragraph(None)
        label = self._label(props, style)
        if label is not None and text.has_text:
            mark = props.get(RPR)  # the paragraph mark's formatting, which the number takes
            number = self.styles.run(style, val(mark, "rStyle"), mark)
            if label.rpr is not None:
                number = self.styles.run(style, None, label.rpr)
            text.prepend(label.text, label.separator, number)
        lines = printed_lines(text, outline_level(props.get(OUTLINE), style), locator)
        if not lines and not (text.break_before or text.break_after):
            return []
        return [Paragraph(lines, text.break_before, text.break_after)]

    def _label(self, props: dict[str, Element], style: ParagraphStyle):
        num = props.get(NUM_PR)
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
        where: LocatorTuple | None,
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
        where: LocatorTuple | None,
    ) -> None:
        rpr = run.find(RPR)
        props = self.styles.run(style, val(rpr, "rStyle"), rpr)
        printed = not props.hidden
        for child in content:
            tag = child.tag
            if tag in _FIELD_TAGS:  # fields are followed whether their runs print or not
                if tag == FLD_CHAR:
                    self._field_char(child.get(f"{W}fldCharType"))
                elif self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction += child.text or ""
                continue
            if not (self.visible and printed):
                continue
            if tag == T:
                text.text(child.text or "", props)
            elif tag in _TABS:
                text.text("\t", props)
            elif tag in _BREAKS:
                if child.get(f"{W}type") == "page":
                    text.page_break()
                else:
                    text.line_break()
            elif tag == NO_BREAK_HYPHEN:
                text.text("-", props)
            elif tag == SYM:
                text.text(_symbol(child), props)
            elif tag in _SHAPES:
                floating.extend(self._text_boxes(child, depth, where))
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._run(run, branch, text, style, floating, depth, where)
            elif tag == RUBY:
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

    def _text_boxes(self, element: Element, depth: int, where: LocatorTuple | None) -> list[Item]:
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
            trpr = row.find(TRPR)
            trp = {child.tag: child for child in trpr} if trpr is not None else {}
            if any(tag in trp for tag in _DELETED):
                continue  # a deleted row, accepted
            header = bool(is_on(trp.get(TBL_HEADER)))
            before = trp.get(GRID_BEFORE)
            column = _count(before.get(VAL) if before is not None else None, 0)
            cells: list[Cell] = []
            for cell_number, cell in enumerate(_children(row, TC), start=1):
                tcpr = cell.find(TCPR)
                tcp = {child.tag: child for child in tcpr} if tcpr is not None else {}
                if CELL_DEL in tcp:
                    continue  # a deleted cell, accepted
                span_element = tcp.get(GRID_SPAN)
                span = _count(span_element.get(VAL) if span_element is not None else None, 1)
                items = self.blocks(cell, depth, (0, number, row_number, cell_number))
                vmerge, hmerge = tcp.get(V_MERGE), tcp.get(H_MERGE)
                if vmerge is not None and vmerge.get(VAL) != "restart":
                    above = merged_down.get(column)
                    if above is not None:
                        above.items.extend(items)
                        column += span
                        continue
                if hmerge is not None and hmerge.get(VAL) != "restart" and cells:
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


def _count(text: str | None, default: int) -> int:
    """A count attribute (a span, grid columns skipped); `default` when missing or not one."""
    return max(default, int(text)) if text and text.isdigit() else default


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
