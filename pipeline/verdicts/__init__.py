"""Verdicts: `classify(PlanDocument, settings) -> PlanDocument`.

In: a plan whose follow-up part holds Opfølgning texts. Out: the same plan, each follow-up with
its `status`, `continued` and `status_evidence`. `classify_text(text) -> Verdict` reads one
text (`maalspor verdict`: `records.py`). The Danish phrases are data in `rules/verdicts.toml`.
"""

from maalspor.verdicts.classifier import Verdict, classify, classify_text, classify_texts

__all__ = ["Verdict", "classify", "classify_text", "classify_texts"]
