"""spaCy's Danish word data — the lemma table and the stop words — in a compact, prebuilt form.

spacy-lookups-data's Danish `lemma_lookup` maps some 550,000 word forms to 81,000 lemmas; read
from its JSON it costs 1.5 s and ~25 MB in every process. Here it is built once, at first use,
into a folder of the user's cache (`~/.cache/maalspor`, or `$XDG_CACHE_HOME/maalspor`, or
`$MAALSPOR_CACHE_DIR`), and later processes memory-map it: opening costs a few milliseconds, and
the pages the look-ups touch are shared by every process on the machine (batch workers too).

The folder holds sorted 64-bit hashes of the forms (BLAKE2b of their UTF-8; stable across
processes, unlike Python's `hash`), the number of each form's lemma, the lemmas as one UTF-8
blob with offsets, the sorted hashes of the lemmas and of every form and lemma lower-cased (for
`known_in_any_case`), and spaCy's Danish stop words. A form is found by binary search
(`numpy.searchsorted`); two words share a hash about once in 30,000 billion look-ups.

Building needs neither spaCy nor its pipeline: the table is read from spacy-lookups-data's file
and the stop words from spaCy's `lang/da/stop_words.py`, both found without importing them.
"""

from __future__ import annotations

import ast
import atexit
import gzip
import hashlib
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from maalspor.language.lemmas import read_pairs

# Bump when the folder's layout changes: an old cache is then built anew beside it.
FORMAT = 1
_ENTRY_FILES = (
    "forms.npy",
    "lemma_of.npy",
    "lemma_offsets.npy",
    "lemma_hashes.npy",
    "any_case.npy",
)


def word_hash(word: str) -> int:
    """A stable 64-bit hash of a word (the same in every process and on every machine)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _hashes(words: Iterable[str]) -> np.ndarray:
    return np.fromiter((word_hash(w) for w in words), dtype=np.uint64)


class Lexicon:
    """Word form → lemma (look up lower-cased words, as the table is), known words, stop words."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        load = lambda name: np.load(folder / name, mmap_mode="r")  # noqa: E731
        self._forms = load("forms.npy")
        self._lemma_of = load("lemma_of.npy")
        self._offsets = load("lemma_offsets.npy")
        self._lemma_hashes = load("lemma_hashes.npy")
        self._any_case = load("any_case.npy")
        self._blob = (folder / "lemmas.bin").read_bytes()
        words = (folder / "stop_words.txt").read_text(encoding="utf-8").split()
        self.stop_words = frozenset(words)

    @staticmethod
    def _find(sorted_hashes: np.ndarray, value: int) -> int:
        at = int(np.searchsorted(sorted_hashes, np.uint64(value)))
        if at < len(sorted_hashes) and int(sorted_hashes[at]) == value:
            return at
        return -1

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self._find(self._forms, word_hash(form)) >= 0

    def get(self, form: str, default: str | None = None) -> str | None:
        at = self._find(self._forms, word_hash(form))
        if at < 0:
            return default
        number = int(self._lemma_of[at])
        start, end = int(self._offsets[number]), int(self._offsets[number + 1])
        return self._blob[start:end].decode("utf-8")

    def is_lemma(self, word: str) -> bool:
        return self._find(self._lemma_hashes, word_hash(word)) >= 0

    def known_in_any_case(self, lower: str) -> bool:
        """Whether a lower-cased word is a form or lemma of the table in some case (names such
        as "Køge", abbreviations such as "LANs")."""
        return self._find(self._any_case, word_hash(lower)) >= 0

    def is_known_word(self, word: str) -> bool:
        """A form or lemma of the table, lower-cased."""
        lower = word.lower()
        return lower in self or self.is_lemma(lower)


# --- building ---------------------------------------------------------------------------------


def build(pairs: Iterable[tuple[str, str]], stop_words: Iterable[str], folder: Path) -> None:
    """Write a lexicon's files into `folder` (which must exist)."""
    lemma_number: dict[str, int] = {}
    hashes: dict[int, int] = {}  # form hash → lemma number; a form given twice keeps its last
    lowered: set[str] = set()
    for form, lemma in pairs:
        number = lemma_number.get(lemma)
        if number is None:
            number = lemma_number[lemma] = len(lemma_number)
        hashes[word_hash(form)] = number
        lowered.add(form.lower())
    keys = np.fromiter(hashes.keys(), dtype=np.uint64, count=len(hashes))
    numbers = np.fromiter(hashes.values(), dtype=np.int32, count=len(hashes))
    order = np.argsort(keys, kind="stable")
    lemmas = list(lemma_number)
    encoded = [lemma.encode("utf-8") for lemma in lemmas]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    lowered.update(lemma.lower() for lemma in lemmas)
    np.save(folder / "forms.npy", keys[order])
    np.save(folder / "lemma_of.npy", numbers[order])
    np.save(folder / "lemma_offsets.npy", offsets)
    np.save(folder / "lemma_hashes.npy", np.sort(_hashes(lemmas)))
    np.save(folder / "any_case.npy", np.unique(_hashes(lowered)))
    (folder / "lemmas.bin").write_bytes(b"".join(encoded))
    (folder / "stop_words.txt").write_text("\n".join(sorted(set(stop_words))), encoding="utf-8")


def _table_path() -> Path:
    """spacy-lookups-data's Danish lemma table, found without importing spaCy."""
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("spacy-lookups-data is not installed")
    return Path(spec.origin).parent / "data" / "da_lemma_lookup.json.gz"


def _table_lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        yield from handle


def spacy_stop_words() -> frozenset[str]:
    """spaCy's Danish stop words, read from its source file without importing spaCy."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("spaCy is not installed")
    source = (Path(spec.origin).parent / "lang" / "da" / "stop_words.py").read_text("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value:
            return frozenset(node.value.split())
    raise ValueError("spaCy's Danish stop words were not found")


# --- the cache --------------------------------------------------------------------------------


def cache_root() -> Path:
    """Where maalspor keeps what it builds once: $MAALSPOR_CACHE_DIR, else the XDG cache."""
    explicit = os.environ.get("MAALSPOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "maalspor"


def _cache_key(path: Path) -> str:
    info = path.stat()
    source = f"{FORMAT}:{path}:{info.st_size}:{info.st_mtime_ns}".encode()
    return f"lexicon-{FORMAT}-{hashlib.sha256(source).hexdigest()[:16]}"


def _complete(folder: Path) -> bool:
    names = (*_ENTRY_FILES, "lemmas.bin", "stop_words.txt")
    return all((folder / name).exists() for name in names)


@cache
def lexicon() -> Lexicon:
    """The Danish lexicon, built into the cache at first use, memory-mapped after that."""
    path = _table_path()
    folder = cache_root() / _cache_key(path)
    if not _complete(folder):
        folder = _build_into(folder, path)
    return Lexicon(folder)


def _build_into(folder: Path, path: Path) -> Path:
    """Build in a temporary folder beside the target and rename it into place, so that no
    process sees half a lexicon. Where the cache cannot be written, the process builds its own
    in a temporary folder (removed when it exits)."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    except OSError:
        work = Path(tempfile.mkdtemp(prefix="maalspor-lexicon-"))
        atexit.register(shutil.rmtree, work, True)
        build(read_pairs(_table_lines(path)), spacy_stop_words(), work)
        return work
    try:
        build(read_pairs(_table_lines(path)), spacy_stop_words(), work)
        try:
            work.rename(folder)
        except OSError:  # another process put its build there first
            if not _complete(folder):
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return folder


@lru_cache(maxsize=131072)
def lemma(word: str) -> str:
    """Lower-cased lemma of one word; the word itself (lower-cased) when the table lacks it."""
    lower = word.lower()
    return lexicon().get(lower, lower) or lower


def is_known_word(word: str) -> bool:
    """True when the lower-cased word is a form or lemma of the Danish lookup table."""
    return lexicon().is_known_word(word)


def is_known_in_any_case(word: str) -> bool:
    """Like `is_known_word`, also for the table's entries written with capitals (names such as
    "Køge", abbreviations such as "LANs"), whatever case the word is written in."""
    return lexicon().known_in_any_case(word.lower())


def stop_words() -> frozenset[str]:
    """spaCy's Danish stop words (lower-case)."""
    return lexicon().stop_words
