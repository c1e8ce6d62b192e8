"""Tests on bool masks, which the day makes by the hundred: at the least cost."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["anywhere"]


def anywhere(mask: ArrayLike) -> bool:
    """Whether any entry of `mask` is true (or non-zero): `mask.any()`, sooner.

    `np.count_nonzero` goes straight to C: on the small masks the day tests (one
    entry per habitat, a dwelling's row of replications) it costs about a third of
    `ndarray.any`, which passes through Python.
    """
    return bool(np.count_nonzero(mask))
