"""Review in the browser: a person confirms, rejects and adds links and sets fates on a page
served on this machine, and every decision is written at once to the overrides file that
`lineage --overrides` and `batch` read.

`overrides_text.py` edits that file as text (the person's comments and order kept);
`decisions.py` checks a decision posted by the page; `store.py` reads, edits and writes the
file under a lock, atomically; `session.py` holds the lineage under review and applies the
decisions; `server.py` is the HTTP server (the standard library's), with its token and host
checks.
"""
