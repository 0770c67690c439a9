"""Accuracy of the verdict classifier on the follow-up corpus in tests/verdict_corpus/.

The corpus is made-up follow-up texts in other organisations' voices (see its README). The test
split was written before any rule was widened and is never tuned on; the dev split is what the
rules were tuned on; the fresh split was written after the tuning, in phrasing the rules were not
built for, and measured once. Run this file as a script to print the figures docs/verdicts.md
reports (misses are shown for the dev split only):

    PYTHONPATH=$PWD python3 tests/test_verdict_corpus.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from maalspor.settings import VerdictSettings
from maalspor.verdicts.classifier import classify_text, classify_texts

CORPUS = Path(__file__).parent / "verdict_corpus"
SPLITS = ("test", "dev", "fresh", "fresh2")
# The bar on the set-aside test split.
STATUS_BAR = 0.9
CONTINUED_BAR = 0.95


@dataclass(frozen=True)
class Score:
    total: int
    status_right: int
    continued_right: int
    misses: list[str]

    @property
    def status(self) -> float:
        return self.status_right / self.total

    @property
    def continued(self) -> float:
        return self.continued_right / self.total


def load(split: str) -> list[dict[str, Any]]:
    path = CORPUS / f"{split}_split.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(split: str) -> Score:
    entries = load(split)
    status_right = continued_right = 0
    misses = []
    for entry in entries:
        verdict = classify_text(entry["text"])
        status_ok = verdict.status in entry["status"]
        continued_ok = verdict.continued in entry["continued"]
        status_right += status_ok
        continued_right += continued_ok
        if not (status_ok and continued_ok):
            misses.append(
                f"{entry['id']}: {verdict.status}/{verdict.continued} "
                f"want {entry['status']}/{entry['continued']} {verdict.evidence} | {entry['text']}"
            )
    return Score(len(entries), status_right, continued_right, misses)


@pytest.mark.parametrize("split", SPLITS)
def test_corpus_is_well_formed(split: str) -> None:
    entries = load(split)
    statuses = {
        "achieved",
        "partially_achieved",
        "not_achieved",
        "in_progress",
        "changed",
        "dropped",
        "unknown",
    }
    for entry in entries:
        assert entry["text"].strip(), entry["id"]
        assert entry["status"] and set(entry["status"]) <= statuses, entry["id"]
        assert entry["continued"] and set(entry["continued"]) <= {True, False, None}, entry["id"]


def test_splits_do_not_share_texts() -> None:
    texts = [entry["text"] for split in SPLITS for entry in load(split)]
    assert len(texts) == len(set(texts))
    ids = [entry["id"] for split in SPLITS for entry in load(split)]
    assert len(ids) == len(set(ids))


def test_test_split_meets_the_bar() -> None:
    result = score("test")
    assert result.status >= STATUS_BAR, result.misses
    assert result.continued >= CONTINUED_BAR, result.misses


# The splits that neither the rules nor the learned layer were tuned or fitted on.
UNTUNED = ("test", "fresh", "fresh2")
# How far the mean confidence may stray from the accuracy it claims (calibration).
CALIBRATION_SLACK = 0.1


def confidence_by_kind() -> dict[str, tuple[int, int, float]]:
    """Per deciding kind: right statuses, texts, and the mean confidence on UNTUNED."""
    counts: dict[str, list[float]] = {}
    for split in UNTUNED:
        for entry in load(split):
            verdict = classify_text(entry["text"])
            right_total = counts.setdefault(verdict.decided_by, [0, 0, 0.0])
            right_total[0] += verdict.status in entry["status"]
            right_total[1] += 1
            right_total[2] += verdict.confidence
    return {k: (int(r), int(n), c / n) for k, (r, n, c) in sorted(counts.items())}


def test_confidence_is_calibrated() -> None:
    """The confidence is the learned layer's calibrated probability: on the splits it was not
    fitted on, its mean is close to the accuracy, and sure verdicts are right more often."""
    pairs = [(classify_text(entry["text"]), entry) for split in UNTUNED for entry in load(split)]
    right = [verdict.status in entry["status"] for verdict, entry in pairs]
    confidence = [verdict.confidence for verdict, _ in pairs]
    accuracy = sum(right) / len(right)
    assert abs(sum(confidence) / len(confidence) - accuracy) <= CALIBRATION_SLACK
    sure = [r for r, c in zip(right, confidence, strict=True) if c >= 0.8]
    unsure = [r for r, c in zip(right, confidence, strict=True) if c < 0.5]
    assert sure and unsure
    assert sum(sure) / len(sure) > sum(unsure) / len(unsure)


# The training rounds of issue 23 (R4 is held out and never read here; R5, R6 and R7, once
# headline rounds, are training rounds since the second pass). The shipped model was
# fitted on them, so these figures only guard against a regression; the honest figures are
# the cross-validated ones and the held-out round's (docs/verdicts.md).
TRAINING_ROUNDS = ("round_r1", "round_r2", "round_r3", "round_r5", "round_r6", "round_r7")
TRAINING_FLOOR = {"status": 0.8, "continued": 0.88}


def load_round(name: str) -> list[dict[str, Any]]:
    path = CORPUS / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", TRAINING_ROUNDS)
def test_training_rounds_hold_their_figures(name: str) -> None:
    entries = load_round(name)
    verdicts = classify_texts([entry["text"] for entry in entries])
    status = sum(v.status in e["status"] for v, e in zip(verdicts, entries, strict=True))
    continued = sum(v.continued in e["continued"] for v, e in zip(verdicts, entries, strict=True))
    assert status / len(entries) >= TRAINING_FLOOR["status"]
    assert continued / len(entries) >= TRAINING_FLOOR["continued"]


def test_the_model_file_matches_the_settings() -> None:
    """The choices cross-validation made (kept in the model file) are the settings in force,
    and the held-out round R4 is none of the training rounds."""
    model = json.loads(
        (Path(__file__).parents[1] / "pipeline" / "verdicts" / "verdict_model.json").read_text(
            encoding="utf-8"
        )
    )
    settings = VerdictSettings()
    chosen = model["chosen"]
    assert tuple(chosen["trusted_rule_kinds"]) == settings.trusted_rule_kinds
    assert chosen["model_min_probability"] == settings.model_min_probability
    assert chosen["model_min_probability_over_nothing"] == (
        settings.model_min_probability_over_nothing
    )
    assert chosen["model_continued_over_rules"] == settings.model_continued_over_rules
    assert "R4" not in model["trained_on"]
    assert {"R5", "R6", "R7"} <= set(model["trained_on"])


if __name__ == "__main__":
    for name in SPLITS:
        if not (CORPUS / f"{name}_split.jsonl").exists():
            continue
        result = score(name)
        print(
            f"{name}: n={result.total} status={result.status:.3f} "
            f"({result.status_right}) continued={result.continued:.3f} ({result.continued_right})"
        )
        if name == "dev":  # the test split's misses are not shown: no tuning on them
            for miss in result.misses:
                print("  ", miss)
    print("by deciding kind (untuned splits: right / texts, mean confidence):")
    for kind, (right, total, figure) in confidence_by_kind().items():
        print(f"   {kind}: {right}/{total}, confidence {figure:.2f}")
