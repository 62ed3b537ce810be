"""Table loading is an attack surface: ``check`` runs on pull-request tables in others' CI.

Each observation of issue 16 ("Table loading is an attack surface") is planted in a copy of
the shipped tables; the loader must refuse it as a finding with its file (and line where
there is one), never hang, crash or exhaust memory.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betanketid_rules._tables import default_tables_dir, read_table_set
from betanketid_rules._tables._evaluate import MAX_INPUT_SPACE
from betanketid_rules._tables._yaml import MAX_FILE_BYTES, MAX_NODES, RefusedError, read_plain_file
from betanketid_rules._verify.check import check_tables

COMMAND = str(Path(sys.executable).with_name("betanketid-rules"))
STANDING = Path("utl-5-15-standing") / "2022-08-01.yaml"


def problems_of(tables: Path, code: str) -> list[str]:
    result = read_table_set(tables)
    return [str(problem) for problem in result.problems if problem.code == code]


def billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_file_is_refused_quickly_in_little_memory(tables_copy: Path) -> None:
    # Seen: 1.55 GB in 24 s at 7 levels; out of memory at 9.
    (tables_copy / STANDING).write_text(billion_laughs(9), encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    found = problems_of(tables_copy, "too_large")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == [
        f"{tables_copy / STANDING}:1: more than {MAX_NODES} values once aliases are expanded"
    ]
    assert seconds < 30
    assert peak < 300 * 2**20


def test_a_symlink_to_the_zero_device_is_refused_without_reading(tables_copy: Path) -> None:
    # Seen: read until memory was gone.
    target = tables_copy / STANDING
    target.unlink()
    target.symlink_to("/dev/zero")
    found = problems_of(tables_copy, "not_a_file")
    assert len(found) == 1 and str(target) in found[0], found


def test_a_symlink_out_of_the_directory_is_refused(tables_copy: Path, tmp_path: Path) -> None:
    # Seen: followed.
    outside = tmp_path / "outside.yaml"
    target = tables_copy / STANDING
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    found = problems_of(tables_copy, "not_a_file")
    assert len(found) == 1 and "leaves the table directory" in found[0], found


def test_a_fifo_named_like_a_table_does_not_hang_check(tables_copy: Path) -> None:
    # Seen: check and diff hung forever.
    target = tables_copy / STANDING
    target.unlink()
    os.mkfifo(target)
    done = subprocess.run(
        [COMMAND, "check", "--no-engines", str(tables_copy)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert f"{target}: not a regular file" in done.stdout
    for args in (["diff", str(tables_copy), str(tables_copy)],):
        other = subprocess.run(
            [COMMAND, *args], capture_output=True, text=True, timeout=120, check=False
        )
        assert other.returncode == 2
        assert "not a regular file" in other.stderr


def test_a_file_larger_than_the_limit_is_refused_before_parsing(tables_copy: Path) -> None:
    # Seen: a 200 MB file took 370 s and 2 GB.
    target = tables_copy / STANDING
    with target.open("ab") as handle:
        handle.write(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    started = time.perf_counter()
    found = problems_of(tables_copy, "too_large")
    assert time.perf_counter() - started < 10
    assert found == [f"{target}: larger than {MAX_FILE_BYTES} bytes"]


def test_a_latin_1_byte_is_a_finding_with_its_line(tables_copy: Path) -> None:
    # Seen: a UnicodeDecodeError traceback and no line.
    target = tables_copy / STANDING
    text = target.read_bytes()
    line = text.count(b"\n", 0, text.index(b"note:")) + 1
    target.write_bytes(text.replace(b"note:", b"note: \xe5", 1))
    report = check_tables(tables_copy, engines=False)
    (finding,) = [f for f in report.findings if f.file == str(target)]
    assert (finding.kind, finding.line) == ("load", line)
    assert "not UTF-8" in finding.message


def test_a_python_tag_runs_nothing_and_is_a_finding_with_its_line(
    tables_copy: Path, tmp_path: Path
) -> None:
    # Seen: ran nothing (good) but crashed the loader with a TypeError traceback.
    marker = tmp_path / "ran"
    target = tables_copy / STANDING
    text = target.read_text(encoding="utf-8")
    tagged = f'evil: !!python/object/apply:os.system ["touch {marker}"]\n'
    target.write_text(tagged + text, encoding="utf-8")
    found = problems_of(tables_copy, "yaml_tag")
    assert found == [
        f"{target}:1: unsupported YAML value "
        "(tag:yaml.org,2002:python/object/apply:os.system): tags are not allowed"
    ]
    assert not marker.exists()


def test_a_table_too_large_to_verify_is_a_finding_naming_it_and_its_size(
    tables_copy: Path,
) -> None:
    # Seen: a table with 30 boolean input columns made check die with MemoryError.
    target = tables_copy / "utl-5-15-remarks" / "2006-03-31.yaml"
    text = target.read_text(encoding="utf-8")
    extra = "".join(f"  - {{name: flag_{i}, from: case.facts.ties_broken}}\n" for i in range(30))
    assert "inputs:\n" in text
    target.write_text(text.replace("inputs:\n", "inputs:\n" + extra, 1), encoding="utf-8")
    report = check_tables(tables_copy, engines=False)
    found = [f for f in report.findings if "combinations" in f.message]
    assert len(found) == 1, report.findings
    assert found[0].file == str(target)
    assert f"at most {MAX_INPUT_SPACE:,} can be verified" in found[0].message


# --- fuzz: mutated table files ----------------------------------------------------------------


def _mutations() -> st.SearchStrategy[tuple[str, int, int]]:
    kinds = st.sampled_from(["truncate", "flip", "aliases", "tag", "insert"])
    return st.tuples(kinds, st.integers(0, 10_000), st.integers(0, 255))


def _mutate(data: bytes, kind: str, position: int, byte: int) -> bytes:
    at = position % max(1, len(data))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([byte]) + data[at + 1 :]
    if kind == "aliases":
        return billion_laughs(3 + byte % 8).encode() + data
    if kind == "tag":
        tags = [b"!!python/name:os.system ", b"!custom ", b"!!binary ", b"!!set ", b"&x "]
        return data[:at] + tags[byte % len(tags)] + data[at:]
    return data[:at] + bytes([byte]) * (byte % 7 + 1) + data[at:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_mutations(), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_fuzz_mutated_table_files_are_findings_with_a_file_never_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    mutations: list[tuple[str, int, int]],
    rng: random.Random,
) -> None:
    tables = tmp_path_factory.mktemp("tables")
    source = default_tables_dir()
    files = sorted(source.rglob("*.yaml"))
    for path in files:
        target = tables / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    chosen = tables / rng.choice(files).relative_to(source)
    data = chosen.read_bytes()
    for kind, position, byte in mutations:
        data = _mutate(data, kind, position, byte)
    chosen.write_bytes(data)
    started = time.perf_counter()
    report = check_tables(tables, engines=False)
    assert time.perf_counter() - started < 60
    for finding in report.findings:
        if finding.kind == "load":
            assert finding.file, finding


def test_the_guarded_read_refuses_a_fifo_on_the_open_file_without_waiting(
    tmp_path: Path,
) -> None:
    """The check is made on the opened file, so a FIFO swapped in after ``stat`` cannot block
    a read: opened without waiting for a writer, then refused."""
    fifo = tmp_path / "2030-01-01.yaml"
    os.mkfifo(fifo)
    refused: list[str] = []

    def read() -> None:
        try:
            read_plain_file(fifo, 1024)
        except RefusedError as error:
            refused.append(error.code)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the read waited for a writer"
    assert refused == ["not_a_file"]
