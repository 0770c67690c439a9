"""What `maalspor verdict` writes: one verdict per follow-up text, as a JSON Lines record."""

from __future__ import annotations

from pydantic import Field, field_validator

from maalspor.models.common import SCHEMA_VERSION, StrictModel, check_schema_version
from maalspor.models.plan import Status


class VerdictRecord(StrictModel):
    """The verdict of one follow-up text given to `maalspor verdict` (one JSON line)."""

    schema_version: str = SCHEMA_VERSION
    id: str | int | None = Field(
        default=None, description="The record's id as given in the input; null if it had none"
    )
    line: int | None = Field(
        default=None, description="1-based line of the record in the input; null for --text"
    )
    status: Status = Field(description="Verdict read from the text")
    continued: bool | None = Field(
        description="True: the goal goes on; false: it ends; null: not said or left open"
    )
    status_evidence: list[str] = Field(
        description="The words of the text that decided the verdict, exactly as written"
    )
    confidence: float = Field(
        ge=0,
        le=1,
        description="How sure the status is (0..1): the learned layer's probability of the "
        "status (docs/verdicts.md, 'Confidence')",
    )

    _check_version = field_validator("schema_version")(check_schema_version)
