"""Tests on bool masks, which the day makes by the hundred: at the least cost."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["anywhere", "count_by_column"]

#: The most rows `count_by_column` adds as bytes (`np.iinfo(np.uint8).max`, read once).
_BYTE_ROWS = int(np.iinfo(np.uint8).max)


def anywhere(mask: ArrayLike) -> bool:
    """Whether any entry of `mask` is true (or non-zero): `mask.any()`, sooner.

    `np.count_nonzero` goes straight to C: on the small masks the day tests (one
    entry per habitat, a dwelling's row of replications) it costs about a third of
    `ndarray.any`, which passes through Python.
    """
    return bool(np.count_nonzero(mask))


def count_by_column(mask: np.ndarray) -> np.ndarray:
    """How many entries of each column of `mask` (rows, columns) are true: `mask.sum(axis=0)`.

    The same int64 counts, sooner for a bool mask of fewer than 256 rows (every
    dwelling of a habitat): its rows are added as bytes, where `sum` first casts
    every entry to int64.
    """
    if mask.dtype != np.bool_ or len(mask) > _BYTE_ROWS:
        return np.asarray(mask.sum(axis=0))
    return np.add.reduce(mask.view(np.uint8), axis=0, dtype=np.uint8).astype(np.int64)
