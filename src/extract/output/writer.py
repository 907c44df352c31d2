"""Records → Parquet: one file per document per table, atomically replaced.

The Arrow schemas are derived from the pydantic models, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq
from pydantic import BaseModel

from extract.models import (
    Document,
    DocumentResult,
    Evaluation,
    EvaluationIndicator,
    Indicator,
    Issue,
    Project,
)
from extract.output.atomic import remove_stale_temporaries, replace_atomically

__all__ = ["TABLES", "atomic_write_parquet", "model_to_schema", "read_conformed",
           "remove_stale_temporaries", "warm_up", "write_result"]  # fmt: skip

TABLES: dict[str, type[BaseModel]] = {
    "projects": Project,
    "indicators": Indicator,
    "evaluations": Evaluation,
    "evaluation_indicators": EvaluationIndicator,
    "issues": Issue,
    "documents": Document,  # last: its row marks the document as complete
}
DECIMAL_TYPE = pa.decimal128(20, 2)
EPOCH = dt.date(1970, 1, 1)
_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(),
    Decimal: DECIMAL_TYPE, dt.date: pa.date32(), dt.datetime: pa.timestamp("us", tz="UTC"),
}  # fmt: skip


def model_to_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a model; nested models are flattened as ``{field}_{sub}``. Its
    metadata tells pandas to read the integer columns as nullable integers (``Int64``), not
    as floats where a value is missing (``page_count``, ``year`` …)."""
    fields = _fields(model, prefix="")
    return pa.schema(fields, metadata={b"pandas": _pandas_metadata(fields)})


def _pandas_metadata(fields: list[pa.Field]) -> bytes:
    """What pyarrow's ``to_pandas`` reads: the integer columns' pandas dtype (the others
    convert as usual, so they are not listed)."""
    columns = [{"name": f.name, "field_name": f.name, "pandas_type": "int64",
                "numpy_type": "Int64", "metadata": None}
               for f in fields if pa.types.is_integer(f.type)]  # fmt: skip
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": columns,
                       "creator": {"library": "budget-extract", "version": "1"},
                       "pandas_version": "2.0.0"}).encode()  # fmt: skip


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
    nested = _nested(type(record))
    for name, value in record.__dict__.items():  # the fields' values (no extras allowed)
        if name in nested:
            if value is not None:  # an absent nested model: its flat columns stay null
                row.update({f"{name}_{k}": v for k, v in model_to_row(value).items()})
        else:
            row[name] = value.value if isinstance(value, Enum) else value
    return row


@cache
def _nested(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold a model."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if isinstance(kind := _unwrap(info.annotation)[0], type) and issubclass(kind, BaseModel)
    )


def records_to_arrow(model: type[BaseModel], records: list[BaseModel]) -> pa.Table:
    """Rows of one table with its explicit schema (an empty table keeps the schema).

    The rows go through Arrow's JSON reader: converting Python objects (``pa.array``,
    ``Table.from_pylist``) makes pyarrow import pandas when it is installed, 0.25 s that a
    one-document run would pay for nothing. Dates are written as days since 1970 (date32's
    own number). Anything the reader refuses (a NaN, say) is converted the usual way."""
    schema = model_to_schema(model)
    rows = [model_to_row(r) for r in records]
    if not rows:
        return pa.Table.from_batches([], schema=schema)  # (empty_table() imports pandas)
    text = "\n".join(json.dumps(row, default=_json_value, ensure_ascii=False) for row in rows)
    data = text.encode()
    try:
        table = pa_json.read_json(
            io.BytesIO(data),
            read_options=pa_json.ReadOptions(block_size=len(data) + 1),
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="error"
            ),
        )
        # in the schema's order, with its field descriptions (the reader drops them)
        return pa.Table.from_arrays([table.column(n) for n in schema.names], schema=schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return pa.Table.from_pylist(rows, schema=schema)


def _json_value(value: Any) -> Any:
    """Dates as date32's day numbers; Decimal and datetime as text, which the reader parses."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return (value - EPOCH).days
    return str(value) if isinstance(value, Decimal) else value.isoformat()


def read_conformed(table: str, paths: list[str]) -> pa.Table:
    """A table's files read together in the current schema: a file of an older release gets
    the columns added since as nulls."""
    schema = model_to_schema(TABLES[table])
    if not paths:
        return schema.empty_table()
    import pyarrow.dataset as ds  # 0.3 s to import: only the compaction and the report read

    return ds.dataset(paths, schema=schema, format="parquet").to_table()


def write_result(result: DocumentResult, out_dir: Path) -> dict[str, Path]:
    """Write the document's rows, replacing any earlier rows of the same document."""
    out_dir = Path(out_dir)
    rows: dict[str, list[BaseModel]] = {
        "projects": list(result.projects), "indicators": list(result.indicators),
        "evaluations": list(result.evaluations),
        "evaluation_indicators": list(result.evaluation_indicators),
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
    table. The isolated run calls this while its worker extracts the first document."""
    for model in TABLES.values():
        records_to_arrow(model, [])


def atomic_write_parquet(table: pa.Table, target: Path) -> None:
    """Write a Parquet file atomically (see :mod:`extract.output.atomic`)."""
    replace_atomically(target, lambda tmp: pq.write_table(table, tmp))
