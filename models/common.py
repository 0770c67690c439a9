"""Building blocks shared by every maalspor document: versions, periods, sources, provenance."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

# The version of the JSON that maalspor writes. The rule (README, "Output contract"):
#   major: a field is removed or renamed, or its type or meaning changes (readers must adapt);
#   minor: a field or an enum value is added (old readers keep working);
#   patch: descriptions and documentation only.
SCHEMA_VERSION = "1.3.0"


def check_schema_version(value: str) -> str:
    """Refuse documents written under another major version: their fields mean other things."""
    major = value.split(".", 1)[0]
    if major != SCHEMA_VERSION.split(".", 1)[0]:
        raise ValueError(
            f"schema_version {value} is not readable by this maalspor "
            f"(it reads {SCHEMA_VERSION.split('.', 1)[0]}.x)"
        )
    return value


class StrictModel(BaseModel):
    """Base of every output node: unknown fields are an error, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")


# [x0, top, x1, bottom] in PDF points, origin at the top-left corner of the page (pdfplumber's
# convention); y grows downwards.
BBox = Annotated[
    tuple[float, float, float, float],
    Field(description="[x0, top, x1, bottom] in points, origin top-left of the page"),
]


class Period(StrictModel):
    """A plan period as printed ("2016-2017", "2016/17", "2015") and read as years."""

    label: str = Field(description="The period as the document prints it, e.g. '2016-2017'")
    start: int = Field(description="First year of the period")
    end: int = Field(description="Last year of the period (equal to start for one year)")

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: int, info) -> int:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"period ends ({end}) before it starts ({start})")
        return end


class Source(StrictModel):
    """The input file a document was made from."""

    path: str = Field(description="Path of the input as given to maalspor")
    sha256: str = Field(description="SHA-256 of the input file's bytes")
    pages: int = Field(
        description="Number of pages (a plain text file's pages are split by form feeds); 0 for "
        "a Word document, which has no pages until a word processor lays it out"
    )


class Locator(StrictModel):
    """Where an item stands in a document without pages (a Word document, whose pages exist
    only when a word processor lays it out): positions in its main part, word/document.xml,
    counted in document order as XPath counts them, so a program can find the element."""

    paragraph: int = Field(
        description="1-based: the n-th w:p of the body, (//w:body//w:p)[n], counting those in "
        "tables, content controls and text boxes"
    )
    table: int | None = Field(
        default=None,
        description="1-based: the n-th w:tbl of the body, (//w:body//w:tbl)[n], nested tables "
        "counted; null outside tables",
    )
    row: int | None = Field(default=None, description="1-based row (w:tr) of that table")
    cell: int | None = Field(
        default=None, description="1-based cell (w:tc) of that row; a merged cell counts once"
    )


class Region(StrictModel):
    """Where one part of an item stands in the source: one box per page it occupies."""

    field: str = Field(
        description="Which part: text, subgoals, note, documentation, follow_up, responsible"
    )
    page: int = Field(description="1-based page number (0 for a Word document: see locator)")
    bbox: BBox | None = Field(default=None, description="Box on that page; null for text input")
    ocr: bool = Field(default=False, description="Read by OCR from the page's image")
    ocr_confidence: float | None = Field(
        default=None, description="Mean OCR word confidence (0-100) of this part; null: not OCR"
    )
    locator: Locator | None = Field(
        default=None,
        description="Where the part starts in a Word document (left out for PDF and text input)",
        exclude_if=lambda value: value is None,
    )
