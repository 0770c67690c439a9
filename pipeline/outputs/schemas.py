"""JSON Schemas of maalspor's documents, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from maalspor.models import LineageDocument, PlanDocument
from maalspor.models.common import SCHEMA_VERSION
from maalspor.models.diff import DiffReport
from maalspor.models.manifest import Manifest
from maalspor.models.verdict import VerdictRecord

DOCUMENTS = {
    "plan": PlanDocument,
    "lineage": LineageDocument,
    "manifest": Manifest,
    "diff": DiffReport,
    "verdict": VerdictRecord,
}
# Committed copies; tests fail when they drift from the models (regenerate: `maalspor schema`).
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


def schema_of(document: str) -> dict:
    model = DOCUMENTS[document]
    schema = model.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"maalspor/{document}/{SCHEMA_VERSION}"
    return schema


def schema_json(document: str) -> str:
    return json.dumps(schema_of(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
