"""The package's shape: the folders are the stages, a stage imports only the stages below it,
no module imports itself round a circle, every threshold is a setting, every error is in
`maalspor.errors`."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from maalspor import errors
from maalspor.settings import ExtractSettings, LayoutSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
# Each part of the package, lowest first: a module may import its own part and those before it.
LAYERS = (
    ("maalspor.models",),
    ("maalspor.version", "maalspor.errors"),
    ("maalspor.settings",),
    ("maalspor.rules",),
    ("maalspor.language",),
    ("maalspor.extract",),
    ("maalspor.segment",),
    ("maalspor.verdicts",),
    ("maalspor.match",),
    ("maalspor.outputs",),
    ("maalspor.api",),
    ("maalspor.batch",),
    ("maalspor.review",),
    ("maalspor.cli",),
    ("maalspor", "maalspor.__main__"),
)
MAX_MODULE_LINES = 520


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder, package in ((ROOT / "pipeline", "maalspor"), (ROOT / "models", "maalspor.models")):
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join([package, *(p for p in parts if p != "__init__")])
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The maalspor modules `name` imports, at module level or inside functions alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maalspor"):
            targets.append(node.module)
            # `from maalspor import errors`: the submodule, not the package's __init__.
            targets.extend(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            targets.extend(a.name for a in node.names if a.name.startswith("maalspor"))
        for target in targets:
            if target in MODULES and target != name:
                found.add(target)
        if isinstance(node, ast.ImportFrom) and node.module == "maalspor":
            found.discard("maalspor")  # the submodules named were counted instead
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    best, index = -1, None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, index = len(prefix), number
    assert index is not None, f"{name} is in no layer of LAYERS"
    return index


def test_the_graph_sees_every_stage():
    for stage in ("extract", "segment", "verdicts", "match", "outputs", "batch", "review", "cli"):
        assert f"maalspor.{stage}" in MODULES
    assert "maalspor.segment.layout" in GRAPH["maalspor.segment.segmenter"]


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(GRAPH[node]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


def test_a_stage_imports_only_stages_below_it():
    upward = [
        f"{name} → {target}"
        for name, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if _layer(target) > _layer(name)
    ]
    assert not upward, "imports that reach up: " + "; ".join(upward)


def test_the_package_root_only_re_exports():
    root = ast.parse(MODULES["maalspor"].read_text(encoding="utf-8"))
    defined = [n for n in root.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert not defined


def test_no_module_is_over_the_limit():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long


def test_every_error_class_lives_in_errors():
    pending, seen = [errors.MaalsporError], []
    while pending:
        cls = pending.pop()
        seen.append(cls)
        pending.extend(cls.__subclasses__())
    assert {cls.__module__ for cls in seen} == {"maalspor.errors"}
    assert issubclass(errors.RulesError, errors.UsageError)


def test_the_exit_code_table_is_derived_from_the_families():
    codes = {cls.exit_code for cls in errors.error_classes()}
    assert codes | {0} == set(errors.EXIT_CODES) - {8} | {0}
    for family in errors.FAMILIES:
        assert errors.EXIT_CODES[family.exit_code] == family.meaning
    assert all(cls.exit_code in errors.EXIT_CODES for cls in errors.error_classes())


def test_settings_parts_are_frozen_and_replaceable():
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.extract.min_gutter = 1.0  # type: ignore[misc]
    wider = settings.replace(extract={"min_gutter": 30.0})
    assert wider.extract.min_gutter == 30.0 and settings.extract.min_gutter == 9.0
    assert Settings.resolve(LayoutSettings(row_tolerance=1.0)).layout.row_tolerance == 1.0
    assert Settings.resolve({"segment": {"wrap_slack": 0.2}}).segment.wrap_slack == 0.2
    assert Settings.resolve(None) is Settings.resolve(None)
    with pytest.raises(TypeError):
        Settings.resolve(3.0)  # type: ignore[arg-type]
    assert Settings.resolve(ExtractSettings()).extract == ExtractSettings()


def test_no_stage_module_keeps_a_numeric_threshold_of_its_own():
    """Thresholds are settings: a stage module's top level assigns no bare number to a name
    (the typed constants that remain are format facts, listed here with why)."""
    facts = {
        # pdfplumber's word-building rules, which the engines reproduce exactly.
        ("maalspor.extract.engines.words", "X_TOLERANCE"),
        ("maalspor.extract.engines.words", "Y_TOLERANCE"),
        ("maalspor.extract.engines.words", "WHITE_LEVEL"),
        ("maalspor.extract.engines.pdfium", "INK_OVERHANG"),
        ("maalspor.extract.engines.pdfium", "RUN_TOLERANCE"),
        ("maalspor.extract.engines.words", "AXIS_TOLERANCE"),
        ("maalspor.extract.engines.plumber", "SIZE_DECIMALS"),
        # limits of PDF structure walked, memory caches, hash widths: no reading changes.
        ("maalspor.extract.engines.pdfium_page", "MAX_FORM_DEPTH"),
        ("maalspor.extract.engines.pdfium_page", "PLAIN_SCALE_TOLERANCE"),
        ("maalspor.extract.engines.descents", "MAX_FORM_DEPTH"),
        ("maalspor.extract.engines.descents", "RECENT_OBJECT_STREAMS"),
        ("maalspor.extract.engines.descents", "SIMPLE_FONT_CODES"),
        ("maalspor.extract.pdfguard", "MAX_STREAM_BYTES"),
        ("maalspor.extract.pdfguard", "_FEED"),
        ("maalspor.extract.pdfguard", "_STEP"),
        ("maalspor.extract.files", "_HASH_CHUNK"),
        # OOXML format facts (ECMA-376): units, Word's defaults, list levels, the alphabet of
        # letter numbering, Word's page-less page 0; and the step of a bounded inflate.
        ("maalspor.extract.docx.body", "_TWIPS_PER_POINT"),
        ("maalspor.extract.docx.styles", "_DEFAULT_HALF_POINTS"),
        ("maalspor.extract.docx.styles", "_BODY_TEXT_LEVEL"),
        ("maalspor.extract.docx.numbering", "_LEVELS"),
        ("maalspor.extract.docx.numbering", "_ALPHABET"),
        ("maalspor.extract.docx.document", "NO_PAGE"),
        ("maalspor.extract.docx.package", "_STEP"),
        ("maalspor.extract.reader", "_PDF_HEADER_WITHIN"),
        ("maalspor.extract.textfile", "LAYOUT_CHAR_WIDTH"),
        ("maalspor.extract.textfile", "LAYOUT_TEXT_SIZE"),
        ("maalspor.extract.textfile", "LAYOUT_LINE"),
        ("maalspor.language.lemmas", "MAX_LOAD"),
        ("maalspor.language.lemmas", "MIN_SLOTS"),
        ("maalspor.language.lemmas", "BYTES_PER_PAIR"),
        ("maalspor.match.bags", "_KEY"),
        ("maalspor.match.assign", "_HAIR"),
        ("maalspor.match.links", "_EVIDENCE_WORDS"),
        ("maalspor.match.links", "_STATED"),
        ("maalspor.match.model", "_NO_RIVAL"),
        # The constrained fit's own arithmetic (tools/fit_matcher.py), not a reading threshold.
        ("maalspor.match.model", "_ACTIVE_SET_ROUNDS"),
        ("maalspor.match.model", "_SLOPE_TOLERANCE"),
        ("maalspor.verdicts.numbers", "FULL_GRADE"),
        ("maalspor.verdicts.screen", "MIN_LITERAL"),
        ("maalspor.segment.walk", "SAME_SIZE"),
        ("maalspor.segment.metadata", "_SAME_SIZE"),
        ("maalspor.segment.metadata", "_TITLE_PAGES"),
        ("maalspor.segment.metadata", "_TITLE_LINES"),
        ("maalspor.segment.metadata", "_ORGANISATION_PAGES"),
        ("maalspor.segment.metadata", "_ORGANISATION_LINES"),
        ("maalspor.segment.drafts", "_BOX_DECIMALS"),
    }
    stages = ("maalspor.extract", "maalspor.segment", "maalspor.verdicts", "maalspor.match")
    found = set()
    for name, path in MODULES.items():
        if not name.startswith(stages):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                value = node.value
                if isinstance(value, ast.BinOp | ast.UnaryOp):
                    value = getattr(value, "left", getattr(value, "operand", value))
                if isinstance(value, ast.Constant) and type(value.value) in (int, float):
                    found.add((name, node.targets[0].id))
    assert found <= facts, sorted(found - facts)
