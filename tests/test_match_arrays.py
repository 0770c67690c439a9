"""The matcher's array code against the plain definitions it computes (hypothesis).

`bags.py` compares the term bags of all candidate pairs in a few array operations, and
`assign.py` solves the assignment problem per group of competing pairs; both are checked here
against a direct Python computation on random inputs.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from maalspor.match.assign import assign
from maalspor.match.bags import BagSet, cover, dice, shared
from maalspor.match.model import fit_logistic

VOCABULARY = 12
idfs = st.lists(
    st.floats(min_value=0.0, max_value=8.0, allow_nan=False),
    min_size=VOCABULARY,
    max_size=VOCABULARY,
)
bags = st.lists(st.lists(st.integers(0, VOCABULARY - 1), max_size=8), min_size=1, max_size=6)


def _pairs(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    return rows.ravel(), cols.ravel()


@settings(max_examples=150, deadline=None)
@given(left=bags, right=bags, idf=idfs, floor=st.floats(0.0, 8.0))
def test_bag_comparisons_equal_their_definitions(left, right, idf, floor):
    weights = np.array(idf)
    a, b = BagSet.of(left, weights), BagSet.of(right, weights)
    rows, cols = _pairs(len(left), len(right))
    got_shared = shared(a, b, rows, cols, floor)
    got_dice = dice(a, b, rows, cols)
    got_cover = cover(a, b, rows, cols)
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        x, y = set(left[i]), set(right[j])
        both = sum(idf[t] for t in x & y)
        mass_x, mass_y = sum(idf[t] for t in x), sum(idf[t] for t in y)
        assert math.isclose(
            got_shared[k], sum(idf[t] for t in x & y if idf[t] >= floor), abs_tol=1e-9
        )
        expected_dice = 2 * both / (mass_x + mass_y) if mass_x + mass_y > 0 else 0.0
        assert math.isclose(got_dice[k], expected_dice, abs_tol=1e-9)
        expected_cover = both / mass_x if mass_x > 0 else 0.0
        assert math.isclose(got_cover[k], expected_cover, abs_tol=1e-9)


@settings(max_examples=150, deadline=None)
@given(left=bags, right=bags, idf=idfs, data=st.data())
def test_membership_of_any_goal_and_term(left, right, idf, data):
    bag = BagSet.of(left, np.array(idf))
    goals = np.array(
        data.draw(st.lists(st.integers(0, len(left) - 1), max_size=20)), dtype=np.int64
    )
    terms = np.array(
        data.draw(
            st.lists(st.integers(0, VOCABULARY - 1), min_size=len(goals), max_size=len(goals))
        ),
        dtype=np.int64,
    )
    expected = [t in left[g] for g, t in zip(goals.tolist(), terms.tolist(), strict=True)]
    assert bag.holds(goals, terms).tolist() == expected


def _log_odds(p: float, link: float) -> float:
    def logit(q: float) -> float:
        q = min(max(q, 1e-9), 1 - 1e-9)
        return math.log(q / (1 - q))

    return logit(p) - logit(link)


def _best_one_to_one(pairs: dict[tuple[int, int], float], link: float) -> float:
    """The largest summed log-odds of a one-to-one choice among the eligible pairs, by trying
    every subset."""
    eligible = [(pair, p) for pair, p in pairs.items() if p >= link]
    best = 0.0
    for size in range(1, len(eligible) + 1):
        for subset in itertools.combinations(eligible, size):
            rows = [i for (i, _), _ in subset]
            cols = [j for (_, j), _ in subset]
            if len(set(rows)) == len(rows) and len(set(cols)) == len(cols):
                best = max(best, sum(_log_odds(p, link) for _, p in subset))
    return best


probabilities = st.dictionaries(
    st.tuples(st.integers(0, 3), st.integers(0, 3)),
    st.floats(min_value=0.01, max_value=0.99, allow_nan=False),
    max_size=9,
)


@settings(max_examples=150, deadline=None)
@given(pairs=probabilities, link=st.floats(0.2, 0.8))
def test_first_pass_is_the_best_one_to_one_choice(pairs, link):
    """With no merges or splits (extra above every probability) the links are a one-to-one
    choice of the eligible pairs whose summed log-odds no other choice beats."""
    keys = sorted(pairs)
    rows = np.array([i for i, _ in keys], dtype=np.int64)
    cols = np.array([j for _, j in keys], dtype=np.int64)
    probability = np.array([pairs[k] for k in keys])
    chosen = assign(rows, cols, probability, link, 1.0)
    taken = [(i, j) for i, j, _ in chosen]
    assert len({i for i, _ in taken}) == len(taken) == len({j for _, j in taken})
    assert all(pairs[pair] >= link for pair in taken)
    total = sum(_log_odds(pairs[pair], link) for pair in taken)
    assert math.isclose(total, _best_one_to_one(pairs, link), abs_tol=1e-6)


@settings(max_examples=150, deadline=None)
@given(pairs=probabilities, link=st.floats(0.2, 0.8), extra=st.floats(0.2, 0.95))
@example(pairs={(0, 0): 0.5, (0, 1): 0.75, (1, 0): 0.5}, link=0.5, extra=0.5)  # at the threshold
def test_second_links_are_merges_or_splits_above_their_threshold(pairs, link, extra):
    keys = sorted(pairs)
    rows = np.array([i for i, _ in keys], dtype=np.int64)
    cols = np.array([j for _, j in keys], dtype=np.int64)
    probability = np.array([pairs[k] for k in keys])
    chosen = assign(rows, cols, probability, link, max(link, extra))
    first = {(i, j) for i, j, _ in assign(rows, cols, probability, link, 1.0)}
    taken = {(i, j) for i, j, _ in chosen}
    assert first <= taken
    for i, j in taken - first:
        assert pairs[(i, j)] >= max(link, extra)
    # A second link joins a goal with no other link to one that has its link (a merge or a
    # split), never two goals that both have theirs.
    for i, j in taken - first:
        assert sum(1 for x, _ in taken if x == i) == 1 or sum(1 for _, y in taken if y == j) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    signs=st.lists(st.sampled_from([-1, 0, 1]), min_size=4, max_size=4),
)
def test_signed_logistic_keeps_its_signs_and_fits_where_free(seed, signs):
    """A weight held to a sign never breaks it; with no constraint broken the fit is the plain
    one (the constraint changes nothing where the data agree with it)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(300, 4))
    true = rng.normal(size=4) * 2
    y = (rng.random(300) < 1 / (1 + np.exp(-(x @ true)))).astype(float)
    w = np.ones(300)
    plain, plain_bias = fit_logistic(x, y, w, 1.0)
    signed, signed_bias = fit_logistic(x, y, w, 1.0, np.array(signs))
    assert all(s * v >= 0 for s, v in zip(signs, signed, strict=True))
    if all(s * v >= 0 for s, v in zip(signs, plain, strict=True)):
        assert np.allclose(signed, plain) and math.isclose(signed_bias, plain_bias)


def test_partial_links_add_the_goal_of_a_merge_that_supplies_the_rest():
    """Later goal 0 is linked to earlier goal 0; earlier goal 1 (probability 0.3, below the
    thresholds) supplies half of what goal 0's predecessor lacks, earlier goal 2 nothing new:
    only the first is added, as the second goal of a merge. A split is never added this way."""
    rows = np.array([0, 1, 2, 2], dtype=np.int64)
    cols = np.array([0, 0, 0, 1], dtype=np.int64)
    probability = np.array([0.9, 0.3, 0.3, 0.2])
    asked = []

    def supplies(i, j, partners):
        asked.append((i, j, list(partners)))
        return {(1, 0): 0.5, (2, 0): 0.0}.get((i, j), 0.0)

    plain = assign(rows, cols, probability, 0.5, 0.5)
    assert [(i, j) for i, j, _ in plain] == [(0, 0)]
    chosen = assign(
        rows, cols, probability, 0.5, 0.5, supplies=supplies, partial=0.25, min_supplied=0.3
    )
    assert chosen == [(0, 0, 0.9), (1, 0, 0.3)]
    assert (1, 0, [0]) in asked and all(j == 0 for _, j, _ in asked)
    split = assign(
        np.array([0, 0]),
        np.array([0, 1]),
        np.array([0.9, 0.3]),
        0.5,
        0.5,
        supplies=lambda i, j, partners: 1.0,
        partial=0.25,
        min_supplied=0.3,
    )
    assert [(i, j) for i, j, _ in split] == [(0, 0)]


def test_supplies_is_the_share_of_the_merged_goal_a_second_predecessor_adds():
    from maalspor.match.features import GoalView
    from maalspor.match.links import score_pairs, supplies
    from maalspor.match.vocabulary import matching_rules
    from maalspor.models.plan import Goal

    def views(plan: str, texts: list[str]) -> list[GoalView]:
        goals = [
            Goal(id=f"G{n}", section="Kultur", text=t, page=0, bbox=None)
            for n, t in enumerate(texts)
        ]
        return [GoalView(id=f"{plan}/{g.id}", plan=plan, goal=g) for g in goals]

    earlier = views(
        "a",
        [
            "Udvikle bibliotekets digitale tilbud",
            "Styrke museets formidling til skoleelever",
            "Nedbringe sygefraværet blandt medarbejderne",
        ],
    )
    later = views("b", ["Bibliotek og museum: digitale tilbud og formidling til skoleelever"])
    share = supplies(score_pairs(earlier, later, matching_rules(), None))
    assert share(1, 0, [0]) > 0.3  # the museum's words: what the library goal lacks
    assert share(2, 0, [0]) == 0.0  # nothing of the merged goal
    assert share(0, 0, [0]) == 0.0  # nothing its predecessor lacks
    assert share(0, 0, [1]) > 0.2  # and the library's words the other way round
