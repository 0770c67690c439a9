"""Pass 1 of segmentation: each block's lines → paragraphs (list items, prose, labelled fields).

The geometry extraction kept (vertical gaps, hanging indents, type size) and the list markers of
the rules decide where a paragraph starts; its first line's label ("Mål:", "DOKUMENTATION")
says which field it opens, and a label inside running text ("... afsluttet. Dokumentation: Der
er ...") cuts it in two. A source that states its paragraphs (a Word document:
`Line.paragraph_start`) is taken at its word instead of the geometry; labels and list markers
start paragraphs there too.
"""

from __future__ import annotations

import re

from maalspor.language.text import join_lines, split_list_marker
from maalspor.models.page import Block, DocumentText, Line
from maalspor.segment.labels import FieldKind, field_of, label_of, label_patterns
from maalspor.segment.structure import Paragraph, follow_up_period
from maalspor.settings import Settings

_NUMBER_BEFORE_LABEL = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.)]?\s+")
_LABEL_BEFORE_BRACKET = re.compile(r"\s+(?=\()")


def typical_line_gap(document: DocumentText, settings: Settings, ocr: bool = False) -> float:
    """The usual space between lines of one paragraph, in line heights. `ocr`: of the lines
    read by OCR, whose boxes are estimated (measured apart, so the pages of a plan with text
    and scanned pages keep their own)."""
    gaps = sorted(
        ln.gap_before
        for page in document.pages
        for block in page.blocks
        for ln in block.lines[1:]
        if 0 < ln.gap_before < settings.segment.max_line_gap
        and (ln.ocr_confidence is not None) == ocr
    )
    if not gaps:
        return settings.segment.fallback_line_gap
    # The lower quartile is the within-paragraph spacing: paragraph gaps are the larger ones.
    return gaps[len(gaps) // 4]


def paragraphs_of(
    block: Block,
    line_gap: float,
    is_text_input: bool,
    settings: Settings,
    body_size: float = 0.0,
) -> list[Paragraph]:
    """The block's lines cut into paragraphs, each described (marker, label, text)."""
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    marker_indent: float | None = None
    limits = settings.segment
    threshold = max(line_gap * limits.paragraph_gap_factor, line_gap + limits.min_paragraph_margin)
    heading_ratio = settings.layout.heading_size_ratio

    def flush() -> None:
        if current:
            paragraphs.append(describe(Paragraph(lines=list(current), block=block)))
            current.clear()

    for index, line in enumerate(block.lines):
        if line.paragraph_start or (index == 0 and line.paragraph_start is not None):
            flush()  # the source says a paragraph starts here: no need to read the line
            current.append(line)
            continue
        marker, _ = split_list_marker(line.text)
        label_start = line_label(line) is not None
        new = index == 0 or marker is not None or label_start
        if is_text_input and not new:
            # Plain text may run a heading into the next line: the follow-up part's heading
            # ("Opfølgning på ... mål 2015") is a paragraph of its own, and so is what follows.
            new = follow_up_period(line.text)[0] or bool(
                current and follow_up_period(current[-1].text)[0]
            )
        if not new and current and line_label(current[0]) is not None and len(current) == 1:
            # "Mål:" alone on its line: the text is apart from it; "(hvad vil vi opnå?)" under
            # a header cell's label explains the label.
            new = _label_only(current[0]) and not line.text.lstrip().startswith("(")
        previous = current[-1] if current else None
        if line.paragraph_start is not None:  # stated by the source, not measured
            new = new or line.paragraph_start
            if new:
                flush()
            current.append(line)
            continue
        if not new and previous is not None and not is_text_input:
            # A change of type size starts a paragraph (heading → body text); lines of one
            # heading, set larger, may stand further apart than body lines.
            largest = max(line.size, previous.size, 1.0)
            if abs(line.size - previous.size) > limits.size_change_share * largest:
                new = True
            elif body_size and line.size >= body_size * heading_ratio:
                new = line.gap_before > 1.0
                if not new:
                    current.append(line)
                    continue
        if not new:
            if is_text_input:
                new = line.gap_before >= 1.0
            else:
                new = line.gap_before > threshold
                if not new and marker_indent is not None:
                    new = line.indent <= marker_indent + limits.hanging_indent_slack
        if new:
            flush()
            marker_indent = line.indent if marker is not None and not is_text_input else None
        current.append(line)
    flush()
    return paragraphs


def line_label(line: Line) -> tuple[FieldKind, str] | None:
    """(field, rest of the line) when the line starts with a field label, else None."""
    found = label_of(line.text, line.bold_prefix)
    if found is None and line.bold:
        # A bold header cell whose explanation wraps: "Succeskriterier (hvordan ser vi" / "det?)".
        found = label_of(line.text, _LABEL_BEFORE_BRACKET.split(line.text, 1)[0])
    if found is None:
        numbered = _NUMBER_BEFORE_LABEL.match(line.text)
        marker, rest = split_list_marker(line.text)
        if numbered:  # "1. Mål: ...", "2.3 Mål: ..."
            prefix, rest = numbered.group(0).strip(), line.text[numbered.end() :]
        elif marker is not None:  # "• Mål: ...", "– Dokumentation: ..." in a list of goals
            prefix = marker
        else:
            return None
        bold = line.bold_prefix
        if bold and bold.startswith(prefix):
            bold = bold[len(prefix) :].strip() or None
        found = label_of(rest, bold)
        if found is not None and not found[1] and not numbered and marker is not None:
            # A bare "• Mål" is a list item naming the word, not a label: it needs a colon.
            found = found if rest.rstrip().endswith(":") else None
    return found


def _label_only(line: Line) -> bool:
    found = line_label(line)
    return found is not None and not found[1]


def describe(paragraph: Paragraph) -> Paragraph:
    """Fill marker, label and text of a paragraph from its lines."""
    first = paragraph.lines[0]
    found = line_label(first)
    lines = [ln.text for ln in paragraph.lines]
    if found is not None:
        paragraph.label, rest = found
        lines = [rest, *lines[1:]] if rest else lines[1:]
        # A header cell may explain its label: "Mål (hvad vil vi opnå?)", on one line or more.
        if paragraph.block.kind == "cell" and re.fullmatch(r"\(.*\)\s*:?", " ".join(lines).strip()):
            lines = []
        paragraph.label_only = not any(ln.strip() for ln in lines)
        if lines:
            marker, first_text = split_list_marker(lines[0])
            if marker is not None:
                paragraph.marker = marker
                lines[0] = first_text
    else:
        marker, first_text = split_list_marker(first.text)
        if marker is not None:
            paragraph.marker = marker
            lines[0] = first_text
    paragraph.text = join_lines(lines) if lines else ""
    return paragraph


def split_inline_labels(paragraph: Paragraph) -> list[Paragraph]:
    """'... afsluttet. Dokumentation: Der er ...' in running text: two paragraphs."""
    if paragraph.block.kind == "cell":
        return [paragraph]
    match = label_patterns().inline.search(paragraph.text)
    if not match:
        return [paragraph]
    head_text = paragraph.text[: match.start()].strip()
    tail = Paragraph(
        lines=paragraph.lines,
        block=paragraph.block,
        label=field_of(match.group("label")),
        text=paragraph.text[match.end() :].strip(),
    )
    tail.label_only = not tail.text
    paragraph.text = head_text
    pieces = [paragraph] if head_text else []
    return [*pieces, *split_inline_labels(tail)]
