"""The scorer of tests/lineage_gold.py and the corpus it reads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maalspor.match import lineage
from maalspor.match.model import MODEL_FILE
from tests.lineage_gold import (
    AFTER_VOCABULARY,
    ALL,
    BLIND,
    BLIND_SINCE_CHANGE,
    CORPUS,
    EIGHTH,
    FRESH,
    HEADLINE,
    LAST,
    READ_BEFORE_CHANGE,
    TEST,
    TRAIN,
    load_pair,
    predicted_links,
    score,
    total,
)


def test_scores_of_small_alignments():
    sure, possible = {("a", "x"), ("b", "y")}, {("c", "z")}
    perfect = score({("a", "x"), ("b", "y")}, sure, possible)
    assert (perfect.aer, perfect.precision, perfect.sure_recall) == (0.0, 1.0, 1.0)
    with_possible = score({("a", "x"), ("b", "y"), ("c", "z")}, sure, possible)
    assert with_possible.aer == 0.0 and with_possible.precision == 1.0
    one_wrong = score({("a", "x"), ("b", "z")}, sure, possible)
    assert one_wrong.precision == 0.5 and one_wrong.sure_recall == 0.5
    assert one_wrong.aer == pytest.approx(1 - (1 + 1) / (2 + 2))
    empty = score(set(), sure, possible)
    assert empty.aer == 1.0 and empty.precision == 1.0 and empty.sure_recall == 0.0
    assert total([perfect, one_wrong]).hit_sure == 3


links = st.sets(st.tuples(st.sampled_from("abcde"), st.sampled_from("vwxyz")), max_size=12)


@given(links, links, links)
def test_aer_is_between_0_and_1_and_0_only_for_a_perfect_alignment(predicted, sure, possible):
    result = score(predicted, sure, possible)
    assert 0.0 <= result.aer <= 1.0
    if sure and result.aer == 0.0:
        assert sure <= predicted <= sure | possible


def test_the_corpus_has_its_splits_and_enough_links():
    pairs = [load_pair(name, classify=False) for name in (*TRAIN, *TEST)]
    assert len(pairs) >= 10 and len({p.earlier.organisation for p in pairs}) >= 4
    assert sum(len(p.possible) for p in pairs) >= 300
    assert len(TEST) >= 3 and not set(TEST) & set(TRAIN)
    # The fresh rounds, each measured blind once, are training pairs now (issue 22).
    rounds = (FRESH, BLIND, LAST)
    assert all(len(r) >= 2 and set(r) <= set(TRAIN) for r in rounds)
    assert sum(len(r) for r in rounds) == len(set().union(*rounds))
    # The headline round (M, N) is trained on by nothing.
    assert len(HEADLINE) >= 2 and not set(HEADLINE) & (set(TRAIN) | set(TEST))
    for pair in pairs:
        earlier = {g.id for g in pair.earlier.goals}
        later = {g.id for g in pair.later.goals}
        assert all(a in earlier and b in later for a, b in pair.possible)
        assert pair.sure <= pair.possible and not pair.traps & pair.possible
        assert len(pair.later.follow_ups) == len(pair.earlier.goals)


def test_every_pair_of_the_corpus_is_in_exactly_one_split_and_the_blind_rounds_are_not_trained():
    assert len(ALL) == len(set(ALL))
    assert set(ALL) == {path.stem for path in CORPUS.glob("*.json")}
    trained = set(json.loads(MODEL_FILE.read_text(encoding="utf-8"))["trained_on"])
    assert not (set(READ_BEFORE_CHANGE) | set(AFTER_VOCABULARY) | set(BLIND_SINCE_CHANGE)) & trained
    for name in EIGHTH:
        pair = load_pair(name, classify=False)
        assert pair.traps and pair.sure <= pair.possible and not pair.traps & pair.possible


def test_the_shipped_model_was_fitted_on_the_training_split_only():
    document = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    # Fitted on the first 14 training pairs: the refit on all 27 moved a link of the samples'
    # real pair and was not shipped (docs/matching.md, Measured).
    assert set(document["trained_on"]) <= set(TRAIN)
    assert not set(document["trained_on"]) & set(TEST)
    assert 0 < document["thresholds"]["declared"] <= document["thresholds"]["link"]


def test_the_shipped_model_links_its_training_pairs():
    """In-sample, so only a guard against a broken fit or feature (cross-validated figures:
    docs/matching.md)."""
    scores = []
    for name in TRAIN:
        pair = load_pair(name)
        scores.append(
            score(
                predicted_links(lineage([pair.earlier, pair.later]), pair), pair.sure, pair.possible
            )
        )
    pooled = total(scores)
    assert pooled.aer <= 0.10 and pooled.precision >= 0.9
