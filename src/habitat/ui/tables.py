"""Read-only tables handed to Streamlit as Arrow tables: no pandas on the rerun path.

`st.dataframe(pd.DataFrame(...))` converts the columns to pandas and back to Arrow,
one to two milliseconds a table on every rerun. A page builds its table as columns
(header -> values) and `show` gives Streamlit an Arrow table it serializes as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import streamlit as st

#: A table: column header -> the column's values, all columns of the same length.
Columns = Mapping[str, Sequence[Any]]


def arrow(columns: Columns) -> pa.Table:
    """The columns as an Arrow table (types inferred; an empty column is text)."""
    return pa.table(
        {
            name: pa.array(values) if values else pa.array([], pa.string())
            for name, values in columns.items()
        }
    )


def show(columns: Columns, **options: Any) -> None:
    """A read-only table without index; `options` go to `st.dataframe`."""
    frame(arrow(columns), **options)


def frame(data: Any, **options: Any) -> None:
    """A read-only table (an Arrow table or a DataFrame) without index, numbers the French way.

    Decimal columns are shown with the reader's own separators (`localized`: a
    decimal comma in a French browser) rather than Streamlit's `12.5`, and a
    missing value as "—" rather than Streamlit's English "None". A column the
    caller configures in `column_config` keeps the caller's settings.
    """
    config = {name: st.column_config.NumberColumn(format="localized") for name in _decimals(data)}
    options["column_config"] = {**config, **options.get("column_config", {})}
    options.setdefault("placeholder", "—")
    options.setdefault("hide_index", True)
    st.dataframe(data, **options)


def _decimals(data: Any) -> list[str]:
    """The names of the table's columns of decimal numbers."""
    if isinstance(data, pa.Table):
        return [field.name for field in data.schema if pa.types.is_floating(field.type)]
    dtypes = getattr(data, "dtypes", None)  # a pandas DataFrame
    if dtypes is None:
        return []
    return [str(name) for name, dtype in dtypes.items() if dtype.kind == "f"]
