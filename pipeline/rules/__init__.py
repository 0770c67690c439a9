"""Danish language rules of maalspor, kept as data.

Every rule that depends on how Danish plans are written lives in the TOML files beside this
module, one file per concern:

- `labels.toml`: the field labels (Mål, Dokumentation, Opfølgning and their synonyms);
- `structure.toml`: headings of the follow-up part, tables of contents, section headings, print
  furniture (running headers, page numbers), titles, bullets;
- `text.toml`: joining printed lines (hyphenation, suspended compounds), characters to normalise;
- `verdicts.toml`: the phrases that decide a follow-up's verdict, negation and its scope;
- `meanings.toml`: what status-bearing lemmas mean, for the learned layer of the verdicts;
- `matching.toml`: words and phrases ignored when goals are compared across years;
- `names.toml`: names of the status, fate and link codes per language (`--lang`).
- `ocr.toml`: what Danish OCR misreads ("rn" for "m", "a" for "å"), applied to OCR'd words only.

A user extends them without touching the package: `--rules my-rules.toml` (or the environment
variable `MAALSPOR_RULES`) names a TOML file with the same tables; its lists are appended to
ours and its single values replace ours.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from maalspor.errors import RulesError

_Built = TypeVar("_Built")

RULES_DIR = Path(__file__).parent
RULE_FILES = ("labels", "structure", "text", "verdicts", "meanings", "matching", "names", "ocr")
ENV_VARIABLE = "MAALSPOR_RULES"


def _merge(base: dict[str, Any], extra: Mapping[str, Any], where: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key not in merged:
            merged[key] = value
        elif isinstance(merged[key], dict) and isinstance(value, Mapping):
            merged[key] = _merge(merged[key], value, f"{where}.{key}")
        elif isinstance(merged[key], list) and isinstance(value, list):
            merged[key] = [*merged[key], *(v for v in value if v not in merged[key])]
        elif isinstance(merged[key], list) or isinstance(value, list):
            raise RulesError(f"{where}.{key}: expected a list like the built-in rules")
        else:
            merged[key] = value
    return merged


@cache
def _load(extra_path: str | None) -> dict[str, Any]:
    if extra_path in _additions:
        base, extra = _additions[extra_path]
        return _merge(_load(base), extra, "added")
    rules: dict[str, Any] = {}
    for name in RULE_FILES:
        path = RULES_DIR / f"{name}.toml"
        if path.exists():
            with path.open("rb") as handle:
                rules = _merge(rules, tomllib.load(handle), name)
    if extra_path:
        try:
            with open(extra_path, "rb") as handle:
                extra = tomllib.load(handle)
        except OSError as error:
            raise RulesError(f"cannot read rules file {extra_path}: {error.strerror}") from error
        except tomllib.TOMLDecodeError as error:
            raise RulesError(f"rules file {extra_path} is not valid TOML: {error}") from error
        rules = _merge(rules, extra, Path(extra_path).name)
    return rules


_active_extra: str | None = None


def use_rules_file(path: str | os.PathLike[str] | None) -> None:
    """Make a user's rules file part of every rule look-up from now on (None: only ours)."""
    global _active_extra
    extra = str(path) if path else None
    _load(extra)  # read it now, so a bad file fails before any work starts and is not kept
    _active_extra = extra


def _extra_in_force() -> str | None:
    return _active_extra if _active_extra is not None else os.environ.get(ENV_VARIABLE) or None


# While a stage runs (`pinned`), the rules in force are those at its start: rules are looked up
# per printed line, and reading the environment each time costs more than the look-up.
_NOT_PINNED = object()
_pinned_extra: contextvars.ContextVar[object] = contextvars.ContextVar(
    "maalspor_pinned_rules", default=_NOT_PINNED
)

_Stage = TypeVar("_Stage", bound=Callable[..., Any])


def pinned(stage: _Stage) -> _Stage:
    """Decorate a stage so that the rules it looks up are those in force when it starts."""

    @functools.wraps(stage)
    def run_pinned(*args: Any, **kwargs: Any) -> Any:
        token = _pinned_extra.set(_extra_in_force())
        try:
            return stage(*args, **kwargs)
        finally:
            _pinned_extra.reset(token)

    return run_pinned  # type: ignore[return-value]


# Rules added for one run of a stage (`extended`): key → (the rules file in force, the additions).
_additions: dict[str, tuple[str | None, dict[str, Any]]] = {}


@contextlib.contextmanager
def extended(extra: Mapping[str, Any]) -> Iterator[None]:
    """While the block runs, the rules in force with `extra` merged in as a rules file would be
    (labels a plan's own structure showed: `maalspor.segment.discovery`)."""
    current = _pinned_extra.get()
    base = _extra_in_force() if current is _NOT_PINNED else current
    key = f"<added to {base}: {json.dumps(extra, sort_keys=True, ensure_ascii=False)}>"
    _additions[key] = (base, dict(extra))  # type: ignore[arg-type]
    token = _pinned_extra.set(key)
    try:
        yield
    finally:
        _pinned_extra.reset(token)


def rules(table: str) -> dict[str, Any]:
    """The merged rules of one table (`labels`, `structure`, `text`, `verdicts`, `matching`)."""
    extra = _pinned_extra.get()
    loaded = _load(_extra_in_force() if extra is _NOT_PINNED else extra)  # type: ignore[arg-type]
    if table not in loaded:
        raise KeyError(f"no rules table [{table}]")
    return loaded[table]


_built: dict[tuple[str, Callable[[str], Any]], tuple[dict[str, Any], Any]] = {}


def compiled(table: str, build: Callable[[str], _Built]) -> _Built:
    """`build(repr(rules(table)))`, made once per rules in force: patterns compiled from a
    table are asked for per printed line, and `repr` of a table costs more than the look-up.
    The table itself is kept beside the result, so an entry is valid exactly while `rules`
    hands out that same table."""
    current = rules(table)
    found = _built.get((table, build))
    if found is not None and found[0] is current:
        return found[1]
    value = build(repr(current))
    _built[(table, build)] = (current, value)
    return value
