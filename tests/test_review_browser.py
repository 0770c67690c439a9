"""`maalspor review` in Chromium: a person confirms, rejects, adds (from the candidates and by
searching the next plan), sets a fate and undoes, in the page; each decision is in the
overrides file at once, the page follows without losing the view, a reload shows them all,
and `maalspor lineage ... --overrides` gives the lineage the page shows. The page asks nothing
of any other address (offline, as the report). Saves outputs/review-screenshot.png.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from maalspor.cli import main
from tests.conftest import ROOT
from tests.reviewing import serve
from tests.test_review_http import CASH_FREE, PLANS, STRATEGY, commented

SCREENSHOT = ROOT / "outputs" / "review-screenshot.png"


@pytest.fixture(scope="module")
def base():
    from maalspor.match.linker import lineage
    from maalspor.outputs.emit import load_plan

    return lineage([load_plan(p) for p in PLANS])


class Reviewing:
    """The review page open in Chromium; every request and script error recorded."""

    def __init__(self, browser, served) -> None:
        self.served = served
        self.origin = f"http://127.0.0.1:{served.port}/"
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1366, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(self.origin) else route.abort()
            ),
        )
        self.open()

    def open(self) -> None:
        self.page.goto(self.served.url)
        # (functions, not expressions: the page's policy forbids the eval an expression needs)
        self.page.wait_for_function("() => document.querySelectorAll('#bands path').length > 0")

    def card(self, goal: str):
        return self.page.locator(f'.card[data-id="{goal}"]')

    def link_box(self, source: str, target: str):
        return self.page.locator(f'#detail .link[data-from="{source}"][data-to="{target}"]')

    def entries(self) -> dict:
        return tomllib.loads(self.served.overrides.read_text(encoding="utf-8"))

    def close(self) -> None:
        assert self.errors == []
        assert all(url.startswith(self.origin) for url in self.requests), self.requests
        self.page.close()


@pytest.fixture
def reviewing(browser, base, tmp_path) -> Iterator[Reviewing]:
    commented(tmp_path / "overrides.toml")  # a person's file, with their comments
    with serve(base, tmp_path, lang="en") as served:
        page = Reviewing(browser, served)
        yield page
        page.close()


def decide(r: Reviewing, click) -> None:
    """Click, and wait until the page has the server's answer and is up to date."""
    r.page.evaluate("document.getElementById('review-status').className = ''")
    click()
    r.page.wait_for_function(
        "() => ['ok', 'error'].includes(document.getElementById('review-status').className) && "
        "!document.body.classList.contains('saving')"
    )
    assert "Saved to" in r.page.inner_text("#review-status"), r.page.inner_text("#review-status")


def test_browser_review_confirm_reject_add_fate_undo_and_reload(reviewing, base):
    r = reviewing
    page = r.page
    assert "every decision is saved at once to" in page.inner_text("#review-bar")
    assert page.locator("#detail button.copy").count() == 0
    bands = page.locator("#bands path.band").count()
    first, second = base.links[0], base.links[1]

    # Confirm a link, with a note; the column's scroll and the selection stay.
    r.card(first.from_).click()
    column = page.locator(".col").nth(1).locator(".cards")
    column.evaluate("c => { c.scrollTop = 120; }")
    box = r.link_box(first.from_, first.to)
    box.locator("input.note").fill("checked in both PDFs")
    decide(r, lambda: box.locator("button.confirm").click())
    [entry] = [e for e in r.entries()["link"] if e["from"] == first.from_]
    assert (entry["to"], entry["action"], entry["note"]) == (
        first.to,
        "confirm",
        "checked in both PDFs",
    )
    assert column.evaluate("c => c.scrollTop") == 120
    assert page.locator(".card.sel").get_attribute("data-id") == first.from_
    assert (
        "Decided by a person: checked in both PDFs"
        in r.link_box(first.from_, first.to).inner_text()
    )
    assert page.locator("#bands path.band.person").count() == 2  # and the file's own add

    # Reject another.
    r.card(second.from_).click()
    decide(r, lambda: r.link_box(second.from_, second.to).locator("button.reject").click())
    assert any(e["from"] == second.from_ and e["action"] == "reject" for e in r.entries()["link"])
    assert page.locator("#bands path.band").count() == bands - 1
    rejected = page.locator(f'#detail .link.rejected[data-to="{second.to}"]')
    assert rejected.count() == 1

    # Undo the rejection: the rules' link is back.
    decide(r, lambda: rejected.locator("button.undo").click())
    assert not any(e["from"] == second.from_ for e in r.entries()["link"])
    assert r.link_box(second.from_, second.to).locator("button.reject").count() == 1

    # Add a link from a goal's candidates.
    missing = next(
        g for g in base.goals if g.fate == "missing_successor" and g.candidates and g.id != STRATEGY
    )
    page.click(f'.goto[data-goal="{missing.id}"]')
    candidate = page.locator(f'#detail .candidate[data-to="{missing.candidates[0].to}"]')
    decide(r, lambda: candidate.locator("button.add").click())
    assert r.card(missing.id).get_attribute("data-fate") == "continued"
    assert any(
        (e["from"], e["to"], e["action"]) == (missing.id, missing.candidates[0].to, "add")
        for e in r.entries()["link"]
    )

    # Add a link by searching the next plan's goals.
    lonely = next(g for g in base.goals if g.fate == "ended" and g.plan == base.plans[0].id)
    target = next(
        g for g in base.goals if g.plan == base.plans[1].id and g.id not in lonely.successors
    )
    r.card(lonely.id).click()
    page.fill("#detail .review-search input.search", " ".join(target.text.split()[:4]))
    result = page.locator(f'#detail .review-search li[data-goal="{target.id}"]')
    decide(r, lambda: result.locator("button.add").click())
    assert (
        target.id in r.card(lonely.id).inner_text()
        or r.card(lonely.id).get_attribute("data-fate") == "continued"
    )

    # Set a fate with a note.
    r.card(CASH_FREE).click()
    page.select_option("#detail .review-fate select.fate", "completed")
    page.fill("#detail .review-fate input.note", "paid by the state after all")
    decide(r, lambda: page.click("#detail .review-fate button.set-fate"))
    [fate] = [f for f in r.entries()["fate"] if f["goal"] == CASH_FREE]
    assert (fate["fate"], fate["note"]) == ("completed", "paid by the state after all")
    assert r.card(CASH_FREE).get_attribute("data-fate") == "completed"
    assert r.card(CASH_FREE).locator(".badge.person").count() == 1
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # The person's comments are still in the file.
    text = r.served.overrides.read_text(encoding="utf-8")
    for comment in (
        "# Checked by A. Jensen",
        "# the strategy goal lives on",
        "# G13",
        "# asked the",
    ):
        assert comment in text

    # Reload: every decision is there.
    served_before = json.loads(
        page.evaluate("fetch('api/lineage' + location.search).then(r => r.text())")
    )
    r.open()
    assert page.locator("#bands path.band.person").count() >= 3
    assert r.card(CASH_FREE).get_attribute("data-fate") == "completed"
    assert r.card(missing.id).get_attribute("data-fate") == "continued"
    r.card(first.from_).click()
    assert (
        "Decided by a person: checked in both PDFs"
        in r.link_box(first.from_, first.to).inner_text()
    )

    # `maalspor lineage PLANS --overrides FILE` gives the lineage the page shows.
    result = CliRunner().invoke(
        main, ["lineage", *map(str, PLANS), "--overrides", str(r.served.overrides)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == served_before
    assert served_before["overrides"]["applied"] == len(r.entries()["link"]) + len(
        r.entries()["fate"]
    )


def test_browser_review_says_why_a_decision_was_not_saved(reviewing, base):
    r = reviewing
    r.card(CASH_FREE).click()
    r.served.overrides.write_text("[[fate]\nbroken by hand", encoding="utf-8")
    r.page.click("#detail .review-fate button.set-fate")
    r.page.wait_for_function("() => document.getElementById('review-status').className === 'error'")
    assert "Not saved:" in r.page.inner_text("#review-status")
    assert "not valid TOML" in r.page.inner_text("#review-status")
