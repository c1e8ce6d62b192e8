"""Form inputs that follow `forms`' conventions: keyed by field, French label, error beneath.

Each function shows one input of a form (key `"<form>.<field>"`, label from the
store's catalogue) and, right under it, the French message if the last save
refused that field. Values are returned as typed: the store judges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import streamlit as st

from habitat.ui import forms, labels

#: Earliest date a form offers (entries, consents, plans of long-standing residents).
EARLIEST = dt.date(1980, 1, 1)
#: How far ahead a form's dates go (planned entries, reviews).
LATEST = dt.date(2100, 12, 31)


def _key(form: str, field: str) -> str:
    return f"{form}.{field}"


def text(
    form: str,
    field: str,
    value: str | None = None,
    *,
    area: bool = False,
    label: str | None = None,
    help: str | None = None,
) -> str:
    """A one-line (or, with `area`, multi-line) text input."""
    widget = st.text_area if area else st.text_input
    typed = widget(label or forms.label(field), value=value or "", key=_key(form, field), help=help)
    forms.field_error(form, field)
    return typed


def number(
    form: str,
    field: str,
    value: float | None,
    *,
    step: float = 1,
    help: str | None = None,
) -> float | None:
    """A number input with no bounds of its own (the store says what is allowed).

    An integer `step` gives an integer input; it may be left empty (None).
    """
    typed = st.number_input(
        forms.label(field),
        value=value,
        step=step,
        min_value=None,
        max_value=None,
        key=_key(form, field),
        help=help,
    )
    forms.field_error(form, field)
    return typed


def date(form: str, field: str, value: dt.date | None) -> dt.date | None:
    """A date input (may be left empty)."""
    typed = st.date_input(
        forms.label(field),
        value=value,
        min_value=EARLIEST,
        max_value=LATEST,
        format="DD/MM/YYYY",
        key=_key(form, field),
    )
    forms.field_error(form, field)
    return typed


def time(form: str, field: str, value: dt.time | None) -> dt.time | None:
    """A time-of-day input, in steps of five minutes."""
    typed = st.time_input(forms.label(field), value=value, step=300, key=_key(form, field))
    forms.field_error(form, field)
    return typed


def choice(
    form: str,
    field: str,
    options: Sequence[Any],
    value: Any,
    *,
    format_func: Callable[[Any], str] = str,
    optional: bool = False,
) -> Any:
    """A select among `options`; with `optional`, "—" (None) comes first."""
    shown = [None, *options] if optional else list(options)
    index = shown.index(value) if value in shown else (0 if optional or shown else None)
    picked = st.selectbox(
        forms.label(field),
        shown,
        index=index,
        format_func=lambda v: "—" if v is None else format_func(v),
        key=_key(form, field),
        placeholder="Choisir…",
    )
    forms.field_error(form, field)
    return picked


def enum(form: str, field: str, kind: type[StrEnum], value: Any, *, optional: bool = False):
    """A select of an enumeration's values, shown in French."""
    current = value.value if isinstance(value, StrEnum) else value
    return choice(
        form, field, labels.options(kind), current, format_func=labels.fmt(kind), optional=optional
    )


def several(
    form: str,
    field: str,
    options: Sequence[Any],
    value: Sequence[Any],
    *,
    format_func: Callable[[Any], str] = str,
) -> list[Any]:
    """A multi-select."""
    picked = st.multiselect(
        forms.label(field),
        list(options),
        default=[v for v in value if v in options],
        format_func=format_func,
        key=_key(form, field),
        placeholder="Choisir…",
        select_all=False,
    )
    forms.field_error(form, field)
    return picked


def checkbox(form: str, field: str, value: bool) -> bool:
    """A yes/no box."""
    ticked = st.checkbox(forms.label(field), value=value, key=_key(form, field))
    forms.field_error(form, field)
    return ticked


def given(values: dict[str, Any]) -> dict[str, Any]:
    """The values a new record is created from: fields left empty are not given.

    A required field left empty is then refused as missing ("est obligatoire").
    """
    return {key: value for key, value in values.items() if value is not None}


def is_open(form: str) -> bool:
    """Whether a form has a refusal or a conflict to show (keep its expander open)."""
    return f"{form}:errors" in st.session_state or f"{form}:conflict" in st.session_state
