"""A long series in the report (and so in `maalspor review`): how long each plan's goals live
on, a goal's chain across all the years, the years to scroll to — on a lineage of five plans
(tests/series.py), as numbers, as HTML and in Chromium."""

from __future__ import annotations

import re

import pytest

from maalspor.outputs.report import render_report
from maalspor.outputs.survival import cohorts, reach
from tests.series import YEARS, five_plans, goal_id, plan_id


@pytest.fixture(scope="module")
def five():
    return five_plans()


def test_cohorts_live_on_and_end(five):
    rows = cohorts(five, reach(five))
    assert [(r.goals, r.alive) for r in rows] == [
        (6, [4, 3, 1, 1]),
        (6, [4, 2, 2]),
        (6, [4, 4]),
        (6, [3]),
    ]
    assert rows[0].ends == {
        "open": 1,  # G1 is in 2019
        "completed": 2,  # G2 in 2017; G4's furthest branch (2017 G3)
        "missing_successor": 1,
        "dropped": 1,
        "ended": 1,
    }
    assert rows[2].ends == {"open": 4, "completed": 2}
    assert reach(five)[goal_id(2017, 5)] == (4, "open")  # merged into 2018 G3, on to 2019


def test_static_report_has_the_table_and_the_years(five, two):
    page = render_report(five, lang="en")
    table = re.search(r'<div id="survival">.*?</table>', page, re.S).group()
    assert "How long do the goals live on?" in table
    assert table.count("<tr>") == 1 + len(YEARS) - 1
    assert 'data-plan="roskilde-kommune-okonomi-2015" data-survive="3"' in table
    assert "still in 2019" in table
    assert page.count('class="year"') == len(YEARS)
    # Two plans: the summary's table says it all.
    assert 'id="survival"' not in render_report(two) and 'id="years"' not in render_report(two)


def test_browser_five_plans_table_filters_and_chain(browser, five, tmp_path):
    from tests.test_report import Opened

    opened = Opened(browser, render_report(five, lang="en"), tmp_path / "five.html")
    page = opened.page
    try:
        table = page.locator("#survival")
        assert table.is_visible()
        cells = table.locator("tbody tr").first.locator("button.surv b").all_inner_texts()
        assert cells == ["4", "3", "1", "1"]
        # Of 2015's goals, those that live on three plans later: G1 only.
        table.locator(f'button[data-plan="{plan_id(2015)}"][data-survive="3"]').click()
        assert opened.visible_cards() == [goal_id(2015, 1)]
        table.locator(f'button[data-plan="{plan_id(2015)}"][data-end="completed"]').click()
        assert opened.visible_cards() == [goal_id(2015, 2), goal_id(2015, 4)]
        page.click("#reset")

        # A goal's whole chain, across all five plans, in its panel.
        page.click(f'.card[data-id="{goal_id(2015, 1)}"]')
        chain = page.locator("#detail ol.chain li")
        assert chain.count() == 5
        assert [chain.nth(i).locator(".p").inner_text() for i in range(5)] == [
            str(y) for y in YEARS
        ]
        assert "Across the years (5 plans)" in page.text_content("#detail")
        # A split shows both branches, and where a branch ends.
        page.click(f'.card[data-id="{goal_id(2015, 4)}"]')
        steps = page.locator("#detail ol.chain li")
        assert steps.nth(1).locator(".chain-goal").count() == 2
        assert "Dropped" in steps.nth(1).inner_text()
        # A click on the chain goes to that goal, scrolling the board to its plan.
        page.click(f'.card[data-id="{goal_id(2015, 1)}"]')
        page.click(f'#detail .chain-goal[data-goal="{goal_id(2019, 1)}"]')
        assert page.locator(".card.sel").get_attribute("data-id") == goal_id(2019, 1)
        page.wait_for_timeout(50)
        assert "on" in (
            page.locator(f'#years .year[data-plan="{plan_id(2019)}"]').get_attribute("class") or ""
        )

        # The years: a click brings that plan's column to the left edge, the selection kept.
        page.click(f'#years .year[data-plan="{plan_id(2015)}"]')
        page.wait_for_timeout(50)
        assert page.evaluate("document.getElementById('board').scrollLeft") == 0
        page.click(f'#years .year[data-plan="{plan_id(2018)}"]')
        page.wait_for_timeout(50)
        left = page.evaluate(
            f"""() => {{
                const board = document.getElementById('board').getBoundingClientRect();
                const col = document.querySelector('.col[data-plan="{plan_id(2018)}"]');
                return col.getBoundingClientRect().left - board.left;
            }}"""
        )
        assert abs(left - 10) < 2 or page.evaluate(
            "(() => { const b = document.getElementById('board');"
            " return b.scrollLeft + b.clientWidth >= b.scrollWidth - 1; })()"
        )
        assert page.locator(".card.sel").get_attribute("data-id") == goal_id(2019, 1)
        assert page.locator("#bands path.band").count() > 0
    finally:
        opened.close()
