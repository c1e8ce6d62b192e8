"""Today, as the management tool sees it (a demo can be shown as if it were another day)."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """Today, or `$HABITAT_TODAY` (ISO date) to show a demo history as if it were now."""
    fixed = os.environ.get("HABITAT_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
