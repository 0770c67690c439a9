"""Outputs: the models as files people and programs read.

JSON (`emit.py`: written atomically, read back validated), flat tables (`export.py`: CSV and
JSON Lines; `sqlite.py`: an SQLite database), the HTML report (`report.py`, `report_html.py`), a
diff as text (`diff_text.py`), the JSON Schemas (`schemas.py`), and the names of codes per
language (`names.py`, from `rules/names.toml`). Importing the package loads none of them.
"""
