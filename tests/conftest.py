"""Shared fixtures: the sample plans, parsed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_2015 = SAMPLES / "albertslund-okonomi-og-stab-2015.pdf"
SAMPLE_2016 = SAMPLES / "albertslund-okonomi-og-stab-2016-2017.pdf"
SEED_TEXT = SAMPLES / "virksomhedsplan-okonomi-og-stab-2016-2017.txt"


@pytest.fixture(scope="session")
def plan_2015():
    from pipeline import parse_plan

    return parse_plan(SAMPLE_2015)


@pytest.fixture(scope="session")
def plan_2016():
    from pipeline import parse_plan

    return parse_plan(SAMPLE_2016)
