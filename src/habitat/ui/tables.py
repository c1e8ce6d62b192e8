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
    st.dataframe(arrow(columns), hide_index=True, **options)
