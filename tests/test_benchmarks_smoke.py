"""benchmarks/bench.py runs end to end on tiny inputs, so the script cannot rot.

No timing is checked here: `python3 benchmarks/bench.py` measures (see benchmarks/README.md).
"""

from __future__ import annotations

import pytest

bench = pytest.importorskip("benchmarks.bench")


def test_synthetic_plans_are_goal_like_and_linked():
    earlier, later = bench.synthetic_plans(40, seed=1)
    assert len(earlier.goals) == len(later.goals) == 40
    assert len(later.follow_ups) == 40 and later.follow_up_period is not None
    assert all(goal.text and goal.documentation for goal in earlier.goals)
    assert {f.text for f in later.follow_ups} == {g.text for g in earlier.goals}
    again, _ = bench.synthetic_plans(40, seed=1)
    assert again == earlier  # seeded: the same plans every run


def test_every_benchmark_runs_on_tiny_inputs(tmp_path):
    results = bench.run_all(
        pages=2,
        goals=(12,),
        batch_files=2,
        batch_max_pages=3,
        repeat=1,
        cache=tmp_path,
        verdict_count=40,
    )
    parse = results["parse"]
    assert parse["pages"] == 2
    assert parse["extract_words"]["work_s"] > 0 and parse["parse"]["work_s"] > 0
    assert parse["ratio_work"] > 0 and parse["parse"]["peak_mb"] > 0
    assert results["memory"]["pages"] == [2, 4] and results["memory"]["peak_2x_mb"] > 0
    assert results["lineage"]["12"]["links"] > 0
    batch = results["batch"]
    assert batch["jobs1"]["ok"] == batch["jobs2"]["ok"] == 2 and batch["speedup"] > 0
    assert parse["parse_pdfplumber"]["goals"] == parse["parse"]["goals"]
    assert parse["engine_speedup"] > 0
    assert parse["parse_packed"]["goals"] == parse["parse"]["goals"]
    assert set(results["verdicts"]) == {
        "parse_ratio",
        "engine_speedup",
        "parse_peak_mb",
        "parse_growth",
        "cli_lineage_s",
        "cli_diff_s",
        "batch_speedup",
        "verdicts_1000_s",
    }
    assert results["verdict_texts"]["texts"] == 40 and results["verdict_texts"]["seconds"] > 0
    assert results["cli"]["lineage"]["seconds"] > 0 and results["cli"]["diff"]["seconds"] > 0
    table = bench.render_table(results)
    assert "| `maalspor parse`, same PDF |" in table
    assert "| parse: pdfplumber engine / pdfium engine, time |" in table
    assert "| `maalspor parse`, same PDF packed in object streams (as Word writes) |" in table
    assert "| `lineage`, 2 × 12 goals |" in table
    assert "| batch speed-up, 2 jobs |" in table
    assert "| verdicts of 40 follow-up texts (`classify_texts`) |" in table


def test_hostile_benchmark_runs_on_tiny_inputs():
    hostile = pytest.importorskip("benchmarks.hostile_bench")
    results = hostile.run_all(pages=2_500, inflated_mb=130, repeat=1)
    assert results["pages"]["exit_code"] == 7 and "2500 pages" in results["pages"]["stderr"]
    assert results["bomb"]["exit_code"] == 7 and "128 MB" in results["bomb"]["stderr"]
    assert results["pages"]["peak_mb"] > 0 and results["bomb"]["seconds"] > 0


def test_layout_sweep_runs_on_a_tiny_sweep(tmp_path):
    """benchmarks/layout_sweep.py: a few variants rendered, parsed and counted."""
    sweep = pytest.importorskip("benchmarks.layout_sweep")
    styles = sweep.variants(quick=True, steps=2)[:6]
    result = sweep.run(styles, tmp_path)
    assert result["variants"] == 6
    assert 0 <= result["differing"] <= 6 == len(styles)
    assert set(result["exact_share"]) == {"goals", "documentation", "follow_ups"}
    assert all(0.0 <= share <= 1.0 for share in result["exact_share"].values())
    assert result["differing"] == len(result["differing_variants"])
    assert list(tmp_path.iterdir()) == []  # every PDF removed after its parse


def test_docx_benchmark_runs_on_tiny_inputs(tmp_path):
    docx = pytest.importorskip("benchmarks.docx_bench")
    names = ["kultur-og-fritid-aarhus-2024"]
    results = docx.run_all(names, names, copies=2, repeat=1, cache=tmp_path)
    [long] = results["long"]
    assert long["pages"] == 8 and long["goals"] == 10  # the plan twice, as .docx and as PDF
    assert long["parse_speedup"] > 0 and long["extract_speedup"] > 0
    assert results["fixtures"][0]["parse_docx_ms"] > 0
    assert "| kultur-og-fritid-aarhus-2024-x2 | 8 | 10 |" in docx.render_table(results)
