"""The parsed-table cache: a new process reads clean parses back instead of parsing YAML again,
and nothing about what a table means or what the loader refuses depends on it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from betanketid_rules._errors import TableError
from betanketid_rules._tables import (
    _parsed_cache,
    _yaml,
    _yaml_parse,
    default_tables_dir,
    load_table_set,
)

SHIPPED = sorted(default_tables_dir().rglob("*.yaml"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, and an empty in-process cache."""
    monkeypatch.setenv(_parsed_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(_yaml, "_PARSED", {})
    directory = _parsed_cache.cache_directory()
    assert directory is not None
    return directory


def _refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(text: str) -> Any:
        raise AssertionError("parsed although a cached parse was there")

    monkeypatch.setattr(_yaml_parse, "parse", parse)
    monkeypatch.setattr(_yaml, "_PARSED", {})


def test_a_cached_parse_is_the_parse(cache: Path) -> None:
    for path in SHIPPED:
        parsed = _yaml_parse.parse(path.read_text(encoding="utf-8"))
        document = _yaml.read_yaml(path, default_tables_dir())
        assert _parsed_cache.load(document.sha256) == parsed, path


def test_a_second_load_reads_the_cache_and_decides_the_same(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_table_set(default_tables_dir())
    assert len(list(cache.glob("*.json"))) == len(SHIPPED)
    _refuse_parsing(monkeypatch)
    second = load_table_set(default_tables_dir())
    assert second.content_hash == first.content_hash
    assert [t.spec for t in second] == [t.spec for t in first]


def test_a_problem_found_after_parsing_still_has_its_line(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tables_copy: Path
) -> None:
    table = next(tables_copy.glob("utl-5-15-outcome/*.yaml"))
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("hit_policy:", "hit_policy: SOMETIMES\nold_hit_policy:", 1))
    with pytest.raises(TableError) as parsed:
        load_table_set(tables_copy)
    _refuse_parsing(monkeypatch)
    with pytest.raises(TableError) as cached:
        load_table_set(tables_copy)
    assert str(cached.value) == str(parsed.value)
    assert re.search(rf"{table.name}:\d+: hit_policy", str(cached.value)), str(cached.value)


def test_a_refused_file_is_never_cached(cache: Path, tables_copy: Path) -> None:
    table = next(tables_copy.glob("utl-5-15-outcome/*.yaml"))
    table.write_text("a: &x [1]\nb: !!python/object:os.system x\n", encoding="utf-8")
    with pytest.raises(TableError, match="tags are not allowed"):
        load_table_set(tables_copy)
    cached = {path.stem for path in cache.glob("*.json")}
    assert _yaml.hashlib.sha256(table.read_bytes()).hexdigest() not in cached


def test_a_corrupt_entry_is_ignored_and_replaced(cache: Path) -> None:
    path = SHIPPED[0]
    sha = _yaml.read_yaml(path, default_tables_dir()).sha256
    entry = cache / f"{sha}.json"
    for corrupt in ("{", json.dumps({"data": 1}), json.dumps({"lines": [], "data": {"d": 5}})):
        entry.write_text(corrupt, encoding="utf-8")
        assert _parsed_cache.load(sha) is None
    entry.write_bytes(b"\xff" * 10)
    _yaml._PARSED.clear()
    parsed = _yaml_parse.parse(path.read_text(encoding="utf-8"))
    assert _yaml.read_yaml(path, default_tables_dir()).data == parsed[0]
    assert _parsed_cache.load(sha) is not None  # written again


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_parsed_cache.CACHE_ENV, "off")
    monkeypatch.setattr(_yaml, "_PARSED", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_table_set(default_tables_dir())
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_never_fails_a_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(_parsed_cache.CACHE_ENV, str(blocker))
    monkeypatch.setattr(_yaml, "_PARSED", {})
    assert load_table_set(default_tables_dir()).content_hash


def test_a_new_process_evaluates_from_the_cache(tmp_path: Path) -> None:
    case = (
        '{"decision_date": "2023-03-15", "applicant": "the_person", "permit": "reflection_period"}'
    )
    env = {"BETANKETID_RULES_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "betanketid_rules", "evaluate"]
    first = subprocess.run(command, input=case, env=env, capture_output=True, text=True, check=True)
    assert any(tmp_path.rglob("*.json"))
    second = subprocess.run(
        command, input=case, env=env, capture_output=True, text=True, check=True
    )
    assert second.stdout == first.stdout


def test_a_process_loading_from_the_cache_never_imports_the_parser(tmp_path: Path) -> None:
    """The parser (ruamel, slow to import) is loaded only for a file whose parse is not kept:
    the first process needs it, the second does not."""
    script = (
        "import sys\n"
        "from betanketid_rules._tables import default_table_set\n"
        "default_table_set()\n"
        "print('ruamel.yaml' in sys.modules)\n"
    )
    env = {"BETANKETID_RULES_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]
