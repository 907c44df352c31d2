"""PDFs (and Word 97 .doc files) of .docx variants: LibreOffice (``soffice --headless
--convert-to pdf|doc``), many files per call, cached by the .docx's content hash.

LibreOffice is what the project's fixtures are printed with (fixtures/make_docs.py), so its
PDFs have the ruled tables, repeated header rows and page breaks of the real documents; a
faster route (drawing the PDF directly) would not test how a word processor breaks a table.
A call starts in ~1–3 s and then converts several small files a second, so the files of a
run are converted in a few large calls, two at a time (one LibreOffice profile each)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
MAX_AGE_S = 30 * 86400  # cached PDFs unused for this long are removed


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _convert(sources: list[Path], outdir: Path, timeout: float, ext: str = "pdf") -> None:
    exe = soffice()
    if exe is None:
        raise RuntimeError("PDF variants need LibreOffice (soffice) on PATH")
    with tempfile.TemporaryDirectory(prefix="variants-lo-") as profile:
        subprocess.run(
            [exe, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
             "--convert-to", ext, "--outdir", str(outdir), *map(str, sources)],
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip


def to_pdfs(docx: list[Path], cache: Path = CACHE, jobs: int = 2, per_call: int = 60,
            ext: str = "pdf") -> list[Path]:  # fmt: skip
    """The PDF (or with ``ext="doc"`` the Word 97 file) of each .docx (``x.pdf.docx`` →
    ``x.pdf`` beside it), converting only those not in ``cache`` yet; at most ``jobs``
    LibreOffice processes at a time."""
    cache.mkdir(parents=True, exist_ok=True)
    keys = [digest(p) for p in docx]
    missing = sorted({k: p for k, p in zip(keys, docx, strict=True)
                      if not (cache / f"{k}.{ext}").exists()}.items())  # fmt: skip
    if missing:
        with tempfile.TemporaryDirectory(prefix="variants-pdf-") as tmp:
            folder = Path(tmp)
            sources = []
            for key, path in missing:
                shutil.copyfile(path, folder / f"{key}.docx")
                sources.append(folder / f"{key}.docx")
            calls = max(jobs, -(-len(sources) // per_call))
            batches = [sources[k::calls] for k in range(calls) if sources[k::calls]]
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                list(
                    pool.map(lambda b: _convert(b, folder / "out", 60 + 10 * len(b), ext), batches)
                )
            for key, _ in missing:
                made = folder / "out" / f"{key}.{ext}"
                if not made.exists():
                    raise RuntimeError(f"soffice made no .{ext} of {key}.docx")
                shutil.move(made, cache / f"{key}.{ext}")
    out = []
    for key, path in zip(keys, docx, strict=True):
        cached = cache / f"{key}.{ext}"
        os.utime(cached)
        target = path.with_name(path.name.removesuffix(".docx").removesuffix(f".{ext}") + f".{ext}")
        shutil.copyfile(cached, target)
        out.append(target)
    prune(cache)
    return out


def prune(cache: Path = CACHE) -> None:
    """Remove cached PDFs not used for :data:`MAX_AGE_S`."""
    limit = time.time() - MAX_AGE_S
    for old in [*cache.glob("*.pdf"), *cache.glob("*.doc")]:
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
