"""The counts of a lineage are defined once (`LineageDocument.counts`): `maalspor diff`, the
HTML report, the CSV and the SQLite export give the same numbers for the same lineage."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

from maalspor.match.diffing import report_from_lineage
from maalspor.outputs.diff_text import render_text
from maalspor.outputs.export import to_csv
from maalspor.outputs.names import names
from maalspor.outputs.report import render_report
from maalspor.outputs.sqlite import write_goals_db

FATES = ("continued", "completed", "dropped", "missing_successor", "ended")


def test_diff_report_csv_and_sqlite_count_alike(two, tmp_path):
    earlier = two.plans[0].id
    counts = two.counts(earlier)
    assert counts.goals == sum(counts.fates.values())
    assert counts.fates["continued"] == sum(
        1 for g in two.goals if g.plan == earlier and g.successors
    )

    diff = report_from_lineage(two)
    assert diff.counts == counts
    assert (
        sum(len(c.old) for c in (*diff.continued, *diff.merged, *diff.split))
        == counts.fates["continued"]
    )
    for fate in ("completed", "dropped", "missing_successor", "ended"):
        assert len(getattr(diff, fate)) == counts.fates[fate]
    english = names("en")
    summary = next(line for line in render_text(diff).splitlines() if line.startswith("Summary: "))
    for fate in FATES:
        assert f"{counts.fates[fate]} {english.name('fate', fate)}" in summary
    later_new = two.counts(two.plans[1].id).new_goals
    assert f"{later_new} new" in summary and len(diff.new_goals) == later_new

    page = render_report(two)
    for fate in FATES:
        found = re.search(
            rf'data-plan="{re.escape(earlier)}" data-fate="{fate}"[^>]*><b>(\d+)</b>', page
        )
        assert found is not None and int(found.group(1)) == counts.fates[fate], fate

    rows = [r for r in csv.DictReader(io.StringIO(to_csv(two))) if r["plan"] == earlier]
    assert len(rows) == counts.goals
    for fate in FATES:
        assert sum(r["fate"] == fate for r in rows) == counts.fates[fate]

    database = write_goals_db([two], tmp_path / "goals.db")
    with sqlite3.connect(database) as db:
        by_fate = dict(
            db.execute("select fate, count(*) from goals where plan = ? group by fate", (earlier,))
        )
    assert {fate: by_fate.get(fate, 0) for fate in counts.fates} == counts.fates
