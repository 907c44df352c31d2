"""Legacy Word .doc and WPS .wps (OLE2): two readers, the first that finds a table wins.

1. ``word97``: this project's own reader of the Word 97-2003 binary
   (:mod:`extract.read.word97`): pure Python, milliseconds, nothing to install.
2. ``libreoffice``: the file converted to .docx by LibreOffice headless, then read as .docx,
   where LibreOffice is installed: for what the first cannot read (Word 6/95 files, a
   structure it refuses) or a document where it finds no table.

Where neither finds a table, the first reader's result stands; ``ExtractedDocument.reader``
says which reader's result it is. LibreOffice runs with a throw-away profile
(``-env:UserInstallation``) in a temporary directory, on a copy of the file, so neither the
user's profile nor the folder of the document is touched, and conversions can run side by side.
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
    "LibreOffice, a second reader of .doc files, is not installed "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui puts soffice on PATH)"
)
STDERR_TAIL_CHARS = 300


def extract_doc(path: Path, settings: Settings) -> ExtractedDocument:
    """Read a .doc with the first of the two readers that finds a table (see the module)."""
    kind = ole_kind(path.read_bytes())
    if kind != WORD_KIND:
        what = kind or "an OLE2 file without a WordDocument stream (damaged or another format)"
        raise ExtractionError(f"not a Word document: the file is {what}")
    try:
        first: ExtractedDocument | None = read_word97(path)
        error = None
    except ExtractionError as exc:
        first, error = None, str(exc)
    if first is not None and first.tables:
        return first
    soffice = next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)
    if soffice is None:
        if first is not None:
            return first
        raise ExtractionError(f"{error}; {INSTALL_HINT}")
    try:
        second = read_libreoffice(path, soffice, settings)
    except ExtractionError as exc:
        if first is not None:
            return first
        raise ExtractionError(f"{error}; LibreOffice could not read it either: {exc}") from exc
    return second if second.tables or first is None else first


def read_word97(path: Path) -> ExtractedDocument:
    """The Word binary read by :mod:`extract.read.word97`."""
    from extract.read.word97 import read_word_binary

    return ExtractedDocument(format=Format.OLE2, blocks=read_word_binary(path), reader="word97")


def read_libreoffice(path: Path, soffice: str, settings: Settings) -> ExtractedDocument:
    """Convert a .doc to .docx in a temporary directory and read that."""
    with tempfile.TemporaryDirectory(prefix="extract-doc-") as tmp:
        converted = doc_to_docx(path, Path(tmp), soffice, settings.soffice_timeout_s)
        extracted = extract_docx(converted, settings)
    extracted.format, extracted.reader = Format.OLE2, "libreoffice"
    return extracted


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
