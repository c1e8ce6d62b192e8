"""Evaluators: where chunks of points run (this process, local processes, Dask)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, ProcessPoolExecutor, wait
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
    """Runs items on a Dask cluster: a scheduler's address, or a LocalCluster.

    Workers of a cluster come and go (on a batch cluster they often join after the
    sweep starts), so `elastic` tells the sweep to cut its work by points, not by the
    workers present at connect time. Every item runs through
    `habitat.experiment.cluster.checked`: a worker running other code refuses it.
    """

    #: Workers come and go; a LocalCluster's (`local`) do not, and it says so.
    elastic: bool = True

    def __init__(self, client: Any, cluster: Any = None, address: str | None = None):
        """Wrap a connected `distributed.Client` (and the LocalCluster it owns, if any)."""
        from habitat.experiment.cluster import code_identity

        self.client = client
        self.cluster = cluster
        self.address = address
        self.expected = code_identity()
        workers = client.scheduler_info().get("workers", {})
        self.workers = sum(w.get("nthreads", 1) for w in workers.values())
        #: Each worker's identity: those checked at connect, then those that ran a chunk.
        self.identities: dict[str, dict[str, Any]] = {}

    @classmethod
    def connect(
        cls,
        address: str | None = None,
        timeout: float = SCHEDULER_TIMEOUT_S,
        scheduler_file: str | os.PathLike | None = None,
    ) -> DaskBackend:
        """Connect to a running scheduler, after checking it is one and that its workers agree.

        Raises:
            BackendError: a bad address, no scheduler answering within `timeout` seconds,
                a TLS address without certificates, or a worker running other code.
        """
        from distributed import Client

        from habitat.experiment import cluster

        address = cluster.scheduler_address(address, scheduler_file)
        security = cluster.security_for(address)
        cluster.probe_scheduler(address, security, timeout)
        cluster.quiet_client_logs()
        try:
            client = Client(address, timeout=timeout, set_as_default=False, security=security)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise BackendError(
                f"--scheduler: cannot reach the Dask scheduler at {address} within "
                f"{timeout:g} s ({reason})"
            ) from None
        backend = cls(client, address=address)
        try:
            backend.identities = cluster.check_workers(client, timeout)
        except BackendError:
            client.close()
            raise
        return backend

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
        backend = cls(client, cluster=cluster, address="local")
        # A LocalCluster's workers are all there from the start and stay: whole batches.
        backend.elastic = False
        return backend

    def run(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Submit every item; yield outcomes as they complete.

        Raises:
            ClusterLostError: the scheduler went away (its futures were cancelled).
            WorkerMismatchError: a worker that joined late runs other code.
        """
        from distributed import as_completed

        from habitat.experiment.cluster import ClusterLostError, WorkerMismatchError, checked

        task = functools.partial(checked, fn, self.expected)
        items = list(items)
        futures = [self.client.submit(task, item, pure=False) for item in items]
        where = {future.key: item for future, item in zip(futures, items, strict=True)}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                if future.cancelled():
                    raise ClusterLostError(self._lost())
                try:
                    exc = future.exception()
                except (CancelledError, asyncio.CancelledError):
                    raise ClusterLostError(self._lost()) from None
                if isinstance(exc, WorkerMismatchError):
                    raise WorkerMismatchError(str(exc)) from None
                if exc is not None:
                    yield where[future.key], exc
                    continue
                worker, identity, outcome = future.result()
                self.identities[worker] = identity
                yield where[future.key], outcome
        finally:
            with contextlib.suppress(Exception):  # the scheduler may be gone
                self.client.cancel([f for f in futures if not f.done()])

    def _lost(self) -> str:
        return (
            f"lost the Dask scheduler at {self.address} (it stopped, or the network "
            "to it failed); the points finished so far are kept"
        )

    def describe(self) -> dict[str, Any]:
        """The manifest's record of the backend, with each worker's code identity."""
        return {
            "kind": "dask",
            "scheduler": self.address,
            "workers": self.workers,
            "code": self.expected,
            "worker_code": dict(sorted(self.identities.items())),
        }

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this backend started it."""
        with contextlib.suppress(Exception):  # a lost scheduler cannot be told goodbye
            self.client.close(timeout=SCHEDULER_TIMEOUT_S)
        if self.cluster is not None:
            self.cluster.close()


def make_backend(
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: str | os.PathLike | None = None,
) -> Backend:
    """The backend the command line asks for.

    Args:
        workers: worker processes (local or LocalCluster); default: one per core.
        scheduler: a Dask scheduler address, `local` for a LocalCluster, or None for
            local processes.
        scheduler_file: the JSON file a `dask scheduler --scheduler-file` wrote (instead
            of `scheduler`).

    Raises:
        BackendError: the scheduler cannot be reached, is not one, or its workers run
            other code.
    """
    workers = workers or os.cpu_count() or 1
    if scheduler_file is not None:
        if scheduler is not None:
            raise BackendError("--scheduler-file: give --scheduler or --scheduler-file, not both")
        return DaskBackend.connect(scheduler_file=scheduler_file)
    if scheduler is None:
        return InProcessBackend() if workers == 1 else LocalProcessBackend(workers)
    if scheduler == "local":
        return DaskBackend.local(workers)
    return DaskBackend.connect(scheduler)
