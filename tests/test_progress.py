"""Progress on a terminal only: done / total, failures, elapsed and rate; nothing in logs."""

from __future__ import annotations

import io
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
