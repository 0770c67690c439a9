"""The review's HTTP server: the standard library's `ThreadingHTTPServer`.

Why the standard library: the server has four routes, one user and no templates; a framework
(and the ASGI server under it) would be the largest dependency of maalspor for a few dozen
lines, and `http.server` is on every Python, offline. Its known weak spots are covered here:
every request is answered in a thread of its own (a slow one never blocks the others), bodies
are read only up to their declared length and only when small enough, and errors are one line
of JSON, never a traceback (those go to the log).

    GET  /                 the page: the report's view with the review's tools
    GET  /api/lineage      the lineage with the overrides applied (`lineage --overrides`'s JSON)
    GET  /pdf/N            the PDF of the lineage's plan N (0 = the first), when it was found
    POST /api/decisions    a decision (`maalspor.review.decisions`); the answer: its link

Every request must name the server's own host (`Host: 127.0.0.1:PORT` or `localhost:PORT`),
so a page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) gets 403, and
carry the run's token: in the header `X-Maalspor-Token`, or, for a GET, as `?token=` (the URL
the command prints). A write takes the token from the header only: another site's page cannot
set that header on a request here without the server's consent, which it never gives (no
CORS), and a form cannot set it at all. No request names a path on disk: PDFs are plans by
number, and the only file ever written is the overrides file.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from maalspor import errors
from maalspor.models.lineage import LineageDocument
from maalspor.review.session import ReviewSession

log = logging.getLogger("maalspor.review")

TOKEN_HEADER = "X-Maalspor-Token"
# The page's own script and style are inline; it fetches only from here, and frames nothing.
_PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_PDF_PATH = re.compile(r"/pdf/(\d{1,4})")


@dataclass
class ReviewApp:
    """What the server serves: the session, the page of a lineage, the plans' PDFs."""

    session: ReviewSession
    page: Callable[[LineageDocument, str], str]  # (lineage, token) → HTML
    pdfs: Sequence[Path | None] = ()  # per plan of the lineage, its PDF when found
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    hosts: set[str] = field(default_factory=set)  # Host values that name this server


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True  # Ctrl-C does not wait for a browser's open connections
    allow_reuse_address = True
    # The listen backlog (socketserver's default is 5): a burst of decisions from several tabs
    # or a script, arriving faster than threads are started on a loaded machine, is queued
    # rather than reset by the kernel.
    request_queue_size = 128

    def __init__(self, app: ReviewApp, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.app = app
        bound = self.server_address[1]
        names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
        app.hosts = {f"{name}:{bound}".lower() for name in names}
        if host == "::1":
            app.hosts.add(f"[::1]:{bound}")
        self.url = f"http://{_url_host(host)}:{bound}/?token={app.token}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "maalspor-review"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def _refuse_method(self) -> None:
        self._answer(lambda: (405, _error("only GET and POST are answered here")))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    # -----------------------------------------------------------------------------------------

    def _answer(self, route: Callable[[], tuple[int, dict | str | bytes]]) -> None:
        app = self.server.app
        try:
            if (self.headers.get("Host") or "").lower() not in app.hosts:
                status, body = 403, _error("this server answers requests to its own address only")
            else:
                status, body = route()
        except errors.DecisionError as error:
            status, body = 400, _error(errors.render(error))
        except errors.MaalsporError as error:
            # The file is not in a state to take the decision (a person's edit), or cannot be
            # written: nothing was written.
            status = 500 if isinstance(error, errors.OutputError) else 409
            body = _error(errors.render(error))
        except Exception:
            log.exception("review: %s %s failed", self.command, self.path)
            status, body = 500, _error("internal error: the server's log says more")
        self._send(status, body)

    def _send(self, status: int, body: dict | str | bytes) -> None:
        if isinstance(body, dict):
            data, kind = (json.dumps(body, ensure_ascii=False) + "\n").encode(), "application/json"
        elif isinstance(body, str):
            data, kind = body.encode("utf-8"), "text/html"
        else:
            data, kind = body, "application/pdf"
        self.send_response(status)
        self.send_header("Content-Type", kind if body is data else f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if kind == "text/html":
            self.send_header("Content-Security-Policy", _PAGE_POLICY)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _token_ok(self, allow_query: bool) -> bool:
        token = self.headers.get(TOKEN_HEADER)
        if token is None and allow_query:
            token = (parse_qs(urlsplit(self.path).query).get("token") or [None])[0]
        return token is not None and hmac.compare_digest(
            token.encode(), self.server.app.token.encode()
        )

    def _get(self) -> tuple[int, dict | str | bytes]:
        app = self.server.app
        if not self._token_ok(allow_query=True):
            return 403, _error("no token or a wrong one: open the URL maalspor review printed")
        path = urlsplit(self.path).path
        if path == "/":
            return 200, app.page(app.session.current(), app.token)
        if path == "/api/lineage":
            return 200, json.loads(app.session.current().model_dump_json(by_alias=True))
        pdf = _PDF_PATH.fullmatch(path)
        if pdf and int(pdf.group(1)) < len(app.pdfs) and app.pdfs[int(pdf.group(1))]:
            file = app.pdfs[int(pdf.group(1))]
            assert file is not None
            try:
                return 200, file.read_bytes()
            except OSError:
                return 404, _error(f"plan {pdf.group(1)}: its PDF cannot be read now")
        return 404, _error(f"no such page: {path}")

    def _post(self) -> tuple[int, dict | str | bytes]:
        app = self.server.app
        if not self._token_ok(allow_query=False):
            return 403, _error(f"a write needs the run's token in the header {TOKEN_HEADER}")
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() not in app.hosts:
            return 403, _error("a write from another site's page is refused")
        if urlsplit(self.path).path != "/api/decisions":
            return 404, _error(f"no such endpoint: {urlsplit(self.path).path}")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            return 415, _error("a decision is JSON: send it with Content-Type: application/json")
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            return 411, _error("a decision needs its Content-Length")
        limit = app.session.settings.max_request_bytes
        if length < 0 or length > limit:
            self.close_connection = True  # the body is not read
            return 413, _error(f"a decision is at most {limit} bytes")
        return 200, app.session.decide(self.rfile.read(length))

    def log_message(self, format: str, *args) -> None:
        """Requests to the log (-v shows them), the token masked."""
        line = format % args
        log.info("review: %s", line.replace(self.server.app.token, "…"))


def _error(message: str) -> dict:
    return {"error": " ".join(message.split())}
