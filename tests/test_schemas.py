"""The committed JSON Schemas (schemas/*.schema.json): in step with the models, and obeyed.

`assert_valid` is the one validator the export and report tests use too: every JSON document
those tests produce is checked against the committed schema, not against the models that wrote
it, so a reader who only has the schema files gets what the schema promises.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from maalspor.models.common import SCHEMA_VERSION
from maalspor.models.lineage import LineageDocument
from maalspor.models.plan import PlanDocument
from maalspor.outputs.emit import to_json
from maalspor.outputs.schemas import DOCUMENTS, SCHEMA_DIR, schema_json

NAMES = sorted(DOCUMENTS)


@cache
def committed_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def assert_valid(document: dict[str, Any] | str, name: str) -> None:
    """Fail with every violation when `document` (JSON text or data) breaks schemas/<name>."""
    data = json.loads(document) if isinstance(document, str) else document
    validator = Draft202012Validator(committed_schema(name))
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(document)'}: {error.message}"
        for error in validator.iter_errors(data)
    ]
    assert not problems, f"not a valid {name} document:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("name", NAMES)
def test_committed_schema_is_the_generated_one(name):
    path = SCHEMA_DIR / f"{name}.schema.json"
    assert path.exists(), f"{path} is missing: run `maalspor schema {name} -o schemas/{path.name}`"
    assert path.read_text(encoding="utf-8") == schema_json(name), (
        f"schemas/{path.name} no longer matches the models in models/: regenerate it with "
        f"`maalspor schema {name} -o schemas/{path.name}`, review the diff, and bump "
        "SCHEMA_VERSION in models/common.py by the README's rule (Output contract)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_schema_version_of_models_is_the_one_in_the_schema_id(name):
    schema = committed_schema(name)
    assert schema["$id"] == f"maalspor/{name}/{SCHEMA_VERSION}"
    assert schema["$id"].rsplit("/", 1)[1] == SCHEMA_VERSION
    # The default the models write is that version too.
    default = DOCUMENTS[name].model_fields["schema_version"].default
    assert default == SCHEMA_VERSION
    assert schema["properties"]["schema_version"]["default"] == SCHEMA_VERSION


@pytest.mark.parametrize("name", NAMES)
def test_committed_schema_is_a_valid_json_schema(name):
    Draft202012Validator.check_schema(committed_schema(name))


def test_sample_plan_and_lineage_follow_the_schemas(plan_2015, plan_2016):
    from maalspor.match.linker import lineage

    assert_valid(to_json(plan_2015), "plan")
    assert_valid(to_json(plan_2016), "plan")
    assert_valid(to_json(lineage([plan_2015, plan_2016])), "lineage")


def test_the_validator_rejects_what_the_schema_forbids(plan_2015, plan_2016):
    """The checks above can fail: broken documents are caught, with the place named."""
    from maalspor.match.linker import lineage

    data = json.loads(to_json(lineage([plan_2015, plan_2016])))
    broken = copy.deepcopy(data)
    broken["goals"][0]["fate"] = "vanished"
    with pytest.raises(AssertionError, match="goals/0/fate"):
        assert_valid(broken, "lineage")
    broken = copy.deepcopy(data)
    broken["links"][0]["score"] = 1.5
    with pytest.raises(AssertionError, match="links/0/score"):
        assert_valid(broken, "lineage")
    broken = copy.deepcopy(data)
    broken["plans"][0]["colour"] = "red"  # unknown fields are refused, as by the models
    with pytest.raises(AssertionError, match="plans/0"):
        assert_valid(broken, "lineage")
    plan = json.loads(to_json(plan_2015))
    del plan["source"]
    with pytest.raises(AssertionError, match="source"):
        assert_valid(plan, "plan")


def test_models_read_what_the_schema_accepts(plan_2015):
    """Schema and models agree both ways on a real document."""
    text = to_json(plan_2015)
    assert_valid(text, "plan")
    assert to_json(PlanDocument.model_validate_json(text)) == text
    assert (
        LineageDocument.model_json_schema(by_alias=True, mode="serialization")["title"]
        == (committed_schema("lineage")["title"])
    )
