"""Stage 2: lines in reading order (`DocumentText`) → the plan's structure (`PlanDocument`).

Three passes:
  1. paragraphs: each block's lines become paragraphs (list items, prose) using the geometry
     that extraction kept (vertical gaps, hanging indents) and the list markers of the rules;
  2. roles: each paragraph is a heading, a labelled field start ("Mål:", "DOKUMENTATION",
     a header cell "Opfølgning"), table-of-contents matter, or content;
  3. assembly: a small state machine walks the paragraphs in reading order and fills goals
     and their fields (`pipeline/fields.py`); the drafts become the output's models here.
The paragraphs and headings the passes hand on, and the structure rules compiled, are in
`pipeline/structure.py`; the label words, heading patterns and bullets are data in `rules/`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from maalspor.fields import Assembler, Draft
from maalspor.labels import FIELDS, field_of, label_of, label_patterns
from maalspor.layout import DEFAULT_SETTINGS, arrange
from maalspor.models.common import Period, Region
from maalspor.models.page import Block, DocumentText, Line
from maalspor.models.plan import FollowUp, Goal, PlanDocument, Section
from maalspor.rules import pinned
from maalspor.structure import (
    Heading,
    Paragraph,
    follow_up_period,
    parse_period,
    structure_patterns,
)
from maalspor.text import join_lines, normalise, split_list_marker

# A line starts a new paragraph when the space above it is this much larger than the usual
# space between lines of one paragraph in the document (measured, not assumed: office suites
# set paragraph spacing of 0.3-1 line, line spacing varies by font).
PARAGRAPH_GAP_FACTOR = 1.5
# A heading is set at least this much larger than the body text (the layout analysis's
# threshold for headings inside tables drawn without rulings: one value for both)...
HEADING_SIZE_RATIO = DEFAULT_SETTINGS.heading_size_ratio
# ... or in bold at body size, and then no longer than this (characters).
BOLD_HEADING_MAX_CHARS = 110
# A heading in capitals at body size and weight: at least this share of its letters upper-case.
UPPERCASE_HEADING_SHARE = 0.8
# A line was ended by the column's edge when the next word would have run past it by more than
# this many characters' width (what is left of the line is measured from the text, not known).
WRAP_SLACK = 0.5
# Text input has no typography: a heading there is one short line.
TEXT_HEADING_MAX_CHARS = 90


# --- pass 1: paragraphs -----------------------------------------------------------------------


def _typical_line_gap(document: DocumentText, ocr: bool = False) -> float:
    """`ocr`: of the lines read by OCR, whose boxes are estimated (measured apart, so the pages
    of a plan with text and scanned pages keep their own)."""
    gaps = sorted(
        ln.gap_before
        for page in document.pages
        for block in page.blocks
        for ln in block.lines[1:]
        if 0 < ln.gap_before < 2.0 and (ln.ocr_confidence is not None) == ocr
    )
    if not gaps:
        return 0.25
    # The lower quartile is the within-paragraph spacing: paragraph gaps are the larger ones.
    return gaps[len(gaps) // 4]


def _paragraphs(
    block: Block, line_gap: float, is_text_input: bool, body_size: float = 0.0
) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    marker_indent: float | None = None
    threshold = max(line_gap * PARAGRAPH_GAP_FACTOR, line_gap + 0.1)

    def flush() -> None:
        if current:
            paragraphs.append(Paragraph(lines=list(current), block=block))
            current.clear()

    for index, line in enumerate(block.lines):
        marker, _ = split_list_marker(line.text)
        label_start = _label_of(line) is not None
        new = index == 0 or marker is not None or label_start
        if is_text_input and not new:
            # Plain text may run a heading into the next line: the follow-up part's heading
            # ("Opfølgning på ... mål 2015") is a paragraph of its own, and so is what follows.
            new = follow_up_period(line.text)[0] or bool(
                current and follow_up_period(current[-1].text)[0]
            )
        if not new and current and _label_of(current[0]) is not None and len(current) == 1:
            # "Mål:" alone on its line: the text is apart from it; "(hvad vil vi opnå?)" under
            # a header cell's label explains the label.
            new = _label_only(current[0]) and not line.text.lstrip().startswith("(")
        previous = current[-1] if current else None
        if not new and previous is not None and not is_text_input:
            # A change of type size starts a paragraph (heading → body text); lines of one
            # heading, set larger, may stand further apart than body lines.
            if abs(line.size - previous.size) > 0.1 * max(line.size, previous.size, 1.0):
                new = True
            elif body_size and line.size >= body_size * HEADING_SIZE_RATIO:
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
                    # A list item's later lines hang indented; a line back at the marker's
                    # indent (or left of it) starts the next paragraph.
                    new = line.indent <= marker_indent + 1.0
        if new:
            flush()
            marker_indent = line.indent if marker is not None and not is_text_input else None
        current.append(line)
    flush()
    return paragraphs


# --- pass 2: roles ----------------------------------------------------------------------------


def _label_of(line: Line) -> tuple[str, str] | None:
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


_NUMBER_BEFORE_LABEL = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.)]?\s+")


_LABEL_BEFORE_BRACKET = re.compile(r"\s+(?=\()")


def _label_only(line: Line) -> bool:
    found = _label_of(line)
    return found is not None and not found[1]


def _heading_of(paragraph: Paragraph, body_size: float, is_text_input: bool) -> Heading | None:
    block = paragraph.block
    lines = paragraph.lines
    if paragraph.label or (paragraph.marker is not None and not paragraph.marker.isdigit()):
        return None
    full_width = block.col_span >= len(block.columns) - 1 and len(lines) <= 2
    # Text input's tables are found from the text alone, headings may land in a cell: the strict
    # structure rules for text headings (_text_heading_fits) decide there.
    if block.kind == "cell" and not full_width and not is_text_input:
        return None
    text = join_lines([ln.text for ln in lines])
    if not text or structure_patterns().toc_line.search(text):
        return None
    size = max(ln.size for ln in lines)
    if is_text_input:
        if len(lines) != 1 or len(text) > TEXT_HEADING_MAX_CHARS or text[-1] in ".,;":
            return None
    else:
        larger = body_size and all(ln.size >= body_size * HEADING_SIZE_RATIO for ln in lines)
        bold = (
            all(ln.bold for ln in lines)
            and len(text) <= BOLD_HEADING_MAX_CHARS
            and text[-1] not in ".,;"
            and len(lines) <= 2
        )
        letters = [ch for ch in text if ch.isalpha()]
        upper = (
            len(letters) >= 6
            and sum(ch.isupper() for ch in letters) >= UPPERCASE_HEADING_SHARE * len(letters)
            and len(text) <= BOLD_HEADING_MAX_CHARS
            and text[-1] not in ".,;"
            and len(lines) <= 2
        )
        if not (larger or bold or upper):
            return None
        if block.kind == "cell" and not bold:
            return None
    number, title, depth = _section_number(text)
    if is_text_input and depth > 1:
        return None  # "1.2 ..." alone on a line of plain text: too weak a sign of a heading
    return Heading(
        text=text, size=size, page=paragraph.page, number=number, title=title, depth=depth
    )


def _section_number(text: str) -> tuple[int | None, str, int]:
    """(number, title, depth) of a heading: "2. Læring" → (2, "Læring", 1); "2.1 X" has depth 2."""
    match = structure_patterns().section_heading.match(text)
    if match and not structure_patterns().not_section_number.match(text):  # "2016 i tal"
        parts = match.group("number").split(".")
        return int(parts[0]), match.group("title").strip(), len(parts)
    return None, text, 0


# --- pass 3: assembly -------------------------------------------------------------------------


# --- from drafts to models --------------------------------------------------------------------


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (
        round(min(b[0] for b in boxes), 2),
        round(min(b[1] for b in boxes), 2),
        round(max(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
    )


def _regions(field_name: str, paragraphs: list[Paragraph]) -> list[Region]:
    by_page: dict[int, list[tuple[float, float, float, float]]] = {}
    order: list[int] = []
    for paragraph in paragraphs:
        for line in paragraph.lines:
            if paragraph.page not in by_page:
                by_page[paragraph.page] = []
                order.append(paragraph.page)
            if line.bbox is not None:
                by_page[paragraph.page].append(line.bbox)
    return [
        Region(
            field=field_name,
            page=page,
            bbox=_union(by_page[page]) if by_page[page] else None,
            **_ocr_provenance([ln for p in paragraphs if p.page == page for ln in p.lines]),
        )
        for page in order
    ]


def _ocr_provenance(lines: list[Line]) -> dict:
    """`ocr` and `ocr_confidence` (mean over the OCR'd words) of what these lines hold."""
    words = sum(line.ocr_words for line in lines)
    if not words:
        return {}
    total = sum((line.ocr_confidence or 0.0) * line.ocr_words for line in lines)
    return {"ocr": True, "ocr_confidence": round(total / words, 1)}


def _items(paragraphs: list[Paragraph]) -> list[tuple[str | None, str, Paragraph]]:
    """(marker, text, paragraph) per paragraph, continuation pieces left out."""
    result = []
    for paragraph in paragraphs:
        if paragraph.continuation and not paragraph.text:
            continue
        if paragraph.text:
            result.append((paragraph.marker, paragraph.text, paragraph))
    return result


def _build(draft: Draft, number: int, follow_up: bool) -> Goal | FollowUp:
    goal_items = _items(draft.parts["goal"].paragraphs)
    lead: list[str] = []
    subgoals: list[str] = []
    notes: list[str] = []
    for marker, text, _ in goal_items:
        if marker is not None:
            subgoals.append(text)
        elif not subgoals and not lead:
            lead.append(text)
        else:
            notes.append(text)
    text = lead[0] if lead else " ".join(subgoals)
    documentation = [text for _, text, _ in _items(draft.parts["documentation"].paragraphs)]
    follow_up_items = [text for _, text, _ in _items(draft.parts["follow_up"].paragraphs)]
    regions: list[Region] = []
    for field_name, key in (
        ("text", "goal"),
        ("documentation", "documentation"),
        ("follow_up", "follow_up"),
    ):
        regions.extend(_regions(field_name, draft.parts[key].paragraphs))
    first = draft.parts["goal"].paragraphs[:1] or next(
        (draft.parts[f].paragraphs[:1] for f in FIELDS if draft.parts[f].paragraphs), []
    )
    page = first[0].page if first else 0
    boxes = [ln.bbox for ln in first[0].lines if ln.bbox] if first else []
    section = draft.section
    fields = {
        "id": f"{'F' if follow_up else 'G'}{number:03d}",
        "section": section.title if section else None,
        "section_number": section.number if section else None,
        "text": text,
        "subgoals": subgoals,
        "note": "\n\n".join(notes) or None,
        "documentation": documentation,
        "page": page,
        "bbox": _union(boxes) if boxes else None,
        "regions": regions,
        **_ocr_provenance(
            [ln for f in FIELDS for p in draft.parts[f].paragraphs for ln in p.lines]
        ),
    }
    if follow_up:
        return FollowUp(**fields, follow_up="\n\n".join(follow_up_items) or None)
    return Goal(**fields)


# --- metadata ---------------------------------------------------------------------------------


def _title_lines(document: DocumentText) -> list[str]:
    """Candidates for the title: the largest text of the first pages, then the metadata title."""
    candidates: list[str] = []
    for page in document.pages[:2]:
        lines = [ln for b in page.blocks if b.kind == "text" for ln in b.lines]
        if not lines:
            continue
        if document.kind == "pdf":
            largest = max(ln.size for ln in lines)
            run: list[str] = []
            for ln in lines:
                if ln.size >= largest - 0.1:
                    run.append(ln.text)
                elif run:
                    break
            candidates.append(join_lines(run))
        candidates.extend(normalise(ln.text) for ln in lines[:12])
        # A title set over two lines ("Virksomhedsplan for Økonomi og Stab" / "2016-2017").
        candidates.extend(
            join_lines([first.text, second.text])
            for first, second in itertools.pairwise(lines[:12])
        )
    if document.metadata_title:
        candidates.append(normalise(document.metadata_title))
    # A running header often names the plan; its parts stand apart (tab stops).
    candidates.extend(normalise(part) for text in document.furniture for part in text.split("\t"))
    return candidates


def _metadata(document: DocumentText) -> tuple[str | None, str | None, str | None, Period | None]:
    patterns = structure_patterns()
    title = unit = None
    period = None
    for candidate in _title_lines(document):
        for pattern in patterns.title:
            match = pattern.match(candidate)
            if match:
                title = candidate
                unit = (match.group("unit") or "").strip(" -–,:") or None
                period = parse_period(match.group("period")) if match.group("period") else None
                break
        if title:
            break
    if title is None:
        candidates = _title_lines(document)
        title = candidates[0] if candidates else None
    if period is None and title:
        period = parse_period(title)
    organisation = None
    texts = [ln.text for p in document.pages[:3] for b in p.blocks for ln in b.lines[:20]]
    if document.metadata_title:
        texts.append(document.metadata_title)
    texts.extend(part for text in document.furniture for part in text.split("\t"))
    for text in texts:
        match = patterns.organisation.search(normalise(text))
        if match:
            organisation = match.group("organisation")
            break
    return title, organisation, unit, period


# --- the stage --------------------------------------------------------------------------------


@pinned
def segment(document: DocumentText) -> PlanDocument:
    """Find the sections, goals and follow-ups of a plan in its extracted text."""
    arrange(document)  # tables drawn without rulings: bands of labels side by side
    is_text = document.kind == "text"
    line_gaps = {ocr: _typical_line_gap(document, ocr) for ocr in (False, True)}
    patterns = structure_patterns()
    paragraphs: list[Paragraph] = []
    for page in document.pages:
        for block in page.blocks:
            kept = [ln for ln in block.lines if not patterns.toc_line.search(ln.text)]
            if not kept:
                continue
            block_view = (
                block if len(kept) == len(block.lines) else dataclasses.replace(block, lines=kept)
            )
            for index, paragraph in enumerate(
                _paragraphs(
                    block_view,
                    line_gaps[any(ln.ocr_words for ln in block.lines)],
                    is_text,
                    document.body_size,
                )
            ):
                _describe(paragraph)
                # Text input separates paragraphs by blank lines: only a page break splits one.
                if (
                    index == 0
                    and block.kind == "text"
                    and paragraphs
                    and (not is_text or paragraphs[-1].page != block.page)
                ):
                    paragraph.continuation = _is_continuation(paragraphs[-1], paragraph)
                paragraphs.extend(_split_inline_labels(paragraph))
    headings: dict[int, Heading] = {}
    for index, paragraph in enumerate(paragraphs):
        heading = _heading_of(paragraph, document.body_size, is_text)
        if heading is not None and (not is_text or _text_heading_fits(paragraphs, index, heading)):
            headings[index] = heading
    assembler = Assembler(document)
    assembler.run(paragraphs, headings)

    title, organisation, unit, period = _metadata(document)
    goals = [_build(d, i, False) for i, d in enumerate(assembler.goals, start=1)]
    follow_ups = [_build(d, i, True) for i, d in enumerate(assembler.follow_ups, start=1)]
    warnings = list(document.warnings)
    empty = [g.id for g in [*goals, *follow_ups] if not g.text]
    if empty:
        warnings.append(f"goals without goal text: {', '.join(empty)}")
    if not goals and not follow_ups:
        warnings.append("no goals found: no Mål / Dokumentation labels or goal tables were seen")
    sections = _unique_sections(assembler.sections)
    title, organisation, unit = (
        _capped(name, value, warnings)
        for name, value in (("title", title), ("organisation", organisation), ("unit", unit))
    )
    sections = [
        s.model_copy(update={"title": _capped("a section title", s.title, warnings)})
        if len(s.title) > MAX_HEADING_CHARS
        else s
        for s in sections
    ]
    return PlanDocument(
        source=document.source,
        organisation=organisation,
        unit=unit,
        title=title,
        period=period,
        sections=sections,
        goals=[g for g in goals if isinstance(g, Goal)],
        follow_up_period=assembler.follow_up_period,
        follow_ups=[f for f in follow_ups if isinstance(f, FollowUp)],
        warnings=warnings,
    )


# Titles, names and headings are cut at this many characters (with a warning): a title page
# holds a few lines; a text of one line a megabyte long must not become a title copied into
# every manifest and report.
MAX_HEADING_CHARS = 300


def _capped(name: str, value, warnings: list[str]):
    if value is None or len(value) <= MAX_HEADING_CHARS:
        return value
    warnings.append(f"{name} cut at {MAX_HEADING_CHARS} characters (it had {len(value):,})")
    return value[:MAX_HEADING_CHARS].rstrip() + "…"


def _stands_alone(paragraphs: list[Paragraph], index: int) -> bool:
    """One line with blank lines (or its block's ends) above and below it."""
    paragraph = paragraphs[index]
    if len(paragraph.lines) != 1:
        return False
    block = paragraph.block
    position = next(i for i, line in enumerate(block.lines) if line is paragraph.lines[0])
    above = position == 0 or paragraph.lines[0].gap_before >= 1.0
    below = position == len(block.lines) - 1 or block.lines[position + 1].gap_before >= 1.0
    return above and below


def _text_heading_fits(paragraphs: list[Paragraph], index: int, heading: Heading) -> bool:
    """Text input has no typography, so a short line is a heading only where structure says so.

    A numbered heading stands alone between blank lines; an unnumbered one introduces goals
    (the next paragraph is a Mål label) or is a heading the rules name (follow-up part, TOC).
    """
    if index and paragraphs[index - 1].label_only:
        return False  # the line after "Opfølgning:" is its text ("Mål opnået"), no heading
    if follow_up_period(heading.text)[0]:
        return True  # named by the rules: no blank lines needed around it
    if not _stands_alone(paragraphs, index):
        return False
    if heading.number is not None:
        return True
    if heading.text.lower().rstrip(":") in structure_patterns().toc_headings:
        return True
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    return following is not None and following.label == "goal"


def _unique_sections(sections: list[Section]) -> list[Section]:
    seen: set[tuple[int | None, str]] = set()
    result = []
    for section in sections:
        key = (section.number, section.title)
        if key not in seen:
            seen.add(key)
            result.append(section)
    return result


def _describe(paragraph: Paragraph) -> None:
    """Fill marker, label and text of a paragraph from its lines."""
    first = paragraph.lines[0]
    found = _label_of(first)
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


def _is_continuation(previous: Paragraph | None, paragraph: Paragraph) -> bool:
    """Whether the first paragraph of a block carries on the paragraph before it."""
    if paragraph.label or paragraph.marker is not None or not paragraph.text:
        return False
    starts_lower = paragraph.text[:1].islower()
    if previous is None:
        return starts_lower
    if previous.block.kind != "text" or not previous.text:
        return False
    same_page = previous.block.page == paragraph.block.page
    unfinished = starts_lower or previous.text[-1] not in ".!?:;" or _wrapped(previous, paragraph)
    if same_page and previous.block.bbox and paragraph.block.bbox:
        # On one page only a column break continues: the block starts above the previous end.
        return paragraph.block.bbox[1] < previous.block.bbox[3] and unfinished
    return unfinished


def _wrapped(previous: Paragraph, paragraph: Paragraph) -> bool:
    """Whether the last line of `previous` was ended by the column's edge, not by the end of
    its paragraph: the first word of `paragraph` would not have fitted after it. A sentence
    that ends at a column break then goes on in the next column as the same paragraph."""
    last, first = previous.lines[-1], paragraph.lines[0]
    if last.bbox is None or first.bbox is None or previous.block.bbox is None:
        return False
    block = previous.block.bbox
    width = max((ln.bbox[2] for ln in previous.block.lines if ln.bbox), default=block[2]) - block[0]
    if width <= 0 or not first.text.strip():
        return False
    char = (first.bbox[2] - first.bbox[0]) / max(1, len(first.text))
    word = len(first.text.split()[0]) * char
    return last.bbox[2] + char + word > block[0] + width + WRAP_SLACK * char


def _split_inline_labels(paragraph: Paragraph) -> list[Paragraph]:
    """'... afsluttet. Dokumentation: Der er ...' in running text: two paragraphs."""
    if paragraph.block.kind == "cell":
        return [paragraph]
    match = label_patterns().inline.search(paragraph.text)
    if not match:
        return [paragraph]
    head_text = paragraph.text[: match.start()].strip()
    label = field_of(match.group("label"))
    tail = Paragraph(
        lines=paragraph.lines,
        block=paragraph.block,
        label=label,
        text=paragraph.text[match.end() :].strip(),
    )
    tail.label_only = not tail.text
    paragraph.text = head_text
    pieces = [paragraph] if head_text else []
    return [*pieces, *_split_inline_labels(tail)]
