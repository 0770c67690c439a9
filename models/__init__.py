"""pydantic models: the single source of every JSON document maalspor writes.

`PlanDocument` is what `parse` writes, `LineageDocument` what `lineage` writes, `Manifest`
what `batch` records, `VerdictRecord` each line `verdict` writes; their JSON
Schemas are generated from these classes (`maalspor schema`).
"""

from models.common import SCHEMA_VERSION, BBox, Period, Region, Source
from models.lineage import (
    Evidence,
    Fate,
    LineageDocument,
    LineageGoal,
    Link,
    LinkKind,
    MatchSettings,
    PlanRef,
)
from models.manifest import Manifest
from models.plan import FollowUp, Goal, PlanDocument, Section, Status
from models.verdict import VerdictRecord

__all__ = [
    "SCHEMA_VERSION",
    "BBox",
    "Evidence",
    "Fate",
    "FollowUp",
    "Goal",
    "LineageDocument",
    "LineageGoal",
    "Link",
    "LinkKind",
    "Manifest",
    "MatchSettings",
    "Period",
    "PlanDocument",
    "PlanRef",
    "Region",
    "Section",
    "Source",
    "Status",
    "VerdictRecord",
]
