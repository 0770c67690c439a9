"""Shared fixtures: the sample plans, parsed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_2015 = SAMPLES / "albertslund-okonomi-og-stab-2015.pdf"
SAMPLE_2016 = SAMPLES / "albertslund-okonomi-og-stab-2016-2017.pdf"
SEED_TEXT = SAMPLES / "virksomhedsplan-okonomi-og-stab-2016-2017.txt"
# The two samples as clean text (tests/data), for fast batch tests.
TEXT_2015 = ROOT / "tests" / "data" / "albertslund-okonomi-og-stab-2015.txt"
# A later plan of the same department, written for the tests (reworded, merged, split goals).
SYNTHETIC_2018 = ROOT / "tests" / "data" / "synthetic-okonomi-og-stab-2018-2019.txt"


@pytest.fixture(scope="session")
def plan_2015():
    from maalspor import parse

    return parse(SAMPLE_2015)


@pytest.fixture(scope="session")
def plan_2016():
    from maalspor import parse

    return parse(SAMPLE_2016)


@pytest.fixture(scope="session")
def two(plan_2015, plan_2016):
    """The lineage of the two sample plans."""
    from maalspor.match.linker import lineage

    return lineage([plan_2015, plan_2016])


@pytest.fixture(scope="session")
def three(plan_2015, plan_2016):
    """The lineage of the samples and the synthetic 2018-2019 plan: chains over three plans."""
    from maalspor import parse
    from maalspor.match.linker import lineage

    return lineage([plan_2015, plan_2016, parse(SYNTHETIC_2018)])


@pytest.fixture
def two_texts(tmp_path):
    """A folder with the 2015 plan and the 2016-2017 seed text: one series, fast to parse."""
    import shutil

    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(TEXT_2015, folder / "okonomi-2015.txt")
    shutil.copy(SEED_TEXT, folder / "okonomi-2016-2017.txt")
    return folder


@pytest.fixture(scope="session")
def stand_in(plan_2015):
    """2015 and 2018-2019 without the 2016-2017 plan: that plan's follow-up entries, read from
    the 2018-2019 plan, stand in for it."""
    from maalspor import parse
    from maalspor.match.linker import lineage

    return lineage([plan_2015, parse(SYNTHETIC_2018)])


@pytest.fixture
def two_json(two, tmp_path):
    """The lineage of the two sample plans as a JSON file, for the commands that read one."""
    from maalspor.outputs.emit import write_json

    return write_json(two, tmp_path / "lineage.json")


# --- the browser ---------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through playwright (which never downloads a browser), one for the
    whole run. Where there is none, the browser tests skip, saying why — but not in CI
    (CI=1, set by .ci/run, which installs it): there they fail, so none is ever skipped."""
    import os

    if not CHROMIUM.exists():
        why = (
            "no Chromium at /usr/bin/chromium, so the pages are not tested in a browser: "
            "install it with `apt-get install chromium` (.ci/run does)"
        )
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
