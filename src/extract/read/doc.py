"""Legacy Word .doc (OLE2): converted to .docx by LibreOffice headless, then read as .docx.

LibreOffice runs with a throw-away profile (``-env:UserInstallation``) in a temporary
directory, on a copy of the file, so neither the user's profile nor the folder of the
document is touched, and several conversions can run side by side.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extract.enums import Format
from extract.errors import ExtractionError
from extract.read.base import ExtractedDocument
from extract.read.docx import extract_docx
from extract.read.sniff import WORD_KIND, ole_kind
from extract.settings import Settings

SOFFICE_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = (
    "legacy .doc files need LibreOffice to be converted: install it "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) so that soffice is on PATH"
)
STDERR_TAIL_CHARS = 300


def extract_doc(path: Path, settings: Settings) -> ExtractedDocument:
    """Convert a .doc to .docx in a temporary directory and read that."""
    kind = ole_kind(path.read_bytes())
    if kind != WORD_KIND:
        what = kind or "an OLE2 file without a WordDocument stream (damaged or another format)"
        hint = "; re-save it as .xlsx, which is read" if kind and ".xls" in kind else ""
        raise ExtractionError(f"not a Word document: the file is {what}{hint}")
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="extract-doc-") as tmp:
        converted = doc_to_docx(path, Path(tmp), soffice, settings.soffice_timeout_s)
        extracted = extract_docx(converted, settings)
    extracted.format = Format.OLE2
    return extracted


def find_soffice() -> str:
    """The LibreOffice executable on PATH, or :class:`ExtractionError` saying to install it."""
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    raise ExtractionError(INSTALL_HINT)


def doc_to_docx(path: Path, workdir: Path, soffice: str, timeout_s: float) -> Path:
    """Convert ``path`` with LibreOffice into ``workdir``; return the .docx it wrote."""
    source = workdir / "document.doc"  # a copy: LibreOffice writes a lock file beside it
    shutil.copyfile(path, source)
    outdir = workdir / "out"
    cmd = [
        soffice, "--headless", "--norestore",
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--convert-to", "docx", "--outdir", str(outdir), str(source),
    ]  # fmt: skip
    stderr = _run(cmd, timeout_s)
    converted = outdir / "document.docx"
    if not converted.is_file():
        raise ExtractionError(_no_output_message(path, stderr))
    return converted


def _run(cmd: list[str], timeout_s: float) -> str:
    """Run LibreOffice in its own process group, killed whole on timeout; return stderr."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice forks soffice.bin: kill them all
        proc.communicate()
        raise ExtractionError(
            f"LibreOffice did not convert the .doc within {timeout_s:g} s (timed out; "
            "raise the soffice_timeout_s setting for very large files)"
        ) from None
    if proc.returncode != 0:
        raise ExtractionError(
            f"LibreOffice failed to convert the .doc (exit {proc.returncode}): {_tail(err)}"
        )
    return _tail(err)


def _no_output_message(path: Path, stderr: str) -> str:
    detail = f" ({stderr})" if stderr else ""
    return (
        "LibreOffice wrote no .docx: it could not read this Word .doc "
        f"(damaged or password-protected?){detail}"
    )


def _tail(data: bytes) -> str:
    """LibreOffice's error lines (its warnings, such as a missing Java, are noise)."""
    lines = [ln.strip() for ln in data.decode("utf-8", "replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if not ln.startswith("Warning:")]
    return "; ".join(errors)[-STDERR_TAIL_CHARS:]
