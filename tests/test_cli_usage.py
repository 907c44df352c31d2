"""The command line as a user meets it: options checked up front with the command's own usage,
defaults in every help, a run that finishes the job (dataset and report of its folder, kept
apart from the harvest's), `extract remove`, and issue counts that leave info notes apart."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from _paths import FIXTURES, ROOT, SEED

from extract.cli import main

FORM = FIXTURES / "docs" / "form.pdf"


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(("option", "said"), [
    (["--timeout", "0"], "must be above 0 seconds"), (["--timeout", "soon"], "not a number"),
    (["--memory-mb", "12"], "at least 256 MB"), (["--quite"], "unrecognized arguments: --quite"),
])  # fmt: skip
def test_options_are_checked_with_the_commands_usage(
    option: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(["run", str(SEED), *option], capsys)
    assert err.startswith("usage: extract run") and said in err


def test_every_help_shows_its_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("run", "compact", "report", "remove"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "(default:" in capsys.readouterr().out, command
    flow = subprocess.run([sys.executable, str(ROOT / "flows" / "harvest.py"), "--help"],
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    usage = " ".join(flow.stdout.split())  # argparse wraps long default paths onto a new line
    assert re.search(r"--out OUT [^-]*\(default: \S*output\)", usage)
    assert re.search(r"--sources SOURCES [^-]*\(default: \S*sources\.toml\)", usage)


def test_a_folder_without_files_is_a_warning_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["run", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 1
    assert "warning: no documents found" in capsys.readouterr().err


def test_a_run_ends_with_the_dataset_and_report_of_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the default folder, beside where the user works
    assert main(["run", str(SEED), str(FORM)]) == 0
    out = tmp_path / "extracted"
    assert not (tmp_path / "output").exists()  # the harvest's folder is not touched
    with duckdb.connect(str(out / "budget.duckdb"), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM documents").fetchall() == [(2,)]
    assert (out / "report" / "index.html").is_file()
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2  # stdout: a line per document
    assert "budget.duckdb" in captured.err and "report/index.html" in captured.err
    assert main(["run", str(SEED), "--out", str(tmp_path / "bare"), "--no-compact"]) == 0
    assert not (tmp_path / "bare" / "dataset").exists()


def test_remove_takes_a_document_out_of_the_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(SEED), str(FORM), "--out", str(out)]) == 0
    assert main(["remove", str(out), "form.pdf"]) == 0
    with duckdb.connect(str(out / "budget.duckdb"), read_only=True) as con:
        assert con.sql("SELECT file_name FROM documents").fetchall() == [("seed-huadu.txt",)]
        assert con.sql("SELECT count(*) FROM projects").fetchall() == [(9,)]
    assert main(["remove", str(out), "no-such-document.pdf"]) == 1
    assert "no document 'no-such-document.pdf'" in capsys.readouterr().err


def test_issues_count_warnings_and_errors_with_info_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from extract.models import Severity
    from extract.run.pipeline import extract_document

    issues = extract_document(SEED).issues
    info = sum(i.severity is Severity.INFO for i in issues)
    assert main(["run", str(SEED), "--out", str(tmp_path / "out"), "--no-compact"]) == 0
    line = capsys.readouterr().out
    shown = f"issues={len(issues) - info}" + (f" (info {info})" if info else "")
    assert shown in line


def test_the_harvest_folder_is_not_the_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    shown = subprocess.run([sys.executable, "-m", "extract", "run", "--help"], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=120, check=True)  # fmt: skip
    assert "(default: extracted)" in shown.stdout
