"""maalspor: Danish municipal yearly plans as data, every goal followed from year to year.

The package root only re-exports the library's calls (`maalspor.api`). The stages, each a
subpackage, in the order a plan passes them:

    extract  → segment  → verdicts  → match  → outputs        (batch and cli on top)
    file       plan       follow-up    lineage   JSON, CSV,
    → lines    structure  verdicts     of goals  SQLite, HTML

A stage imports only the stages before it; `language` (spaCy's Danish data, text rules) and
`rules` (the Danish rules as data) serve them all; `settings` holds every threshold.
"""

from __future__ import annotations

if __name__ != "maalspor":  # imported from the repository folder, not as the installed package
    raise ImportError("maalspor's pipeline/ folder is the package `maalspor`: import maalspor")

from maalspor.api import *  # noqa: F403
from maalspor.api import __all__, __getattr__  # noqa: F401
