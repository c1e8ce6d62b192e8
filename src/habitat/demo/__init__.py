"""The demo habitat: a plausible house of fictitious people, deterministic from a seed."""

from habitat.demo.builder import (
    BENCH_SCALE,
    BENCH_YEARS,
    DEFAULT_END,
    DEFAULT_SEED,
    DemoSummary,
    NotEmpty,
    build,
    populate,
)
from habitat.demo.material import (
    ACTIVITIES_PER_WEEK,
    ANIMATOR_HOURS_PER_WEEK,
    DWELLINGS,
    NOTES_PER_DAY,
    PLANNED_AHEAD_DAYS,
    TENSIONS_PER_YEAR,
)

__all__ = [
    "ACTIVITIES_PER_WEEK",
    "ANIMATOR_HOURS_PER_WEEK",
    "BENCH_SCALE",
    "BENCH_YEARS",
    "DEFAULT_END",
    "DEFAULT_SEED",
    "DWELLINGS",
    "NOTES_PER_DAY",
    "PLANNED_AHEAD_DAYS",
    "TENSIONS_PER_YEAR",
    "DemoSummary",
    "NotEmpty",
    "build",
    "populate",
]
