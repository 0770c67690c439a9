"""The segmentation stage: lines in reading order (`DocumentText`) → the plan (`PlanDocument`).

Layout first turns bands of labels side by side into table cells (`layout.arrange`); then three
passes over the document:
  1. paragraphs (`paragraphs.py`): each block's lines become paragraphs, a paragraph that a
     column or page break cut is marked as carrying on the one before (`continuation.py`);
  2. headings (`headings.py`): which paragraphs are headings, with section numbers;
  3. assembly (`assembler.py`, `tables.py`): a walk over the paragraphs fills goals and fields.
The drafts become the output's models (`drafts.py`); title, organisation, unit and period come
from the first pages (`metadata.py`).
"""

from __future__ import annotations

import dataclasses

from maalspor.models.page import Block, DocumentText
from maalspor.models.plan import FollowUp, Goal, PlanDocument, Section
from maalspor.rules import extended, pinned
from maalspor.segment.assembler import assemble
from maalspor.segment.continuation import continues, may_continue
from maalspor.segment.discovery import discover, has_goal_label
from maalspor.segment.drafts import build
from maalspor.segment.headings import headings_of
from maalspor.segment.layout import arrange
from maalspor.segment.metadata import metadata
from maalspor.segment.paragraphs import paragraphs_of, split_inline_labels, typical_line_gap
from maalspor.segment.structure import Paragraph, structure_patterns
from maalspor.settings import Settings


@pinned
def segment(document: DocumentText, settings: Settings | None = None) -> PlanDocument:
    """Find the sections, goals and follow-ups of a plan in its extracted text. A plan without
    any known goal label is read with the labels its own structure shows (`discovery.py`), and
    a warning names them."""
    settings = Settings.resolve(settings)
    if not document.arranged and not has_goal_label(document):
        discovered = discover(document, settings.segment)
        if discovered.usable:
            with extended(discovered.rules()):
                return _segment(document, settings, [discovered.warning()])
    return _segment(document, settings, [])


def _segment(document: DocumentText, settings: Settings, notes: list[str]) -> PlanDocument:
    arrange(document, settings)  # tables drawn without rulings: bands of labels
    is_text = document.kind == "text"
    paragraphs = _paragraphs(document, settings)
    headings = headings_of(paragraphs, document.body_size, is_text, settings)
    outline = assemble(document, paragraphs, headings, settings)
    goals = [build(d, i, False) for i, d in enumerate(outline.goals, start=1)]
    follow_ups = [build(d, i, True) for i, d in enumerate(outline.follow_ups, start=1)]
    warnings = [*document.warnings, *notes]
    empty = [g.id for g in [*goals, *follow_ups] if not g.text]
    if empty:
        warnings.append(f"goals without goal text: {', '.join(empty)}")
    if not goals and not follow_ups:
        warnings.append("no goals found: no Mål / Dokumentation labels or goal tables were seen")
    limit = settings.segment.max_heading_chars
    title, organisation, unit, period = metadata(document)
    title, organisation, unit = (
        _capped(name, value, limit, warnings)
        for name, value in (("title", title), ("organisation", organisation), ("unit", unit))
    )
    sections = [
        s.model_copy(update={"title": _capped("a section title", s.title, limit, warnings)})
        if len(s.title) > limit
        else s
        for s in _unique_sections(outline.sections)
    ]
    return PlanDocument(
        source=document.source,
        organisation=organisation,
        unit=unit,
        title=title,
        period=period,
        sections=sections,
        goals=[g for g in goals if isinstance(g, Goal)],
        follow_up_period=outline.follow_up_period,
        follow_ups=[f for f in follow_ups if isinstance(f, FollowUp)],
        warnings=warnings,
    )


def _paragraphs(document: DocumentText, settings: Settings) -> list[Paragraph]:
    """Pass 1 over every block in reading order (table-of-contents lines left out)."""
    is_text = document.kind == "text"
    line_gaps = {ocr: typical_line_gap(document, settings, ocr) for ocr in (False, True)}
    toc_line = structure_patterns().toc_line
    paragraphs: list[Paragraph] = []
    for page in document.pages:
        for block in page.blocks:
            kept = [ln for ln in block.lines if not toc_line.search(ln.text)]
            if not kept:
                continue
            view = (
                block if len(kept) == len(block.lines) else dataclasses.replace(block, lines=kept)
            )
            gap = line_gaps[any(ln.ocr_words for ln in block.lines)]
            found = paragraphs_of(view, gap, is_text, settings, document.body_size)
            if found and paragraphs and _after_break(paragraphs[-1], block):
                found[0].continuation = continues(paragraphs[-1], found[0], settings)
            for paragraph in found:
                paragraphs.extend(split_inline_labels(paragraph))
    return paragraphs


def _after_break(previous: Paragraph, block: Block) -> bool:
    """Whether a text block's first paragraph follows a column or page break that `previous`
    ran into (plain text separates paragraphs by blank lines: only a page break cuts one)."""
    return block.kind == "text" and may_continue(previous.block)


def _capped(name: str, value, limit: int, warnings: list[str]):
    if value is None or len(value) <= limit:
        return value
    warnings.append(f"{name} cut at {limit} characters (it had {len(value):,})")
    return value[:limit].rstrip() + "…"


def _unique_sections(sections: list[Section]) -> list[Section]:
    seen: set[tuple[int | None, str]] = set()
    result = []
    for section in sections:
        key = (section.number, section.title)
        if key not in seen:
            seen.add(key)
            result.append(section)
    return result
