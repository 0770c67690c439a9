"""The probability that a pair of goals is linked: a logistic model over the pair's features.

The model's weights are fitted parameters, shipped with the package (`link_model.json`) and
made by `tools/fit_matcher.py` from the training split of the lineage corpus
(`tests/lineage_corpus/`); the file records what it was fitted on, the features, and the
thresholds chosen by cross-validation (leave one plan pair out): `link` is the probability a
pair needs to be linked, `extra` the probability a second predecessor (merge) or successor
(split) needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).resolve().parent / "link_model.json"


@dataclass(frozen=True)
class LinkModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    link: float  # threshold of a link's probability
    extra: float  # threshold of a second link of a goal (merge or split)
    method: str

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(link) for each row of features (columns in `features` order)."""
        if not len(features):
            return np.zeros(0)
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    @classmethod
    def from_dict(cls, data: dict) -> LinkModel:
        return cls(
            features=tuple(data["features"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            link=float(data["thresholds"]["link"]),
            extra=float(data["thresholds"]["extra"]),
            method=str(data["method"]),
        )


@cache
def link_model(path: str | None = None) -> LinkModel:
    """The shipped model (or one fitted into another file)."""
    data = json.loads(Path(path or MODEL_FILE).read_text(encoding="utf-8"))
    return LinkModel.from_dict(data)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float, iterations: int = 50
) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression (Newton's method), for
    standardised features `x`, labels `y` in {0, 1}, and a weight per sample."""
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
