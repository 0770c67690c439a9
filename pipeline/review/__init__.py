"""Review in the browser: a person confirms, rejects and adds links and sets fates on a page
served on this machine, and every decision is written at once to the overrides file that
`lineage --overrides` and `batch` read.

`target.py` finds what to review (a lineage file, or a series of a batch's OUTDIR) and where
its decisions go; `overrides_text.py` edits that file as text (the person's comments and order
kept); `decisions.py` checks a decision posted by the page; `store.py` reads and writes the
file under a lock, atomically; `session.py` holds the lineage under review and makes the
decisions; `server.py` is the HTTP server (the standard library's), with its token and host
checks; `app.py` puts them together. docs/review.md tells the whole of it.
"""
