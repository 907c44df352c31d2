"""The commands of the command line (``extract run``, ``compact``, ``report``, ``remove``): each
does its work and says what became of it, in lines a person reads; :mod:`extract.cli` parses
the arguments and returns their exit codes."""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extract.enums import Severity, Status
from extract.errors import ExtractError
from extract.output.atomic import remove_stale_temporaries
from extract.run.pipeline import run_document
from extract.run.progress import RunProgress
from extract.settings import Settings

if TYPE_CHECKING:
    from extract.models import DocumentResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

URL_PREFIXES = ("http://", "https://", "file://")


def is_url(text: str) -> bool:
    """Arguments starting with a URL scheme are fetched, not opened."""
    return text.lower().startswith(URL_PREFIXES)


@contextmanager
def pyarrow_without_numpy() -> Iterator[None]:
    """The run as on an install without NumPy. pyarrow imports NumPy whenever it is there
    (pandas, a test dependency, brings it): 90 ms of a 0.4 s one-document run, for nothing,
    since the writer builds its tables through Arrow's JSON reader and nothing in a run
    uses NumPy. Only where this process has imported neither; NumPy can be imported again
    after the run."""
    hide = "numpy" not in sys.modules and "pyarrow" not in sys.modules
    if hide:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy: ImportError
    try:
        yield
    finally:
        if hide and "numpy" in sys.modules and sys.modules["numpy"] is None:
            del sys.modules["numpy"]


def _has_documents(out: Path) -> bool:
    """An output folder of earlier runs; else say so."""
    if (out / "documents").is_dir():
        return True
    print(f"error: {out} holds no extracted documents (run `extract run` first)", file=sys.stderr)
    return False


def cmd_compact(out: Path, *, to_stderr: bool = False) -> int:
    """Compact ``out`` and say what was rewritten."""
    from extract.output.compact import compact, summary_line

    if not _has_documents(out):
        return EXIT_USAGE
    try:
        done = compact(out)
    except (ExtractError, OSError) as exc:  # busy, a folder in the way, a full or read-only disk
        print(f"error: compact {out}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    print(summary_line(done, out), file=sys.stderr if to_stderr else sys.stdout)
    return EXIT_OK


def cmd_report(out: Path, *, to_stderr: bool = False) -> int:
    """Write the review report of ``out`` and say where it is."""
    from extract.output.report import write_report

    if not _has_documents(out):
        return EXIT_USAGE
    try:
        done = write_report(out)
    except OSError as exc:  # a full or read-only disk
        print(f"error: report {out}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{done.path}: {done.documents} documents, {done.pages_written} pages written, "
          f"{len(done.kept)} unchanged, {done.images_written} images",
          file=sys.stderr if to_stderr else sys.stdout)  # fmt: skip
    for line in done.quarantined:
        print(line, file=sys.stderr)
    return EXIT_OK


def cmd_run(paths: list[str], out: Path, *, debug: bool, quiet: bool,
            settings: Settings | None = None) -> int:  # fmt: skip
    """Process each document on its own; one line per document, and a progress bar on a
    terminal (the command line then calls :func:`finish_folder`)."""
    if (why := _unwritable(out)) is not None:  # once, before any document is read
        print(f"error: cannot write to {out}: {why}", file=sys.stderr)
        return EXIT_USAGE
    remove_stale_temporaries(out)  # what a killed run left half-written
    paths = expand_folders(paths)
    if not paths:
        print("warning: no documents found (the folders hold no files)", file=sys.stderr)
        return EXIT_FAILED
    failed = unread = unpacked = 0
    with RunProgress(len(paths), quiet=quiet) as bar:
        for raw in paths:
            bar.reading(raw)
            done = _run_one(raw, out, bar, debug=debug, quiet=quiet, settings=settings)
            failed += done.failed
            unread += done.not_read
            unpacked += done.members
            bar.advance(failed=done.failed > 0)
    lost = f", {unread} with a table printed but not read (partial)" if unread else ""
    members = f" ({unpacked} from archives)" if unpacked else ""
    print(f"{len(paths) + unpacked} document(s){members}, {failed} failed{lost}; output in {out}",
          file=sys.stderr)  # fmt: skip
    return EXIT_FAILED if failed else EXIT_OK


def finish_folder(out: Path) -> int:
    """Compact the folder and write its report (only what changed is redone); their lines go
    to stderr, with the run's summary (stdout is one line per document)."""
    code = cmd_compact(out, to_stderr=True)
    return code if code != EXIT_OK else cmd_report(out, to_stderr=True)


def cmd_remove(out: Path, names: list[str], *, finish: bool = True) -> int:
    """Take documents out of ``out``: their per-document files (an archive's members too),
    then the dataset and the report follow."""
    from extract.harvest.store import archive_members, remove_outputs

    if not _has_documents(out):
        return EXIT_USAGE
    known = _documents_by_name(out)
    missing = [n for n in names if not known.get(n)]
    removed: list[str] = []
    for name in names:
        for doc_id in known.get(name, []):
            for one in [doc_id, *archive_members(out, doc_id)]:
                if remove_outputs(out, one):
                    removed.append(one)
    for name in missing:
        print(f"error: no document {name!r} in {out}", file=sys.stderr)
    print(f"removed {len(removed)} document(s) from {out}")
    finished = finish_folder(out) if finish and removed else EXIT_OK
    return EXIT_FAILED if missing or finished != EXIT_OK else EXIT_OK


def _documents_by_name(out: Path) -> dict[str, list[str]]:
    """Every way to name a staged document (doc_id and its 8+ character prefixes, source,
    file name) → the doc_ids it names."""
    import pyarrow.parquet as pq

    names: dict[str, list[str]] = {}
    for path in sorted((out / "documents").glob("*.parquet")):
        try:
            row = pq.read_table(path, columns=["doc_id", "source", "file_name"]).to_pylist()[0]
        except (OSError, IndexError, ValueError):
            continue
        doc_id = row["doc_id"]
        for name in {doc_id, row["source"], row["file_name"],
                     *(doc_id[:n] for n in range(8, len(doc_id)))}:  # fmt: skip
            if name:
                names.setdefault(name, []).append(doc_id)
    return names


def _one_line(exc: BaseException) -> str:
    """An error as one line: the OS's words and the path for an OSError."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _unwritable(out: Path) -> str | None:
    """Why files cannot be written under ``out`` (a file in the way, no permission, a full
    or read-only disk), or None."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-check-"):
            pass
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _run_one(raw: str, out: Path, bar: RunProgress, *, debug: bool, quiet: bool,
             settings: Settings | None) -> Done:  # fmt: skip
    """One document, or an archive and its members: how many failed, how many have a table
    printed but not read, how many members."""
    try:
        path = _local(raw, out)
    except (OSError, ExtractError) as exc:
        bar.print(f"failed     {raw}: {exc}")
        return Done(failed=1)
    try:
        result = run_document(path, out, source=raw, settings=settings)
    except Exception as exc:  # writing failed (disk full, permissions): report, go on
        bar.print(f"failed     {raw}: cannot write output: {exc}", err=True)
        if debug:
            traceback.print_exc()
        return Done(failed=1)
    done = Done(members=-1)
    for shown, one in walk_members(result, raw):
        failed = one.document.status is Status.FAILED
        unread = one.document.tables_not_read is not None
        if not quiet or failed or unread:
            bar.print(format_result(one, shown))
        done.failed, done.not_read = done.failed + failed, done.not_read + unread
        done.members += 1
    return done


@dataclass
class Done:
    """What became of one path given to ``extract run``."""

    failed: int = 0
    not_read: int = 0
    members: int = 0  # documents unpacked from archives


def walk_members(result: DocumentResult, shown: str, depth: int = 0
                 ) -> Iterator[tuple[str, DocumentResult]]:  # fmt: skip
    """A result and, for an archive, its members, each with the name to show (indented)."""
    yield "  " * depth + shown, result
    for member in result.members:
        inner = member.document.source.removeprefix(result.document.source)
        yield from walk_members(member, shown + inner, depth + 1)


def expand_folders(paths: list[str]) -> list[str]:
    """A folder stands for the files below it (sorted, hidden files and folders skipped)."""
    out: list[str] = []
    for raw in paths:
        folder = Path(raw)
        if is_url(raw) or not folder.is_dir():
            out.append(raw)
            continue
        out += sorted(
            str(p) for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )  # fmt: skip
    return out


def _local(raw: str, out: Path) -> Path:
    """A path as given, or a URL fetched into ``out/raw``."""
    if is_url(raw):
        from extract.harvest.remote import fetch_to_store  # httpx only when a URL is given

        return fetch_to_store(raw, out)
    path = Path(raw)
    if not path.exists():
        raise FileNotFoundError("no such file")
    if not path.is_file():
        raise ExtractError("not a regular file (a device, pipe or socket is not read)")
    return path


def format_result(result: DocumentResult, shown: str) -> str:
    """``ok         seed.txt  projects=9 indicators=25 issues=1 (info 3)``: ``issues`` counts
    the warnings and errors, the info notes apart."""
    d = result.document
    counts = (f"documents={d.member_count}" if d.member_count is not None
              else f"projects={d.project_count} indicators={d.indicator_count}")  # fmt: skip
    if d.evaluation_count:
        counts += f" evaluations={d.evaluation_count}"
    info = sum(1 for i in result.issues if i.severity is Severity.INFO)
    notes = f" (info {info})" if info else ""
    line = f"{d.status.value:<10} {shown}  {counts} issues={len(result.issues) - info}{notes}"
    return f"{line}  ({d.error})" if d.error and d.status is not Status.OK else line
