"""A review put together: the target's session, its page and its PDFs, ready to serve."""

from __future__ import annotations

from maalspor.models import LineageDocument, PlanDocument
from maalspor.outputs.report import render_report
from maalspor.review.server import ReviewApp
from maalspor.review.session import ReviewSession
from maalspor.review.target import ReviewTarget
from maalspor.settings import ReviewSettings


def review_app(
    target: ReviewTarget,
    settings: ReviewSettings,
    plans: list[PlanDocument] | None = None,
    lang: str = "da",
) -> ReviewApp:
    """The app `ReviewServer` serves: the page is the report of the lineage as it is now,
    with the review's tools; page numbers open the PDFs the server serves by plan number."""
    session = ReviewSession(target.lineage, target.overrides, settings)
    refs = target.lineage.plans
    pdfs = [target.sources.found.get(ref.source.path) for ref in refs]
    pdfs = [p if p is not None and p.suffix.lower() == ".pdf" else None for p in pdfs]
    numbered = {ref.source.path: f"pdf/{i}" for i, ref in enumerate(refs) if pdfs[i]}
    notes = [*target.plans, *(plans or [])]

    def page(lineage: LineageDocument, token: str) -> str:
        files = {path: f"{url}?token={token}" for path, url in numbered.items()}
        return render_report(
            lineage,
            notes,
            files,
            lang,
            missing_pdfs=target.sources.missing,
            review=target.overrides.shown_as,
        )

    return ReviewApp(session=session, page=page, pdfs=pdfs)
