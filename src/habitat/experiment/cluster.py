"""A Dask cluster as a backend: a bounded handshake, checked workers, a lost scheduler said."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from habitat.experiment.backends import BackendError

__all__ = [
    "SCHEMES",
    "ClusterLostError",
    "WorkerMismatchError",
    "check_workers",
    "checked",
    "code_identity",
    "probe_scheduler",
    "scheduler_address",
    "security_for",
]

#: Address schemes a sweep may use: plain TCP on a trusted network, TLS elsewhere.
SCHEMES = ("tcp", "tls")
#: Default port of a Dask scheduler, and of its dashboard (HTTP, not the scheduler).
SCHEDULER_PORT = 8786
DASHBOARD_PORT = 8787


class ClusterLostError(BackendError):
    """The scheduler went away during the sweep; `str()` is the message a user sees."""


class WorkerMismatchError(BackendError):
    """A worker runs other code than this command; `str()` is the message a user sees."""


# --------------------------------------------------------------------------- the code's identity


@functools.cache
def code_identity() -> dict[str, str | None]:
    """What code this process runs: the package version, the git commit, a hash of the sources.

    The hash of every `.py` file of the installed `habitat` package is what decides:
    two checkouts of the same commit agree, and a worker with an edited file (or an
    uncommitted change) does not.
    """
    from habitat.sim.output import git_commit

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    from habitat import __version__

    return {"habitat": __version__, "git_commit": git_commit(), "source_sha256": digest.hexdigest()}


def _differs(mine: dict[str, Any], theirs: dict[str, Any]) -> str | None:
    """How a worker's identity differs from this process's, or None when it runs the same code."""
    if theirs.get("habitat") != mine["habitat"]:
        return f"habitat {theirs.get('habitat')} instead of {mine['habitat']}"
    if theirs.get("source_sha256") != mine["source_sha256"]:
        where = theirs.get("git_commit") or "an installed copy"
        return f"other habitat source files (git {where}; here git {mine['git_commit'] or 'none'})"
    return None


def _mismatch_message(worker: str, difference: str) -> str:
    return (
        f"--scheduler: the Dask worker {worker} runs {difference}; its results would differ "
        "from this command's. Install the same habitat on every worker (same commit, no local "
        "change) and restart them"
    )


def checked(fn: Callable[[Any], Any], expected: dict[str, Any], item: Any) -> tuple:
    """Run `fn(item)` on a worker after checking that it runs the expected code.

    Returns:
        `(worker address, worker identity, fn(item))`.

    Raises:
        WorkerMismatchError: this worker runs other code (a worker that joined late).
    """
    from distributed import get_worker

    worker = get_worker().address
    identity = code_identity()
    difference = _differs(expected, identity)
    if difference is not None:
        raise WorkerMismatchError(_mismatch_message(worker, difference))
    return worker, identity, fn(item)


def check_workers(client: Any, timeout: float) -> dict[str, dict[str, Any]]:
    """Every connected worker's identity, after checking it runs this process's code.

    Raises:
        WorkerMismatchError: a worker runs another version or other source files.
    """
    try:
        identities = client.run(code_identity, wait=True, on_error="return")
    except Exception as exc:
        raise BackendError(
            f"--scheduler: cannot ask the Dask workers which code they run ({_reason(exc)})"
        ) from None
    mine = code_identity()
    for worker, identity in sorted(identities.items()):
        if isinstance(identity, BaseException) or not isinstance(identity, dict):
            raise WorkerMismatchError(
                _mismatch_message(worker, f"code that cannot say what it is ({_reason(identity)})")
            )
        difference = _differs(mine, identity)
        if difference is not None:
            raise WorkerMismatchError(_mismatch_message(worker, difference))
    return dict(sorted(identities.items()))


# --------------------------------------------------------------------------- the address


def scheduler_address(scheduler: str | None, scheduler_file: str | os.PathLike | None) -> str:
    """The scheduler's address, from `--scheduler` or from `--scheduler-file`.

    A scheduler file is the JSON a `dask scheduler --scheduler-file PATH` writes (on a
    shared file system, the usual way on SLURM or PBS).

    Raises:
        BackendError: the address has an unknown scheme, or the file cannot be read.
    """
    if scheduler_file is not None:
        try:
            address = json.loads(Path(scheduler_file).read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BackendError(
                f"--scheduler-file: {scheduler_file} is not a Dask scheduler file "
                f"(JSON with an 'address', as `dask scheduler --scheduler-file` writes): "
                f"{_reason(exc)}"
            ) from None
        flag = "--scheduler-file"
    else:
        address, flag = str(scheduler), "--scheduler"
    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme not in SCHEMES:
        raise BackendError(
            f"{flag}: {address} is not a Dask scheduler address: the scheme must be "
            f"{' or '.join(s + '://' for s in SCHEMES)} (e.g. tcp://host:{SCHEDULER_PORT}), "
            "or 'local' for a cluster on this machine"
        )
    return address


def security_for(address: str) -> Any:
    """The TLS settings a `tls://` address needs (from Dask's configuration), else None.

    Raises:
        BackendError: a `tls://` address without a CA file, client certificate and key.
    """
    if not address.startswith("tls://"):
        return None
    from distributed.security import Security

    security = Security(require_encryption=True)
    missing = [
        name
        for name, value in (
            # Set from `Security.__slots__` by setattr: distributed declares no types for them.
            ("ca-file", security.tls_ca_file),  # type: ignore[attr-defined]
            ("client.cert", security.tls_client_cert),  # type: ignore[attr-defined]
        )
        if not value
    ]
    if missing:
        raise BackendError(
            f"--scheduler: {address} is a TLS address but no certificates are configured "
            f"(distributed.comm.tls.{', distributed.comm.tls.'.join(missing)} missing): "
            "point DASK_CONFIG to a security file such as simulations/cluster/tls.yaml "
            "(docs/EXPERIMENTS.md, 'TLS')"
        )
    return security


def _run_alone(coroutine: Any) -> Any:
    """Run a coroutine to its end on an event loop of its own.

    `asyncio.run` refuses to start inside a running loop (a Jupyter notebook, a
    Playwright session): there the coroutine runs on a loop in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="habitat-probe") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def probe_scheduler(address: str, security: Any, timeout: float) -> dict[str, Any]:
    """Ask the address what it is, within `timeout` seconds (handshake included).

    A Dask client's own connect bounds the TCP connection but not the handshake after
    it: a port that accepts and never answers (the dashboard, on 8787) hangs it, and a
    service that answers something else makes it read a huge frame length.

    Returns:
        The scheduler's identity (`type`, `id`, `workers`...).

    Raises:
        BackendError: nothing answered in time, or what answered is not a Dask scheduler.
    """
    from distributed.comm import connect

    args = security.get_connection_args("client") if security is not None else {}

    async def identity() -> Any:
        comm = await connect(address, timeout=timeout, **args)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    hint = (
        f"; is it the dashboard's port ({DASHBOARD_PORT} by default)? "
        f"The scheduler's is {SCHEDULER_PORT} by default"
    )
    try:
        # The connection itself gives up at `timeout`; the handshake gets a second more.
        info = _run_alone(asyncio.wait_for(identity(), timeout + 1))
    except OSError as exc:  # TimeoutError included
        reason = (
            "the port accepted the connection but never answered"
            if isinstance(exc, TimeoutError)  # asyncio's too, since Python 3.11
            else _reason(exc)
        )
        raise BackendError(
            f"--scheduler: cannot reach the Dask scheduler at {address} within "
            f"{timeout:g} s ({reason})" + (hint if isinstance(exc, TimeoutError) else "")
        ) from None
    except Exception as exc:  # a MemoryError too: another service's bytes read as a length
        raise BackendError(
            f"--scheduler: {address} did not answer as a Dask scheduler ({_reason(exc)}){hint}"
        ) from None
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        kind = info.get("type") if isinstance(info, dict) else None
        raise BackendError(
            f"--scheduler: {address} is a Dask {kind}, not a scheduler"
            if kind
            else f"--scheduler: {address} did not answer as a Dask scheduler{hint}"
        )
    return info


def quiet_client_logs() -> None:
    """Keep Dask's own log lines (reconnection attempts, tracebacks) off a person's terminal.

    The sweep says in one line what happened to the cluster; Dask's lines would bury it.
    """
    for name in ("distributed.client", "distributed.comm", "distributed.core", "distributed"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
