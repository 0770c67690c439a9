"""What Word's styles make of a paragraph and its runs: size, bold, capitals, hidden text,
outline level, list numbering and page breaks.

Properties cascade as Word applies them: the document defaults, then the paragraph style and
the styles it is based on, then the run's character style, then the run's own properties. A
heading is a paragraph whose style (or the paragraph itself) sets an outline level, or whose
style is named as a heading: "heading 1" as Word stores its built-in styles, or a localised
name such as "Overskrift 1" (Danish) that some programs write.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from xml.etree.ElementTree import Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{W}val"
_FALSE = {"0", "false", "off", "none"}
# Word's size when no style says one: 10 pt (sz is in half-points).
_DEFAULT_HALF_POINTS = 20
# Outline level 9 is body text (Word's "Brødtekst"): no heading.
_BODY_TEXT_LEVEL = 9
_HEADING_NAME = re.compile(r"^(?:heading|overskrift|überschrift|rubrik)\s*(\d)$", re.IGNORECASE)


class RunProps(NamedTuple):
    """A run's formatting as printed: what segmentation reads, and what hides text (a named
    tuple: one is made for most runs, and tuples are made fastest)."""

    size: float = _DEFAULT_HALF_POINTS / 2
    bold: bool = False
    caps: bool = False  # "All caps": printed in capitals whatever the letters typed
    hidden: bool = False  # "Hidden" (w:vanish): not printed


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    """A paragraph style resolved along its basedOn chain."""

    style_id: str | None
    outline_level: int | None  # 0 for "Heading 1"; None: no heading
    num_id: str | None  # list numbering the style applies
    num_level: int | None  # its level (None: the level whose pStyle is this style)
    page_break_before: bool
    run: RunProps  # the style's run properties (and so the paragraph mark's)


def is_on(element: Element | None) -> bool | None:
    """A toggle property (w:b, w:caps, w:vanish): True, False, or None when absent."""
    if element is None:
        return None
    return (element.get(_VAL) or "true").lower() not in _FALSE


def val(element: Element | None, child: str) -> str | None:
    """The w:val of a child element, or None."""
    if element is None:
        return None
    found = element.find(f"{W}{child}")
    return None if found is None else found.get(_VAL)


_RUN_PROPERTIES = {f"{W}sz": "size", f"{W}b": "bold", f"{W}caps": "caps", f"{W}vanish": "hidden"}


def _run_changes(rpr: Element | None) -> dict[str, object]:
    """The run properties an rPr sets (only those it sets)."""
    changes: dict[str, object] = {}
    if rpr is None:
        return changes
    for child in rpr:
        name = _RUN_PROPERTIES.get(child.tag)
        if name is None:
            continue
        if name == "size":
            with contextlib.suppress(ValueError, TypeError):
                changes["size"] = int(float(child.get(_VAL) or "")) / 2
        else:
            changes[name] = is_on(child)
    return changes


def _apply(base: RunProps, changes: dict[str, object]) -> RunProps:
    if not changes:
        return base
    get = changes.get
    return RunProps(
        get("size", base.size),
        get("bold", base.bold),
        get("caps", base.caps),
        get("hidden", base.hidden),
    )  # type: ignore[arg-type]


class StyleIndex:
    """The styles part, each style parsed when first asked for.

    A template's styles part holds hundreds of styles a document never uses (python-docx's
    default template: 164 in 350 KB, most of the time of reading a short plan). Styles are
    flat siblings under the root, so each one's bytes are found by its tags and parsed alone,
    inside the root's start tag (which declares the namespaces); anything unexpected, and the
    whole part is parsed as it is.
    """

    def __init__(self, data: bytes | None, parse: Callable[[bytes], Element]) -> None:
        self._parse = parse
        self._starts: dict[str, int] = {}  # style id → where its start tag is
        self._parsed: dict[str, Element | None] = {}
        self.defaults: Element | None = None
        self.default: dict[str, str] = {}  # style type → its default style id
        self._data = data or b""
        self._tag = b""  # the namespace prefix of the part's elements, with its colon
        self._wrap = (b"", b"")
        if data and not self._index(data):
            self._index_parsed(parse(data))

    def get(self, style_id: str) -> Element | None:
        if style_id not in self._parsed:
            start = self._starts.get(style_id)
            self._parsed[style_id] = None if start is None else self._element(start, b"style")
        return self._parsed[style_id]

    def _element(self, start: int, name: bytes) -> Element | None:
        """The element whose start tag is at `start`, parsed alone inside the root's tags."""
        data = self._data
        opened = data.find(b">", start)
        if opened < 0:
            return None
        if data[opened - 1 : opened] == b"/":
            end = opened + 1
        else:
            close = b"</" + self._tag + name + b">"
            found = data.find(close, opened)
            if found < 0:
                return None
            end = found + len(close)
        root = self._parse(self._wrap[0] + data[start:end] + self._wrap[1])
        return root[0] if len(root) else None

    def _index(self, data: bytes) -> bool:
        """Where each style starts; False when the part is written in a way this scan does not
        read (the whole part is parsed then)."""
        root = _ROOT_TAG.search(data)
        if root is None:
            return False
        prefix = root.group("prefix")
        self._tag = prefix + b":" if prefix else b""
        self._wrap = (root.group(0), b"</" + self._tag + b"styles>")
        tag = re.escape(self._tag)
        for match in re.finditer(rb"<" + tag + rb"style\b([^>]*)>", data):
            attributes = match.group(1)
            style_id = _attribute(attributes, b"styleId")
            if style_id is None or "&" in style_id:
                if b"styleId" in attributes:
                    return False  # quoted oddly, or an entity: the XML parser must read it
                continue
            self._starts.setdefault(style_id, match.start())
            if b"default" in attributes:
                kind = _attribute(attributes, b"type") or "paragraph"
                if (_attribute(attributes, b"default") or "").lower() in ("1", "true", "on"):
                    self.default.setdefault(kind, style_id)
        defaults = re.search(rb"<" + tag + rb"docDefaults\b", data)
        if defaults is not None:
            self.defaults = self._element(defaults.start(), b"docDefaults")
        return True

    def _index_parsed(self, root: Element) -> None:
        self._starts.clear()
        self.default.clear()
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            self._parsed.setdefault(style_id, style)
            kind = style.get(f"{W}type") or "paragraph"
            if (style.get(f"{W}default") or "").lower() in ("1", "true", "on"):
                self.default.setdefault(kind, style_id)
        self.defaults = root.find(f"{W}docDefaults")


_ROOT_TAG = re.compile(rb"<(?:(?P<prefix>[A-Za-z_][\w.-]*):)?styles\b[^>]*>")


_ATTRIBUTES = {
    name: re.compile(rb"(?:^|\s)(?:[\w.-]+:)?" + name + rb"""\s*=\s*(["'])(.*?)\1""")
    for name in (b"styleId", b"type", b"default")
}


def _attribute(attributes: bytes, name: bytes) -> str | None:
    if name not in attributes:
        return None
    match = _ATTRIBUTES[name].search(attributes)
    return match.group(2).decode("utf-8", "replace") if match else None


class Styles:
    """The styles part (word/styles.xml); paragraph and run styles resolved on demand and kept."""

    def __init__(self, index: StyleIndex) -> None:
        self._index = index
        defaults = RunProps()
        if index.defaults is not None:
            rpr = index.defaults.find(f"{W}rPrDefault/{W}rPr")
            defaults = _apply(defaults, _run_changes(rpr))
        self.defaults = defaults
        self._paragraph: dict[str | None, ParagraphStyle] = {}
        self._run: dict[tuple[str | None, str | None], RunProps] = {}

    def paragraph(self, style_id: str | None) -> ParagraphStyle:
        """The paragraph style (the default one, "Normal", when none is named)."""
        if style_id not in self._paragraph:
            self._paragraph[style_id] = self._resolve_paragraph(style_id)
        return self._paragraph[style_id]

    def run(
        self, paragraph: ParagraphStyle, run_style: str | None, rpr: Element | None
    ) -> RunProps:
        """A run's properties: its paragraph's style, its character style, its own rPr."""
        key = (paragraph.style_id, run_style)
        base = self._run.get(key)
        if base is None:
            base = paragraph.run
            for style in reversed(self._chain(run_style, "character")):
                base = _apply(base, _run_changes(style.find(f"{W}rPr")))
            self._run[key] = base
        return _apply(base, _run_changes(rpr))

    def numbering_of(self, style_id: str) -> str | None:
        """The list (numId) a style applies: a list style's, which list definitions link to."""
        style = self._index.get(style_id)
        num = style.find(f"{W}pPr/{W}numPr") if style is not None else None
        return val(num, "numId") if num is not None else None

    def _chain(self, style_id: str | None, kind: str) -> list[Element]:
        """The style and those it is based on, nearest first (a loop is cut)."""
        chain: list[Element] = []
        seen: set[str] = set()
        style = self._index.get(style_id) if style_id is not None else None
        if style is None and kind == "paragraph":  # unknown: the default one ("Normal")
            default = self._index.default.get(kind)
            style = self._index.get(default) if default is not None else None
        while style is not None:
            current = style.get(f"{W}styleId") or ""
            if current in seen:
                break  # a loop of basedOn
            seen.add(current)
            chain.append(style)
            based_on = val(style, "basedOn")
            style = self._index.get(based_on) if based_on is not None else None
        return chain

    def _resolve_paragraph(self, style_id: str | None) -> ParagraphStyle:
        chain = self._chain(style_id, "paragraph")
        outline: int | None = None
        num_id: str | None = None
        num_level: int | None = None
        page_break = False
        run = self.defaults
        named_level: int | None = None
        for style in reversed(chain):  # farthest first: nearer styles override
            ppr = style.find(f"{W}pPr")
            if ppr is not None:
                level = val(ppr, "outlineLvl")
                if level is not None and level.isdigit():
                    outline = int(level)
                num = ppr.find(f"{W}numPr")
                if num is not None:
                    found_id = val(num, "numId")
                    if found_id is not None:
                        num_id = found_id
                        level_text = val(num, "ilvl")
                        num_level = int(level_text) if level_text and level_text.isdigit() else None
                on = is_on(ppr.find(f"{W}pageBreakBefore"))
                if on is not None:
                    page_break = on
            run = _apply(run, _run_changes(style.find(f"{W}rPr")))
            name = _HEADING_NAME.match(val(style, "name") or "")
            if name:
                named_level = int(name.group(1)) - 1
        if outline is None or outline >= _BODY_TEXT_LEVEL:
            outline = named_level
        resolved_id = chain[0].get(f"{W}styleId") if chain else None
        return ParagraphStyle(
            style_id=resolved_id,
            outline_level=outline,
            num_id=None if num_id == "0" else num_id,
            num_level=num_level,
            page_break_before=page_break,
            run=run,
        )


def outline_level(level: Element | None, style: ParagraphStyle) -> int | None:
    """The paragraph's outline level: its own w:outlineLvl, else its style's (9: body text)."""
    value = level.get(_VAL) if level is not None else None
    if value is not None and value.isdigit():
        number = int(value)
        return None if number >= _BODY_TEXT_LEVEL else number
    return style.outline_level
