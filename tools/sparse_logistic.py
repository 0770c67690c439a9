"""A multinomial logistic regression on sparse binary features, for `fit_verdicts.py`: the
features of a follow-up are a few dozen among tens of thousands, so the design matrix is kept as
its non-zero entries and multiplied in O(non-zeros).

Fitted by full-batch gradient descent with Adam and L2 (numpy only); a text with several
acceptable labels is a soft target split evenly among them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

STEPS = 400
LEARNING_RATE = 0.5


class Row(Protocol):
    """A text's features: name → value (`maalspor.verdicts.features.Features`)."""

    values: dict[str, float]


class SparseRows:
    """A row-major sparse matrix (the features of a text are a few dozen among thousands):
    products in O(non-zeros) instead of O(rows x features), the same figures as a dense
    matrix up to the order of floating-point sums."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, data: np.ndarray, shape: tuple) -> None:
        self.rows, self.cols, self.data, self.shape = rows, cols, data, shape

    def __matmul__(self, w: np.ndarray) -> np.ndarray:
        """This matrix times `w` (features x classes)."""
        n = self.shape[0]
        return np.stack(
            [
                np.bincount(self.rows, weights=self.data * w[self.cols, j], minlength=n)
                for j in range(w.shape[1])
            ],
            axis=1,
        )

    def transposed_times(self, g: np.ndarray) -> np.ndarray:
        """The transpose of this matrix times `g` (rows x classes)."""
        d = self.shape[1]
        return np.stack(
            [
                np.bincount(self.cols, weights=self.data * g[self.rows, j], minlength=d)
                for j in range(g.shape[1])
            ],
            axis=1,
        )


def matrix(rows: Sequence[Row], features: list[str]) -> SparseRows:
    index = {name: i for i, name in enumerate(features)}
    entries = [
        (i, index[name], value)
        for i, row in enumerate(rows)
        for name, value in row.values.items()
        if name in index and value
    ]
    r, c, v = zip(*entries, strict=True) if entries else ((), (), ())
    return SparseRows(
        np.array(r, dtype=np.int64),
        np.array(c, dtype=np.int64),
        np.array(v, dtype=float),
        (len(rows), len(features)),
    )


def targets(labels: list[list[str]], classes: tuple[str, ...]) -> np.ndarray:
    y = np.zeros((len(labels), len(classes)))
    for i, acceptable in enumerate(labels):
        for label in acceptable:
            y[i, classes.index(label)] += 1 / len(acceptable)
    return y


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def fit(x: SparseRows, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias minimising cross-entropy + l2/2 |W|², by gradient descent with Adam."""
    n, k = x.shape[0], y.shape[1]
    w, b = np.zeros((x.shape[1], k)), np.zeros(k)
    mw, vw, mb, vb = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, STEPS + 1):
        p = softmax(x @ w + b)
        gw = (x.transposed_times(p - y) + l2 * w) / n
        gb = (p - y).sum(axis=0) / n
        mw, vw = beta1 * mw + (1 - beta1) * gw, beta2 * vw + (1 - beta2) * gw**2
        mb, vb = beta1 * mb + (1 - beta1) * gb, beta2 * vb + (1 - beta2) * gb**2
        correction = np.sqrt(1 - beta2**step) / (1 - beta1**step)
        w -= LEARNING_RATE * 0.1 * correction * mw / (np.sqrt(vw) + eps)
        b -= LEARNING_RATE * 0.1 * correction * mb / (np.sqrt(vb) + eps)
    return w, b
