"""The one home of "now": today and the time, local or UTC (a demo may pretend another day)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today() -> date:
    """Today, or `$HABITAT_TODAY` (ISO date) to show a demo history as if it were now."""
    fixed = os.environ.get("HABITAT_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def now() -> datetime:
    """The local time to the second, as records show it (a note's time, a lock's end)."""
    return datetime.now().replace(microsecond=0)


def now_utc() -> str:
    """The current instant as ISO text in UTC, to the microsecond (the audit log's `at`)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
