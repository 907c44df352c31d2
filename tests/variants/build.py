"""Render a variant: its document, written as .docx or .xlsx, and the records it must give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .build_form import build_form
from .build_packed import build_packed
from .build_rows import build_rows
from .dims import Variant
from .doc import Doc
from .families import FAMILIES
from .model import Content, Records, expected
from .writers import write_docx, write_xlsx

BUILDERS: dict[str, Callable[[Variant, Content], tuple[Doc, Content]]] = {
    "rows": build_rows, "packed": build_packed, "form": build_form,
}  # fmt: skip


def render(v: Variant) -> tuple[Doc, Content]:
    """The printed document of ``v`` and the content it prints."""
    return BUILDERS[v.family](v, FAMILIES[v.family])


def write(v: Variant, folder: Path) -> tuple[Path, Records]:
    """Write ``v`` into ``folder``: the .xlsx, or the .docx (for a PDF or .doc variant
    ``x.pdf.docx``/``x.doc.docx``, which :mod:`variants.pdf` converts), and the records every
    presentation must give."""
    doc, content = render(v)
    stem = v.name.removesuffix(f".{v.fmt}")
    if v.fmt == "xlsx":
        path = folder / f"{stem}.xlsx"
        write_xlsx(doc, path)
    else:  # a PDF (.doc) variant's .docx is named after it: x.pdf.docx, x.doc.docx
        path = folder / (f"{stem}.docx" if v.fmt == "docx" else f"{v.name}.docx")
        write_docx(doc, path)
    return path, expected(content)
