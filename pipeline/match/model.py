"""The probability that a pair of goals is linked: two logistic stages over the pair's features.

The first stage scores every candidate pair from its own features. The second sees, besides
them, how the pair's first score stands among its rivals: its margin over the best other pair
of its earlier goal and of its later goal, and whether it is the best of either. A goal on an
earlier goal's template about something else (a trap) is thereby weighed against that goal's
other candidates, which the first stage, scoring pairs one by one, cannot do.

The weights are fitted parameters, shipped with the package (`link_model.json`) and made by
`tools/fit_matcher.py` from the training split of the lineage corpus (`tests/lineage_corpus/`);
the file records what it was fitted on and the thresholds chosen by cross-validation (leave one
plan pair out): `link` is the probability a pair needs to be linked, `extra` the probability a
second predecessor (merge) or successor (split) needs, `declared` the probability the best
candidate of a goal whose follow-up says it goes on needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from maalspor.match.features import FEATURES, SIGNS

MODEL_FILE = Path(__file__).resolve().parent / "link_model.json"
# What the second stage adds to the pair's features: its first score among its rivals.
RIVALRY = (
    "first",
    "first_margin_earlier",
    "first_margin_later",
    "first_best_earlier",
    "first_best_later",
)
# The second stage's rivalry features all speak for a link (see `features.SIGNS`).
RIVALRY_SIGNS = dict.fromkeys(RIVALRY, 1)
# The constrained fit: at most this many rounds of holding and letting go per feature, and the
# least slope (per unit of sample weight) that lets a held feature go.
_ACTIVE_SET_ROUNDS = 4
_SLOPE_TOLERANCE = 1e-6
# A margin where a goal has no other candidate: the first score stands alone.
_NO_RIVAL = 10.0


@dataclass(frozen=True)
class Stage:
    """A logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def to_dict(self) -> dict:
        return {
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(float(self.bias), 6),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Stage:
        return cls(
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
        )


def rivalry(rows: np.ndarray, cols: np.ndarray, first: np.ndarray) -> np.ndarray:
    """One row of `RIVALRY` per pair: its first logit, its margin over the best other pair of
    its earlier goal and of its later goal, and whether it is the best of either."""
    out = np.zeros((len(rows), len(RIVALRY)))
    if not len(rows):
        return out
    out[:, 0] = first
    for index, groups in ((1, rows), (2, cols)):
        order = np.lexsort((-first, groups))
        sorted_groups = groups[order]
        starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
        ends = np.r_[starts[1:], len(order)]
        best = first[order][starts]
        second = np.where(
            ends - starts > 1, first[order][np.minimum(starts + 1, len(order) - 1)], np.nan
        )
        group_of = np.repeat(np.arange(len(starts)), ends - starts)
        is_best = np.zeros(len(order), dtype=bool)
        is_best[starts] = True
        rival = np.where(is_best, second[group_of], best[group_of])
        margin = first[order] - rival
        margin[np.isnan(margin)] = _NO_RIVAL
        out[order, index] = margin
        out[order, index + 2] = is_best
    return out


@dataclass(frozen=True)
class LinkModel:
    features: tuple[str, ...]
    first: Stage  # over `features`
    second: Stage  # over `features` and `RIVALRY`
    link: float  # threshold of a link's probability
    extra: float  # threshold of a second link of a goal (merge or split)
    declared: float  # threshold of the best candidate of a goal declared continued
    method: str

    def first_logit(self, features: np.ndarray) -> np.ndarray:
        return self.first.logit(features[:, [FEATURES.index(f) for f in self.features]])

    def probability(self, rows: np.ndarray, cols: np.ndarray, features: np.ndarray) -> np.ndarray:
        """P(link) for each candidate pair (`features` in `FEATURES` order)."""
        if not len(rows):
            return np.zeros(0)
        chosen = features[:, [FEATURES.index(f) for f in self.features]]
        first = self.first.logit(chosen)
        z = self.second.logit(np.hstack([chosen, rivalry(rows, cols, first)]))
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    @classmethod
    def from_dict(cls, data: dict) -> LinkModel:
        return cls(
            features=tuple(data["features"]),
            first=Stage.from_dict(data["first"]),
            second=Stage.from_dict(data["second"]),
            link=float(data["thresholds"]["link"]),
            extra=float(data["thresholds"]["extra"]),
            declared=float(data["thresholds"].get("declared", data["thresholds"]["link"])),
            method=str(data["method"]),
        )


@cache
def link_model(path: str | None = None) -> LinkModel:
    """The shipped model (or one fitted into another file)."""
    data = json.loads(Path(path or MODEL_FILE).read_text(encoding="utf-8"))
    return LinkModel.from_dict(data)


def signs_of(names: tuple[str, ...]) -> np.ndarray:
    """The sign constraint of each feature (`features.SIGNS`, `RIVALRY_SIGNS`; 0: free)."""
    table = {**SIGNS, **RIVALRY_SIGNS}
    return np.array([table.get(name, 0) for name in names], dtype=np.int64)


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray,
    l2: float,
    signs: np.ndarray | None = None,
    iterations: int = 50,
) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression (Newton's method), for
    standardised features `x`, labels `y` in {0, 1}, and a weight per sample. Where `signs`
    is +1 (-1) a weight may not be negative (positive): a feature whose weight would break its
    sign is held at 0 and the rest refitted, until none does (an active-set method)."""
    k = x.shape[1]
    signs = np.zeros(k, dtype=np.int64) if signs is None else np.asarray(signs)
    free = np.ones(k, dtype=bool)
    weights, bias = np.zeros(k), 0.0
    for _ in range(_ACTIVE_SET_ROUNDS * k + 1):
        weights = np.zeros(k)
        fitted, bias = _newton(x[:, free], y, sample_weight, l2, iterations)
        weights[free] = fitted
        wrong = signs * weights < 0
        if wrong.any():
            # Hold the worst offender at 0, then refit.
            free[int(np.argmax(np.where(wrong, np.abs(weights), -1.0)))] = False
            continue
        # A held feature whose slope at 0 points into its allowed side is let go again (the
        # optimality condition of the constrained fit), else it stays held for good.
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ weights + bias, -30.0, 30.0)))
        slope = x.T @ (sample_weight * (p - y))
        wants = ~free & (signs * slope < -_SLOPE_TOLERANCE * sample_weight.sum())
        if not wants.any():
            break
        free[int(np.argmax(np.where(wants, np.abs(slope), -1.0)))] = True
    return weights, bias


def _newton(
    x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float, iterations: int
) -> tuple[np.ndarray, float]:
    n, k = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -30.0, 30.0)))
        gradient = design.T @ (sample_weight * (p - y)) + penalty * beta
        curvature = design.T @ (design * (sample_weight * p * (1.0 - p))[:, None])
        curvature[np.diag_indices_from(curvature)] += penalty + 1e-9
        step = np.linalg.solve(curvature, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta[:-1], float(beta[-1])
