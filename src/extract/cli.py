"""Command line: ``python -m extract run PATH... --out DIR``.

The only place that turns library results and errors into exit codes and messages.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extract import __version__
from extract.enums import Status
from extract.errors import ExtractError
from extract.output.atomic import remove_stale_temporaries
from extract.run.pipeline import run_document
from extract.run.progress import RunProgress
from extract.settings import DEFAULT_DOC_MEMORY_MB, DEFAULT_DOC_TIMEOUT_S, Settings

if TYPE_CHECKING:
    from extract.models import DocumentResult

URL_PREFIXES = ("http://", "https://", "file://")


def is_url(text: str) -> bool:
    """Arguments starting with a URL scheme are fetched, not opened."""
    return text.lower().startswith(URL_PREFIXES)


EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_OUT = Path("output")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help on every command."""
    parser = argparse.ArgumentParser(
        prog="extract",
        description="Extract 项目支出绩效目标表 (project performance target tables) from "
        "budget disclosures into a Parquet dataset.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = sub.add_parser(
        "run", help="extract documents and write the Parquet dataset",
        description="Extract each document on its own and write its rows under --out "
        "(documents/, projects/, indicators/, issues/; one file per document per table). "
        "Exit 0 when every document was processed, 1 when any failed, 2 on a usage error.",
    )  # fmt: skip
    run.add_argument("paths", nargs="+", metavar="PATH",
                     help="document files (PDF, Word, Excel, text), folders of them, "
                          "or http(s)/file URLs")  # fmt: skip
    run.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: output)"
    )
    run.add_argument(
        "--debug",
        action="store_true",
        help="show tracebacks of failures (extracts in this process, without limits)",
    )
    run.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_DOC_TIMEOUT_S,
        metavar="SECONDS",
        help=f"time limit per document (default {DEFAULT_DOC_TIMEOUT_S:g})",
    )
    run.add_argument(
        "--memory-mb",
        type=int,
        default=DEFAULT_DOC_MEMORY_MB,
        metavar="MB",
        help=f"memory limit per document (default {DEFAULT_DOC_MEMORY_MB})",
    )
    run.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    run.add_argument("--pdf-reader", choices=("auto", "pdfplumber"), default="auto",
                     help="PDF table pages: auto (the fast pypdfium2 reader, pdfplumber "
                          "for pages it cannot read; default) or pdfplumber for all")  # fmt: skip
    compact = sub.add_parser(
        "compact", help="rewrite the per-document files into one partitioned dataset",
        description="Rewrite OUT's per-document files into OUT/dataset/<table>/year=YYYY/"
        "part-0.parquet (only the partitions whose documents changed) and write "
        "OUT/budget.duckdb with a view per table.",
    )  # fmt: skip
    compact.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, metavar="OUT",
                         help="output folder of earlier runs (default: output)")  # fmt: skip
    report = sub.add_parser(
        "report", help="write the HTML review report of an output folder",
        description="Write OUT/report/index.html (every document) and a page per document "
        "with its issues, projects beside an image of their source region, and indicators.",
    )  # fmt: skip
    report.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, metavar="OUT",
                        help="output folder of earlier runs (default: output)")  # fmt: skip
    sub.add_parser(
        "schema", help="print the output schema as Markdown",
        description="Print every column of the four output tables (the text of docs/schema.md).",
    )  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "schema":
        from extract.output.schema_doc import schema_markdown

        print(schema_markdown(), end="")
        return EXIT_OK
    if args.command == "compact":
        return cmd_compact(args.out)
    if args.command == "report":
        return cmd_report(args.out)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")  # fmt: skip
    settings = Settings(doc_timeout_s=args.timeout, doc_memory_mb=args.memory_mb,
                        isolate=not args.debug, pdf_reader=args.pdf_reader)  # fmt: skip
    with _pyarrow_without_numpy():
        return cmd_run(args.paths, args.out, debug=args.debug, quiet=args.quiet,
                       settings=settings)  # fmt: skip


@contextmanager
def _pyarrow_without_numpy() -> Iterator[None]:
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


def cmd_compact(out: Path) -> int:
    """Compact ``out`` and say what was rewritten."""
    from extract.output.compact import compact, summary_line

    if not _has_documents(out):
        return EXIT_USAGE
    try:
        done = compact(out)
    except (ExtractError, OSError) as exc:  # busy, a folder in the way, a full or read-only disk
        print(f"error: compact {out}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    print(summary_line(done, out))  # with a line per document moved aside
    return EXIT_OK


def cmd_report(out: Path) -> int:
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
          f"{len(done.kept)} unchanged, {done.images_written} images")  # fmt: skip
    for line in done.quarantined:
        print(line, file=sys.stderr)
    return EXIT_OK


def cmd_run(paths: list[str], out: Path, *, debug: bool, quiet: bool,
            settings: Settings | None = None) -> int:  # fmt: skip
    """Process each document on its own; one line per document, and a progress bar on a
    terminal (done / total, failures, elapsed, rate)."""
    if (why := _unwritable(out)) is not None:  # once, before any document is read
        print(f"error: cannot write to {out}: {why}", file=sys.stderr)
        return EXIT_USAGE
    remove_stale_temporaries(out)  # what a killed run left half-written
    failed = unread = unpacked = 0
    paths = expand_folders(paths)
    with RunProgress(len(paths), quiet=quiet) as bar:
        for raw in paths:
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
    """``ok         seed.txt  projects=9 indicators=25 issues=1``."""
    d = result.document
    counts = (f"documents={d.member_count}" if d.member_count is not None
              else f"projects={d.project_count} indicators={d.indicator_count}")  # fmt: skip
    line = f"{d.status.value:<10} {shown}  {counts} issues={d.issue_count}"
    return f"{line}  ({d.error})" if d.error and d.status is not Status.OK else line


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
