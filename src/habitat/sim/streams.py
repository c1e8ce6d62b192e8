"""Random streams of a batch: one generator per habitat, columns side by side.

A model carries `habitats` habitats of `per` replications each along its last axis
(columns `h * per` to `(h + 1) * per - 1` are habitat h). Each habitat draws from its
own generator, and draws exactly what it would draw if it ran alone: the same calls,
in the same order, with the same sizes, made only where its own run would make them.
So a habitat's results do not depend on the habitats it is batched with, and a batch
of one is the ordinary single-habitat run.

Every draw takes `where`, a bool per habitat: habitats left out draw nothing and get
a filler (NaN for uniforms, 0 for counts) in their columns, which the caller masks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np

from habitat.sim.masks import anywhere

__all__ = ["Streams"]

_ONE_TRUE = np.ones(1, dtype=bool)
_ONE_FALSE = np.zeros(1, dtype=bool)
_ONE_TRUE.flags.writeable = False
_ONE_FALSE.flags.writeable = False


class Streams:
    """One numpy generator per habitat of a batch.

    Args:
        generators: habitat h's generator at index h.
        per: replications (columns) per habitat.
    """

    def __init__(self, generators: Sequence[np.random.Generator], per: int):
        self.generators = list(generators)
        self.habitats = len(self.generators)
        self.per = per
        self.columns = self.habitats * per
        self._slices = [slice(h * per, (h + 1) * per) for h in range(self.habitats)]
        self._uniform = [
            (g.random, part) for g, part in zip(self.generators, self._slices, strict=True)
        ]

    def __getitem__(self, habitat: int) -> np.random.Generator:
        """Habitat `habitat`'s generator, for draws made habitat by habitat."""
        return self.generators[habitat]

    # ------------------------------------------------------------------ masks

    def any(self, mask: np.ndarray) -> np.ndarray:
        """Bool per habitat: whether `mask` (..., columns) is true in one of its columns."""
        if self.habitats == 1:
            return _ONE_TRUE if anywhere(mask) else _ONE_FALSE
        if mask.ndim == 1:
            return cast(np.ndarray, mask.reshape(self.habitats, self.per).any(axis=1))
        return cast(np.ndarray, mask.reshape(-1, self.habitats, self.per).any(axis=(0, 2)))

    def any_at(self, columns: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Bool per habitat: whether `mask` is true at one of its `columns`.

        `mask[i]` is the value at column `columns[i]`.
        """
        if self.habitats == 1:
            return _ONE_TRUE if anywhere(mask) else _ONE_FALSE
        found = np.zeros(self.habitats, dtype=bool)
        found[columns[mask] // self.per] = True
        return found

    def any_by_row(self, mask: np.ndarray) -> np.ndarray:
        """Bool (rows, habitats): whether each row of `mask` is true in a habitat's columns.

        `mask` is (rows, columns).
        """
        return cast(np.ndarray, mask.reshape(len(mask), self.habitats, self.per).any(axis=2))

    def _active(self, where: np.ndarray | None) -> list[int]:
        if where is None:
            return list(range(self.habitats))
        return np.flatnonzero(where).tolist()

    # ------------------------------------------------------------------ uniforms

    def random(self, lead: tuple[int, ...] = (), where: np.ndarray | None = None) -> np.ndarray:
        """Uniforms in [0, 1), shape (*lead, columns); each habitat draws (*lead, per)."""
        if self.habitats == 1:
            if where is None or where[0]:
                return self.generators[0].random((*lead, self.per))
            return np.full((*lead, self.per), np.nan)
        if where is None or np.count_nonzero(where) == self.habitats:
            pairs = self._uniform  # the common case: every habitat draws
            out = np.empty((*lead, self.columns))
        else:
            pairs = [self._uniform[h] for h in np.flatnonzero(where)]
            out = np.full((*lead, self.columns), np.nan)
        if lead:
            size = (*lead, self.per)
            for uniform, part in pairs:
                out[..., part] = uniform(size)
        else:
            for uniform, part in pairs:
                uniform(out=out[part])
        return out

    def random_at(self, columns: np.ndarray, lead: tuple[int, ...] = (), where=None) -> np.ndarray:
        """Uniforms for some columns only (ascending indices), shape (*lead, len(columns)).

        Each habitat draws (*lead, n) where n is the number of its columns listed.
        """
        if self.habitats == 1:
            if where is None or where[0]:
                return self.generators[0].random((*lead, len(columns)))
            return np.full((*lead, len(columns)), np.nan)
        counts = np.bincount(columns // self.per, minlength=self.habitats)
        ends = np.cumsum(counts)
        out = np.full((*lead, len(columns)), np.nan)
        for h in self._active(where):
            n = int(counts[h])
            if n:
                out[..., ends[h] - n : ends[h]] = self.generators[h].random((*lead, n))
        return out

    # ------------------------------------------------------------------ other draws

    def random_rows(self, rows: np.ndarray) -> np.ndarray:
        """Uniforms for some rows of each habitat, shape (len(rows), columns).

        `rows` is bool (rows, habitats): each habitat draws (n, per) for its n rows
        that are true, in row order; NaN elsewhere.
        """
        out = np.full((len(rows), self.columns), np.nan)
        for h, part in enumerate(self._slices):
            chosen = rows[:, h]
            n = int(np.count_nonzero(chosen))
            if n == len(rows):
                out[:, part] = self.generators[h].random((n, self.per))
            elif n:
                out[chosen, part] = self.generators[h].random((n, self.per))
        return out

    def binomial(self, n: int | np.ndarray, p: np.ndarray) -> np.ndarray:
        """Binomial counts per column; `n` a whole number or one per column."""
        if self.habitats == 1:
            return self.generators[0].binomial(n, p)
        out = np.empty(self.columns, dtype=np.int64)
        for h, part in enumerate(self._slices):
            out[part] = self.generators[h].binomial(
                n if np.ndim(n) == 0 else cast(np.ndarray, n)[part], p[part]
            )
        return out

    def poisson(self, lam: np.ndarray) -> np.ndarray:
        """Poisson counts per column."""
        if self.habitats == 1:
            return self.generators[0].poisson(lam)
        out = np.empty(self.columns, dtype=np.int64)
        for h, part in enumerate(self._slices):
            out[part] = self.generators[h].poisson(lam[part])
        return out

    def geometric(self, p: float | np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
        """Geometric counts per column, 0 where a habitat is left out.

        `p` is one probability, or one per column constant within each habitat (a
        habitat's parameter): each habitat draws `per` values with its own `p`.
        """
        if self.habitats == 1:
            if where is None or where[0]:
                return self.generators[0].geometric(p, self.per)
            return np.zeros(self.per, dtype=np.int64)
        out = np.zeros(self.columns, dtype=np.int64)
        for h in self._active(where):
            part = self._slices[h]
            value = p if np.ndim(p) == 0 else cast(np.ndarray, p)[part.start]
            out[part] = self.generators[h].geometric(value, self.per)
        return out
