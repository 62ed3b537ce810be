"""The decision relation: every combination of the inputs per period, decided as ``evaluate()``
decides it, and joined by DuckDB with the SQL the docs show.

``evaluate()`` is the reference here: a row of the relation must say what it says for a case
with the row's values, decided on the period's first day (lodged the day before the cutoff
where ``lodged_before_in_force`` is true). Every row is checked in the slow run; the default run
checks one row of every distinct decision of each period and a seeded sample.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from betanketid_rules import Person, evaluate
from betanketid_rules._export._relation import DecisionRelation, decision_relation, write_csv
from betanketid_rules._tables import default_table_set

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide" / "relation.rst"


@pytest.fixture(scope="module")
def relation() -> DecisionRelation:
    return decision_relation(default_table_set())


def _case(
    columns: Sequence[str], row: Sequence[Any], cutoffs: dict[dt.date, Any]
) -> dict[str, Any]:
    values = dict(zip(columns, row, strict=True))
    period = values["period"]
    case: dict[str, Any] = {
        "decision_date": period.isoformat(),
        "applicant": values["applicant"],
        "permit": values["permit"],
        "person": {
            k.removeprefix("person_"): v for k, v in values.items() if k.startswith("person_")
        },
        "facts": {k.removeprefix("facts_"): v for k, v in values.items() if k.startswith("facts_")},
    }
    if values["lodged_before_in_force"] and cutoffs[period] is not None:
        # (where no table of the period reads it, the row must hold without the date)
        case["application_date"] = (cutoffs[period] - dt.timedelta(days=1)).isoformat()
    return case


def _decided(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(columns, row, strict=True))


def _check(relation: DecisionRelation, rows: Sequence[Sequence[Any]]) -> None:
    cutoffs = {period[0]: period[-1] for period in relation.periods}
    columns = relation.columns
    for row in rows:
        case = _case(columns, row, cutoffs)
        decision = evaluate(case)
        got = _decided(columns, row)
        permit = decision.permit
        assert got["outcome"] == decision.outcome, case
        assert got["permit_type"] == (permit.type if permit else None), case
        assert got["permit_days"] == (permit.days if permit else None), case
        assert got["permit_min_months"] == (permit.min_months if permit else None), case
        assert got["rules_fired"] == decision.rules_fired, case
        cited = [c for c in decision.legal_basis if c.role == "basis" and c.act]
        assert len(got["provisions"]) == len(
            {
                (c.act, c.chapter, c.section, c.paragraph, c.sentence, c.point, c.wording)
                for c in cited
            }
        )
        for citation in cited:
            assert any(
                p.startswith(f"{citation.act} {citation.chapter} kap. {citation.section} §")
                and p.endswith(f"({citation.wording})")
                for p in got["provisions"]
            ), (case, citation)


def test_rows_per_period_are_every_combination_the_contract_accepts(
    relation: DecisionRelation,
) -> None:
    domains = [column.domain for column in relation.inputs]
    person = [column for column in relation.inputs if column.name.startswith("person_")]
    accepted = 0
    for combo in itertools.product(*(column.domain for column in person)):
        try:
            Person.model_validate(
                {c.name.removeprefix("person_"): v for c, v in zip(person, combo, strict=True)}
            )
        except ValueError:
            continue
        accepted += 1
    others = math.prod(len(c.domain) for c in relation.inputs if not c.name.startswith("person_"))
    assert math.prod(len(d) for d in domains) > accepted * others  # some are refused
    periods = default_table_set().periods()
    assert relation.period_sizes == {p.first_day: accepted * others for p in periods}
    assert len(relation.rows) == len(periods) * accepted * others
    keys = {row[: 1 + len(domains)] for row in relation.rows}
    assert len(keys) == len(relation.rows)  # each combination once


def test_one_row_of_every_distinct_decision_and_a_sample_equal_evaluate(
    relation: DecisionRelation,
) -> None:
    first: dict[Any, tuple[Any, ...]] = {}
    width = 1 + len(relation.inputs)
    for row in relation.rows:
        first.setdefault((row[0], *row[width:]), row)
    sample = random.Random(18).sample(relation.rows, 3000)
    _check(relation, [*first.values(), *sample])
    assert len(first) > 50


@pytest.mark.slow
def test_every_row_equals_evaluate(relation: DecisionRelation) -> None:
    _check(relation, relation.rows)


def _sql(name: str) -> str:
    """The SQL block of the docs' relation page that follows the marker ``name``."""
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(rf"\.\. {name}\n\n\.\. code-block:: sql\n\n((?:   .*\n|\n)+)", text)
    assert found, name
    return "\n".join(line.removeprefix("   ") for line in found.group(1).splitlines())


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The relation as ``betanketid-rules export relation`` writes it (Parquet)."""
    pytest.importorskip("pyarrow")
    out = tmp_path_factory.mktemp("relation")
    done = subprocess.run(
        [sys.executable, "-m", "betanketid_rules", "export", "relation", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(out / "relation.parquet"), str(out / "periods.parquet")]
    return out


def test_a_duckdb_join_of_a_million_cases_agrees_with_evaluate(parquet_dir: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    connection.execute(f"SET threads TO 2; SET file_search_path = '{parquet_dir}'")
    connection.execute(_sql("generate-cases"))
    # The register as a file, as a data platform holds it; the join reads it from there.
    register = parquet_dir / "cases.parquet"
    connection.execute(f"COPY cases TO '{register}' (FORMAT parquet); DROP TABLE cases")
    connection.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{register}')")
    connection.execute(_sql("decide-by-join"))
    total, decided = connection.execute(
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM decided)"
    ).fetchone()
    assert total == decided == 1_000_000
    columns = [d[0] for d in connection.execute("SELECT * FROM cases LIMIT 0").description]
    sample = connection.execute(
        "SELECT c.*, d.outcome, d.permit_type, d.permit_days, d.permit_min_months, "
        "d.rules_fired FROM cases c JOIN decided d USING (case_id) "
        "USING SAMPLE reservoir(2000 ROWS) REPEATABLE (18)"
    ).fetchall()
    for row in sample:
        case_row = dict(zip(columns, row, strict=False))
        case: dict[str, Any] = {
            "decision_date": case_row["decision_date"].isoformat(),
            "applicant": case_row["applicant"],
            "permit": case_row["permit"],
            "person": {k[7:]: v for k, v in case_row.items() if k.startswith("person_")},
            "facts": {k[6:]: v for k, v in case_row.items() if k.startswith("facts_")},
        }
        if case_row["application_date"] is not None:
            case["application_date"] = case_row["application_date"].isoformat()
        decision = evaluate(case)
        outcome, permit_type, days, months, fired = row[len(columns) :]
        permit = decision.permit
        assert (outcome, permit_type, days, months, tuple(fired)) == (
            decision.outcome,
            permit.type if permit else None,
            permit.days if permit else None,
            permit.min_months if permit else None,
            decision.rules_fired,
        ), case


def test_csv_holds_the_rows_as_text(relation: DecisionRelation, tmp_path: Path) -> None:
    rows = relation.rows[-50:]
    write_csv(tmp_path / "relation.csv", relation.columns, rows)
    write_csv(tmp_path / "periods.csv", relation.period_columns, relation.periods)
    with (tmp_path / "relation.csv").open(encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == list(relation.columns)
    for text, row in zip(read[1:], rows, strict=True):
        values = dict(zip(relation.columns, row, strict=True))
        got = dict(zip(relation.columns, text, strict=True))
        assert got["period"] == values["period"].isoformat()
        assert got["person_in_sweden"] == ("true" if values["person_in_sweden"] else "false")
        assert got["rules_fired"].split(" ") == list(values["rules_fired"])
        assert got["provisions"].split("; ") == list(values["provisions"])
        assert got["permit_days"] == ("" if values["permit_days"] is None else "30")
    periods = (tmp_path / "periods.csv").read_text(encoding="utf-8").splitlines()
    assert periods[0] == "period,first_day,last_day,tables,lodged_before_in_force_cutoff"
    assert periods[-1].startswith("2022-08-01,2022-08-01,,") and periods[-1].endswith(",2022-08-01")


def test_the_cli_writes_parquet_equal_to_the_relation(
    relation: DecisionRelation, parquet_dir: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    written = pq.read_table(parquet_dir / "relation.parquet")
    assert written.column_names == list(relation.columns)
    assert written.num_rows == len(relation.rows)
    sample = random.Random(18).sample(range(len(relation.rows)), 200)
    for index, read in zip(sample, written.take(sample).to_pylist(), strict=True):
        got = tuple(
            tuple(read[name]) if isinstance(read[name], list) else read[name]
            for name in relation.columns
        )
        assert got == relation.rows[index]
