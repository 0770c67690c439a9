"""Comparing plan JSON where boxes may differ a little (engines, rounding ties)."""

from __future__ import annotations

import math
from typing import Any

# The JSON writes coordinates to a hundredth of a point: a value on a tie (481.635) may round
# either way, depending on the last binary digit of whoever computed it.
ROUNDING_STEP = 0.01 + 1e-9


def json_differences(a: Any, b: Any, *, box_tolerance: float, where: str = "") -> list[str]:
    """Where two JSON values differ; numbers under a "bbox" key may differ by box_tolerance."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a.keys() ^ b.keys())}"]
        return [
            d
            for k in a
            for d in json_differences(a[k], b[k], box_tolerance=box_tolerance, where=f"{where}.{k}")
        ]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items against {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in json_differences(x, y, box_tolerance=box_tolerance, where=f"{where}[{i}]")
        ]
    if ".bbox[" in where and isinstance(a, float | int) and isinstance(b, float | int):
        return [] if math.isclose(a, b, abs_tol=box_tolerance) else [f"{where}: {a} != {b}"]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]
