"""The one home of "now": today and the time, local or UTC (a demo may pretend another day)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

#: The day a history being written stands at (see `as_of`); None: the real today.
_AS_OF: date | None = None


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Write a history as it stood on `day`: `today()` is `day` meanwhile (one thread).

    The demo's history ends on its own last day, whatever today is: its records are
    checked against that day ("nothing after today", "only what is to come").
    """
    global _AS_OF
    previous, _AS_OF = _AS_OF, day
    try:
        yield
    finally:
        _AS_OF = previous


def today() -> date:
    """Today, or `$HABITAT_TODAY` (ISO date) to show a demo history as if it were now."""
    if _AS_OF is not None:
        return _AS_OF
    fixed = os.environ.get("HABITAT_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def now() -> datetime:
    """The local time to the second, as records show it (a note's time, a lock's end)."""
    return datetime.now().replace(microsecond=0)


def now_utc() -> str:
    """The current instant as ISO text in UTC, to the microsecond (the audit log's `at`)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
