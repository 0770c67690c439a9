"""The fitting tool's sparse design matrix (`tools/sparse_logistic.py`) multiplies as the dense
matrix does, and its regression learns a separable toy problem."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from sparse_logistic import fit, matrix, softmax, targets


@dataclass
class Row:
    values: dict[str, float] = field(default_factory=dict)


FEATURES = [f"f{i}" for i in range(12)]


def _dense(rows: list[Row]) -> np.ndarray:
    x = np.zeros((len(rows), len(FEATURES)))
    for i, row in enumerate(rows):
        for name, value in row.values.items():
            if name in FEATURES:
                x[i, FEATURES.index(name)] = value
    return x


rows_strategy = st.lists(
    st.builds(
        Row,
        st.dictionaries(
            st.sampled_from([*FEATURES, "unknown"]),
            st.floats(min_value=-3, max_value=3, allow_nan=False, allow_infinity=False),
            max_size=6,
        ),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy, seed=st.integers(0, 1000))
def test_products_are_those_of_the_dense_matrix(rows: list[Row], seed: int) -> None:
    rng = np.random.default_rng(seed)
    sparse, dense = matrix(rows, FEATURES), _dense(rows)
    w, g = rng.normal(size=(len(FEATURES), 3)), rng.normal(size=(len(rows), 3))
    assert sparse.shape == dense.shape
    np.testing.assert_allclose(sparse @ w, dense @ w, atol=1e-9)
    np.testing.assert_allclose(sparse.transposed_times(g), dense.T @ g, atol=1e-9)


def test_fit_learns_a_separable_problem() -> None:
    rows = [Row({"yes": 1.0}) for _ in range(20)] + [Row({"no": 1.0}) for _ in range(20)]
    labels = [["a"]] * 20 + [["b"]] * 20
    features = ["yes", "no"]
    w, b = fit(matrix(rows, features), targets(labels, ("a", "b")), l2=0.1)
    p = softmax(matrix(rows, features) @ w + b)
    assert (p[:20, 0] > 0.9).all() and (p[20:, 1] > 0.9).all()


def test_a_soft_target_is_split_among_its_labels() -> None:
    y = targets([["a", "b"], ["c"]], ("a", "b", "c"))
    np.testing.assert_allclose(y, [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
