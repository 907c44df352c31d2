"""Records → Parquet: one file per document per table, atomically replaced.

The Arrow schemas are derived from the pydantic models, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from pydantic import BaseModel

from .atomic import remove_stale_temporaries, replace_atomically
from .models import Document, DocumentResult, Indicator, Issue, Project

__all__ = ["TABLES", "atomic_write_parquet", "model_to_schema", "read_conformed",
           "remove_stale_temporaries", "warm_up", "write_result"]  # fmt: skip

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


def model_to_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a model; nested models are flattened as ``{field}_{sub}``."""
    return pa.schema(_fields(model, prefix=""))


def _fields(model: type[BaseModel], prefix: str, context: str = "",
            optional: bool = False) -> list[pa.Field]:  # fmt: skip
    """Flat fields; a nested model that may be absent (``bbox``) makes all its own nullable."""
    out: list[pa.Field] = []
    for name, info in model.model_fields.items():
        annotation, nullable = _unwrap(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out += _fields(annotation, f"{prefix}{name}_", f"{info.description}: ",
                           optional or nullable)  # fmt: skip
            continue
        meta = {b"description": (context + (info.description or "")).encode()}
        field = pa.field(
            prefix + name, _arrow_type(annotation), nullable or optional, metadata=meta
        )
        out.append(field)
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
        elif value is None and _nested(type(record), name):
            continue  # an absent nested model: its flat columns stay null
        else:
            row[name] = value.value if isinstance(value, Enum) else value
    return row


def _nested(model: type[BaseModel], name: str) -> bool:
    annotation, _ = _unwrap(model.model_fields[name].annotation)
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def records_to_arrow(model: type[BaseModel], records: list[BaseModel]) -> pa.Table:
    """Rows of one table with its explicit schema (an empty table keeps the schema)."""
    return pa.Table.from_pylist([model_to_row(r) for r in records], schema=model_to_schema(model))


def read_conformed(table: str, paths: list[str]) -> pa.Table:
    """A table's files read together in the current schema: a file of an older release gets
    the columns added since as nulls."""
    schema = model_to_schema(TABLES[table])
    if not paths:
        return schema.empty_table()
    return ds.dataset(paths, schema=schema, format="parquet").to_table()


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


@cache
def warm_up() -> None:
    """Do the one-off work of the first write ahead: build every table's schema and an empty
    table (pyarrow imports pandas, when installed, on its first conversion: about 0.5 s).
    The isolated run calls this while its worker extracts the first document."""
    for model in TABLES.values():
        records_to_arrow(model, [])


def atomic_write_parquet(table: pa.Table, target: Path) -> None:
    """Write a Parquet file atomically (see :mod:`extract.atomic`)."""
    replace_atomically(target, lambda tmp: pq.write_table(table, tmp))
