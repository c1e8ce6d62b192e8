"""The paths to a real cluster: SLURM through dask-jobqueue, TLS settings, a worker image."""

from __future__ import annotations

import importlib.util

import dask
import pytest

from habitat.experiment.backends import BackendError
from habitat.experiment.cluster import security_for

from .conftest import ROOT

RECIPES = ROOT / "simulations" / "cluster"


def _slurm_module():
    spec = importlib.util.spec_from_file_location("slurm_cluster", RECIPES / "slurm_cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_slurm_example_builds_a_cluster_without_submitting_a_job():
    slurm = _slurm_module()
    options = slurm.slurm_options()
    assert options["cores"] == options["processes"], "one thread a worker"
    cluster = slurm.make_cluster(scheduler_options={"host": "127.0.0.1", "dashboard_address": None})
    try:
        script = cluster.job_script()
        assert "#SBATCH -J habitat-worker" in script
        assert "source $HOME/habitat/.venv/bin/activate" in script
        assert "--nthreads 1" in script
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert not cluster.workers, "nothing submitted"
    finally:
        cluster.close()


def test_the_tls_settings_file_gives_the_client_its_certificates():
    import yaml

    def dotted(tree: dict, prefix: str = "") -> dict:
        flat = {}
        for name, value in tree.items():
            if isinstance(value, dict):
                flat |= dotted(value, f"{prefix}{name}.")
            else:
                flat[f"{prefix}{name}"] = value
        return flat

    settings = yaml.safe_load((RECIPES / "tls.yaml").read_text(encoding="utf-8"))
    with dask.config.set(dotted(settings)):
        security = security_for("tls://scheduler.example:8786")
    assert security.require_encryption
    assert security.tls_ca_file == "/etc/habitat/tls/ca.pem"
    assert security.tls_client_cert == "/etc/habitat/tls/client.pem"


def test_a_tls_address_without_certificates_is_refused_and_tcp_needs_none():
    with pytest.raises(BackendError, match=r"^--scheduler: tls://h:8786 is a TLS address but no"):
        security_for("tls://h:8786")
    assert security_for("tcp://h:8786") is None


def test_the_worker_image_installs_this_package_single_threaded():
    dockerfile = (RECIPES / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY src ./src" in dockerfile and "pip install --no-cache-dir ." in dockerfile
    assert "--nthreads 1" in dockerfile
