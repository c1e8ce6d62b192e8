"""Evaluators: where chunks of points run (this process, local processes, Dask)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Protocol

__all__ = [
    "SCHEDULER_TIMEOUT_S",
    "Backend",
    "BackendError",
    "DaskBackend",
    "InProcessBackend",
    "LocalProcessBackend",
    "make_backend",
]

#: How long to wait for a Dask scheduler before saying it is unreachable: long enough
#: for a scheduler on the network, short enough that a typo is reported at once.
SCHEDULER_TIMEOUT_S = 5.0

Outcome = tuple[Any, Any]


class BackendError(RuntimeError):
    """The backend cannot start (an unreachable scheduler); `str()` is the message."""


class Backend(Protocol):
    """Runs a function over items and yields (item, result or exception) as each ends."""

    workers: int

    def run(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item))`, or `(item, exception)`, in order of completion."""
        ...

    def describe(self) -> dict[str, Any]:
        """What the manifest says about the backend."""
        ...

    def close(self) -> None:
        """Release workers and connections."""
        ...


class InProcessBackend:
    """Runs items one after the other in this process (one worker, easiest to debug)."""

    workers = 1

    def run(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield each item's outcome in order."""
        for item in items:
            try:
                outcome = fn(item)
            except Exception as exc:
                outcome = exc
            yield item, outcome

    def describe(self) -> dict[str, Any]:
        """The manifest's record of the backend."""
        return {"kind": "in-process", "workers": 1}

    def close(self) -> None:
        """Nothing to release."""


class LocalProcessBackend:
    """Runs items in a pool of local worker processes."""

    def __init__(self, workers: int):
        """Start a pool of `workers` processes."""
        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers)

    def run(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Keep every worker busy; yield outcomes as they complete."""
        items = list(items)
        futures = {self._pool.submit(fn, item): item for item in items}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    exc = future.exception()
                    yield futures[future], exc if exc is not None else future.result()
        finally:
            for future in pending:
                future.cancel()

    def describe(self) -> dict[str, Any]:
        """The manifest's record of the backend."""
        return {"kind": "local-processes", "workers": self.workers}

    def close(self) -> None:
        """Stop the pool, dropping work not yet started."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """Runs items on a Dask cluster: a scheduler's address, or a LocalCluster."""

    def __init__(self, client: Any, cluster: Any = None, address: str | None = None):
        """Wrap a connected `distributed.Client` (and the LocalCluster it owns, if any)."""
        self.client = client
        self.cluster = cluster
        self.address = address
        workers = client.scheduler_info().get("workers", {})
        self.workers = max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    @classmethod
    def connect(cls, address: str, timeout: float = SCHEDULER_TIMEOUT_S) -> DaskBackend:
        """Connect to a running scheduler.

        Raises:
            BackendError: the scheduler did not answer within `timeout` seconds.
        """
        from distributed import Client

        try:
            client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise BackendError(
                f"--scheduler: cannot reach the Dask scheduler at {address} within "
                f"{timeout:g} s ({reason})"
            ) from None
        return cls(client, address=address)

    @classmethod
    def local(cls, workers: int, processes: bool = True) -> DaskBackend:
        """Start a LocalCluster of `workers` single-threaded workers and connect to it."""
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
        )
        client = Client(cluster, set_as_default=False)
        return cls(client, cluster=cluster, address="local")

    def run(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Submit every item; yield outcomes as they complete."""
        from distributed import as_completed

        items = list(items)
        futures = [self.client.submit(fn, item, pure=False) for item in items]
        where = {future.key: item for future, item in zip(futures, items, strict=True)}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                exc = future.exception()
                yield where[future.key], exc if exc is not None else future.result()
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def describe(self) -> dict[str, Any]:
        """The manifest's record of the backend."""
        return {"kind": "dask", "scheduler": self.address, "workers": self.workers}

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this backend started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_backend(workers: int | None = None, scheduler: str | None = None) -> Backend:
    """The backend the command line asks for.

    Args:
        workers: worker processes (local or LocalCluster); default: one per core.
        scheduler: a Dask scheduler address, `local` for a LocalCluster, or None for
            local processes.

    Raises:
        BackendError: the scheduler cannot be reached.
    """
    workers = workers or os.cpu_count() or 1
    if scheduler is None:
        return InProcessBackend() if workers == 1 else LocalProcessBackend(workers)
    if scheduler == "local":
        return DaskBackend.local(workers)
    return DaskBackend.connect(scheduler)
