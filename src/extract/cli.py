"""Command line: ``python -m extract run PATH... --out DIR``.

The only place that turns library results and errors into exit codes and messages: the
arguments are parsed and checked here (a usage error is exit 2, with the command's own usage),
and :mod:`extract.commands` does the work.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from extract import __version__
from extract.commands import (
    EXIT_OK,
    EXIT_USAGE,
    cmd_compact,
    cmd_remove,
    cmd_report,
    cmd_run,
    finish_folder,
    format_result,
    is_url,
    pyarrow_without_numpy,
    walk_members,
)
from extract.settings import DEFAULT_DOC_MEMORY_MB, DEFAULT_DOC_TIMEOUT_S, Settings

__all__ = ["build_parser", "format_result", "is_url", "main", "walk_members"]

DEFAULT_OUT = Path("output")  # the harvest's folder (compact, report)
DEFAULT_RUN_OUT = Path("extracted")  # a one-off run's, kept apart from the harvest's
MIN_MEMORY_MB = 256
Defaults = argparse.ArgumentDefaultsHelpFormatter


def positive_seconds(text: str) -> float:
    """``--timeout``: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0 seconds, not {text}")
    return value


def memory_mb(text: str) -> int:
    """``--memory-mb``: whole megabytes, at least :data:`MIN_MEMORY_MB`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of MB: {text!r}") from None
    if value < MIN_MEMORY_MB:
        raise argparse.ArgumentTypeError(f"at least {MIN_MEMORY_MB} MB, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help and defaults on every command."""
    parser = argparse.ArgumentParser(
        prog="extract",
        description="Extract 项目支出绩效目标表 (project performance target tables) and "
        "项目支出绩效自评表 (self-evaluations) from budget disclosures into a Parquet dataset.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _run_parser(sub)
    for name, text, description in (
        ("compact", "rewrite the per-document files into one partitioned dataset",
         "Rewrite OUT's per-document files into OUT/dataset/<table>/partition=YYYY/part-0.parquet "
         "(only the partitions whose documents changed) and write OUT/budget.duckdb."),
        ("report", "write the HTML review report of an output folder",
         "Write OUT/report/index.html (every document) and a page per document."),
    ):  # fmt: skip
        command = sub.add_parser(name, help=text, description=description, formatter_class=Defaults)
        command.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, metavar="OUT",
                             help="output folder of earlier runs")  # fmt: skip
    remove = sub.add_parser(
        "remove", help="take documents out of an output folder", formatter_class=Defaults,
        description="Delete the rows of each document named (by doc_id, a prefix of it of 8 "
        "or more characters, its source or its file name; an archive with its members), then "
        "compact and report the folder. Exit 1 when a name matches no document.",
    )  # fmt: skip
    remove.add_argument("out", type=Path, metavar="OUT", help="the output folder")
    remove.add_argument("documents", nargs="+", metavar="DOC_ID|SOURCE",
                        help="documents to remove: doc_id (or 8+ of its first characters), "
                             "source path or URL, or file name")  # fmt: skip
    remove.add_argument("--no-compact", action="store_true", help="do not compact and report")
    sub.add_parser(
        "schema", help="print the output schema as Markdown",
        description="Print every column of the output tables (docs/schema.md).",
    )  # fmt: skip
    return parser


def _run_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser(
        "run", help="extract documents and write the Parquet dataset", formatter_class=Defaults,
        description="Extract each document on its own and write its rows under --out (one "
        "file per document per table), then compact the folder and write its review report. "
        "Exit 0 when no document failed, 1 when any did or none was found, 2 on a usage error.",
    )  # fmt: skip
    run.add_argument("paths", nargs="+", metavar="PATH",
                     help="document files (PDF, Word, Excel, text, archives), folders of "
                          "them, or http(s)/file URLs")  # fmt: skip
    run.add_argument("--out", type=Path, default=DEFAULT_RUN_OUT,
                     help="output folder (the harvest writes output/: kept apart)")  # fmt: skip
    run.add_argument("--no-compact", action="store_true",
                     help="only write the per-document files: no dataset, no report")  # fmt: skip
    run.add_argument("--debug", action="store_true",
                     help="show tracebacks (extracts in this process, without limits)")  # fmt: skip
    run.add_argument("--timeout", type=positive_seconds, default=DEFAULT_DOC_TIMEOUT_S,
                     metavar="SECONDS", help="time limit per document")  # fmt: skip
    run.add_argument("--memory-mb", type=memory_mb, default=DEFAULT_DOC_MEMORY_MB, metavar="MB",
                     help="memory limit per document (address space)")  # fmt: skip
    run.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    run.add_argument("--pdf-reader", choices=("auto", "pdfplumber"), default="auto",
                     help="PDF table pages: auto (the fast pypdfium2 reader, pdfplumber for "
                          "pages it cannot read) or pdfplumber for all")  # fmt: skip


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; an unknown option is reported with its own command's usage."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = parse(argv)
    if args.command == "schema":
        from extract.output.schema_doc import schema_markdown

        print(schema_markdown(), end="")
        return EXIT_OK
    if args.command == "compact":
        return cmd_compact(args.out)
    if args.command == "report":
        return cmd_report(args.out)
    if args.command == "remove":
        return cmd_remove(args.out, args.documents, finish=not args.no_compact)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")  # fmt: skip
    missing = [p for p in args.paths if not is_url(p) and not Path(p).exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(doc_timeout_s=args.timeout, doc_memory_mb=args.memory_mb,
                        isolate=not args.debug, pdf_reader=args.pdf_reader)  # fmt: skip
    if args.no_compact:  # only the per-document files: a run as light as it can be
        with pyarrow_without_numpy():
            return cmd_run(args.paths, args.out, debug=args.debug, quiet=args.quiet,
                           settings=settings)  # fmt: skip
    # NumPy stays visible: the compaction and the report (DuckDB, pandas) need one pyarrow
    code = cmd_run(args.paths, args.out, debug=args.debug, quiet=args.quiet, settings=settings)
    if code == EXIT_USAGE or not (args.out / "documents").is_dir():
        return code
    return max(code, finish_folder(args.out))  # what was just read, in budget.duckdb and report/


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
