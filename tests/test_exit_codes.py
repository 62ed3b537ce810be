"""One table of exit codes for every command: each code of each command, as CI sees it.

0 success, 1 findings or changes, 2 invalid input or usage, 3 internal or environment error
(``betanketid_rules._cli._common``; the docs' table in ``docs/guide/errors.rst``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import durable_missing

from betanketid_rules._cli import _common, main
from betanketid_rules._verify import check as check_module

COMMAND = str(Path(sys.executable).with_name("betanketid-rules"))
ROOT = Path(__file__).resolve().parents[1]
CASE = json.dumps(
    {"decision_date": "2023-03-15", "applicant": "the_person", "permit": "reflection_period"}
)


def run(*args: str, stdin: str = "", stdout: object = subprocess.PIPE) -> tuple[int, str]:
    done = subprocess.run(
        [COMMAND, *args],
        input=stdin.encode(),
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
        timeout=300,
    )
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    return done.returncode, stderr


def test_the_documented_table_is_the_one_the_commands_use() -> None:
    text = (ROOT / "docs" / "guide" / "errors.rst").read_text(encoding="utf-8")
    documented = [int(code) for code in re.findall(r"^   \* - (\d)$", text, flags=re.MULTILINE)]
    assert documented == [
        _common.EXIT_OK,
        _common.EXIT_FINDINGS,
        _common.EXIT_BAD_INPUT,
        _common.EXIT_INTERNAL,
    ]
    assert documented == [0, 1, 2, 3]


# --- evaluate ---------------------------------------------------------------------------------


def test_evaluate_0_for_a_decision_even_a_refusal() -> None:
    assert run("evaluate", stdin=CASE)[0] == 0


@pytest.mark.parametrize("stdin", ["{", '{"applicant": "x"}', CASE + "\n" + CASE[:-1]])
def test_evaluate_2_for_invalid_input(stdin: str) -> None:
    args = ("evaluate", "--jsonl") if "\n" in stdin else ("evaluate",)
    assert run(*args, stdin=stdin)[0] == 2


def test_evaluate_2_for_usage() -> None:
    assert run("evaluate", "--engine", "drools", stdin=CASE)[0] == 2


def test_evaluate_3_for_a_full_output() -> None:
    with open("/dev/full", "wb") as full:
        code, stderr = run("evaluate", stdin=CASE, stdout=full)
    assert (code, stderr.count("\n")) == (3, 1)


# --- check ------------------------------------------------------------------------------------


def test_check_0_when_clean_and_1_for_a_finding(tables_copy: Path) -> None:
    assert run("check", "--no-engines")[0] == 0
    standing = tables_copy / "utl-5-15-standing" / "2022-08-01.yaml"
    standing.write_text(standing.read_text(encoding="utf-8") + "unclosed: [\n", encoding="utf-8")
    assert run("check", "--no-engines", str(tables_copy))[0] == 1


def test_check_2_for_a_directory_that_is_not_one(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "absent"))[0] == 2


def test_check_3_when_the_checker_itself_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken checker must not look like a broken table (both were exit 1)."""

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(check_module, "_run_table", broken)
    assert main(["check", "--no-engines"]) == 3
    err = capsys.readouterr().err
    assert err.splitlines() == ["betanketid-rules: internal error: KeyError: 'a bug'"]


# --- diff -------------------------------------------------------------------------------------


def test_diff_0_without_and_1_with_changes_under_exit_code() -> None:
    # (two days of one period: 2015-01-01, SFS 2014:655, lies between 2014 and 2020)
    assert run("diff", "2016-01-01", "2020-01-01", "--exit-code")[0] == 0
    assert run("diff", "2022-07-31", "2022-08-01", "--exit-code")[0] == 1
    assert run("diff", "2022-07-31", "2022-08-01")[0] == 0


def test_diff_2_for_arguments_that_do_not_fit(tmp_path: Path) -> None:
    assert run("diff", "2022-07-31", "utl-5-15-standing@2022-08-01")[0] == 2
    assert run("diff", str(tmp_path), str(tmp_path / "absent"))[0] == 2


def test_diff_3_for_a_closed_output() -> None:
    process = subprocess.Popen(
        [COMMAND, "diff", "2022-07-31", "2022-08-01"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 3
    assert stderr.decode().splitlines() == [
        "betanketid-rules: error: the output was closed before it was written"
    ]


# --- schema and demo --------------------------------------------------------------------------


def test_schema_0_2_and_3() -> None:
    assert run("schema", "case")[0] == 0
    assert run("schema", "nothing")[0] == 2
    assert run("schema", "case", "-o", "/dev/full")[0] == 3


def test_demo_0_and_3() -> None:
    assert run("demo")[0] == 0
    with open("/dev/full", "wb") as full:
        assert run("demo", stdout=full)[0] == 3


def test_demo_with_an_engine_that_cannot_run_here_fails_before_printing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As on Python 3.13 (durable_rules not importable): exit 3, one line, nothing printed."""
    with durable_missing(monkeypatch):
        assert main(["demo", "--engine", "durable"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and "only on Python < 3.13" in err
