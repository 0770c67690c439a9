"""pydantic models: the single source of every JSON document maalspor writes.

`PlanDocument` is what `parse` writes, `LineageDocument` what `lineage` writes, `Manifest`
what `batch` records, `VerdictRecord` each line `verdict` writes; their JSON
Schemas are generated from these classes (`maalspor schema`).
"""

if __name__ != "maalspor.models":  # imported from the repository folder, not the installed package
    raise ImportError("maalspor's models/ folder is the package `maalspor.models`")


from maalspor.models.common import SCHEMA_VERSION, BBox, Period, Region, Source
from maalspor.models.lineage import (
    Evidence,
    Fate,
    LineageDocument,
    LineageGoal,
    Link,
    LinkKind,
    MatchSettings,
    PlanRef,
)
from maalspor.models.manifest import Manifest
from maalspor.models.plan import FollowUp, Goal, PlanDocument, Section, Status
from maalspor.models.verdict import VerdictRecord

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
