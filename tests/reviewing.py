"""A review server in a thread of the test process, and requests to it with any header."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from maalspor.models.lineage import LineageDocument
from maalspor.outputs.emit import write_json
from maalspor.review.app import review_app
from maalspor.review.server import ReviewApp, ReviewServer
from maalspor.review.target import review_target
from maalspor.settings import ReviewSettings


@dataclass
class Served:
    url: str
    token: str
    port: int
    app: ReviewApp
    overrides: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | dict | None = None,
        headers: dict[str, str] | None = None,
        *,
        token: bool = True,
        host: str | None = None,
    ) -> tuple[int, dict | str]:
        """(status, the JSON answer — or the text, for a page)."""
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        sent = {"Host": host or self.host}
        if body is not None:
            sent["Content-Type"] = "application/json"
        if token:
            sent["X-Maalspor-Token"] = self.token
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
            kind = response.getheader("Content-Type") or ""
            return response.status, json.loads(data) if kind.startswith(
                "application/json"
            ) else data
        finally:
            connection.close()

    def decide(self, **decision: str | None) -> tuple[int, dict]:
        fields = {k.rstrip("_"): v for k, v in decision.items()}
        status, answer = self.request("POST", "/api/decisions", fields)
        assert isinstance(answer, dict)
        return status, answer


@contextlib.contextmanager
def serve(
    lineage: LineageDocument | Path,
    folder: Path,
    overrides: Path | None = None,
    settings: ReviewSettings | None = None,
    lang: str = "en",
    *,
    default_overrides: bool = False,
) -> Iterator[Served]:
    """`maalspor review LINEAGE --overrides OVERRIDES` (or `maalspor review OUTDIR`) in a
    thread; a lineage given as a document is written to `folder` first. Without
    `default_overrides`, a lineage file's decisions go to `folder`/overrides.toml."""
    if isinstance(lineage, LineageDocument):
        lineage = write_json(lineage, folder / "lineage.json")
    if lineage.is_dir() or default_overrides:  # the file `maalspor review` picks by itself
        target = review_target(lineage, overrides)
    else:
        target = review_target(lineage, overrides or folder / "overrides.toml")
    app = review_app(target, settings or ReviewSettings(), lang=lang)
    server = ReviewServer(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(server.url, app.token, server.server_address[1], app, target.overrides.path)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
