"""Fixtures for the services: the store's demo database, opened."""

from __future__ import annotations

import shutil

import pytest

from habitat import demo, store
from habitat.services.access import user_of
from habitat.store.entities import Account, Role


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path)
    return path


@pytest.fixture
def demo_conn(demo_file, tmp_path):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_file, path)
    with store.connect(path) as db:
        yield db


@pytest.fixture
def users(demo_conn):
    """The demo's user of each role."""
    return {a.role: user_of(demo_conn, a) for a in store.find(demo_conn, Account)}


ROLES = list(Role)
