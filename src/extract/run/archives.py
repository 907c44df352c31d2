"""An archive as documents: each member that is a document is extracted as a document of its
own (``source`` = ``archive!/member``, ``container_id`` = the archive's ``doc_id``), nested
archives to :data:`MAX_DEPTH`; the archive gets a documents row of its own that counts its
members and says, as issues, which members were refused or skipped and why.

Members are unpacked (:func:`extract.read.archive.unpack`) into a temporary folder inside the
output folder (``.unpack.<pid>.*``, swept when its process is gone) and deleted after.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from extract.enums import ARCHIVE_FORMATS, Format, Severity, Status
from extract.errors import ExtractError
from extract.output.atomic import UNPACK_PREFIX
from extract.read.archive import Member, unpack
from extract.read.sniff import sniff_path
from extract.run.reading import failed_document, file_facts
from extract.settings import Settings

if TYPE_CHECKING:
    from extract.models import DocumentResult, Issue

MAX_DEPTH = 3  # an archive in an archive in an archive; deeper ones are refused
DOCUMENT_FORMATS = frozenset(
    {Format.PDF, Format.DOCX, Format.OLE2, Format.XLSX, Format.XLS, Format.RTF}
)
TEXT_SUFFIXES = (".txt", ".text")  # a text member is a document only under a text name

RunOne = Callable[..., "DocumentResult"]


def run_archive(
    path: Path,
    out_dir: Path,
    *,
    fmt: Format,
    source: str,
    settings: Settings,
    run_one: RunOne,
    container_id: str | None = None,
    depth: int = 0,
) -> DocumentResult:
    """Extract every document member of the archive at ``path`` with ``run_one`` (the
    pipeline's ``run_document``) and return the archive's own result, members attached."""
    from extract.models import DocumentResult

    doc = failed_document(file_facts(path, source), fmt, None)
    doc.container_id = container_id
    result = DocumentResult(document=doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=f"{UNPACK_PREFIX}{os.getpid()}.") as tmp:
        try:
            members = unpack(path, fmt, Path(tmp))
        except ExtractError as exc:
            doc.error = str(exc)
            return result
        for member in members:
            _one_member(member, result, out_dir, settings, run_one, depth)
    _conclude(result, len(members))
    return result


def _one_member(
    member: Member,
    result: DocumentResult,
    out_dir: Path,
    settings: Settings,
    run_one: RunOne,
    depth: int,
) -> None:
    doc = result.document
    if member.refused is not None or member.path is None:
        _issue(
            result, Severity.WARNING, "archive_member_refused", f"{member.name}: {member.refused}"
        )
        return
    fmt = sniff_path(member.path)
    source = f"{doc.source}!/{member.name}"
    if fmt in ARCHIVE_FORMATS:
        if depth + 1 >= MAX_DEPTH:
            _issue(
                result,
                Severity.WARNING,
                "archive_member_refused",
                f"{member.name}: an archive nested more than {MAX_DEPTH} deep: refused",
            )
            return
        inner = run_archive(
            member.path,
            out_dir,
            fmt=fmt,
            source=source,
            settings=settings,
            run_one=run_one,
            container_id=doc.doc_id,
            depth=depth + 1,
        )
        _write(inner, out_dir)
        result.members.append(inner)
    elif fmt in DOCUMENT_FORMATS or (fmt is Format.TXT and _text_name(member.name)):
        result.members.append(
            run_one(member.path, out_dir, source=source, settings=settings, container_id=doc.doc_id)
        )
    else:
        _issue(
            result,
            Severity.INFO,
            "archive_member_skipped",
            f"{member.name}: not a document ({fmt.value}): skipped",
        )


def _text_name(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES)


def _conclude(result: DocumentResult, listed: int) -> None:
    """The archive's status: ``ok`` when every member that is a document was read, ``partial``
    when a member was refused or failed, ``no_table`` when it holds no document."""
    doc, members = result.document, result.members
    doc.member_count = len(members)
    refused = [i for i in result.issues if i.code == "archive_member_refused"]
    failed = [m for m in members if m.document.status is Status.FAILED]
    if not members and not refused:
        doc.status, doc.error = Status.NO_TABLE, f"the archive holds no document ({listed} members)"
    elif not members:
        doc.status = Status.FAILED
        doc.error = f"no member could be read: {refused[0].message}"
    elif refused or failed:
        doc.status = Status.PARTIAL
        doc.error = (
            f"{len(members)} document(s) read; {len(refused)} member(s) refused, "
            f"{len(failed)} failed"
        )
    else:
        doc.status, doc.error = Status.OK, None
    result.counted()


def _issue(result: DocumentResult, severity: Severity, code: str, message: str) -> None:
    from extract.models import Issue

    issue: Issue = Issue(
        doc_id=result.document.doc_id, severity=severity, code=code, message=message
    )
    result.issues.append(issue)


def _write(result: DocumentResult, out_dir: Path) -> None:
    from extract.output.writer import write_result

    write_result(result, out_dir)
