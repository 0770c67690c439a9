"""`maalspor review` over HTTP: decisions written at once to the overrides file in the format
`--overrides` reads, the token and the host checked on every request, bad requests a 400 with
one line, concurrent decisions and two reviews of one file all landing, and a server killed
while it writes leaving the file whole.

The lineage is the two sample plans' from their golden parse outputs (no PDF is parsed here);
the server runs in a thread (tests/reviewing.py), or as `maalspor review` in a child process
where it is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.match.linker import lineage
from maalspor.match.overrides import apply_overrides, load_overrides
from maalspor.outputs.emit import load_plan, to_json
from maalspor.settings import ReviewSettings
from tests.reviewing import serve
from tests.test_overrides import CASH_FREE, GOLDEN, RULES, STRATEGY

PLANS = [
    GOLDEN / "albertslund-okonomi-og-stab-2015.json",
    GOLDEN / "albertslund-okonomi-og-stab-2016-2017.json",
]
COMMENTED = """\
# Checked by A. Jensen against both PDFs, May 2024.

# the strategy goal lives on as the review of the rules
[[link]]
from = "{strategy}"   # G13
from_text = 'Vi vil udarbejde en strategi'
to = "{rules}"
to_text = "Eftersyn af de økonomiske"
action = "add"
note = "same goal, new words"

[[fate]]   # asked the department
goal = "{cash}"
goal_text = "ØS vil gøre Kommunens børn"
fate = "dropped"
"""


@pytest.fixture(scope="module")
def base():
    return lineage([load_plan(p) for p in PLANS])


def commented(path: Path) -> str:
    text = COMMENTED.format(strategy=STRATEGY, rules=RULES, cash=CASH_FREE)
    path.write_text(text, encoding="utf-8")
    return text


def clipped(text: str, width: int = 60) -> str:
    """A goal's text as an overrides entry quotes it: cut at a word within `width` characters."""
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0]


def applied(base, path: Path) -> dict:
    """The lineage `lineage --overrides PATH` writes."""
    return json.loads(to_json(apply_overrides(base, load_overrides(path))))


# ---------------------------------------------------------------------------------------------
# Decisions


def test_each_action_is_written_at_once_and_the_lineage_follows(base, tmp_path):
    with serve(base, tmp_path) as s:
        link = base.links[0]
        status, answer = s.decide(action="confirm", from_=link.from_, to=link.to, note="checked")
        assert status == 200 and answer["state"] == "linked"
        assert (answer["link"]["decided_by"], answer["link"]["note"]) == ("person", "checked")
        assert tomllib.loads(s.overrides.read_text(encoding="utf-8"))["link"] == [
            {
                "from": link.from_,
                "from_text": clipped(answer["from"]["text"]),
                "to": link.to,
                "to_text": clipped(answer["to"]["text"]),
                "action": "confirm",
                "note": "checked",
            }
        ]
        status, answer = s.decide(action="reject", from_=link.from_, to=link.to)
        assert answer["state"] == "rejected" and answer["link"]["note"] == "checked"  # kept
        missing = next(g for g in base.goals if g.id == STRATEGY)
        status, answer = s.decide(action="add", from_=STRATEGY, to=missing.candidates[0].to)
        assert answer["state"] == "linked" and answer["from"]["fate"] == "continued"
        status, answer = s.decide(action="fate", from_=CASH_FREE, fate="dropped", note="no")
        assert (answer["from"]["fate"], answer["from"]["decided_by"]) == ("dropped", "person")
        entries = tomllib.loads(s.overrides.read_text(encoding="utf-8"))
        assert [e["action"] for e in entries["link"]] == ["reject", "add"]
        assert [(e["goal"], e["fate"], e["note"]) for e in entries["fate"]] == [
            (CASH_FREE, "dropped", "no")
        ]
        status, served = s.request("GET", "/api/lineage")
        assert status == 200 and served == applied(base, s.overrides)
        assert served["overrides"]["applied"] == 3


def test_the_page_shows_what_lineage_overrides_gives(base, tmp_path):
    """GET /api/lineage is byte for byte what `maalspor lineage PLANS --overrides FILE` writes."""
    with serve(base, tmp_path) as s:
        s.decide(action="add", from_=STRATEGY, to=RULES, note="same goal")
        s.decide(action="fate", from_=CASH_FREE, fate="completed")
        _, served = s.request("GET", "/api/lineage")
    result = CliRunner().invoke(
        main, ["lineage", *map(str, PLANS), "--overrides", str(s.overrides)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == served


def test_undo_puts_back_what_was_there(base, tmp_path):
    link = base.links[0]
    with serve(base, tmp_path) as s:
        s.decide(action="confirm", from_=link.from_, to=link.to, note="yes")
        s.decide(action="reject", from_=link.from_, to=link.to, note="no")
        status, answer = s.decide(action="undo", from_=link.from_, to=link.to)
        assert (status, answer["state"], answer["link"]["note"]) == (200, "linked", "yes")
        status, answer = s.decide(action="undo", from_=link.from_, to=link.to)
        assert answer["link"]["decided_by"] == "rules" and s.overrides.read_text() == ""
        status, answer = s.decide(action="undo", from_=link.from_, to=link.to)
        assert status == 400 and "no decision of a person's to undo" in answer["error"]
        # a fate: set, cleared, undone (the cleared entry comes back)
        s.decide(action="fate", from_=CASH_FREE, fate="dropped", note="gone")
        status, answer = s.decide(action="fate", from_=CASH_FREE, fate="")
        assert answer["from"]["decided_by"] == "rules" and "[[fate]]" not in s.overrides.read_text()
        status, answer = s.decide(action="undo", from_=CASH_FREE)
        assert (answer["from"]["fate"], answer["from"]["note"]) == ("dropped", "gone")
        # changed by hand since: not undone
        s.decide(action="fate", from_=CASH_FREE, fate="ended")
        text = s.overrides.read_text(encoding="utf-8").replace('"ended"', '"completed"')
        s.overrides.write_text(text, encoding="utf-8")
        status, answer = s.decide(action="undo", from_=CASH_FREE)
        assert status == 409 and "changed since" in answer["error"]
        assert s.overrides.read_text(encoding="utf-8") == text


def test_a_persons_comments_and_order_survive_a_decision(base, tmp_path):
    path = tmp_path / "mine.toml"
    before = commented(path)
    with serve(base, tmp_path, path) as s:
        _, served = s.request("GET", "/api/lineage")
        assert served["overrides"]["applied"] == 2  # the file as the person wrote it
        status, _ = s.decide(action="confirm", from_=STRATEGY, to=RULES, note="checked again")
        assert status == 200
        status, _ = s.decide(action="fate", from_=base.goals[0].id, fate="ended")
        assert status == 200
    after = path.read_text(encoding="utf-8")
    old_lines = before.splitlines()
    changed = [line for line in old_lines if line not in after.splitlines()]
    assert changed == ['action = "add"', 'note = "same goal, new words"']
    assert 'action = "confirm"\nnote = "checked again"\n\n[[fate]]   # asked' in after
    assert after.startswith(before.split('action = "add"')[0])
    assert after.index("# asked the department") < after.index(base.goals[0].id)


def test_two_reviews_of_one_file_lose_no_decision(base, tmp_path):
    """Each decision reads the file anew under the lock: two servers on one file merge."""
    with serve(base, tmp_path) as one, serve(base, tmp_path, one.overrides) as two:
        goals = [g.id for g in base.goals[:10]]
        for number, goal in enumerate(goals):
            server = one if number % 2 else two
            assert (
                server.decide(action="fate", from_=goal, fate="ended", note=str(number))[0] == 200
            )
        _, seen_by_one = one.request("GET", "/api/lineage")
        _, seen_by_two = two.request("GET", "/api/lineage")
    fates = tomllib.loads(one.overrides.read_text(encoding="utf-8"))["fate"]
    assert [(f["goal"], f["note"]) for f in fates] == [(g, str(n)) for n, g in enumerate(goals)]
    assert seen_by_one == seen_by_two == applied(base, one.overrides)


def test_fifty_concurrent_decisions_all_land(base, tmp_path):
    goals = [g.id for g in base.goals][:40]
    links = base.links[:10]
    decisions = [
        {"action": "fate", "from": g, "fate": "ended", "note": f"n{i}"} for i, g in enumerate(goals)
    ]
    decisions += [
        {"action": "confirm", "from": x.from_, "to": x.to, "note": f"l{i}"}
        for i, x in enumerate(links)
    ]
    assert len(decisions) == 50
    with serve(base, tmp_path) as s, ThreadPoolExecutor(max_workers=25) as pool:
        answers = list(pool.map(lambda d: s.request("POST", "/api/decisions", d), decisions))
        assert [status for status, _ in answers] == [200] * 50
        _, served = s.request("GET", "/api/lineage")
    data = tomllib.loads(s.overrides.read_text(encoding="utf-8"))
    assert sorted(f["note"] for f in data["fate"]) == sorted(f"n{i}" for i in range(40))
    assert sorted(x["note"] for x in data["link"]) == sorted(f"l{i}" for i in range(10))
    assert served["overrides"]["applied"] == 50 == len(load_overrides(s.overrides).entries)
    assert not list(tmp_path.glob(".overrides.toml.*"))


# ---------------------------------------------------------------------------------------------
# Security: token, host, origin; nothing but the overrides file


def test_a_write_without_the_token_or_to_another_host_is_refused(base, tmp_path):
    decision = {"action": "fate", "from": CASH_FREE, "fate": "dropped"}
    with serve(base, tmp_path) as s:
        refused = [
            s.request("POST", "/api/decisions", decision, token=False),
            s.request("POST", "/api/decisions", decision, {"X-Maalspor-Token": "guess"}),
            s.request("POST", f"/api/decisions?token={s.token}", decision, token=False),
            s.request("POST", "/api/decisions", decision, host=f"evil.example:{s.port}"),
            s.request("POST", "/api/decisions", decision, host="127.0.0.1:1"),
            s.request("POST", "/api/decisions", decision, {"Origin": "http://evil.example"}),
            s.request("GET", "/api/lineage", token=False),
            s.request("GET", f"/api/lineage?token={s.token}", token=False, host="evil.example"),
            s.request("GET", "/?token=guess", token=False),
        ]
        assert [status for status, _ in refused] == [403] * len(refused)
        assert all(len(answer["error"].splitlines()) == 1 for _, answer in refused)
        assert not s.overrides.exists()
        # The URL the command prints, and the page's own requests, are answered.
        status, page = s.request("GET", f"/?token={s.token}", token=False)
        assert status == 200 and "<!DOCTYPE html>" in page
        status, _ = s.request("GET", "/api/lineage", host=f"localhost:{s.port}")
        assert status == 200
        same = {"Origin": f"http://127.0.0.1:{s.port}"}
        assert s.request("POST", "/api/decisions", decision, same)[0] == 200


def test_no_request_names_a_path_on_disk(base, tmp_path):
    """The PDFs are served by plan number (the samples' paths lead from here); nothing else
    on disk is reachable, and nothing but the overrides file is written."""
    with serve(base, tmp_path) as s:
        status, pdf = s.request("GET", f"/pdf/0?token={s.token}")
        assert status == 200 and pdf.startswith("%PDF-")
        for path in ("/pdf/../../etc/passwd", "/%2e%2e/lineage.json", "/lineage.json", "/pdf/9"):
            status, _ = s.request("GET", f"{path}?token={s.token}")
            assert status == 404, path
        assert s.request("PUT", "/api/decisions", "{}")[0] == 405
        assert s.decide(action="fate", from_=CASH_FREE, fate="ended")[0] == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lineage.json", "overrides.toml"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "the request's body is not JSON"),
        ("[1, 2]", "a decision is a JSON object"),
        (
            '{"action": "fate", "from": "x/G001", "fate": "dropped", "extra": 1}',
            "unknown field 'extra'",
        ),
        ('{"action": "merge", "from": "x"}', "action must be one of"),
        (
            '{"action": "fate", "from": "nowhere/G001", "fate": "dropped"}',
            "unknown goal 'nowhere/G001'",
        ),
        ('{"action": "confirm", "from": "' + STRATEGY + '"}', "give 'from' and 'to'"),
        (
            '{"action": "add", "from": "' + RULES + '", "to": "' + STRATEGY + '"}',
            "not in a later plan",
        ),
        ('{"action": "confirm", "from": "' + STRATEGY + '", "to": "' + RULES + '"}', "not a link"),
        ('{"action": "fate", "from": "' + CASH_FREE + '", "fate": "gone"}', "fate must be one of"),
        ('{"action": "fate", "from": "' + CASH_FREE + '", "fate": 3}', "fate must be a string"),
        ('{"action": "fate", "from": "' + CASH_FREE + '", "note": "\\ud800"}', "not valid text"),
    ],
)
def test_bad_decisions_are_a_400_with_one_line(base, tmp_path, body, message):
    with serve(base, tmp_path) as s:
        status, answer = s.request("POST", "/api/decisions", body)
    assert status == 400 and message in answer["error"]
    assert "\n" not in answer["error"] and "Traceback" not in answer["error"]
    assert not s.overrides.exists()


def test_oversized_and_unlabelled_bodies_are_refused_unread(base, tmp_path):
    settings = ReviewSettings(max_request_bytes=200, max_note_chars=10)
    with serve(base, tmp_path, settings=settings) as s:
        status, answer = s.request("POST", "/api/decisions", "x" * 201)
        assert status == 413 and "at most 200 bytes" in answer["error"]
        status, _ = s.request("POST", "/api/decisions", "{}", {"Content-Type": "text/plain"})
        assert status == 415
        status, answer = s.decide(action="fate", from_=CASH_FREE, fate="ended", note="x" * 11)
        assert status == 400 and "longer than 10 characters" in answer["error"]
    assert not s.overrides.exists()


def test_a_file_broken_by_hand_is_a_409_and_left_alone(base, tmp_path):
    with serve(base, tmp_path) as s:
        s.overrides.write_text("[[fate]\nbroken", encoding="utf-8")
        status, answer = s.decide(action="fate", from_=CASH_FREE, fate="ended")
        assert status == 409 and "not valid TOML" in answer["error"]
        status, answer = s.request("GET", "/api/lineage")
        assert status == 409
        assert s.overrides.read_text(encoding="utf-8") == "[[fate]\nbroken"


def test_a_write_that_fails_leaves_the_file_as_it_was(base, tmp_path, monkeypatch):
    path = tmp_path / "overrides.toml"
    before = commented(path)
    with serve(base, tmp_path) as s:

        def refuse(*args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", refuse)
        status, answer = s.decide(action="fate", from_=base.goals[0].id, fate="ended")
        monkeypatch.undo()
        assert status == 500 and "No space left on device" in answer["error"]
        assert path.read_text(encoding="utf-8") == before
        assert not list(tmp_path.glob(".overrides.toml.*"))
        assert s.decide(action="fate", from_=base.goals[0].id, fate="ended")[0] == 200


# ---------------------------------------------------------------------------------------------
# Killed while writing

_CHILD = """
import os, sys, time
def stalled(fd):  # the new file is written beside the old, not yet renamed over it
    sys.stderr.write("WRITING\\n"); sys.stderr.flush(); time.sleep(120)
os.fsync = stalled
from maalspor.cli import main
main(sys.argv[1:])
"""


def test_a_server_killed_mid_write_leaves_the_file_whole(base, tmp_path):
    from maalspor.outputs.emit import write_json

    lineage_file = write_json(base, tmp_path / "lineage.json")
    path = tmp_path / "overrides.toml"
    before = commented(path)
    command = [
        sys.executable,
        "-c",
        _CHILD,
        "review",
        str(lineage_file),
        "--overrides",
        str(path),
        "--no-browser",
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        port, token = int(url.split(":")[2].split("/")[0]), url.split("token=")[1]
        import http.client

        def post() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            body = json.dumps({"action": "fate", "from": base.goals[0].id, "fate": "ended"})
            headers = {"X-Maalspor-Token": token, "Content-Type": "application/json"}
            try:
                connection.request("POST", "/api/decisions", body, headers)
                connection.getresponse()
            except (OSError, http.client.HTTPException):
                pass  # the server dies under it

        writer = threading.Thread(target=post, daemon=True)
        writer.start()
        for line in child.stderr:
            if line.strip() == "WRITING":
                break
        leftover = list(tmp_path.glob(".overrides.toml.*.tmp"))
        assert len(leftover) == 1 and "ended" in leftover[0].read_text(encoding="utf-8")
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        writer.join(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert path.read_text(encoding="utf-8") == before  # the old file, whole
    tomllib.loads(path.read_text(encoding="utf-8"))
    # The next review clears what the killed one left, and writes.
    with serve(lineage_file, tmp_path, path) as s:
        assert not list(tmp_path.glob(".overrides.toml.*.tmp"))
        assert s.decide(action="fate", from_=base.goals[0].id, fate="ended")[0] == 200
    assert path.read_text(encoding="utf-8").startswith(before)


# ---------------------------------------------------------------------------------------------
# The command


def test_review_of_a_pdf_or_an_outdir_of_several_series(tmp_path):
    from tests.conftest import SAMPLE_2015

    result = CliRunner().invoke(main, ["review", str(SAMPLE_2015), "--no-browser"])
    assert result.exit_code == 4 and "a PDF, not a lineage JSON" in result.stderr
    result = CliRunner().invoke(main, ["review", str(tmp_path), "--no-browser"])
    assert result.exit_code == 3 and "without a batch's manifest.json" in result.stderr


def test_review_of_a_batch_outdir_writes_what_the_next_batch_reads(two_texts, tmp_path):
    """`maalspor review OUTDIR`: decisions go to OUTDIR/overrides.toml (recorded as batch
    records it), and the next batch run's lineage is the one the page showed."""
    from maalspor.models.lineage import LineageDocument

    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["batch", str(two_texts), "-o", str(out), "-q"]).exit_code == 0
    [path] = (out / "lineage").glob("*.json")
    first = LineageDocument.model_validate_json(path.read_bytes())
    missing = next(g for g in first.goals if g.fate == "missing_successor")
    with serve(out, tmp_path) as s:
        assert s.overrides == out / "overrides.toml"
        status, answer = s.decide(action="fate", from_=missing.id, fate="dropped", note="gone")
        assert status == 200 and answer["overrides"]["path"] == "overrides.toml"
        _, served = s.request("GET", "/api/lineage")
    assert runner.invoke(main, ["batch", str(two_texts), "-o", str(out), "-q"]).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8")) == served
    # The same lineage file, given by itself, writes to the same OUTDIR/overrides.toml.
    with serve(path, tmp_path, default_overrides=True) as s:
        assert s.overrides == out / "overrides.toml"
        _, again = s.request("GET", "/api/lineage")
    assert again == served


def test_review_of_an_outdir_of_several_series_asks_which(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for year in ("2019", "2020"):
        for unit in ("Kultur", "Miljø"):
            (folder / f"{unit}-{year}.txt").write_text(
                f"Virksomhedsplan for {unit} {year}\n\nRoskilde Kommune\n\n1. Drift\n\n"
                f"Mål: Sikre god drift af {unit.lower()}området.\n\nDokumentation: Målinger.\n",
                encoding="utf-8",
            )
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["review", str(out), "--no-browser"])
    assert result.exit_code == 2
    assert "holds 2 series (roskilde-kommune-kultur, roskilde-kommune-miljo)" in result.stderr
    result = CliRunner().invoke(main, ["review", str(out), "--series", "nope", "--no-browser"])
    assert result.exit_code == 3 and "no series 'nope'" in result.stderr
    with serve(out / "lineage" / "roskilde-kommune-miljo.json", tmp_path) as s:
        _, served = s.request("GET", "/api/lineage")
    assert served["plans"][0]["unit"].startswith("Milj")
