"""Names of maalspor's codes for people, per language (`--lang`), from `rules/names.toml`.

The JSON keeps the English codes (`achieved`, `missing_successor`); CSV exports and the diff
text show these names instead. The names are data, so a user changes or adds them with a
`--rules` file, like every other language rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from maalspor.rules import rules

LANGUAGES = ("en", "da")
DEFAULT_LANGUAGE = "en"
# The HTML report is read by the people of Danish municipalities first: Danish unless asked.
REPORT_LANGUAGE = "da"
CodeKind = Literal["status", "fate", "kind"]


@dataclass(frozen=True)
class Names:
    """The names of one language: `name("fate", "dropped")`, `text("old_plan")`."""

    lang: str
    tables: dict[str, dict[str, str]]

    def name(self, kind: CodeKind, code: str | None) -> str | None:
        """The name of a code (None stays None; a code without a name stays the code)."""
        if code is None:
            return None
        return self.tables.get(kind, {}).get(code, code)

    def text(self, key: str, table: str = "diff") -> str:
        """A fixed text of the diff (or of another table: "report"); the English one when this
        language has none."""
        own = self.tables.get(table, {})
        if key in own:
            return own[key]
        return names(DEFAULT_LANGUAGE).tables[table][key]

    def table(self, table: str) -> dict[str, str]:
        """A whole table of this language, each missing entry the English one."""
        return {**names(DEFAULT_LANGUAGE).tables.get(table, {}), **self.tables.get(table, {})}

    def label(self, kind: CodeKind, code: str) -> str:
        """A code's name as a label: its first letter upper-case ("Delvist opfyldt")."""
        name = self.name(kind, code) or code
        return name[:1].upper() + name[1:]


def names(lang: str = DEFAULT_LANGUAGE) -> Names:
    """The names of `lang` from the rules; KeyError for a language the rules do not have."""
    table = rules("names")
    if lang not in table:
        raise KeyError(f"no names for language {lang!r} (known: {', '.join(sorted(table))})")
    return Names(lang, table[lang])
