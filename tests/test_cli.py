"""The command line: exit codes, JSON Lines, text output, version, schema."""

from __future__ import annotations

import importlib.metadata
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from support import BOARD_REFLECTION

import betanketid_rules
from betanketid_rules import evaluate
from betanketid_rules._cli import build_parser, main
from betanketid_rules._render import render_decision
from betanketid_rules._schemas import SCHEMAS, schema_text
from betanketid_rules._tables import default_table_set

EXAMPLE = BOARD_REFLECTION


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "betanketid_rules", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_evaluate_prints_the_decision_and_exits_0() -> None:
    done = run_cli("evaluate", stdin=json.dumps({**EXAMPLE, "reference": "K-1"}))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert list(record) == [
        "reference",
        "decision_date",
        "package_version",
        "tables_sha256",
        "decision",
    ]
    assert (record["reference"], record["decision_date"]) == ("K-1", "2023-03-15")
    assert record["package_version"] == betanketid_rules.__version__
    assert record["tables_sha256"] == default_table_set().content_hash
    assert record["decision"]["outcome"] == "grant"
    assert record["decision"]["permit"]["days"] == 30


def test_a_refusal_is_a_decision_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    case = {**EXAMPLE, "applicant": "preliminary_investigation_leader", "permit": "evidence_person"}
    code = main_with_stdin(["evaluate"], json.dumps(case), capsys)
    assert code == 0
    assert json.loads(capsys.readouterr().out)["decision"]["outcome"] == "refuse"


def main_with_stdin(args: list[str], text: str, capsys: pytest.CaptureFixture[str]) -> int:
    original = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    try:
        return main(args)
    finally:
        sys.stdin = original


def test_invalid_input_exits_2_with_one_line_naming_the_field() -> None:
    bad = {**EXAMPLE, "facts": {"ties_broken": "yes"}}
    done = run_cli("evaluate", stdin=json.dumps(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "facts.ties_broken" in lines[0]
    assert "boolean" in lines[0]
    assert "Traceback" not in done.stderr


def test_invalid_json_exits_2_without_traceback() -> None:
    done = run_cli("evaluate", stdin="{not json")
    assert done.returncode == 2
    assert "invalid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_jsonl_bad_line_is_reported_with_its_number_and_others_still_decided(
    tmp_path: Path,
) -> None:
    lines = [
        json.dumps(EXAMPLE),
        json.dumps({**EXAMPLE, "reference": "K-2", "person": {"in_swedn": True}}),
        json.dumps({**EXAMPLE, "decision_date": "2022-05-10"}),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("evaluate", "--jsonl", str(path))
    assert done.returncode == 2
    first, second, third = (json.loads(line) for line in done.stdout.splitlines())
    outcomes = (first["decision"]["outcome"], third["decision"]["outcome"])
    assert outcomes == ("grant", "no_standing")
    assert second == {
        "index": 1,
        "line": 2,
        "reference": "K-2",
        "errors": [{"path": "person.in_swedn", "message": "Extra inputs are not permitted"}],
        "more_errors": 0,
    }
    assert done.stderr.strip().splitlines() == [
        "betanketid-rules: 1 of 3 lines not decided "
        "(first: line 2: person.in_swedn: Extra inputs are not permitted)"
    ]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    done = run_cli("evaluate", str(tmp_path / "absent.json"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            [
                "Utfall: ska beviljas",
                "uppehållstillstånd för betänketid, 30 dagar",
                "5 kap. 15 § andra stycket utlänningslagen (2005:716), i lydelse enligt SFS "
                "2022:1015 [bekräftad, UTLL-CONS]",
                "Rättslig grund",
                "Status — bekräftad: ",
            ],
        ),
        (
            "en",
            [
                "Outcome: shall be granted",
                "residence permit for a reflection period, 30 days",
                "chapter 5 section 15 paragraph 2 of the Aliens Act (2005:716), as worded by SFS "
                "2022:1015 [confirmed, UTLL-CONS]",
                "Legal basis",
                "Status — confirmed: ",
            ],
        ),
    ],
)
def test_text_format_in_both_languages(lang: str, expected: list[str]) -> None:
    done = run_cli("evaluate", "--format", "text", "--lang", lang, stdin=json.dumps(EXAMPLE))
    assert done.returncode == 0, done.stderr
    for fragment in expected:
        assert fragment in done.stdout


def test_version_prints_package_version_and_table_hash() -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    installed = importlib.metadata.version("betanketid-rules")
    assert installed == betanketid_rules.__version__  # pyproject.toml and the package agree
    assert done.stdout.strip() == (
        f"betanketid-rules {installed} (tables sha256 {default_table_set().content_hash})"
    )


@pytest.mark.parametrize("command", ["evaluate", "demo", "schema"])
def test_every_command_has_help(command: str) -> None:
    done = run_cli(command, "--help")
    assert done.returncode == 0
    assert "usage: betanketid-rules" in done.stdout


CLI_PACKAGE = Path(betanketid_rules.__file__).parent / "_cli"
COMMANDS = ("ask", "assess", "check", "demo", "diff", "evaluate", "export", "schema", "serve")


def _help(argv: list[str], named: str | None, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        build_parser(named).parse_args(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_the_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert sorted(COMMANDS) == [path.stem for path in sorted(CLI_PACKAGE.glob("[!_]*.py"))]
    listed = main_exit(["-h"], capsys)
    assert all(f"    {command}" in listed for command in COMMANDS), listed


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_parsed_alone_reads_as_among_all(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line builds only the parser of the command it runs: its help, and its
    refusal of an unknown option, are those of the parser with every command."""
    assert _help([command, "-h"], command, capsys) == _help([command, "-h"], None, capsys)
    refusals = []
    for named in (command, None):
        with pytest.raises(SystemExit) as refused:
            build_parser(named).parse_args([command, "--no-such-option"])
        assert refused.value.code == 2
        refusals.append(capsys.readouterr().err)
    assert refusals[0] == refusals[1]
    assert "error: " in refusals[0]


def main_exit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_demo_decides_every_bundled_example() -> None:
    done = run_cli("demo")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("== ") == 8
    assert (
        "Outcome: shall be granted — residence permit for a reflection period, 30 days"
        in done.stdout
    )
    assert "Outcome: no standing" in done.stdout
    assert "Outcome: refuse" in done.stdout
    assert "Outcome: needs review" in done.stdout


def test_unknown_engine_in_cli_is_bad_input() -> None:
    done = run_cli("evaluate", "--engine", "drools", stdin=json.dumps(EXAMPLE))
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


@pytest.mark.parametrize("command", ["evaluate", "assess"])
def test_lang_without_text_format_is_a_usage_error_not_ignored(command: str) -> None:
    # Seen: --lang without --format text was silently ignored.
    done = run_cli(command, "--lang", "en", stdin=json.dumps(EXAMPLE))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "betanketid-rules: --lang applies only to --format text (JSON carries both languages)"
    ]


@pytest.mark.parametrize("which", sorted(SCHEMAS))
def test_every_schema_names_its_dialect_and_itself_and_carries_no_doctest(which: str) -> None:
    schema = json.loads(schema_text(which))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:betanketid-rules:schema:{which}:{betanketid_rules.__version__}"
    assert ">>>" not in json.dumps(schema)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_a_decision_reads_as_text_in_one_language_from_python() -> None:
    decision = evaluate(EXAMPLE)
    assert decision.text("sv") == render_decision(decision, "sv")
    assert decision.text("en").startswith("Outcome: shall be granted")
    assert decision.text().startswith("Utfall: ska beviljas")


def test_an_evaluation_imports_only_what_it_needs() -> None:
    """The cold start: deciding one case never imports the assessments, the checker or the
    diff (each is imported by the command or name that uses it)."""
    code = (
        "import io, sys\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))\n"
        "from betanketid_rules._cli import main\n"
        "assert main(['evaluate']) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('betanketid_rules._assess',"
        " 'betanketid_rules._verify.', 'betanketid_rules._partial',"
        " 'betanketid_rules._introspect', 'hypothesis')))\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
