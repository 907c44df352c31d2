"""The command line: exit codes, one line per document, help on every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _paths import SEED

from extract.cli import build_parser, main


def test_run_prints_one_line_per_document_and_exits_0(out_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", str(SEED), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith("ok") and "projects=9 indicators=25 issues=1" in out[0]
    assert len(list((out_dir / "documents").glob("*.parquet"))) == 1


def test_a_failed_document_exits_1_and_the_others_complete(
    out_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"<html><body>404 Not Found</body></html>")
    assert main(["run", str(bad), str(SEED), "--out", str(out_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("failed") and "HTML page" in lines[0]
    assert lines[1].startswith("ok")
    assert len(list((out_dir / "documents").glob("*.parquet"))) == 2


def test_no_table_is_processed_not_failed(out_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    prose = tmp_path / "prose.txt"
    prose.write_text("部门预算编制说明\n财政拨款收入100万元，其他资金0万元。\n", encoding="utf-8")
    assert main(["run", str(prose), "--out", str(out_dir)]) == 0
    assert capsys.readouterr().out.startswith("no_table")


def test_a_missing_path_is_a_usage_error_before_anything_is_read(out_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", str(SEED), "/nonexistent/file.pdf", "--out", str(out_dir)]) == 2
    assert "error: no such file or folder: /nonexistent/file.pdf" in capsys.readouterr().err
    assert not (out_dir / "documents").exists()  # the seed was not read either


def test_a_device_is_refused_not_read(out_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", "/dev/zero", "--out", str(out_dir)]) == 1
    assert "/dev/zero: not a regular file" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[], ["run"], ["frobnicate"], ["run", "x", "--bogus"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.description, f"{name} has no description"
        assert all(a.help for a in command._actions), f"{name} has an option without help"


def test_python_m_extract_help_runs_without_prefect() -> None:
    code = ("import sys, runpy; sys.argv=['extract','run','--help'];\n"
            "try: runpy.run_module('extract', run_name='__main__')\n"
            "except SystemExit as e: assert e.code == 0\n"
            "assert 'prefect' not in sys.modules, 'the CLI imported prefect'")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "--out" in proc.stdout


def test_docs_schema_md_is_current(capsys) -> None:  # type: ignore[no-untyped-def]
    from _paths import ROOT

    assert main(["schema"]) == 0
    generated = capsys.readouterr().out
    assert "| `annual_op` | string |" in generated
    assert (ROOT / "docs" / "schema.md").read_text("utf-8") == generated, (
        "docs/schema.md is stale: run `python -m extract schema > docs/schema.md`"
    )


def test_run_accepts_urls_served_on_loopback(out_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SEED.parent))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        code = main(["run", f"{base}/{SEED.name}", f"{base}/missing.pdf", "--out", str(out_dir)])
    finally:
        server.shutdown()
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("ok") and "projects=9" in lines[0]
    assert lines[1].startswith("failed") and "404" in lines[1]
    assert [p.suffix for p in (out_dir / "raw").iterdir()] == [".txt"]
    import pandas as pd

    assert pd.read_parquet(out_dir / "documents")["source"].tolist() == [f"{base}/{SEED.name}"]


def test_a_folder_stands_for_the_files_below_it(out_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "sub" / "b.txt").write_text("部门预算编制说明\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    assert main(["run", str(folder), "--out", str(out_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in lines] == ["ok", "no_table"]
    assert lines[0].split()[1].endswith("a.txt") and lines[1].split()[1].endswith("b.txt")


def test_run_writes_parquet_without_importing_numpy(tmp_path: Path) -> None:
    """pyarrow imports NumPy whenever it is installed (pandas brings it here); a run has no use
    for it (90 ms of a one-document run), so `extract run` loads pyarrow without it, and NumPy
    can still be imported afterwards. The files are the same Parquet either way. (With
    --no-compact: the compaction and the report that end a run otherwise bring NumPy.)"""
    code = (
        "import sys\n"
        "from extract.cli import main\n"
        f"code = main(['run', {str(SEED)!r}, '--out', {str(tmp_path)!r}, '--quiet', "
        "'--no-compact'])\n"
        "print(code, 'pyarrow' in sys.modules, 'numpy' in sys.modules)\n"
        "import numpy\n"
        "print(numpy.__name__)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "True", "False", "numpy"]
    import pandas as pd

    indicators = pd.read_parquet(next((tmp_path / "indicators").glob("*.parquet")))
    assert len(indicators) > 10 and indicators["doc_id"].nunique() == 1


def test_an_unwritable_out_is_said_once_before_any_document_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["run", str(SEED), str(SEED), "--out", str(blocker / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no document was read
    assert captured.err.count("cannot write to") == 1
