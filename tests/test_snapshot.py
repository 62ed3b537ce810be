"""The kept table set: a new process reads back the set an earlier one loaded and checked, and
is given exactly what a full load gives; any change of a file or of the code, a problem, a
refused file or a damaged document sends it back to the full load."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

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


def _typed(value: Any) -> Any:
    """``value`` with every scalar paired with its type, dictionaries as ordered item lists,
    sets sorted and models as their JSON: ``True`` never equals ``1``, order counts."""
    if isinstance(value, BaseModel):
        return (type(value).__name__, value.model_dump_json(by_alias=True))
    if isinstance(value, dict):
        return [(_typed(key), _typed(item)) for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [_typed(item) for item in value]
    if isinstance(value, frozenset):
        return sorted((_typed(item) for item in value), key=repr)
    return (type(value).__name__, repr(value))


def _parts(table_set: TableSet) -> Any:
    """Everything a table set is made of, typed (see :func:`_typed`)."""
    return _typed(
        {
            "families": {
                family: [
                    (
                        table.spec,
                        str(table.path),
                        table.sha256,
                        table.domains,
                        [(c.name, repr(c.source), c.domain) for c in table.columns],
                        table.cells,
                        table.scope,
                        table.row_index,
                    )
                    for table in tables
                ]
                for family, tables in table_set.families.items()
            },
            "directory": str(table_set.directory),
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
    )


def _finishes(call: Callable[[], object], seconds: float = 20) -> object:
    """What ``call`` returns, failing (not hanging) when it has not returned in ``seconds``."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    assert result, "raised"
    return result[0]


def _keep(directory: Path) -> TableSet:
    before = set(_documents(_cache()))
    loaded = load_table_set_kept(directory)
    assert len(set(_documents(_cache())) - before) == 1
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
    second = _keep(tables_copy)
    assert second.content_hash != first.content_hash
    assert _snapshot.load(tables_copy) is not None


def test_only_the_newest_documents_are_kept(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_snapshot, "KEPT_DOCUMENTS", 2)
    table = next(tables_copy.glob("utl-5-15-outcome/*.yaml"))
    for change in range(4):
        with table.open("a", encoding="utf-8") as out:
            out.write(f"# change {change}\n")
        load_table_set_kept(tables_copy)
        assert len(_documents(cache)) == min(change + 1, 2)
        assert _snapshot.load(tables_copy) is not None  # the newest is among them


def test_a_file_saved_during_a_load_is_not_kept_under_its_new_bytes(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table is broken after it was parsed and before the set is hashed and kept: the set
    decided by is the one parsed (its hash that of the bytes parsed), and nothing is kept, so
    the next load checks the broken file and refuses it."""
    table = next(tables_copy.glob("utl-5-15-outcome/*.yaml"))
    text = table.read_text(encoding="utf-8")
    broken = text.replace("hit_policy:", "hit_policy: SOMETIMES\nold:", 1)
    read_catalogue = _load._read_catalogue

    def saved_meanwhile(*args: Any) -> Any:
        table.write_text(broken, encoding="utf-8")
        return read_catalogue(*args)

    monkeypatch.setattr(_load, "_read_catalogue", saved_meanwhile)
    loaded = load_table_set_kept(tables_copy)
    monkeypatch.setattr(_load, "_read_catalogue", read_catalogue)
    assert _documents(cache) == []
    with pytest.raises(TableError, match="hit_policy"):
        load_table_set_kept(tables_copy)
    table.write_text(text, encoding="utf-8")
    assert loaded.content_hash == load_table_set(tables_copy).content_hash  # the bytes parsed


def test_changed_code_is_a_miss(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new check in the loader must see tables kept before it was written."""
    _keep(tables_copy)
    assert _snapshot.load(tables_copy) is not None
    monkeypatch.setattr(_snapshot, "_code_digest", lambda: "another version of the code")
    assert _snapshot.load(tables_copy) is None


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the package's sources that the code digest reads instead of the package."""
    source = Path(_snapshot.__file__).resolve().parents[1]
    copy = tmp_path / "package"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(_snapshot, "__file__", str(copy / "_tables" / "_snapshot.py"))
    _snapshot._code_digest.cache_clear()
    yield copy
    _snapshot._code_digest.cache_clear()


def test_the_code_digest_covers_every_source_file_and_pydantic(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def digest() -> str:
        _snapshot._code_digest.cache_clear()
        return _snapshot._code_digest()

    first = digest()
    for module in ("_contract.py", "_tables/_load.py", "_cli/evaluate.py"):
        path = package_copy / module
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert digest() != first, module
        path.write_bytes(original)
        assert digest() == first, module
    new_module = package_copy / "_tables" / "_new_check.py"
    new_module.write_text("CHECK = 1\n", encoding="utf-8")
    assert digest() != first
    new_module.unlink()
    (package_copy / "notes.txt").write_text("not code\n", encoding="utf-8")
    assert digest() == first
    monkeypatch.setattr(_snapshot.pydantic, "VERSION", "0.0-other")
    assert digest() != first


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


def _drop_a_domain(text: str) -> str:
    document = json.loads(text)
    table = next(iter(document["families"].values()))[0]
    table["domains"] = table["domains"][:-1]
    return json.dumps(document)


def _scope_not_a_column(text: str) -> str:
    document = json.loads(text)
    table = next(iter(document["families"].values()))[0]
    table["spec"]["condition_scope"] = ["no_such_column"]
    return json.dumps(document)


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
        pytest.param(_drop_a_domain, id="domains-not-fitting-the-columns"),
        pytest.param(_scope_not_a_column, id="scope-not-a-column"),
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


def test_a_fifo_in_the_directory_is_a_miss_without_waiting(cache: Path, tables_copy: Path) -> None:
    """A FIFO would block a plain read until a writer came: the lookup opens it without
    waiting, gives up, and the full load names it."""
    _keep(tables_copy)
    os.mkfifo(tables_copy / "utl-5-15-outcome" / "2030-01-01.yaml")
    assert _finishes(lambda: _snapshot.load(tables_copy)) is None
    with pytest.raises(TableError, match="not a regular file"):
        load_table_set_kept(tables_copy)


def test_a_fifo_in_place_of_the_document_is_a_miss_without_waiting(
    cache: Path, tables_copy: Path
) -> None:
    _keep(tables_copy)
    (document,) = _documents(cache)
    document.unlink()
    os.mkfifo(document)
    assert _finishes(lambda: _snapshot.load(tables_copy)) is None
    assert _finishes(lambda: load_table_set_kept(tables_copy).content_hash)


def test_a_file_name_that_is_not_utf8_is_left_to_the_full_load(
    cache: Path, tables_copy: Path
) -> None:
    _keep(tables_copy)
    odd = tables_copy / "utl-5-15-remarks" / os.fsdecode(b"2030-01-0\xff.yaml")
    odd.write_bytes((next(tables_copy.glob("utl-5-15-remarks/*.yaml"))).read_bytes())
    assert _snapshot.load(tables_copy) is None
    with pytest.raises(TableError):
        load_table_set_kept(tables_copy)


def test_a_relative_directory_is_kept_and_read_back(
    cache: Path, tables_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tables_copy)
    loaded = _keep(Path("."))
    _refuse_full_loads(monkeypatch)
    assert _parts(load_table_set_kept(Path("."))) == _parts(loaded)


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
