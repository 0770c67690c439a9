"""Fit the learned layer of the verdicts (`pipeline/verdicts/verdict_model.json`).

    python tools/fit_verdicts.py            # cross-validate, fit, write the model file
    python tools/fit_verdicts.py --cv-only  # print the cross-validation table only
    python tools/fit_verdicts.py --cv-only --misses FILE  # ... and the cross-validated misses

Training data: the TRAINING rounds of tests/verdict_corpus (R1, R2, R3, R5-R49 and the dev
split; R5-R7 since the second pass, R8 and R9 since the third, R10 and R11 since the fourth, R12
and R13 since the fifth, R14 and R15 since the sixth, R16 and R17 since the seventh, R18 and R19
since the eighth, R20 and R21 since the ninth, R22 and R23 since the tenth, R24 and R25 since
the eleventh, R26 and R27 since the twelfth, R28 and R29 since the thirteenth, R30 and R31 since
the fourteenth, R32 and R33 since the fifteenth, R34-R37 since the sixteenth, R38 and R39
since the seventeenth, R40-R43 since the eighteenth, R44-R47 since the nineteenth, R48 and
R49 since the twentieth; see its README).
R4 is held out and never read here; the rounds written after the last change are the headline;
test, fresh and fresh2 are not trained on.

Two multinomial logistic regressions (status: 7 classes; continued: true / false / null) over the
features of `maalspor.verdicts.learned` (rule reading, lemma meanings, clauses, numbers, and
optionally the lemmas), L2-regularised, fitted by full-batch gradient descent with numpy. A text
with several acceptable labels is a soft target split evenly among them.

The regularisation, whether lemma features are used, which rule kinds stay trusted
(`VerdictSettings.trusted_rule_kinds`) and the floors of `VerdictSettings` are chosen by
cross-validation that leaves one training round out at a time, among the choices that keep the
verdicts of the samples' follow-ups (tests/golden); the figures are printed and kept in the
model file. The chosen settings must be copied into `VerdictSettings`
(tests/test_verdict_corpus.py checks). The temperature that
calibrates the probabilities is fitted on the out-of-fold probabilities.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any, get_args

import numpy as np
from sparse_logistic import fit, matrix, softmax, targets  # this folder

from maalspor.models.plan import Status
from maalspor.settings import VerdictSettings
from maalspor.verdicts.classifier import rule_verdicts
from maalspor.verdicts.features import Features, texts_features
from maalspor.verdicts.learned import (
    CONTINUED_CLASSES,
    MODEL_PATH,
    continued_over_rules,
    doubted,
    overrules,
    set_aside,
    speaks_of_the_future,
)
from maalspor.verdicts.verdict import Verdict

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "verdict_corpus"
GOLDEN = ROOT / "tests" / "golden"
TRAINING = {
    "R1": "round_r1.jsonl",
    "R2": "round_r2.jsonl",
    "R3": "round_r3.jsonl",
    "R5": "round_r5.jsonl",
    "R6": "round_r6.jsonl",
    "R7": "round_r7.jsonl",
    "R8": "round_r8.jsonl",
    "R9": "round_r9.jsonl",
    "R10": "round_r10.jsonl",
    "R11": "round_r11.jsonl",
    "R12": "round_r12.jsonl",
    "R13": "round_r13.jsonl",
    "R14": "round_r14.jsonl",
    "R15": "round_r15.jsonl",
    "R16": "round_r16.jsonl",
    "R17": "round_r17.jsonl",
    "R18": "round_r18.jsonl",
    "R19": "round_r19.jsonl",
    "R20": "round_r20.jsonl",
    "R21": "round_r21.jsonl",
    "R22": "round_r22.jsonl",
    "R23": "round_r23.jsonl",
    "R24": "round_r24.jsonl",
    "R25": "round_r25.jsonl",
    "R26": "round_r26.jsonl",
    "R27": "round_r27.jsonl",
    "R28": "round_r28.jsonl",
    "R29": "round_r29.jsonl",
    "R30": "round_r30.jsonl",
    "R31": "round_r31.jsonl",
    "R32": "round_r32.jsonl",
    "R33": "round_r33.jsonl",
    "R34": "round_r34.jsonl",
    "R35": "round_r35.jsonl",
    "R36": "round_r36.jsonl",
    "R37": "round_r37.jsonl",
    "R38": "round_r38.jsonl",
    "R39": "round_r39.jsonl",
    "R40": "round_r40.jsonl",
    "R41": "round_r41.jsonl",
    "R42": "round_r42.jsonl",
    "R43": "round_r43.jsonl",
    "R44": "round_r44.jsonl",
    "R45": "round_r45.jsonl",
    "R46": "round_r46.jsonl",
    "R47": "round_r47.jsonl",
    "R48": "round_r48.jsonl",
    "R49": "round_r49.jsonl",
    "dev": "dev_split.jsonl",
}
STATUS_CLASSES: tuple[str, ...] = get_args(Status)
# The grid the cross-validation chooses from.
# 1.0 was worse by cross-validation (0.776 against 0.779); in the twentieth pass 5.0 keeps the
# samples' verdicts at a lower floor over "unknown" than 3.0 (0.867 against 0.862)
L2_GRID = (3.0, 5.0, 8.0)
# (lemma features, rule features): the model with or without the rule reading as input
# (Without the rule reading as input, or with plain lemmas only, the figures were no better:
# 0.787 and 0.781 against 0.785; the rule reading keeps the samples' verdicts.)
# Pairs of lemmas next to each other ("bigrams": "wb:gå_fløjten") beside the scoped lemmas: on
# thirty-eight rounds, each configuration's best choice of the grids below, status 0.859 against
# 0.847 (32 rounds better, 3 worse), continued 0.918 against 0.913.
FEATURE_GRID = (("bigrams", True),)
# Not tuned: doubting a rule verdict the meaning reader contradicts (later clauses, denials,
# numbers read the other way) is what issue 23 asks for; it costs 0.004 of cross-validated
# status accuracy on the training rounds (0.781 against 0.785).
DOUBT_GRID = (True,)
# From the most conservative (the rules decide most) to the least: a less conservative choice
# must beat a more conservative one by more than TIE.
TRUSTED_GRID: tuple[tuple[str, ...], ...] = (
    ("verdict", "field", "mixed", "number", "activity", "delivered"),
    ("verdict", "field", "mixed", "number", "activity"),
    ("verdict", "field", "mixed", "number"),
    ("verdict", "field", "mixed", "activity", "delivered"),
    ("verdict", "field", "mixed"),
)
# Verdict phrases stay trusted in every choice. Without them cross-validation read 0.803 against
# 0.792 in the fifth pass, but the model then took "Målet er langt fra opfyldt som planlagt" for
# achieved and "Målet blev til dels ramt" for changed: the rules' guarantees for negation and
# "delvis" (the property tests of tests/test_classify.py) are worth more than 0.01 of accuracy.
# The model overrides an untrusted rule verdict only with at least this probability, and an
# "unknown" of the rules only with at least the second.
MIN_PROBABILITY_GRID = (0.4, 0.0)
# The floor over the rules' "unknown" (texts that describe activity only stay unknown). Every
# choice of the grids is eligible only if it keeps the verdicts of the samples' follow-ups
# (tests/golden, read by the model fitted on all training rounds, `load_samples`).
MIN_OVER_NOTHING_GRID = (0.35, 0.45, 0.5)
# The model's `continued` replaces a value the rules found from this probability (None: never).
# Not below 0.95: at 0.9 and under, the model (which reads "afsluttes" as a completion more often
# than as an ending) replaced clear ending phrases ("..., men det afsluttes hermed": False) by
# "not said", and a neutral sentence beside "Målet indgår i 2016/17" took its True away: the
# rules' property tests (tests/test_classify.py) hold both. 0.9 gained 0.003 of continued.
CONTINUED_OVER_RULES_GRID: tuple[float | None, ...] = (None, 0.95)
CONTINUED_L2_GRID = (1.0, 3.0)
# The model's `continued` where the rules say nothing, only from this probability.
CONTINUED_MIN_PROBABILITY_GRID = (0.0, 0.75, 0.8, 0.85)
TIE = 0.003
TEMPERATURES = tuple(np.round(np.arange(0.5, 3.01, 0.1), 2))
# A feature seen in fewer training texts than this is left out.
MIN_COUNT = 2


@dataclasses.dataclass
class Data:
    texts: list[str]
    groups: list[str]
    status: list[list[str]]
    continued: list[list[str]]
    rules: list[Verdict]
    rows: list[Features]
    # the rows again with every rule status set aside (what a doubted verdict is read from)
    aside: list[Features]  # with lemma features; `without_lemmas` drops them


def _continued_name(value: bool | None) -> str:
    return "null" if value is None else str(value).lower()


def load() -> Data:
    texts, groups, status, continued = [], [], [], []
    for group, name in TRAINING.items():
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                texts.append(entry["text"])
                groups.append(group)
                status.append(entry["status"])
                continued.append([_continued_name(v) for v in entry["continued"]])
    rules = rule_verdicts(texts)
    rows = texts_features(texts, rules, VerdictSettings(), lemma_features=True)
    aside = texts_features(texts, [set_aside(r) for r in rules], VerdictSettings(), True)
    return Data(texts, groups, status, continued, rules, rows, aside)


# Kinds of lemma features: the lemmas; the lemmas under a denial ("wn:") and those of the last
# clause ("wl:").
LEMMA_PREFIXES = {
    "none": (),
    "plain": ("w:",),
    "scoped": ("w:", "wn:", "wl:"),
    "bigrams": ("w:", "wn:", "wl:", "wb:"),
}


def select(rows: list[Features], lemmas: str, rule_features: bool) -> list[Features]:
    """The rows with the kinds of lemma features of `lemmas` and the rule features ("rule...")
    kept or not."""
    kept = LEMMA_PREFIXES[lemmas]
    dropped = tuple(p for p in LEMMA_PREFIXES["bigrams"] if p not in kept)
    dropped += () if rule_features else ("rule",)
    return [
        dataclasses.replace(
            r,
            values={k: v for k, v in r.values.items() if not dropped or not k.startswith(dropped)},
        )
        for r in rows
    ]


def vocabulary(rows: list[Features]) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row.values:
            counts[name] = counts.get(name, 0) + 1
    return sorted(name for name, count in counts.items() if count >= MIN_COUNT)


# What the forked workers of `out_of_fold` read (set before they are forked, never pickled).
_FOLDS: dict[str, Any] = {}


def _fold(group: str) -> tuple[list[int], np.ndarray]:
    """The held-out texts of `group` and their probabilities from a model fitted on the rest."""
    data, rows, labels, classes, l2, predict = (
        _FOLDS[k] for k in ("data", "rows", "labels", "classes", "l2", "predict")
    )
    train = [i for i, g in enumerate(data.groups) if g != group]
    held = [i for i, g in enumerate(data.groups) if g == group]
    features = vocabulary([rows[i] for i in train])
    w, b = fit(
        matrix([rows[i] for i in train], features),
        targets([labels[i] for i in train], classes),
        l2,
    )
    return held, softmax(matrix([predict[i] for i in held], features) @ w + b)


def out_of_fold(
    data: Data,
    rows: list[Features],
    labels: list[list[str]],
    classes: tuple[str, ...],
    l2: float,
    predict: list[Features] | None = None,
) -> np.ndarray:
    """Probabilities of every training text from a model fitted without its round (of the rows
    `predict`, when given, from a model fitted on `rows`). The folds run in forked processes,
    one per core: the figures are the same as in one process."""
    import multiprocessing

    _FOLDS.update(
        data=data, rows=rows, labels=labels, classes=classes, l2=l2, predict=predict or rows
    )
    probabilities = np.zeros((len(rows), len(classes)))
    context = multiprocessing.get_context("fork")
    with context.Pool(os.cpu_count() or 1) as pool:
        for held, p in pool.imap_unordered(_fold, TRAINING):
            probabilities[held] = p
    return probabilities


def decided_status(
    data: Data | Samples, probabilities: np.ndarray, aside: np.ndarray, settings: VerdictSettings
) -> list[str]:
    decided = []
    for rule, row, p, q in zip(data.rules, data.rows, probabilities, aside, strict=True):
        chosen = overrules(rule, row, q if doubted(rule, row, settings) else p, settings)
        decided.append(rule.status if chosen is None else STATUS_CLASSES[chosen])
    return decided


def decided_continued(
    data: Data | Samples, probabilities: np.ndarray, settings: VerdictSettings
) -> list[str]:
    decided = []
    for rule, row, p in zip(data.rules, data.rows, probabilities, strict=True):
        over = continued_over_rules(rule, p, settings)
        if over is not None:
            decided.append(CONTINUED_CLASSES[over])
        elif rule.continued is not None or rule.open_question:
            decided.append(_continued_name(rule.continued))
        else:
            chosen = int(np.argmax(p))
            sure = p[chosen] >= settings.model_continued_min_probability
            sure = sure and speaks_of_the_future(row)
            decided.append(CONTINUED_CLASSES[chosen] if sure else "null")
    return decided


@dataclasses.dataclass
class Samples:
    """The follow-ups of the samples' goldens (tests/golden): their verdicts must not change, so
    a choice of the grid that changes one is not eligible."""

    status: list[str]
    continued: list[str]
    rules: list[Verdict]
    rows: list[Features]
    aside: list[Features]


def load_samples() -> Samples:
    texts, status, continued = [], [], []
    for path in sorted(GOLDEN.glob("*.json")):
        for follow_up in json.loads(path.read_text(encoding="utf-8")).get("follow_ups", []):
            if follow_up.get("follow_up"):
                texts.append(follow_up["follow_up"])
                status.append(follow_up["status"])
                continued.append(_continued_name(follow_up["continued"]))
    rules = rule_verdicts(texts)
    rows = texts_features(texts, rules, VerdictSettings(), lemma_features=True)
    aside = texts_features(texts, [set_aside(r) for r in rules], VerdictSettings(), True)
    return Samples(status, continued, rules, rows, aside)


def full_fit_probabilities(
    rows: list[Features],
    labels: list[list[str]],
    classes: tuple[str, ...],
    l2: float,
    t: float,
    predict: list[list[Features]],
) -> list[np.ndarray]:
    """Calibrated probabilities of the rows of each `predict`, from a model fitted on all
    training rows (as shipped)."""
    features = vocabulary(rows)
    w, b = fit(matrix(rows, features), targets(labels, classes), l2)
    return [
        softmax(np.log(np.clip(softmax(matrix(p, features) @ w + b), 1e-12, 1)) / t)
        for p in predict
    ]


def accuracy_by_group(
    data: Data, predicted: list[str], labels: list[list[str]]
) -> dict[str, float]:
    figures = {}
    for group in TRAINING:
        idx = [i for i, g in enumerate(data.groups) if g == group]
        figures[group] = sum(predicted[i] in labels[i] for i in idx) / len(idx)
    figures["mean"] = float(np.mean([figures[g] for g in TRAINING]))
    return figures


def temperature(
    probabilities: np.ndarray, labels: list[list[str]], classes: tuple[str, ...]
) -> float:
    """The temperature with the least negative log-likelihood of the acceptable labels."""
    logits = np.log(np.clip(probabilities, 1e-12, 1))
    mask = targets(labels, classes) > 0
    best, best_loss = 1.0, np.inf
    for t in TEMPERATURES:
        p = softmax(logits / t)
        loss = -np.log(np.clip((p * mask).sum(axis=1), 1e-12, 1)).mean()
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def model_json(
    rows: list[Features], labels: list[list[str]], classes: tuple[str, ...], l2: float, t: float
) -> dict[str, Any]:
    features = vocabulary(rows)
    w, b = fit(matrix(rows, features), targets(labels, classes), l2)
    keep = np.abs(w).max(axis=1) >= 1e-4
    return {
        "classes": list(classes),
        "features": [f for f, k in zip(features, keep, strict=True) if k],
        "weights": np.round(w[keep], 4).ravel().tolist(),
        "bias": np.round(b, 4).tolist(),
        "temperature": t,
    }


def write_misses(path: Path, data: Data, status: list[str], continued: list[str]) -> None:
    """The training texts the cross-validated reading gets wrong (each read by a model fitted
    without its round), one line each: round, what was read, what is wanted, the text."""
    lines = []
    for i, text in enumerate(data.texts):
        if status[i] not in data.status[i] or continued[i] not in data.continued[i]:
            lines.append(
                f"{data.groups[i]}\t{status[i]}/{continued[i]}\t"
                f"{'|'.join(data.status[i])}/{'|'.join(data.continued[i])}\t{text}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="print the cross-validation only")
    parser.add_argument("-o", "--output", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--misses", type=Path, help="write the cross-validated misses (training rounds) here"
    )
    args = parser.parse_args(argv)
    data = load()
    samples = load_samples()
    best: tuple[float, Any] | None = None
    for (lemmas, rule_features), l2 in itertools.product(FEATURE_GRID, L2_GRID):
        rows = select(data.rows, lemmas, rule_features)
        raw = out_of_fold(data, rows, data.status, STATUS_CLASSES, l2)
        raw_aside = out_of_fold(
            data, rows, data.status, STATUS_CLASSES, l2, select(data.aside, lemmas, rule_features)
        )
        # the thresholds are on calibrated probabilities, as at run time
        t = temperature(raw, data.status, STATUS_CLASSES)
        p = softmax(np.log(np.clip(raw, 1e-12, 1)) / t)
        p_aside = softmax(np.log(np.clip(raw_aside, 1e-12, 1)) / t)
        s_rows = select(samples.rows, lemmas, rule_features)
        s_aside = select(samples.aside, lemmas, rule_features)
        s_p, s_p_aside = full_fit_probabilities(
            rows, data.status, STATUS_CLASSES, l2, t, [s_rows, s_aside]
        )
        grid = itertools.product(
            TRUSTED_GRID, MIN_PROBABILITY_GRID, MIN_OVER_NOTHING_GRID, DOUBT_GRID
        )
        for kinds, floor, over_nothing, doubt in grid:
            settings = VerdictSettings(
                trusted_rule_kinds=kinds,
                model_min_probability=floor,
                model_min_probability_over_nothing=over_nothing,
                doubt_rules=doubt,
            )
            decided = decided_status(data, p, p_aside, settings)
            figures = accuracy_by_group(data, decided, data.status)
            changed = sum(
                a != b
                for a, b in zip(
                    decided_status(samples, s_p, s_p_aside, settings), samples.status, strict=True
                )
            )
            print(
                f"samples changed {changed} " if changed else "",
                end="",
            )
            print(
                f"lemmas={lemmas} rules={rule_features!s:5} l2={l2:<4} min_p={floor} "
                f"doubt={doubt!s:5} trusted={','.join(kinds) or '-':<50} "
                + " ".join(f"{g} {v:.3f}" for g, v in figures.items()),
                flush=True,
            )
            if not changed and (best is None or figures["mean"] > best[0] + TIE):
                best = (
                    figures["mean"],
                    (lemmas, rule_features, l2, settings, raw, figures, decided),
                )
    assert best is not None
    lemmas, rule_features, l2, chosen, status_oof, status_cv, status_decided = best[1]
    rows = select(data.rows, lemmas, rule_features)
    continued_best: tuple[float, Any] | None = None
    for cl2 in CONTINUED_L2_GRID:
        raw_c = out_of_fold(data, rows, data.continued, CONTINUED_CLASSES, cl2)
        t_c = temperature(raw_c, data.continued, CONTINUED_CLASSES)
        cp = softmax(np.log(np.clip(raw_c, 1e-12, 1)) / t_c)
        (s_cp,) = full_fit_probabilities(
            rows,
            data.continued,
            CONTINUED_CLASSES,
            cl2,
            t_c,
            [select(samples.rows, lemmas, rule_features)],
        )
        for over, floor in itertools.product(
            CONTINUED_OVER_RULES_GRID, CONTINUED_MIN_PROBABILITY_GRID
        ):
            settings = dataclasses.replace(
                chosen, model_continued_over_rules=over, model_continued_min_probability=floor
            )
            decided = decided_continued(data, cp, settings)
            figures = accuracy_by_group(data, decided, data.continued)
            s_decided = decided_continued(samples, s_cp, settings)
            changed = sum(a != b for a, b in zip(s_decided, samples.continued, strict=True))
            print(
                (f"samples changed {changed} " if changed else "")
                + f"continued l2={cl2} over_rules={over} min_p={floor}: "
                + " ".join(f"{g} {v:.3f}" for g, v in figures.items())
            )
            if changed:
                continue
            if continued_best is None or figures["mean"] > continued_best[0] + TIE:
                continued_best = (figures["mean"], (cl2, raw_c, figures, settings, decided))
    assert continued_best is not None
    cl2, continued_oof, continued_cv, chosen, continued_decided = continued_best[1]
    if args.misses:
        write_misses(args.misses, data, status_decided, continued_decided)
    print(f"chosen: lemmas={lemmas} rule_features={rule_features} l2={l2} {chosen}")
    print(f"continued l2={cl2}")
    print("CV status", status_cv, "\nCV continued", continued_cv)
    if args.cv_only:
        return 0
    model = {
        "about": "maalspor's learned verdict layer; fitted by tools/fit_verdicts.py",
        "trained_on": list(TRAINING),
        "lemma_features": lemmas,
        "rule_features": rule_features,
        "chosen": {
            "l2": l2,
            "continued_l2": cl2,
            "trusted_rule_kinds": list(chosen.trusted_rule_kinds),
            "model_min_probability": chosen.model_min_probability,
            "model_min_probability_over_nothing": chosen.model_min_probability_over_nothing,
            "doubt_rules": chosen.doubt_rules,
            "model_continued_over_rules": chosen.model_continued_over_rules,
            "model_continued_min_probability": chosen.model_continued_min_probability,
        },
        "cv": {"status": status_cv, "continued": continued_cv},
        "status": model_json(
            rows,
            data.status,
            STATUS_CLASSES,
            l2,
            temperature(status_oof, data.status, STATUS_CLASSES),
        ),
        "continued": model_json(
            rows,
            data.continued,
            CONTINUED_CLASSES,
            cl2,
            temperature(continued_oof, data.continued, CONTINUED_CLASSES),
        ),
    }
    args.output.write_text(json.dumps(model, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
