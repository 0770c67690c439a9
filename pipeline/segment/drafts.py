"""The drafts of pass 3 → the output's models: goals and follow-ups with their provenance.

A goal's lead paragraph is its text (or, for a goal that is only a list, its items joined), its
list items are sub-goals, further paragraphs a note; every field keeps the boxes it occupies
page by page (`regions`) and whether OCR read it.
"""

from __future__ import annotations

from maalspor.models.common import Locator, Region
from maalspor.models.page import Line, LocatorTuple
from maalspor.models.plan import FollowUp, Goal
from maalspor.segment.labels import FIELDS, FieldKind
from maalspor.segment.structure import Paragraph
from maalspor.segment.walk import Draft

BoxTuple = tuple[float, float, float, float]
# Which output field each field kind's boxes are recorded as.
_REGION_NAMES = {
    FieldKind.GOAL: "text",
    FieldKind.DOCUMENTATION: "documentation",
    FieldKind.FOLLOW_UP: "follow_up",
    FieldKind.RESPONSIBLE: "responsible",
}
# Boxes are written to this many decimals (a hundredth of a point).
_BOX_DECIMALS = 2


def build(draft: Draft, number: int, follow_up: bool) -> Goal | FollowUp:
    """A goal (`G001`) or follow-up entry (`F001`) from its draft."""
    lead: list[str] = []
    subgoals: list[str] = []
    notes: list[str] = []
    for marker, text, _ in _items(draft.parts[FieldKind.GOAL].paragraphs):
        if marker is not None:
            subgoals.append(text)
        elif not subgoals and not lead:
            lead.append(text)
        else:
            notes.append(text)
    documentation = [text for _, text, _ in _items(draft.parts[FieldKind.DOCUMENTATION].paragraphs)]
    follow_up_items = [text for _, text, _ in _items(draft.parts[FieldKind.FOLLOW_UP].paragraphs)]
    responsible = [text for _, text, _ in _items(draft.parts[FieldKind.RESPONSIBLE].paragraphs)]
    regions: list[Region] = []
    for kind in (*FIELDS, FieldKind.RESPONSIBLE):
        regions.extend(_regions(_REGION_NAMES[kind], draft.parts[kind].paragraphs))
    first = draft.parts[FieldKind.GOAL].paragraphs[:1] or next(
        (draft.parts[f].paragraphs[:1] for f in FIELDS if draft.parts[f].paragraphs), []
    )
    boxes = [ln.bbox for ln in first[0].lines if ln.bbox] if first else []
    section = draft.section
    fields = {
        "id": f"{'F' if follow_up else 'G'}{number:03d}",
        "section": section.title if section else None,
        "section_number": section.number if section else None,
        "text": lead[0] if lead else " ".join(subgoals),
        "subgoals": subgoals,
        "note": "\n\n".join(notes) or None,
        "documentation": documentation,
        "responsible": " ".join(responsible) or None,
        "page": first[0].page if first else 0,
        "bbox": union(boxes) if boxes else None,
        "locator": _locator(first[0].lines[0].locator) if first else None,
        "regions": regions,
        **_ocr_provenance(
            [ln for f in FIELDS for p in draft.parts[f].paragraphs for ln in p.lines]
        ),
    }
    if follow_up:
        return FollowUp(**fields, follow_up="\n\n".join(follow_up_items) or None)
    return Goal(**fields)


def union(boxes: list[BoxTuple]) -> BoxTuple:
    return (
        round(min(b[0] for b in boxes), _BOX_DECIMALS),
        round(min(b[1] for b in boxes), _BOX_DECIMALS),
        round(max(b[2] for b in boxes), _BOX_DECIMALS),
        round(max(b[3] for b in boxes), _BOX_DECIMALS),
    )


def _regions(field_name: str, paragraphs: list[Paragraph]) -> list[Region]:
    by_page: dict[int, list[BoxTuple]] = {}
    for paragraph in paragraphs:
        for line in paragraph.lines:
            boxes = by_page.setdefault(paragraph.page, [])
            if line.bbox is not None:
                boxes.append(line.bbox)
    return [
        Region(
            field=field_name,
            page=page,
            bbox=union(boxes) if boxes else None,
            locator=_locator(
                next((p.lines[0].locator for p in paragraphs if p.page == page), None)
            ),
            **_ocr_provenance([ln for p in paragraphs if p.page == page for ln in p.lines]),
        )
        for page, boxes in by_page.items()
    ]


def _locator(where: LocatorTuple | None) -> Locator | None:
    if where is None:
        return None
    paragraph, table, row, cell = where
    return Locator(paragraph=paragraph, table=table, row=row, cell=cell)


def _ocr_provenance(lines: list[Line]) -> dict:
    """`ocr` and `ocr_confidence` (mean over the OCR'd words) of what these lines hold."""
    words = sum(line.ocr_words for line in lines)
    if not words:
        return {}
    total = sum((line.ocr_confidence or 0.0) * line.ocr_words for line in lines)
    return {"ocr": True, "ocr_confidence": round(total / words, 1)}


def _items(paragraphs: list[Paragraph]) -> list[tuple[str | None, str, Paragraph]]:
    """(marker, text, paragraph) per paragraph, continuation pieces left out."""
    return [(p.marker, p.text, p) for p in paragraphs if p.text]
