"""Shared test configuration: hypothesis profiles and table-set fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# The parsed-table cache of this test run (inherited by every command the tests start) lives in
# a folder of its own, removed at the end: the tests never read or write the user's cache.
_PARSED_CACHE = tempfile.TemporaryDirectory(prefix="betanketid-parsed-")
os.environ["BETANKETID_RULES_CACHE"] = _PARSED_CACHE.name

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from betanketid_rules._tables import default_tables_dir  # noqa: E402

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
