"""Bar charts as plain Vega-Lite specs: the look of `st.bar_chart` at a fraction of its cost.

`st.bar_chart` builds its chart through Altair and pandas, about 10 ms a chart on
every rerun; a page with several charts would miss its 50 ms budget. These
helpers hand Streamlit the spec and its values directly.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import streamlit as st

#: A chart's table: category (one bar each, in order) -> series (a colour each) -> value.
Table = Mapping[str, Mapping[str, float]]


def bars(
    table: Table,
    *,
    value_title: str,
    category_title: str = "",
    horizontal: bool = False,
) -> None:
    """A bar chart: one bar per category, its series stacked in colours.

    Args:
        table: category -> series -> value, categories and series in display order.
        value_title: the title of the value axis.
        category_title: the title of the category axis.
        horizontal: bars from the left rather than from the bottom.
    """
    series = list(dict.fromkeys(name for row in table.values() for name in row))
    cells = [(str(c), str(name), float(v)) for c, row in table.items() for name, v in row.items()]
    # Values as an Arrow table: Streamlit serializes it as is (a spec's inline
    # values would go through pandas, about 2 ms a chart).
    values = pa.table(
        {
            "c": pa.array([c for c, _, _ in cells], pa.string()),
            "s": pa.array([s for _, s, _ in cells], pa.string()),
            "v": pa.array([v for _, _, v in cells], pa.float64()),
        }
    )
    category_axis = {
        "field": "c",
        "type": "nominal",
        "sort": [str(c) for c in table],
        "title": category_title or None,
        "axis": {"labelLimit": 220} if horizontal else {"labelAngle": -45},
    }
    value_axis = {"field": "v", "type": "quantitative", "title": value_title, "stack": True}
    encoding: dict = {
        "x": value_axis if horizontal else category_axis,
        "y": category_axis if horizontal else value_axis,
        "tooltip": [
            {"field": "c", "type": "nominal", "title": category_title or " "},
            {"field": "s", "type": "nominal", "title": " "},
            {"field": "v", "type": "quantitative", "title": value_title},
        ],
    }
    if len(series) > 1:
        encoding["color"] = {
            "field": "s",
            "type": "nominal",
            "title": None,
            "sort": series,
            "legend": {"orient": "bottom", "columns": 2, "labelLimit": 300},
        }
    spec = {"mark": {"type": "bar"}, "encoding": encoding}
    st.vega_lite_chart(values, spec, width="stretch")
