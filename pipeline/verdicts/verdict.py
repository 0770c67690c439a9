"""The verdict of one follow-up text, as the verdict stage hands it on."""

from __future__ import annotations

from dataclasses import dataclass

from maalspor.models.plan import Status


@dataclass(frozen=True)
class Verdict:
    """What a follow-up text says about its goal."""

    status: Status
    continued: bool | None
    evidence: list[str]
    # How sure the status is (0..1): the learned layer's calibrated probability of it.
    confidence: float = 1.0
    # What decided the status: a kind of rule words (`phrasebook.CONFIDENCE_KINDS`) or "model".
    decided_by: str = "nothing"
    # The text leaves a question open ("det overvejes, om målet videreføres", "for tidligt at
    # sige"): the learned layer then adds no verdict the rules did not find.
    open_question: bool = False
    # Where the words that decided the status stand in the text (first to last; not the words
    # of `continued`), where the rules read them.
    status_span: tuple[int, int] | None = None
