"""The plan's title, organisation, unit and period, from its first pages and furniture.

The title is the largest text of the first pages (or the first lines, or the PDF's metadata
title) that the rules' title patterns ("Virksomhedsplan for <unit> <period>") recognise; the
organisation is the first "... Kommune" (or region, agency) the first pages or the running
header name.
"""

from __future__ import annotations

import itertools

from maalspor.language.text import join_lines, normalise
from maalspor.models.common import Period
from maalspor.models.page import DocumentText
from maalspor.segment.structure import parse_period, structure_patterns

# The title is looked for on this many first pages, among the first lines of each.
_TITLE_PAGES = 2
_TITLE_LINES = 12
# The organisation is looked for among the first lines of each of the first pages.
_ORGANISATION_PAGES = 3
_ORGANISATION_LINES = 20
# Lines within this many points of the largest size are set at the title's size.
_SAME_SIZE = 0.1


def metadata(document: DocumentText) -> tuple[str | None, str | None, str | None, Period | None]:
    """(title, organisation, unit, period) of the plan; None where nothing fits."""
    patterns = structure_patterns()
    title = unit = None
    period = None
    candidates = _title_lines(document)
    for candidate in candidates:
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
        title = candidates[0] if candidates else None
    if period is None and title:
        period = parse_period(title)
    return title, _organisation(document), unit, period


def _organisation(document: DocumentText) -> str | None:
    texts = [
        ln.text
        for p in document.pages[:_ORGANISATION_PAGES]
        for b in p.blocks
        for ln in b.lines[:_ORGANISATION_LINES]
    ]
    if document.metadata_title:
        texts.append(document.metadata_title)
    texts.extend(part for text in document.furniture for part in text.split("\t"))
    pattern = structure_patterns().organisation
    for text in texts:
        match = pattern.search(normalise(text))
        if match:
            return match.group("organisation")
    return None


def _title_lines(document: DocumentText) -> list[str]:
    """Candidates for the title: the largest text of the first pages, then the metadata title."""
    candidates: list[str] = []
    for page in document.pages[:_TITLE_PAGES]:
        lines = [ln for b in page.blocks if b.kind == "text" for ln in b.lines]
        if not lines:
            continue
        if document.kind != "text":  # type sizes are known (PDF, Word)
            largest = max(ln.size for ln in lines)
            run: list[str] = []
            for ln in lines:
                if ln.size >= largest - _SAME_SIZE:
                    run.append(ln.text)
                elif run:
                    break
            candidates.append(join_lines(run))
        first = lines[:_TITLE_LINES]
        candidates.extend(normalise(ln.text) for ln in first)
        # A title set over two lines ("Virksomhedsplan for Økonomi og Stab" / "2016-2017").
        candidates.extend(join_lines([a.text, b.text]) for a, b in itertools.pairwise(first))
    if document.metadata_title:
        candidates.append(normalise(document.metadata_title))
    # A running header often names the plan; its parts stand apart (tab stops).
    candidates.extend(normalise(part) for text in document.furniture for part in text.split("\t"))
    return candidates
