"""Running headers, footers and page numbers: told by geometry, removed from the pages.

Running furniture is told by more than repetition: the same text (digits aside) at the same
distance from the page's edge in the same size, standing apart from the body, on several pages
(`remove_furniture`, run by extraction). Page numbers in the top or bottom margin that do not
repeat so ("Side 3 af 5" once, "- 4 -" alternating sides) are known by patterns that the caller
passes in (`remove_page_numbers`: the layout analysis, `pipeline/segment/layout.py`, with the
`boilerplate_lines` of `rules/structure.toml`); this module reads no rules. A field label that
happens to open several pages is put back by the layout analysis, which knows the labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from maalspor.extract.geometry import mark_page_ends
from maalspor.models.page import Block, Line, PageText
from maalspor.settings import ExtractSettings


def _furniture_key(text: str) -> str:
    """Digits aside, and signs: OCR reads a running header's "·" as "-", "+" or nothing."""
    signless = re.sub(r"[^\w\s]", " ", re.sub(r"\d+", "#", text.strip().lower()))
    return " ".join(signless.split())


FurnitureKey = tuple[str, bool, int, int]


def _furniture_keys(
    page: PageText, body_size: float, settings: ExtractSettings
) -> dict[int, list[FurnitureKey]]:
    """id(line) → [(text, at the top, distance from that edge, size)] for each line that may
    be running furniture: in the top or bottom band, at body size or smaller, and apart from the
    page's body (a label at the top of a page, "Mål:", has its text right under it). A header
    whose parts stand apart ("Plan 2019<tab>Kommune") has a key per part: on another page
    its parts may have been read as two lines."""
    lines = [ln for block in page.blocks for ln in block.lines if ln.bbox is not None]
    keys: dict[int, list[FurnitureKey]] = {}
    for line in lines:
        # Headers and footers are set at body size or smaller; a heading near the top of
        # each page ("2. Indsatsområde ...") is larger, whatever its numbers.
        if line.bbox is None or not _in_band(line, page, settings) or line.size > body_size + 0.5:
            continue
        _, top, _, bottom = line.bbox
        at_top = top < settings.furniture_band * page.height
        if not _stands_apart(line.bbox, lines, at_top, settings.furniture_min_gap):
            continue
        distance = top if at_top else page.height - bottom
        position = round(distance / settings.furniture_position_tolerance)
        keys[id(line)] = [
            (_furniture_key(part), at_top, position, round(line.size))
            for part in line.text.split("\t")
            if part.strip()
        ]
    return keys


def _stands_apart(
    box: tuple[float, float, float, float], lines: list[Line], at_top: bool, min_gap: float
) -> bool:
    """Whether no line of the body stands closer than `min_gap` line heights below a
    header (above a footer); parts of the same row (a header's left and right text) do not
    count."""
    height = max(1.0, box[3] - box[1])
    for other in lines:
        b = other.bbox
        if b is None or b is box or (b[1] < box[3] and box[1] < b[3]):
            continue
        gap = b[1] - box[3] if at_top else box[1] - b[3]
        if 0 <= gap < min_gap * height:
            return False
    return True


def remove_furniture(
    pages: list[PageText],
    body_size: float,
    settings: ExtractSettings,
) -> list[str]:
    """Drop running headers and footers (page numbers among them when they repeat so).

    Running furniture is told by more than repetition: the same text (digits aside) at the same
    distance from the page's edge in the same size, standing apart from the body, on at least
    two pages and `furniture_min_share` of them. A label that happens to open several pages
    ("Dokumentation:" with its text right under it) is body, not furniture.
    Returns the distinct removed lines that are not page numbers, first seen first.
    """
    removed: dict[str, None] = {}
    seen: Counter[FurnitureKey] = Counter()
    page_keys: list[dict[int, list[FurnitureKey]]] = []
    for page in pages:
        keys = _furniture_keys(page, body_size, settings)
        page_keys.append(keys)
        # A table's cells are counted as no furniture: a repeated header row ("Mål |
        # Dokumentation") opens each page at the same place.
        seen.update(
            {
                key
                for b in page.blocks
                if b.kind == "text"
                for ln in b.lines
                for key in keys.get(id(ln), [])
            }
        )
    least = max(2, settings.furniture_min_share * len(pages))
    repeated = {k for k, n in seen.items() if n >= least}
    for page, keys in zip(pages, page_keys, strict=True):

        def is_running(line: Line, keys: dict[int, list[FurnitureKey]] = keys) -> bool:
            parts = keys.get(id(line))
            return bool(parts) and all(part in repeated for part in parts)

        empty_cells = {id(b) for b in page.blocks if b.kind == "cell" and not b.lines}
        for block in page.blocks:
            if block.kind == "text":
                kept = []
                for line in block.lines:
                    if is_running(line):
                        removed.setdefault(line.text.strip())
                        # Kept aside with its block: the layout analysis puts a field label
                        # back ("Mål" opening each page of a table), geometry cannot tell.
                        page.set_aside.append((block, line))
                        continue
                    kept.append(line)
                block.lines = kept
            else:
                # A cell of a table without rulings may run into the footer's band; only text
                # seen as furniture elsewhere goes.
                block.lines = [line for line in block.lines if not is_running(line)]
        # A cell that held only furniture (a header that a table without rulings took in)
        # goes too; a cell that was empty stays, it is part of its row.
        set_aside = {id(b) for b, _ in page.set_aside}
        page.blocks = [b for b in page.blocks if b.lines or id(b) in empty_cells | set_aside]
        _reflow_gaps(page.blocks)
        for block in page.blocks:
            block.first_on_page = block.last_on_page = False
        mark_page_ends(page.blocks)
    return list(removed)


def remove_page_numbers(
    pages: list[PageText],
    patterns: Sequence[re.Pattern],
    settings: ExtractSettings,
) -> set[str]:
    """Drop the lines in the top/bottom margin that are a page number by one of `patterns`,
    also those set aside as running furniture. A cell keeps a bare number ("12" in a "Nr."
    column). Returns the texts dropped."""
    dropped: set[str] = set()
    for page in pages:
        numbers = _page_number_rows(page, patterns, settings)
        if not numbers:
            continue
        changed = []
        for block in page.blocks:
            gone = [
                line
                for line in block.lines
                if id(line) in numbers
                and not (block.kind == "cell" and line.text.strip().isdigit())
            ]
            if gone:
                dropped.update(line.text.strip() for line in gone)
                block.lines = [line for line in block.lines if all(line is not g for g in gone)]
                changed.append(block)
        dropped.update(ln.text.strip() for _, ln in page.set_aside if id(ln) in numbers)
        page.set_aside = [(b, ln) for b, ln in page.set_aside if id(ln) not in numbers]
        # A block that held only page numbers goes; one that holds set-aside furniture stays
        # (the layout analysis may put a label back into it).
        set_aside = {id(b) for b, _ in page.set_aside}
        emptied = {id(b) for b in changed if not b.lines and id(b) not in set_aside}
        page.blocks = [b for b in page.blocks if id(b) not in emptied]
        _reflow_gaps([b for b in changed if b.lines])
        mark_page_ends(page.blocks)
    return dropped


def _page_number_rows(
    page: PageText, boilerplate: Sequence[re.Pattern], settings: ExtractSettings
) -> set[int]:
    """ids of the lines in the top/bottom band that are a page number ("Side 3 af 3", "- 4 -"),
    alone or with the other parts of their row: a centred "Side 3 af 3" may stand across a
    gutter and be read as two lines, "Side 3" and "af 3"."""
    lines = [ln for b in page.blocks for ln in b.lines] + [ln for _, ln in page.set_aside]
    in_band = sorted(
        (ln for ln in lines if ln.bbox is not None and _in_band(ln, page, settings)),
        key=lambda ln: (ln.bbox[1], ln.bbox[0]),  # type: ignore[index]
    )
    found: set[int] = set()
    rows: list[list[Line]] = []
    for line in in_band:
        assert line.bbox is not None
        last = rows[-1][0].bbox if rows else None
        if last is not None and abs(line.bbox[1] - last[1]) <= 0.5 * max(1.0, line.size):
            rows[-1].append(line)
        else:
            rows.append([line])
    for row in rows:
        row.sort(key=lambda ln: ln.bbox[0])  # type: ignore[index]
        for line in row:
            if any(p.match(line.text.strip()) for p in boilerplate):
                found.add(id(line))
        joined = " ".join(ln.text.strip() for ln in row)
        if len(row) > 1 and any(p.match(joined) for p in boilerplate):
            found.update(id(ln) for ln in row)
    return found


def _in_band(line: Line, page: PageText, settings: ExtractSettings) -> bool:
    if line.bbox is None or not page.height:
        return False
    band = settings.furniture_band
    return line.bbox[1] < band * page.height or line.bbox[3] > (1 - band) * page.height


def _reflow_gaps(blocks: list[Block]) -> None:
    for block in blocks:
        if block.lines and block.kind == "text" and block.lines[0].bbox is not None:
            block.lines[0].gap_before = 0.0
            xs = [ln.bbox for ln in block.lines if ln.bbox]
            block.bbox = (
                min(b[0] for b in xs),
                min(b[1] for b in xs),
                max(b[2] for b in xs),
                max(b[3] for b in xs),
            )
