"""Write variants into a folder (PDFs and .doc files through :mod:`variants.pdf`) and check
them."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .build import write
from .check import actual, differences
from .dims import Variant
from .model import Records
from .pdf import CACHE, to_pdfs

CONVERTED = ("pdf", "doc")  # formats printed from the variant's .docx by LibreOffice


@dataclass(frozen=True)
class Made:
    """A variant's file and the records it must give."""

    variant: Variant
    path: Path
    want: Records


def _write(args: tuple[Variant, Path]) -> tuple[Variant, Path, Records]:
    return (args[0], *write(*args))


def make(variants: list[Variant], folder: Path, cache: Path = CACHE, jobs: int = 2) -> list[Made]:
    """Write every variant into ``folder`` (``jobs`` processes); the PDF ones converted in
    batches."""
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [(v, folder) for v in variants]
    if jobs > 1 and len(tasks) > 8:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            written = list(pool.map(_write, tasks, chunksize=8))
    else:
        written = [_write(t) for t in tasks]
    converted: dict[Path, Path] = {}
    for ext in CONVERTED:  # PDFs and .doc files: LibreOffice, in batches
        sources = [path for v, path, _ in written if v.fmt == ext]
        if sources:
            converted |= dict(zip(sources, to_pdfs(sources, cache, jobs, ext=ext), strict=True))
    return [Made(v, converted.get(path, path), want) for v, path, want in written]


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    status: str
    diffs: tuple[str, ...]


def check(made: Made) -> Outcome:
    """Extract the variant's file and compare with what it printed."""
    from extract import extract_document

    try:
        result = extract_document(made.path, settings={"isolate": False})
    except Exception as exc:  # a crash is a failure of this variant, not of the run
        return Outcome(made.variant.name, False, "crash", (f"{type(exc).__name__}: {exc}",))
    diffs = tuple(differences(made.want, actual(result)))
    status = result.document.status.value
    if status != "ok" and not diffs:
        diffs = (f"status {status}: {result.document.error}",)
    return Outcome(made.variant.name, not diffs, status, diffs)
