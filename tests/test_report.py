"""`maalspor report` and maalspor.outputs.report: the HTML page, as text and in a real browser.

The browser tests drive Debian's Chromium (/usr/bin/chromium) through playwright (the
`browser` fixture of conftest.py), with the network cut off, and save
outputs/report-screenshot.png; playwright never downloads a browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.models.lineage import LineageDocument
from maalspor.outputs.emit import to_json
from maalspor.outputs.report import pdf_links, render_report
from tests.conftest import ROOT
from tests.test_schemas import assert_valid

SCREENSHOT = ROOT / "outputs" / "report-screenshot.png"
HOSTILE = '</script><script>window.pwned = 1</script> <img src=x onerror="pwned=2"> & "æøå"'
G001 = "albertslund-kommune-okonomi-og-stab-2015/G001"


def hostile(lineage: LineageDocument) -> LineageDocument:
    """The lineage with markup in a goal's text, documentation and section."""
    first = lineage.goals[0].model_copy(
        update={"text": HOSTILE, "documentation": [HOSTILE], "section": "<b>" + HOSTILE}
    )
    return lineage.model_copy(update={"goals": [first, *lineage.goals[1:]]})


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data_block: list[str] = []
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_data = tag == "script" and dict(attrs).get("id") == "data"

    def handle_endtag(self, tag):
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.data_block.append(data)


def parse_html(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


# ---------------------------------------------------------------------------------------------
# The page as text


def test_one_card_per_goal_and_the_data_is_the_lineage(two):
    page = render_report(two)
    parsed = parse_html(page)
    cards = [a for tag, a in parsed.tags if "card" in (a.get("class") or "").split()]
    assert [a["data-id"] for a in cards] == [g.id for g in two.goals]
    assert [a["data-fate"] for a in cards] == [g.fate for g in two.goals]
    data = json.loads("".join(parsed.data_block))
    assert_valid(data["lineage"], "lineage")
    assert data["lineage"] == json.loads(to_json(two))
    missing = [g for g in two.goals if g.fate == "missing_successor"]
    listed = [a["data-goal"] for tag, a in parsed.tags if "goto" in (a.get("class") or "")]
    assert [g.id for g in missing] == [g for g in listed if g in {m.id for m in missing}]
    assert f"Lovet videreført – mangler ({len(missing)})" in page
    continued = sum(g.fate == "continued" for g in two.goals)
    assert f"Videreført ({continued})" in page


def test_page_is_self_contained(two):
    page = render_report(two)
    parsed = parse_html(page)
    assert not [t for t, a in parsed.tags if t in {"link", "img", "iframe", "object", "embed"}]
    assert not [a for t, a in parsed.tags if "src" in a or "href" in a]
    assert "@import" not in page
    assert "url(" not in page
    assert "@font-face" not in page
    # the only URL is SVG's namespace name, which is never fetched
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_page_is_deterministic(two, tmp_path):
    first = render_report(two)
    again = render_report(LineageDocument.model_validate_json(to_json(two)))
    assert first == again
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d", first)  # no time stamps


def test_text_is_escaped(two):
    page = render_report(hostile(two))
    parsed = parse_html(page)
    assert [t for t, _ in parsed.tags].count("script") == 2  # the data block and the script
    assert [t for t, _ in parsed.tags].count("img") == 0
    assert "<script>window" not in page
    assert "<img" not in page
    assert "\\u003cscript\\u003ewindow.pwned" in page  # in the data block
    assert "&lt;/script&gt;&lt;script&gt;window.pwned = 1" in page  # the card's text
    data = json.loads("".join(parsed.data_block))
    assert data["lineage"]["goals"][0]["text"] == HOSTILE
    assert "</" not in "".join(parsed.data_block)


def test_dense_layout_for_large_plans(two):
    goal = two.goals[0]
    many = [
        goal.model_copy(update={"id": f"{goal.plan}/X{i:03}", "goal": f"X{i:03}"})
        for i in range(70)
    ]
    big = two.model_copy(update={"goals": many + two.goals})
    assert '<body class="dense">' in render_report(big)
    assert '<body class="">' in render_report(two)


def test_plans_add_notes(two, plan_2015, plan_2016):
    with_plans = render_report(two, [plan_2015, plan_2016])
    notes = json.loads("".join(parse_html(with_plans).data_block))["notes"]
    expected = {f"{two.plans[0].id}/{g.id}": g.note for g in plan_2015.goals if g.note} | {
        f"{two.plans[1].id}/{g.id}": g.note for g in plan_2016.goals if g.note
    }
    assert notes == expected
    assert "Økonomi og Stab, Albertslund Kommune" in with_plans


def test_cli_report(two, tmp_path):
    runner = CliRunner()
    lineage_json = tmp_path / "lineage.json"
    lineage_json.write_text(to_json(two), encoding="utf-8")
    assert_valid(lineage_json.read_text(encoding="utf-8"), "lineage")
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["report", str(lineage_json), "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = {p.source.path: Path(p.source.path) for p in two.plans}
    assert out.read_text(encoding="utf-8") == render_report(two, files=pdf_links(files, tmp_path))
    result = runner.invoke(main, ["report", str(ROOT / "schemas" / "plan.schema.json")])
    assert result.exit_code == 4
    assert result.stderr.startswith("maalspor: ") and result.stderr.count("\n") == 1


def test_page_numbers_link_to_the_pdf_relative_to_the_report(two, tmp_path):
    """Every "s. N" of a card opens its plan's PDF at page N; the link is relative, so the
    report and the plans can move together."""
    report_dir = tmp_path / "share" / "reports"
    files = {p.source.path: Path(p.source.path) for p in two.plans}
    links = pdf_links(files, report_dir)
    for plan in two.plans:
        href = links[plan.source.path]
        assert not href.startswith("/") and href.endswith(".pdf")
        assert (report_dir / href).resolve() == Path(plan.source.path).resolve()
    page = render_report(two, files=links)
    cards = re.findall(r'<a class="pg" href="([^"#]+)#page=(\d+)"', page)
    assert len(cards) == len(two.goals)
    source_of = {p.id: links[p.source.path] for p in two.plans}
    assert sorted(cards) == sorted((source_of[g.plan], str(g.page)) for g in two.goals)
    assert json.loads(re.search(r'id="data">(.*?)</script>', page).group(1))["files"] == links
    # A plain-text plan has no pages to open; without files, no links at all.
    assert pdf_links({"plan.txt": tmp_path / "plan.txt"}, report_dir) == {}
    assert '<a class="pg"' not in render_report(two)
    # Names that need escaping in a URL are quoted.
    assert pdf_links({"x": tmp_path / "plan 2015 æ.pdf"}, tmp_path) == {
        "x": "plan%202015%20%C3%A6.pdf"
    }


def test_cli_report_finds_the_pdfs_beside_the_lineage(two, tmp_path, monkeypatch):
    """Relative source paths are looked up from here, else from the lineage file's folder."""
    import shutil

    folder = tmp_path / "work"
    folder.mkdir()
    relative = two.model_copy(deep=True)
    for plan in relative.plans:
        name = Path(plan.source.path).name
        shutil.copy(plan.source.path, folder / name)
        plan.source.path = name
    (folder / "lineage.json").write_text(to_json(relative), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", "work/lineage.json", "-o", "out/report.html"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'href="../work/albertslund-okonomi-og-stab-2015.pdf#page=4"' in page


# ---------------------------------------------------------------------------------------------
# In Chromium


class Opened:
    """A report open in a page, with every request and script error recorded."""

    def __init__(self, browser, html: str, path: Path) -> None:
        path.write_text(html, encoding="utf-8")
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1366, "height": 768})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: self.errors.append("dialog: " + dialog.message))
        # Offline, as from a USB stick: anything but the file itself is refused.
        self.page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url == self.url else route.abort(),
        )
        self.page.goto(self.url)
        self.page.wait_for_function("document.querySelectorAll('#bands path').length > 0")

    def visible_cards(self) -> list[str]:
        return self.page.eval_on_selector_all(
            ".card:not(.hide)", "cards => cards.map(c => c.dataset.id)"
        )

    def close(self) -> None:
        assert self.errors == []
        assert self.requests == [self.url]
        self.page.close()


@pytest.fixture
def opened(browser, two, tmp_path) -> Iterator[Opened]:
    page = Opened(browser, render_report(two), tmp_path / "report.html")
    yield page
    page.close()


def test_browser_renders_every_goal_and_every_link(opened, two):
    page = opened.page
    assert page.locator(".card").count() == len(two.goals)
    assert opened.visible_cards() == [g.id for g in two.goals]
    assert page.locator("#bands path.band").count() == len(two.links)
    missing = sum(g.fate == "missing_successor" for g in two.goals)
    # the red "?" end of every promised-but-missing goal in view
    assert 0 < page.locator("#bands circle.stubend").count() <= missing


def test_browser_click_shows_the_details_and_saves_the_screenshot(opened, two):
    page = opened.page
    goal = next(g for g in two.goals if g.id == G001)
    page.click(f'.goto[data-goal="{G001}"]')  # from the summary's list of missing goals
    detail = page.locator("#detail")
    text = detail.inner_text()
    assert goal.text in text
    assert "Lovet videreført – mangler" in text
    assert goal.documentation[0][:60] in text
    assert (goal.follow_up or "")[:40] in text
    assert "Videreføres: ja" in text
    assert f"{Path(opened.url).name}" not in text  # the source is the plan's file, not the page
    assert "albertslund-okonomi-og-stab-2015.pdf, side 4" in text
    assert page.locator(".card.sel").get_attribute("data-id") == G001
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000

    # a linked goal: the evidence of its link, and a jump to its successor
    link = two.links[0]
    page.click(f'.card[data-id="{link.from_}"]')
    text = detail.inner_text()
    for evidence in link.evidence:
        assert evidence.detail in text
    assert f"{link.score:.2f}".replace(".", ",") in text
    assert page.locator("#bands path.band.hot").count() >= 1
    detail.locator(".link button").first.click()
    assert page.locator(".card.sel").get_attribute("data-id") == link.to


def test_browser_detail_links_the_pages_of_the_pdfs(browser, two, tmp_path):
    files = {p.source.path: Path(p.source.path) for p in two.plans}
    links = pdf_links(files, tmp_path)
    opened = Opened(browser, render_report(two, files=links), tmp_path / "report.html")
    try:
        goal = next(g for g in two.goals if g.id == G001)
        opened.page.click(f'.goto[data-goal="{G001}"]')
        anchors = opened.page.locator("#detail p.src a")
        assert anchors.count() == 2  # the goal and its follow-up
        hrefs = [anchors.nth(i).get_attribute("href") for i in range(2)]
        assert hrefs == [
            f"{links[two.plans[0].source.path]}#page={goal.page}",
            f"{links[two.plans[1].source.path]}#page={goal.follow_up_page}",
        ]
        assert anchors.nth(0).inner_text() == f"side {goal.page}"
        assert "albertslund-okonomi-og-stab-2015.pdf, side 4" in opened.page.inner_text("#detail")
    finally:
        opened.close()


def test_browser_search_and_filters(opened, two):
    page = opened.page
    page.fill("#q", "digital")
    expected = [
        g.id
        for g in two.goals
        if "digital"
        in " ".join(
            [g.text, *g.subgoals, *g.documentation, g.follow_up or "", g.section or ""]
        ).lower()
    ]
    assert 0 < len(expected) < len(two.goals)
    assert opened.visible_cards() == expected
    assert page.locator(".card:not(.hide) mark").count() >= 1
    page.click("#reset")
    assert len(opened.visible_cards()) == len(two.goals)
    page.click(f'.count[data-fate="missing_successor"][data-plan="{two.plans[0].id}"]')
    assert opened.visible_cards() == [g.id for g in two.goals if g.fate == "missing_successor"]
    assert "Viser: Lovet videreført – mangler" in page.inner_text("#filter-state")
    page.click(f'.count[data-fate="new"][data-plan="{two.plans[1].id}"]')
    new = [g.id for g in two.goals if g.plan == two.plans[1].id and not g.predecessors]
    assert opened.visible_cards() == new


def test_browser_redraws_bands_on_scroll(opened):
    page = opened.page
    before = page.eval_on_selector_all("#bands path.band", "ps => ps.map(p => p.getAttribute('d'))")
    page.eval_on_selector(".col .cards", "c => { c.scrollTop = 300; }")
    page.wait_for_timeout(100)
    after = page.eval_on_selector_all("#bands path.band", "ps => ps.map(p => p.getAttribute('d'))")
    assert len(after) == len(before)
    assert after != before


def test_browser_shows_markup_as_text(browser, two, tmp_path):
    opened = Opened(browser, render_report(hostile(two)), tmp_path / "hostile.html")
    page = opened.page
    assert page.evaluate("window.pwned === undefined")
    assert page.locator(".card .txt").first.inner_text() == HOSTILE
    page.locator(".card").first.click()
    assert HOSTILE in page.inner_text("#detail")
    assert page.evaluate("window.pwned === undefined")
    opened.close()


def test_browser_three_plans_with_a_stand_in(browser, stand_in, tmp_path):
    opened = Opened(browser, render_report(stand_in), tmp_path / "three.html")
    assert opened.page.locator(".col").count() == len(stand_in.plans) == 3
    assert opened.page.locator(".card").count() == len(stand_in.goals)
    assert opened.page.locator(".standin").count() == 1
    assert opened.page.locator("#bands path.band").count() > 0
    opened.close()


def test_browser_copies_ready_overrides_entries(opened, two):
    """The buttons on candidates and links hold TOML entries that name the right goals."""
    import tomllib

    from maalspor.match.overrides import apply_overrides, parse_overrides

    page = opened.page
    missing = next(g for g in two.goals if g.id == G001)
    assert missing.fate == "missing_successor" and missing.candidates
    page.click(f'.goto[data-goal="{G001}"]')
    heading = f"Kandidater under tærsklen ({len(missing.candidates)})"
    assert heading in page.text_content("#detail")
    entries = page.eval_on_selector_all(
        "#detail .candidate button.copy", "buttons => buttons.map(b => b.dataset.toml)"
    )
    assert len(entries) == len(missing.candidates)
    for candidate, text in zip(missing.candidates, entries, strict=True):
        [link] = tomllib.loads(text)["link"]
        assert (link["from"], link["to"], link["action"]) == (G001, candidate.to, "add")
        fixed = apply_overrides(two, parse_overrides(tomllib.loads(text)))
        assert fixed.overrides.stale == [] and fixed.overrides.moved == []
        assert candidate.to in next(g for g in fixed.goals if g.id == G001).successors

    fates = page.eval_on_selector_all(
        "#detail .fates button.copy", "buttons => buttons.map(b => b.dataset.toml)"
    )
    [dropped] = [t for t in fates if 'fate = "dropped"' in t]
    fixed = apply_overrides(two, parse_overrides(tomllib.loads(dropped)))
    assert next(g for g in fixed.goals if g.id == G001).fate == "dropped"

    # a linked goal: confirm and reject its links
    link = two.links[0]
    page.click(f'.card[data-id="{link.from_}"]')
    buttons = page.locator("#detail .link:not(.candidate) button.copy")
    texts = [buttons.nth(i).get_attribute("data-toml") for i in range(buttons.count())]
    reject = next(t for t in texts if 'action = "reject"' in t and f'to = "{link.to}"' in t)
    fixed = apply_overrides(two, parse_overrides(tomllib.loads(reject)))
    assert (link.from_, link.to) not in {(x.from_, x.to) for x in fixed.links}
    assert [(x.from_, x.to) for x in fixed.rejected_links] == [(link.from_, link.to)]

    # the click puts the entry on the clipboard
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = buttons.first
    button.click()
    page.wait_for_function("b => b.textContent.startsWith('Kopieret')", arg=button.element_handle())
    assert page.evaluate("navigator.clipboard.readText()") == button.get_attribute("data-toml")


def test_browser_marks_a_persons_decisions(browser, two, tmp_path):
    import tomllib

    from maalspor.match.overrides import apply_overrides, parse_overrides

    link = two.links[0]
    text = (
        f'[[link]]\nfrom = "{link.from_}"\nfrom_text = "{_start(two, link.from_)}"\n'
        f'to = "{link.to}"\nto_text = "{_start(two, link.to)}"\naction = "confirm"\n'
        'note = "checked in both PDFs"\n'
        f'[[fate]]\ngoal = "{G001}"\ngoal_text = "{_start(two, G001)}"\nfate = "dropped"\n'
    )
    fixed = apply_overrides(two, parse_overrides(tomllib.loads(text), path="overrides.toml"))
    opened = Opened(browser, render_report(fixed), tmp_path / "fixed.html")
    page = opened.page
    assert page.locator("#bands path.band.person").count() == 1
    assert page.locator(f'.card[data-id="{G001}"] .badge.person').count() == 1
    assert "Rettelser fra overrides.toml: 2 brugt" in page.inner_text("#summary")
    page.click(f'.card[data-id="{link.from_}"]')
    assert "Afgjort af en person: checked in both PDFs" in page.inner_text("#detail")
    opened.close()


def _start(lineage: LineageDocument, goal_id: str) -> str:
    text = next(g.text for g in lineage.goals if g.id == goal_id)
    return " ".join(text.split()[:5]).replace('"', "")


def test_report_in_english_and_danish(two, tmp_path):
    """`report --lang en` writes every fixed text of the page in English, `--lang da` (the
    default) in Danish; the goals, links and data are the same."""
    runner = CliRunner()
    lineage_json = tmp_path / "lineage.json"
    lineage_json.write_text(to_json(two), encoding="utf-8")
    pages = {}
    for lang in ("en", "da"):
        out = tmp_path / f"report-{lang}.html"
        result = runner.invoke(main, ["report", str(lineage_json), "--lang", lang, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pages[lang] = out.read_text(encoding="utf-8")
    default = tmp_path / "report.html"
    assert runner.invoke(main, ["report", str(lineage_json), "-o", str(default)]).exit_code == 0
    assert default.read_text(encoding="utf-8") == pages["da"]
    english, danish = pages["en"], pages["da"]
    assert '<html lang="en">' in english and '<html lang="da">' in danish
    english_texts = ("What became of the goals?", "Click a goal", "Search goals,", "– missing")
    for text in english_texts:
        assert text.lower() in english.lower() and text.lower() not in danish.lower()
    for text in ("Hvad blev der af målene?", "Klik på et mål", "Søg i mål", "Lovet videreført"):
        assert text in danish and text not in english
    visible = re.sub(r"<script.*?</script>", "", english, flags=re.S)
    for danish_word in ("Videreført", "Opfyldt", "mangler", "Uden indsatsområde", "Søg i"):
        assert danish_word not in visible
    data = {
        lang: json.loads(re.search(r'id="data">(.*?)</script>', page).group(1))
        for lang, page in pages.items()
    }
    assert data["en"]["lineage"] == data["da"]["lineage"]
    assert (
        data["en"]["labels"]["ui"]["goal"] == "Goal" and data["da"]["labels"]["ui"]["goal"] == "Mål"
    )
    assert parse_html(english).tags.count(("div", {"class": "card"})) == parse_html(
        danish
    ).tags.count(("div", {"class": "card"}))
    assert english.count('class="card ') == danish.count('class="card ') == len(two.goals)


def test_browser_detail_panel_in_english(browser, two, tmp_path):
    page = Opened(browser, render_report(two, lang="en"), tmp_path / "report-en.html")
    try:
        page.page.click(f'.goto[data-goal="{G001}"]')
        text = page.page.locator("#detail").inner_text()
        lower = text.lower()  # section headings are set in capitals by the style sheet
        assert "Goes on: yes" in text and "documentation" in lower and "source" in lower
        assert "albertslund-okonomi-og-stab-2015.pdf, page 4" in text
        assert "videreføres:" not in lower and "kilde" not in lower and "Copy: add" in text
    finally:
        page.close()


# ---------------------------------------------------------------------------------------------
# Where the PDFs are (what a new user ran into)


def _moved(two: LineageDocument, paths: dict[str, str]) -> LineageDocument:
    moved = two.model_copy(deep=True)
    for plan in moved.plans:
        plan.source.path = paths[Path(plan.source.path).name]
    return moved


def test_cli_report_of_a_pdf_says_so(tmp_path):
    from tests.conftest import SAMPLE_2015

    result = CliRunner().invoke(main, ["report", str(SAMPLE_2015)])
    assert result.exit_code == 4
    assert result.stderr == (
        f"maalspor: {SAMPLE_2015}: a PDF, not a lineage JSON (make one with `maalspor lineage`)\n"
    )
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    result = CliRunner().invoke(main, ["report", str(binary)])
    assert result.exit_code == 4 and "not UTF-8 text: byte 0 is 0x89" in result.stderr


def test_cli_report_finds_the_pdfs_from_the_lineages_folder(two, tmp_path, monkeypatch):
    """A lineage made in outputs/ with paths from there (../samples/...), reported from the
    folder above: the PDFs are found from the lineage's folder, not from here."""
    import shutil

    (tmp_path / "samples").mkdir()
    names = [Path(p.source.path).name for p in two.plans]
    for plan, name in zip(two.plans, names, strict=True):
        shutil.copy(plan.source.path, tmp_path / "samples" / name)
    (tmp_path / "outputs").mkdir()
    moved = _moved(two, {name: f"../samples/{name}" for name in names})
    (tmp_path / "outputs" / "lineage.json").write_text(to_json(moved), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["report", "outputs/lineage.json", "-o", "outputs/report.html"]
    )
    assert result.exit_code == 0 and result.stderr == ""
    page = (tmp_path / "outputs" / "report.html").read_text(encoding="utf-8")
    assert f'href="../samples/{names[0]}#page=4"' in page
    assert 'id="pdf-missing"' not in page


def test_cli_report_warns_of_a_pdf_found_nowhere(two, tmp_path, monkeypatch):
    """Paths that lead nowhere from the lineage's folder or from here: no links to files that
    are not there, a warning on stderr, and the page says so."""
    names = [Path(p.source.path).name for p in two.plans]
    moved = _moved(two, {name: f"../maalspor/{name}" for name in names})
    (tmp_path / "lineage.json").write_text(to_json(moved), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", "lineage.json", "-o", "report.html"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"maalspor: warning: ../maalspor/{name}: PDF not found beside the lineage or from here: "
        "its pages get no links"
        for name in names
    ]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (
        "../maalspor/"
        not in re.sub(r'<p id="pdf-missing">.*?</p>', "", page).split(
            '<script type="application/json"'
        )[0]
    )
    assert '<a class="pg"' not in page
    assert f"PDF ikke fundet: ../maalspor/{names[0]}" in page
