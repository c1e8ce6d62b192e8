"""The demo habitat: a plausible house of fictitious people, deterministic from a seed."""

from habitat.demo.builder import (
    ACTIVITIES_PER_WEEK,
    ANIMATOR_HOURS_PER_WEEK,
    BENCH_SCALE,
    BENCH_YEARS,
    DEFAULT_END,
    DEFAULT_SEED,
    DWELLINGS,
    NOTES_PER_DAY,
    PLANNED_AHEAD_DAYS,
    TENSIONS_PER_YEAR,
    DemoSummary,
    NotEmpty,
    build,
    populate,
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
