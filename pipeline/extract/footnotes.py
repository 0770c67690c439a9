"""Footnotes set aside: their reference marks and their text explain a goal but are not its text.

A reference mark is a small raised digit (or asterisk) right after a word; footnote text is
set smaller than the body under a short rule at the foot of the page. Left in, both would join
the nearest field.
"""

from __future__ import annotations

import re

from maalspor.extract.columns import Word
from maalspor.models.page import PageContent
from maalspor.settings import ExtractSettings


def without_footnotes(
    words: list[Word],
    page: PageContent,
    table_boxes: list[tuple[float, float, float, float]],
    settings: ExtractSettings,
) -> list[Word]:
    """The words less footnotes: their reference marks (small raised digits after a word) and
    their text (smaller type under a short rule at the foot of the page). Footnotes explain a
    goal but are not its text; left in, they would join the nearest field."""
    if not words:
        return words
    sizes = sorted(w.size for w in words)
    body = sizes[len(sizes) // 2]
    rule_top = _footnote_rule(page, words, table_boxes, settings)
    small = body * settings.footnote_size_ratio

    def is_mark(word: Word) -> bool:
        return bool(_FOOTNOTE_MARK.fullmatch(word.text))

    def next_to(mark: Word, neighbour: Word, gap: float) -> bool:
        return (
            0 <= neighbour.x0 - mark.x1 <= gap
            and neighbour.top < mark.bottom
            and mark.top < neighbour.bottom
        )

    dropped: set[int] = set()
    for word in words:
        if rule_top is not None and word.top > rule_top:
            # Footnote text is small; its number, at any size, stands before small text.
            if word.size <= small or (
                is_mark(word)
                and any(next_to(word, other, body) and other.size <= small for other in words)
            ):
                dropped.add(id(word))
        elif (
            is_mark(word)
            and word.size <= small
            # A reference mark: small, raised above the baseline, right after a word.
            and any(
                next_to(other, word, settings.footnote_mark_gap * other.size)
                and other.size > small
                and word.bottom < other.bottom - settings.footnote_mark_raise * other.size
                for other in words
            )
        ):
            dropped.add(id(word))
    return [w for w in words if id(w) not in dropped]


_FOOTNOTE_MARK = re.compile(r"\d{1,3}|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def _footnote_rule(
    page: PageContent, words: list[Word], table_boxes, settings: ExtractSettings
) -> float | None:
    """Top of the short rule that opens the footnotes at the foot of a page, if there is one."""
    left = min(w.x0 for w in words)
    right = max(w.x1 for w in words)
    for edge in page.rulings:
        if not edge.horizontal:
            continue
        width = edge.x1 - edge.x0
        if not (
            edge.top > page.height / 2 and 0 < width < settings.footnote_rule_share * (right - left)
        ):
            continue
        if abs(edge.x0 - left) > settings.footnote_rule_margin * (right - left):
            continue  # a footnote rule starts at the text's left margin
        if any(
            b[0] - 1 <= edge.x0 <= b[2] + 1 and b[1] - 1 <= edge.top <= b[3] + 1
            for b in table_boxes
        ):
            continue  # a border of a table
        return edge.top
    return None
