"""Records → Parquet: one file per document per table, atomically replaced.

The Arrow schemas are derived from the pydantic models, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import types
import typing
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from .models import Document, DocumentResult, Indicator, Issue, Project

TABLES: dict[str, type[BaseModel]] = {
    "projects": Project,
    "indicators": Indicator,
    "issues": Issue,
    "documents": Document,  # last: its row marks the document as complete
}
DECIMAL_TYPE = pa.decimal128(20, 2)
_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(),
    Decimal: DECIMAL_TYPE, dt.date: pa.date32(), dt.datetime: pa.timestamp("us", tz="UTC"),
}  # fmt: skip
TMP_SUFFIX = ".tmp"


def model_to_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a model; nested models are flattened as ``{field}_{sub}``."""
    return pa.schema(_fields(model, prefix=""))


def _fields(model: type[BaseModel], prefix: str, context: str = "") -> list[pa.Field]:
    out: list[pa.Field] = []
    for name, info in model.model_fields.items():
        annotation, nullable = _unwrap(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out += _fields(annotation, f"{prefix}{name}_", f"{info.description}: ")
            continue
        meta = {b"description": (context + (info.description or "")).encode()}
        out.append(pa.field(prefix + name, _arrow_type(annotation), nullable, metadata=meta))
    return out


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation, nullable = args[0], True
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, nullable


def _arrow_type(annotation: Any) -> pa.DataType:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return pa.string()
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


def model_to_row(record: BaseModel) -> dict[str, Any]:
    """A record as a flat dict matching :func:`model_to_schema`."""
    row: dict[str, Any] = {}
    for name, value in record:
        if isinstance(value, BaseModel):
            row.update({f"{name}_{k}": v for k, v in model_to_row(value).items()})
        else:
            row[name] = value.value if isinstance(value, Enum) else value
    return row


def records_to_arrow(model: type[BaseModel], records: list[BaseModel]) -> pa.Table:
    """Rows of one table with its explicit schema (an empty table keeps the schema)."""
    return pa.Table.from_pylist([model_to_row(r) for r in records], schema=model_to_schema(model))


def write_result(result: DocumentResult, out_dir: Path) -> dict[str, Path]:
    """Write the document's rows, replacing any earlier rows of the same document."""
    out_dir = Path(out_dir)
    rows: dict[str, list[BaseModel]] = {
        "projects": list(result.projects), "indicators": list(result.indicators),
        "issues": list(result.issues), "documents": [result.document],
    }  # fmt: skip
    written = {}
    for table, model in TABLES.items():
        target = out_dir / table / f"{result.document.doc_id}.parquet"
        atomic_write_parquet(records_to_arrow(model, rows[table]), target)
        written[table] = target
    return written


def atomic_write_parquet(table: pa.Table, target: Path) -> None:
    """Write under a hidden temporary name in the same folder, fsync, then rename into place.

    Readers glob ``*.parquet``; the temporary ``.name.pid.tmp`` never matches, and a crash
    leaves at worst a temporary file that :func:`remove_stale_temporaries` clears.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per call (two threads may write at once); the pid stays last for the sweeper.
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.{os.getpid()}{TMP_SUFFIX}")
    try:
        pq.write_table(table, tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete temporaries left by writers that died (their pid no longer runs)."""
    removed = []
    for tmp in Path(out_dir).glob(f"*/.*{TMP_SUFFIX}"):
        pid = tmp.name.removesuffix(TMP_SUFFIX).rsplit(".", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
