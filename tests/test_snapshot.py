"""The kept table set: a new process reads back the set an earlier one loaded and checked, and
is given exactly what a full load gives; any change of a file or of the code, a problem, a
refused file or a damaged document sends it back to the full load."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from betanketid_rules import Case
from betanketid_rules._engine import decide_with
from betanketid_rules._errors import TableError
from betanketid_rules._tables import (
    TableSet,
    _load,
    _parsed_cache,
    _snapshot,
    load_table_set,
    load_table_set_kept,
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of this test's own."""
    monkeypatch.setenv(_parsed_cache.CACHE_ENV, str(tmp_path / "cache"))
    directory = _parsed_cache.cache_directory()
    assert directory is not None
    return directory


def _documents(cache: Path) -> list[Path]:
    return sorted(cache.glob("tableset-*.json"))


def _refuse_full_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    def read_table_set(directory: Path) -> Any:
        raise AssertionError(f"{directory} was loaded again although its set was kept")

    monkeypatch.setattr(_load, "read_table_set", read_table_set)


def _parts(table_set: TableSet) -> dict[str, Any]:
    """Everything a table set is made of, in a form that compares by value."""
    return {
        "families": {
            family: [
                (table.spec, table.path, table.sha256, table.domains, table.columns, table.cells)
                for table in tables
            ]
            for family, tables in table_set.families.items()
        },
        "directory": table_set.directory,
        "order": table_set.order,
        "sources": table_set.sources,
        "questions": table_set.questions,
        "content_hash": table_set.content_hash,
        "outcome_family": table_set.outcome_family,
        "catalogue": table_set.catalogue,
        "vocabulary": table_set.vocabulary,
        "matters": table_set.matters,
        "outcome_families": table_set.outcome_families,
        "periods": [
            (period.first_day, period.last_day, [table.key for table in period.tables])
            for matter in ("application", "revocation")
            for period in table_set.periods(matter)
        ],
    }


def _keep(directory: Path) -> TableSet:
    loaded = load_table_set_kept(directory)
    assert len(_documents(_cache())) == 1
    return loaded


def _cache() -> Path:
    directory = _parsed_cache.cache_directory()
    assert directory is not None
    return directory


def test_the_kept_set_is_the_loaded_set(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = _keep(tables_copy)
    _refuse_full_loads(monkeypatch)
    kept = load_table_set_kept(tables_copy)
    assert kept is not loaded
    assert _parts(kept) == _parts(loaded)
    # The same cases get the same decisions, on a day of every period of both matters.
    days = [period.first_day for period in loaded.periods()] + [dt.date(2026, 1, 1)]
    for day in days:
        for applicant in ("preliminary_investigation_leader", "social_welfare_board", "other"):
            case = Case.model_validate(
                {"decision_date": day, "applicant": applicant, "permit": "reflection_period"}
            )
            assert decide_with(kept, case, "native") == decide_with(loaded, case, "native")


def test_a_changed_file_is_loaded_and_checked_again(cache: Path, tables_copy: Path) -> None:
    first = _keep(tables_copy)
    table = next(tables_copy.glob("utl-5-15-outcome/*.yaml"))
    with table.open("a", encoding="utf-8") as out:
        out.write("# a comment changes the bytes, not the meaning\n")
    assert _snapshot.load(tables_copy) is None
    second = load_table_set_kept(tables_copy)
    assert second.content_hash != first.content_hash
    # Only the newest document is kept.
    assert len(_documents(cache)) == 1
    assert _snapshot.load(tables_copy) is not None


def test_changed_code_is_a_miss(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new check in the loader must see tables kept before it was written."""
    _keep(tables_copy)
    assert _snapshot.load(tables_copy) is not None
    monkeypatch.setattr(_snapshot, "_code_digest", lambda: "another version of the code")
    assert _snapshot.load(tables_copy) is None


def test_a_set_with_a_problem_is_never_kept(cache: Path, tables_copy: Path) -> None:
    table = next(tables_copy.glob("utl-5-15-outcome/*.yaml"))
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("hit_policy:", "hit_policy: SOMETIMES\nold_hit_policy:", 1))
    for _ in range(2):
        with pytest.raises(TableError, match="hit_policy"):
            load_table_set_kept(tables_copy)
    assert _documents(cache) == []


def test_a_set_loaded_without_keeping_is_not_kept(cache: Path, tables_copy: Path) -> None:
    load_table_set(tables_copy)
    assert _documents(cache) == []


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: "\xff not json", id="not-json"),
        pytest.param(
            lambda text: json.dumps({"key": json.loads(text)["key"]}), id="fields-missing"
        ),
        pytest.param(
            lambda text: text.replace('"hit_policy":"', '"hit_policy":"SOMETIMES', 1),
            id="invalid-table",
        ),
        pytest.param(
            lambda text: text.replace(json.loads(text)["key"], "0" * 64, 1), id="another-key"
        ),
        pytest.param(
            lambda text: text.replace('"utl-5-15-outcome/', '"utl-5-15-missing/', 1),
            id="a-file-not-in-the-set",
        ),
    ],
)
def test_a_damaged_document_is_ignored_and_replaced(
    cache: Path, tables_copy: Path, damage: Any
) -> None:
    loaded = _keep(tables_copy)
    (document,) = _documents(cache)
    document.write_text(damage(document.read_text(encoding="utf-8")), encoding="utf-8")
    assert _snapshot.load(tables_copy) is None
    again = load_table_set_kept(tables_copy)
    assert _parts(again) == _parts(loaded)
    assert _snapshot.load(tables_copy) is not None  # written again


def test_a_document_larger_than_the_limit_is_not_read(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _keep(tables_copy)
    (document,) = _documents(cache)
    monkeypatch.setattr(_snapshot, "_MAX_SNAPSHOT_BYTES", document.stat().st_size - 1)
    assert _snapshot.load(tables_copy) is None


def test_a_fifo_in_the_directory_is_never_opened(cache: Path, tables_copy: Path) -> None:
    """A FIFO would block a read for ever: the lookup gives up at its stat, and the full load
    names it."""
    _keep(tables_copy)
    fifo = tables_copy / "utl-5-15-outcome" / "2030-01-01.yaml"
    os.mkfifo(fifo)
    assert _snapshot.load(tables_copy) is None
    with pytest.raises(TableError, match="not a regular file"):
        load_table_set_kept(tables_copy)


def test_a_symlink_leaving_the_directory_is_a_miss(
    cache: Path, tables_copy: Path, tmp_path: Path
) -> None:
    _keep(tables_copy)
    outside = tmp_path / "outside.yaml"
    registry = tables_copy / "sources.yaml"
    outside.write_bytes(registry.read_bytes())
    registry.unlink()
    registry.symlink_to(outside)
    assert _snapshot.load(tables_copy) is None
    with pytest.raises(TableError, match="leaves the table directory"):
        load_table_set_kept(tables_copy)


def test_a_missing_registry_is_a_miss(cache: Path, tables_copy: Path) -> None:
    _keep(tables_copy)
    (tables_copy / "vocabulary.yaml").unlink()
    assert _snapshot.load(tables_copy) is None


def test_off_keeps_and_reads_nothing(
    tmp_path: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_parsed_cache.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    load_table_set_kept(tables_copy)
    assert _snapshot.load(tables_copy) is None
    assert not (tmp_path / "xdg").exists()
    assert not (tmp_path / "home").exists()


def test_an_unwritable_cache_never_fails_a_load(
    tmp_path: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(_parsed_cache.CACHE_ENV, str(blocker))
    assert load_table_set_kept(tables_copy).content_hash == load_table_set(tables_copy).content_hash


def test_a_new_process_decides_from_the_kept_set_without_loading_the_tables(
    tmp_path: Path,
) -> None:
    """The command line's cold start: the first process loads, checks and keeps the set; the
    next one decides the same without a full load (here, one would fail)."""
    script = (
        "import sys\n"
        "from betanketid_rules._tables import _load\n"
        "if sys.argv[1] == 'kept':\n"
        "    def refuse(directory):\n"
        "        raise SystemExit('loaded the tables again')\n"
        "    _load.read_table_set = refuse\n"
        "from betanketid_rules._cli import main\n"
        "sys.exit(main(['evaluate']))\n"
    )
    case = '{"decision_date": "2023-03-15", "applicant": "the_person", "permit": "evidence_person"}'
    env = {"BETANKETID_RULES_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, which],
            input=case,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for which in ("first", "kept")
    ]
    assert runs[1] == runs[0]
    assert json.loads(runs[0])["decision"]["outcome"]


def test_a_folder_reached_through_a_symlink_is_left_to_the_full_load(
    cache: Path, tables_copy: Path, tmp_path: Path
) -> None:
    """The lookup follows nothing; the full load decides (here it accepts: the folder's
    files stay inside the directory), and such a set is not kept."""
    _keep(tables_copy)
    family = tables_copy / "utl-5-15-remarks"
    moved = tables_copy / "kept-elsewhere" / "remarks"  # not a <family>/<date>.yaml path
    moved.parent.mkdir()
    family.rename(moved)
    family.symlink_to(Path("kept-elsewhere") / "remarks")
    assert _snapshot.load(tables_copy) is None
    assert load_table_set_kept(tables_copy).families["utl-5-15-remarks"]
    assert _snapshot.load(tables_copy) is None
