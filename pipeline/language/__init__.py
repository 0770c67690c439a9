"""Danish language helpers shared by the stages: text rules over plain strings (`text.py`:
normalising, joining printed lines, list markers), spaCy's Danish data loaded once (`nlp.py`:
tokens, sentences, lemmas; `lemmas.py`: the lemma table held compactly) and file-name slugs
(`naming.py`). Importing this package loads no spaCy: `nlp` does, when first used."""
