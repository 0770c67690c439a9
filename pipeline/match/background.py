"""Document frequencies of a background of Danish goal texts, for the matcher's IDF.

Two plans are few documents to count words in: a goal's frame ("Styrke samarbejdet med …",
"Udarbejde en plan for …") may stand in just the two goals being compared and look as rare as
its subject. So the counts of the two plans are added to those of a background: thousands of
goal statements and their documentation, of many sectors, written for the purpose
(`tools/background/`, 3,900 goals; `tools/build_background.py` counts them into
`background.json`, shipped with the package).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

BACKGROUND_FILE = Path(__file__).resolve().parent / "background.json"


@dataclass(frozen=True)
class Background:
    documents: int = 0
    frequency: dict[str, dict[str, int]] = field(default_factory=dict)  # channel → term → df


@cache
def background() -> Background:
    """The shipped background (none when the file is missing: the plans' own counts only)."""
    if not BACKGROUND_FILE.exists():
        return Background()
    data = json.loads(BACKGROUND_FILE.read_text(encoding="utf-8"))
    return Background(int(data["documents"]), data["frequency"])
