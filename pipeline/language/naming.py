"""Names made from text: the ASCII slugs that become file names and ids.

One function for every such name (batch's output files and series ids, the lineage's plan
ids), so the same organisation and period always give the same name.
"""

from __future__ import annotations

import re
import unicodedata

# Danish letters that NFKD would only strip ('ø' has no decomposition, 'æ' neither).
_DANISH = str.maketrans({"æ": "ae", "ø": "o", "å": "aa"})
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """ASCII slug: 'Økonomi- og Stab 2016-2017' → 'okonomi-og-stab-2016-2017'."""
    text = text.lower().translate(_DANISH)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_NAME.sub("-", text).strip("-")
