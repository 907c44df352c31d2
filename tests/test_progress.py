"""Progress on a terminal only: done / total, failures, elapsed and rate; nothing in logs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from _paths import ROOT

from extract.cli import main
from extract.run.progress import RunProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_shows_done_total_failures_and_rate() -> None:
    screen = Terminal()
    with RunProgress(3, stream=screen) as bar:
        for failed in (False, True, False):
            bar.advance(failed=failed)
    shown = screen.getvalue()
    assert "3/3" in shown and "1 failed" in shown and "docs/" in shown and "0:00:0" in shown


@pytest.mark.parametrize("quiet", [False, True])
def test_no_terminal_or_quiet_shows_nothing(quiet: bool) -> None:
    stream = Terminal() if quiet else io.StringIO()
    with RunProgress(3, stream=stream, quiet=quiet) as bar:
        bar.advance()
    assert not bar.enabled and stream.getvalue() == ""


def test_extract_run_in_a_log_prints_lines_without_a_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"<html><body>404</body></html>")  # an error page under a PDF name
    docs = [str(ROOT / "fixtures" / "text" / "seed-huadu.txt"), str(broken)]
    assert main(["run", *docs, "--out", str(tmp_path / "out"), "--no-compact"]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 2 and "failed     " in captured.out
    assert "docs/min" not in captured.err and "2 document(s), 1 failed" in captured.err


def test_log_lines_print_above_the_bar_and_the_handlers_come_back() -> None:
    """A handler writing to the terminal (Prefect's console handler has a rich Console of its
    own) writes through the bar's console while it shows: its line comes whole, above the bar,
    never into it; afterwards the handler writes where it did."""
    import logging

    from rich.console import Console

    screen, elsewhere = Terminal(), Terminal()

    class ConsoleHandler(logging.Handler):  # the shape of PrefectConsoleHandler
        def __init__(self) -> None:
            super().__init__()
            self.console = Console(file=elsewhere, force_terminal=True)

        def emit(self, record: logging.LogRecord) -> None:
            self.console.print(self.format(record), soft_wrap=True)

    logger = logging.getLogger("prefect.test-progress")
    handler = ConsoleHandler()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with RunProgress(2, stream=screen, label="documents") as bar:
            logger.info("Task run 'fetch x' - Finished in state Completed()")
            bar.advance()
        assert handler.console.file is elsewhere  # restored
        plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # rich's colours off
        assert "Task run 'fetch x' - Finished in state Completed()\n" in plain
        assert elsewhere.getvalue() == ""
        logger.info("after the bar")
        assert "after the bar" in elsewhere.getvalue()
    finally:
        logger.removeHandler(handler)


def test_the_bar_shows_eta_the_document_read_and_docs_per_minute() -> None:
    screen = Terminal()
    with RunProgress(2, stream=screen) as bar:
        bar.reading("budgets/2026/北京市审计局.pdf")
        bar.advance()
        bar.advance()
    shown = screen.getvalue()
    assert "ETA" in shown and "docs/min" in shown and "docs/s" not in shown
