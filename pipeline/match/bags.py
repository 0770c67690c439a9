"""IDF-weighted bags of terms for every goal of a plan, compared for many pairs at once.

A `BagSet` holds one field of every goal of one plan (its text, its documentation, ...) as term
numbers with their IDF weights, packed in flat arrays. The comparisons of the matcher's
features — how much IDF mass two bags share, the heaviest word one has and the other lacks —
are computed for all candidate pairs in a few array operations (one row per word of each pair),
never a Python loop over pairs: 2 × 5,000 goals have some 200,000 candidate pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A (goal, term) pair as one integer: goal × _KEY + term (terms are numbered below 2³²).
_KEY = 1 << 32


class Vocabulary:
    """Term → number, for one granularity of both plans."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, term: str) -> int:
        found = self.numbers.get(term)
        if found is None:
            found = self.numbers[term] = len(self.numbers)
        return found

    def __len__(self) -> int:
        return len(self.numbers)


@dataclass(frozen=True)
class BagSet:
    """The bags of terms of one field of every goal: goal g's terms are
    `terms[offsets[g]:offsets[g + 1]]`, each once, with their weights."""

    offsets: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    mass: np.ndarray  # the sum of each bag's weights
    keys: np.ndarray  # goal × _KEY + term, sorted: membership tests

    @classmethod
    def of(cls, bags: Sequence[Sequence[int]], idf: np.ndarray) -> BagSet:
        unique = [sorted(set(bag)) for bag in bags]
        lengths = np.fromiter((len(u) for u in unique), dtype=np.int64, count=len(unique))
        offsets = np.zeros(len(unique) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        terms = np.fromiter((t for u in unique for t in u), dtype=np.int64, count=int(offsets[-1]))
        weights = idf[terms] if len(terms) else np.zeros(0)
        goals = np.repeat(np.arange(len(unique), dtype=np.int64), lengths)
        mass = np.bincount(goals, weights=weights, minlength=len(unique))
        return cls(offsets, terms, weights, mass, np.sort(goals * _KEY + terms))

    def expand(self, goals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pair, term, weight) for every term of the bag of each pair's goal."""
        starts = self.offsets[goals]
        lengths = self.offsets[goals + 1] - starts
        pair = np.repeat(np.arange(len(goals), dtype=np.int64), lengths)
        first = np.repeat(np.cumsum(lengths) - lengths, lengths)
        position = np.repeat(starts, lengths) + (np.arange(len(pair), dtype=np.int64) - first)
        return pair, self.terms[position], self.weights[position]

    def holds(self, goals: np.ndarray, terms: np.ndarray) -> np.ndarray:
        """Whether each goal's bag holds the term beside it."""
        if not len(self.keys) or not len(goals):
            return np.zeros(len(goals), dtype=bool)
        keys = goals * _KEY + terms
        at = np.searchsorted(self.keys, keys)
        at[at >= len(self.keys)] = len(self.keys) - 1
        return self.keys[at] == keys


def shared(a: BagSet, b: BagSet, a_goals: np.ndarray, b_goals: np.ndarray, floor: float = 0.0):
    """Per pair, the weight of a's terms (of weight ≥ floor) that b's bag holds too."""
    pair, terms, weights = a.expand(a_goals)
    hit = b.holds(b_goals[pair], terms) & (weights >= floor)
    return np.bincount(pair, weights=weights * hit, minlength=len(a_goals))


def heaviest(values: np.ndarray, pair: np.ndarray, count: int) -> np.ndarray:
    """Per pair, the largest of its values (0 where it has none)."""
    out = np.zeros(count)
    if len(pair):
        np.maximum.at(out, pair, values)
    return out


def dice(a: BagSet, b: BagSet, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """IDF-weighted Dice of each pair's bags: 2 × shared / (mass a + mass b); 0 if both empty."""
    total = a.mass[rows] + b.mass[cols]
    both = shared(a, b, rows, cols)
    return np.divide(2.0 * both, total, out=np.zeros(len(rows)), where=total > 0)


def cover(a: BagSet, b: BagSet, a_goals: np.ndarray, b_goals: np.ndarray) -> np.ndarray:
    """The share of a's bag's weight that b's bag holds."""
    mass = a.mass[a_goals]
    return np.divide(
        shared(a, b, a_goals, b_goals), mass, out=np.zeros(len(a_goals)), where=mass > 0
    )
