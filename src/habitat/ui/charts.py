"""Charts as plain Vega-Lite specs: the look of `st.bar_chart` at a fraction of its cost.

`st.bar_chart` builds its chart through Altair and pandas, about 10 ms a chart on
every rerun; a page with several charts would miss its 50 ms budget. These
helpers hand Streamlit the spec and its values directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import streamlit as st

from habitat.domain import MONTHS_FR, WEEKDAYS_FR

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np

    #: One value per day: a list, or the numpy array a simulation's bands hold.
    Daily: TypeAlias = Sequence[float] | np.ndarray

#: Vega-Lite's settings for a French reader: decimal comma, thin space between
#: thousands, French days and months; no generated ARIA descriptions of axes and
#: marks (Vega writes them in English, "X-axis titled ... for a linear scale").
FRENCH: dict = {
    "locale": {
        "number": {
            "decimal": ",",
            "thousands": "\u202f",
            "grouping": [3],
            "currency": ["", "\u00a0€"],
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X",
            "date": "%d/%m/%Y",
            "time": "%Hh%M",
            "periods": ["", ""],
            "days": [*WEEKDAYS_FR[6:], *WEEKDAYS_FR[:6]],
            "shortDays": [d[:3] + "." for d in (*WEEKDAYS_FR[6:], *WEEKDAYS_FR[:6])],
            "months": list(MONTHS_FR),
            "shortMonths": [m if len(m) <= 4 else m[:4] + "." for m in MONTHS_FR],
        },
    },
    "aria": False,
}


def french(spec: dict) -> dict:
    """The Vega-Lite `spec` with the French settings (`FRENCH`) as its `config`."""
    return {**spec, "config": {**FRENCH, **spec.get("config", {})}}


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
    st.vega_lite_chart(values, french(spec), width="stretch")


#: One colour per compared scenario, told apart by everyone (Okabe-Ito, colour-blind
#: safe): Streamlit's own palette starts with two blues, unreadable as two lines.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
#: And a dash pattern each, for a printout in grey.
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4])

#: A band chart draws at most this many days per series: more points than pixels
#: only slow the browser down.
BAND_POINTS = 400


def bands(
    series: Mapping[str, tuple[Daily, Daily, Daily]],
    *,
    value_title: str,
    height: int = 220,
) -> None:
    """Median lines over days, each with its 90 % band (shaded), one colour per series.

    Args:
        series: name -> (median, low, high), one value per day from day 1.
        value_title: the title of the value axis.
        height: the chart's height in pixels.
    """
    names, days, median, low, high = [], [], [], [], []
    for name, (m, lo, hi) in series.items():
        step = max(1, -(-len(m) // BAND_POINTS))
        for i in range(0, len(m), step):
            names.append(str(name))
            days.append(i + 1)
            median.append(float(m[i]))
            low.append(float(lo[i]))
            high.append(float(hi[i]))
    values = pa.table(
        {
            "s": pa.array(names, pa.string()),
            "d": pa.array(days, pa.int64()),
            "m": pa.array(median, pa.float64()),
            "lo": pa.array(low, pa.float64()),
            "hi": pa.array(high, pa.float64()),
        }
    )
    order = [str(n) for n in series]
    colour = {
        "field": "s",
        "type": "nominal",
        "title": None,
        "sort": order,
        "scale": {"domain": order, "range": list(PALETTE[: len(order)])},
        "legend": {"orient": "bottom", "columns": 1, "labelLimit": 400}
        if len(series) > 1
        else None,
    }
    x = {"field": "d", "type": "quantitative", "title": "Jour"}
    spec = {
        "height": height,
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.2},
                "encoding": {
                    "x": x,
                    "y": {"field": "lo", "type": "quantitative", "title": value_title},
                    "y2": {"field": "hi"},
                    "color": colour,
                },
            },
            {
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {"field": "m", "type": "quantitative", "title": value_title},
                    "color": colour,
                    "strokeDash": {
                        "field": "s",
                        "type": "nominal",
                        "sort": order,
                        "scale": {"domain": order, "range": list(DASHES[: len(order)])},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "s", "type": "nominal", "title": " "},
                        {"field": "d", "type": "quantitative", "title": "Jour"},
                        {
                            "field": "m",
                            "type": "quantitative",
                            "title": "Médiane",
                            "format": ",.2~f",
                        },
                        {"field": "lo", "type": "quantitative", "title": "5 %", "format": ",.2~f"},
                        {"field": "hi", "type": "quantitative", "title": "95 %", "format": ",.2~f"},
                    ],
                },
            },
        ],
    }
    st.vega_lite_chart(values, french(spec), width="stretch")
