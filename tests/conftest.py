"""Shared test configuration: hypothesis profiles and table-set fixtures."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from betanketid_rules._tables import default_tables_dir

# "ci": deterministic and bounded; "deep": many more examples for local runs.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TABLES = default_tables_dir()


@pytest.fixture
def tables_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped tables, for tests that plant a change."""
    target = tmp_path / "tables"
    shutil.copytree(TABLES, target)
    yield target
