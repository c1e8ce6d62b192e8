"""`habitat sweep --scheduler` against real `dask scheduler` and `dask worker` processes.

Every process listens on 127.0.0.1 on a free port, is bounded in time, and is
stopped at the end of its test, failed or not.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from habitat.experiment import load_experiment, run_sweep
from habitat.experiment import sweep as sweep_module
from habitat.experiment.backends import InProcessBackend
from habitat.experiment.cluster import code_identity, probe_scheduler

from .conftest import ROOT, SCENARIOS

SWEEP = [sys.executable, "-m", "habitat.cli", "sweep"]
#: Longest a cluster process may take to start, and a sweep to end.
START_S = 60
SWEEP_S = 180

EXPERIMENT = f"""\
name: Cluster sweep
scenario: {SCENARIOS / "elderly_baseline.yaml"}
days: 120
replications: 10
seed: 5
factors:
  - path: animator.hours_per_week
    levels: [7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37,
             8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38]
outputs:
  summaries: [quality_of_life, participation_rate]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """Scheduler and worker processes started by a test; `stop()` ends every one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.port = free_port()
        self.dashboard = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.file = folder / "scheduler.json"

    def _start(self, command: list[str], name: str, env: dict | None = None) -> subprocess.Popen:
        log = (self.folder / f"{name}-{len(self.processes)}.log").open("w")
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def scheduler(self) -> subprocess.Popen:
        process = self._start(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dashboard-address",
                f"127.0.0.1:{self.dashboard}",
                "--scheduler-file",
                str(self.file),
            ],
            "scheduler",
        )
        self.wait(lambda info: True)
        return process

    def worker(self, env: dict | None = None, wait: bool = True) -> subprocess.Popen:
        before = len(self.info()["workers"]) if wait else 0
        process = self._start(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                self.address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            ],
            "worker",
            env,
        )
        if wait:
            self.wait(lambda info: len(info["workers"]) > before)
        return process

    def info(self) -> dict:
        return probe_scheduler(self.address, None, 2)

    def wait(self, ready) -> None:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            try:
                if ready(self.info()):
                    return
            except Exception:
                pass
            time.sleep(0.2)
        logs = "\n".join(p.read_text() for p in self.folder.glob("*.log"))
        raise AssertionError(f"the cluster did not start in {START_S} s:\n{logs}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    folder = tmp_path / "cluster"
    folder.mkdir()
    running = Cluster(folder)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def experiment_file(tmp_path) -> Path:
    path = tmp_path / "cluster.yaml"
    path.write_text(EXPERIMENT, encoding="utf-8")
    return path


@contextmanager
def sweep_process(*args: str) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [*SWEEP, *args, "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def sweep(*args: str, timeout: float = SWEEP_S) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SWEEP, *args, "-q"], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def fresh_results(experiment_file: Path, folder: Path) -> pd.DataFrame:
    run_sweep(load_experiment(experiment_file), folder, InProcessBackend())
    return pd.read_parquet(folder / "results.parquet")


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("foo://127.0.0.1:8786", "the scheme must be tcp:// or tls://"),
        ("tls://127.0.0.1:8786", "is a TLS address but no certificates are configured"),
    ],
)
def test_an_address_that_cannot_work_is_refused_in_one_line(
    address, says, experiment_file, tmp_path
):
    out = tmp_path / "out"
    started = time.monotonic()
    done = sweep(str(experiment_file), "--out", str(out), "--scheduler", address, timeout=60)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.startswith(f"habitat sweep: error: --scheduler: {address} ")
    assert says in line
    assert "__del__" not in done.stderr and not out.exists()
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_the_dashboard_port_is_refused_within_the_timeout(cluster, experiment_file, tmp_path):
    cluster.scheduler()
    out = tmp_path / "out"
    started = time.monotonic()
    address = f"tcp://127.0.0.1:{cluster.dashboard}"
    done = sweep(str(experiment_file), "--out", str(out), "--scheduler", address, timeout=60)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.startswith(
        f"habitat sweep: error: --scheduler: cannot reach the Dask scheduler at {address}"
    )
    assert "dashboard" in line
    assert time.monotonic() - started < 30  # 5 s to connect, 1 s more for the handshake
    assert not out.exists()


@pytest.mark.slow
def test_a_port_answered_by_another_service_is_refused(experiment_file, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def ssh_like() -> None:  # says its banner, as an SSH server does, then keeps the line open
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n" * 4)

    thread = threading.Thread(target=ssh_like, daemon=True)
    thread.start()
    address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    try:
        done = sweep(str(experiment_file), "--out", str(tmp_path / "out"), "--scheduler", address)
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.startswith(f"habitat sweep: error: --scheduler: {address} did not answer as a Dask")
    assert "EiB" not in line or "MemoryError" in line


@pytest.mark.slow
def test_a_worker_running_other_code_is_refused_before_any_work(cluster, experiment_file, tmp_path):
    copy = tmp_path / "other" / "habitat"
    shutil.copytree(ROOT / "src" / "habitat", copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "sim" / "model.py").open("a") as model:
        model.write("\n# a local change on that worker\n")
    cluster.scheduler()
    cluster.worker(env={"PYTHONPATH": str(copy.parent)})
    out = tmp_path / "out"
    done = sweep(str(experiment_file), "--out", str(out), "--scheduler", cluster.address)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.startswith("habitat sweep: error: --scheduler: the Dask worker tcp://127.0.0.1:")
    assert "runs other habitat source files" in line and "restart them" in line
    assert not out.exists()


# --------------------------------------------------------------------------- the cluster at work


@pytest.mark.slow
def test_workers_joining_after_the_start_get_work_and_give_the_same_numbers(
    cluster, experiment_file, tmp_path
):
    cluster.scheduler()  # no worker yet, as on a batch cluster
    out = tmp_path / "out"
    with sweep_process(
        str(experiment_file), "--out", str(out), "--scheduler-file", str(cluster.file)
    ) as running:
        time.sleep(1)
        cluster.worker(wait=False)
        cluster.worker(wait=False)
        stdout, stderr = running.communicate(timeout=SWEEP_S)
    assert running.returncode == 0, stderr
    assert "32 points x 10 replications; 32 completed, 0 failed" in stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["backend"]["scheduler"] == cluster.address
    assert manifest["backend"]["worker_code"], "each worker's code is recorded"
    for identity in manifest["backend"]["worker_code"].values():
        assert identity == code_identity()
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "results.parquet"), fresh_results(experiment_file, tmp_path / "here")
    )


@pytest.mark.slow
def test_a_lost_scheduler_is_said_plainly_and_the_same_command_resumes(
    cluster, experiment_file, tmp_path
):
    scheduler = cluster.scheduler()
    cluster.worker()
    out = tmp_path / "out"
    command = (str(experiment_file), "--out", str(out), "--scheduler", cluster.address)
    with sweep_process(*command) as running:
        deadline = time.monotonic() + SWEEP_S
        while not list((out / "parts").glob("*.rows.parquet")):
            assert time.monotonic() < deadline and running.poll() is None, running.stderr.read()
            time.sleep(0.02)
        os.killpg(scheduler.pid, signal.SIGKILL)
        _, stderr = running.communicate(timeout=60)
    assert running.returncode == 3, stderr
    line = one_line(stderr)
    assert line.startswith(f"habitat sweep: error: lost the Dask scheduler at {cluster.address}")
    assert line.endswith("run the same command again to resume")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    kept = manifest["completed_so_far"]
    assert 0 < kept < 32

    cluster.stop()
    cluster.processes.clear()
    cluster.scheduler()
    cluster.worker()
    done = sweep(*command)
    assert done.returncode == 0, done.stderr
    assert f"({kept} done before)" in done.stdout
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "results.parquet"), fresh_results(experiment_file, tmp_path / "here")
    )


# --------------------------------------------------------------------------- chunking


def _many_points(tmp_path, points: int):
    """An experiment of `points` points differing only in animator hours, and its design."""
    path = tmp_path / "many.yaml"
    hours = [round(0.1 * i, 1) for i in range(1, points + 1)]
    path.write_text(
        f"scenario: {SCENARIOS / 'elderly_baseline.yaml'}\ndays: 30\nreplications: 5\nseed: 1\n"
        f"factors:\n  - {{path: animator.hours_per_week, levels: {hours}}}\n",
        encoding="utf-8",
    )
    experiment = load_experiment(path)
    return experiment, sweep_module.design_points(experiment)


@pytest.mark.parametrize("points", [1, 3, 8, 32, 200])
def test_a_cluster_sweep_is_cut_by_its_points_not_its_workers(points, tmp_path):
    experiment, design = _many_points(tmp_path, points)
    chunks = sweep_module._chunks(experiment, design, workers=0)
    wanted = min(-(-points // sweep_module.POINTS_PER_CHUNK), sweep_module.POINT_CHUNKS)
    assert len(chunks) >= wanted
    assert sorted(p for c in chunks for p in c.indices) == list(range(points))


def test_local_workers_keep_whole_batches(tmp_path):
    """With known workers a group that fits one batched run is cut only for them.

    Cutting by points on local processes split the territory benchmark's 6 batches
    into 25 pieces, each paying a day's Python work: 5x the CPU time.
    """
    experiment, design = _many_points(tmp_path, 40)
    local = sweep_module._chunks(experiment, design, workers=2)
    cluster = sweep_module._chunks(experiment, design, workers=0)
    assert len(local) == 2 * sweep_module.CHUNKS_PER_WORKER
    assert len(cluster) >= 40 // sweep_module.POINTS_PER_CHUNK
    assert sorted(p for c in local for p in c.indices) == list(range(40))
