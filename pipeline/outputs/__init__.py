"""Outputs: the models as files people and programs read.

JSON (`emit.py`: written atomically, read back validated), flat tables (`export.py`: CSV and
JSON Lines; `sqlite.py`: an SQLite database), the HTML report (`report.py`), a diff as text
(`diff_text.py`), the JSON Schemas (`schemas.py`), and the names of codes per language
(`names.py`, from `rules/names.toml`).
"""

from maalspor.outputs.emit import load_document, to_json, to_json_bytes, write_json
from maalspor.outputs.report import render_report

__all__ = ["load_document", "render_report", "to_json", "to_json_bytes", "write_json"]
