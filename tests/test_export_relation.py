"""The decision relation: per period and slice (applicant, permit), every combination of the
inputs the slice uses, decided as ``evaluate()`` decides it, and joined by DuckDB with the SQL
the docs show.

``evaluate()`` is the reference here. A row must say what it says for every case of its slice
whose used inputs have the row's values, whatever the inputs it leaves null (any value) are and
on whichever day of its period the case is decided. Every row is checked at three such cases;
cases drawn at random (20,000 seeded, and hypothesis' ``testing.cases()``) are looked up as the
docs' query looks them up: exactly one row, equal to ``evaluate()``.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from betanketid_rules import Case, Facts, Person, evaluate, testing
from betanketid_rules._export._relation import (
    DECISION_COLUMNS,
    DecisionRelation,
    decision_relation,
    write_csv,
)
from betanketid_rules._tables import default_table_set
from betanketid_rules._tables._columns import CASE_DOMAINS, DerivedValue

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide" / "relation.rst"
#: The first and last decision date the random cases take.
EARLIEST, LATEST = dt.date(2006, 3, 31), dt.date(2030, 12, 31)


@pytest.fixture(scope="module")
def relation() -> DecisionRelation:
    return decision_relation(default_table_set())


def _valid(model: type[Person] | type[Facts], prefix: str) -> list[dict[str, Any]]:
    """Every combination of the model's fields that the contract accepts."""
    names = [path.removeprefix(prefix) for path in CASE_DOMAINS if path.startswith(prefix)]
    domains = [CASE_DOMAINS[prefix + name] for name in names]
    found = []
    for combo in itertools.product(*domains):
        data = dict(zip(names, combo, strict=True))
        try:
            model.model_validate(data)
        except ValueError:
            continue
        found.append(data)
    return found


PERSONS = _valid(Person, "person.")
FACTS = _valid(Facts, "facts.")
ACCEPTED = {
    "person.": {tuple(p.items()) for p in PERSONS},
    "facts.": {tuple(f.items()) for f in FACTS},
}


class Lookup:
    """The docs' query in Python: the period by the decision date, the slice by the period,
    applicant and permit, the inputs the slice does not use made null, then equality."""

    def __init__(self, relation: DecisionRelation) -> None:
        self.relation = relation
        self.names = [column.name for column in relation.inputs]
        width = 1 + len(self.names)
        self.rows: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for row in relation.rows:
            self.rows.setdefault(row[:width], []).append(row[width:])
        self.periods = [(p[1], p[2], p[-1]) for p in relation.periods]
        naming = [c.removeprefix("uses_") for c in relation.slice_columns[1:] if "uses_" not in c]
        self.naming = naming
        self.slices = {
            row[: 1 + len(naming)]: dict(
                zip(
                    (c.removeprefix("uses_") for c in relation.slice_columns[1 + len(naming) :]),
                    row[1 + len(naming) :],
                    strict=True,
                )
            )
            for row in relation.slices
        }

    def period(self, day: dt.date) -> tuple[dt.date, dt.date | None]:
        (found,) = [
            (first, cutoff)
            for first, last, cutoff in self.periods
            if first <= day and (last is None or day <= last)
        ]
        return found

    def values(self, case: Case) -> dict[str, Any]:
        """The case's inputs, as the relation names them (its derived value in its period)."""
        period, cutoff = self.period(case.decision_date)
        values: dict[str, Any] = {"period": period}
        for name in self.names:
            if name == "lodged_before_in_force":
                lodged = case.application_date is not None and cutoff is not None
                values[name] = lodged and case.application_date < cutoff  # type: ignore[operator]
            else:
                head, _, rest = name.partition("_")
                inner = getattr(case, head, None)
                values[name] = (
                    getattr(inner, rest) if head in ("person", "facts") else getattr(case, name)
                )
        return values

    def find(self, case: Case) -> list[tuple[Any, ...]]:
        """The rows the case joins."""
        values = self.values(case)
        uses = self.slices[(values["period"], *(values[n] for n in self.naming))]
        key = (
            values["period"],
            *(values[name] if name in self.naming or uses[name] else None for name in self.names),
        )
        return self.rows.get(key, [])


@pytest.fixture(scope="module")
def lookup(relation: DecisionRelation) -> Lookup:
    return Lookup(relation)


def _expected(case: Case | dict[str, Any]) -> tuple[Any, ...]:
    """What ``evaluate()`` decides, as the relation's decision columns hold it (the provisions
    as the statutory basis, each once)."""
    decision = evaluate(case)
    permit = decision.permit
    cited = dict.fromkeys(
        (c.act, c.chapter, c.section, c.paragraph, c.sentence, c.point, c.wording)
        for c in decision.legal_basis
        if c.role == "basis" and c.act
    )
    return (
        decision.outcome,
        permit.type if permit else None,
        permit.days if permit else None,
        permit.min_months if permit else None,
        decision.rules_fired,
        tuple(cited),
    )


def _got(decided: Sequence[Any]) -> tuple[Any, ...]:
    """The relation's decision columns, with each provision parsed back into its parts."""
    *head, provisions = decided
    return (*head, tuple(_parse(p) for p in provisions))


def _parse(text: str) -> tuple[Any, ...]:
    found = re.fullmatch(
        r"(\S+)(?: (\d+) kap\.)?(?: (.+?) §)?(?: (\d+) st\.)?(?: (\d+) men\.)?(?: (\d+) p\.)? "
        r"\((.+)\)",
        text,
    )
    assert found, text
    act, chapter, section, paragraph, sentence, point, wording = found.groups()
    number = [None if v is None else int(v) for v in (chapter, paragraph, sentence, point)]
    return (act, number[0], section, number[1], number[2], number[3], wording)


# --- the files' shapes ---------------------------------------------------------------------


def test_one_slice_per_period_applicant_and_permit(relation: DecisionRelation) -> None:
    periods = default_table_set().periods()
    naming = relation.slice_columns[1:3]
    assert naming == ("applicant", "permit")
    assert relation.slice_columns == (
        "period",
        *naming,
        *(f"uses_{c.name}" for c in relation.inputs if c.name not in naming),
    )
    expected = [
        (p.first_day, a, q)
        for p in periods
        for a, q in itertools.product(CASE_DOMAINS["applicant"], CASE_DOMAINS["permit"])
    ]
    assert [row[:3] for row in relation.slices] == expected
    assert relation.columns == ("period", *(c.name for c in relation.inputs), *DECISION_COLUMNS)


def test_a_slice_holds_every_accepted_combination_of_the_inputs_it_uses_once(
    relation: DecisionRelation, lookup: Lookup
) -> None:
    """Its rows are null exactly in the inputs it does not use, and hold each combination of
    the others that some valid case has, once."""
    names = lookup.names
    by_slice: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for row in relation.rows:
        by_slice.setdefault(row[:3], []).append(row[1 : 1 + len(names)])
    for key, uses in lookup.slices.items():
        used = [name for name in names if name in lookup.naming or uses[name]]
        rows = by_slice[key]
        for row in rows:
            values = dict(zip(names, row, strict=True))
            assert [name for name in names if values[name] is not None] == used, key
        combos = {tuple(v for n, v in zip(names, row, strict=True) if n in used) for row in rows}
        assert len(combos) == len(rows), key  # each once
        persons = {tuple(p[n[7:]] for n in used if n.startswith("person_")) for p in PERSONS}
        facts = {tuple(f[n[6:]] for n in used if n.startswith("facts_")) for f in FACTS}
        derived = [
            len(c.domain)
            for c in relation.inputs
            if c.name in used and isinstance(c.source, DerivedValue)
        ]
        assert len(rows) == len(persons) * len(facts) * (derived[0] if derived else 1), key
    sizes = {p[0]: 0 for p in relation.periods}
    for row in relation.rows:
        sizes[row[0]] += 1
    assert relation.period_sizes == sizes


def test_the_relation_stays_small(relation: DecisionRelation) -> None:
    """A few thousand rows for every period together, where every combination of the inputs
    would be 11,468,800 points in the period from 2022-08-01 alone: a data platform holds it
    in memory and broadcasts it to every worker."""
    assert len(relation.rows) < 10_000
    slices = len(CASE_DOMAINS["applicant"]) * len(CASE_DOMAINS["permit"])
    assert len(relation.slices) == slices * len(relation.periods)


# --- every row, and random cases, against evaluate() ---------------------------------------


def _application_date(
    lodged: bool, cutoff: dt.date | None, day: dt.date, rng: random.Random
) -> dt.date | None:
    """A random application date (or none) of a case decided on ``day`` whose
    ``lodged_before_in_force`` is ``lodged`` against ``cutoff`` (None: no table reads it)."""
    if cutoff is None:
        lodged = rng.random() < 0.5
        start = EARLIEST
    elif lodged:
        return cutoff - dt.timedelta(days=1 + rng.randrange(min(400, (cutoff - EARLIEST).days)))
    else:
        start = cutoff
    if not lodged and (cutoff is None or rng.random() < 0.5):
        return None
    return day - dt.timedelta(days=rng.randrange((day - start).days + 1))


def _complete(prefix: str, given: dict[str, Any], pick: int | random.Random) -> dict[str, Any]:
    """Valid fields of the model at ``prefix`` with the ``given`` values (None: any): each
    other field its domain's first (``pick`` 0), last (-1) or a random value; where the contract
    refuses that combination, the first, last or a random valid one that has the given values."""
    valid = PERSONS if prefix == "person." else FACTS
    built = {}
    for name, value in given.items():
        domain = CASE_DOMAINS[prefix + name]
        chosen = pick.choice(domain) if isinstance(pick, random.Random) else domain[pick]
        built[name] = chosen if value is None else value
    if tuple(built.items()) in ACCEPTED[prefix]:
        return built
    matching = [d for d in valid if all(given[k] in (None, v) for k, v in d.items())]
    return pick.choice(matching) if isinstance(pick, random.Random) else matching[pick]


def _completions(
    relation: DecisionRelation, lookup: Lookup, row: Sequence[Any], rng: random.Random
) -> list[dict[str, Any]]:
    """Three valid cases a row stands for: the first, the last and a random value of each input
    it leaves null, decided on the first, the last and a random day of its period."""
    names = lookup.names
    values = dict(zip(names, row[1 : 1 + len(names)], strict=True))
    period = next(p for p in relation.periods if p[0] == row[0])
    first, last, cutoff = period[1], period[2] or LATEST, period[-1]
    persons = {k[7:]: v for k, v in values.items() if k.startswith("person_")}
    facts = {k[6:]: v for k, v in values.items() if k.startswith("facts_")}
    random_day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    cases = []
    for day, person, fact, lodged in (
        (first, _complete("person.", persons, 0), _complete("facts.", facts, 0), False),
        (last, _complete("person.", persons, -1), _complete("facts.", facts, -1), True),
        (random_day, _complete("person.", persons, rng), _complete("facts.", facts, rng), None),
    ):
        given = values["lodged_before_in_force"]
        if given is None:
            given = rng.random() < 0.5 if lodged is None else lodged
        application = _application_date(given, cutoff, day, rng)
        case: dict[str, Any] = {
            "decision_date": day.isoformat(),
            "applicant": values["applicant"],
            "permit": values["permit"],
            "person": person,
            "facts": fact,
        }
        if application is not None:
            case["application_date"] = application.isoformat()
        cases.append(case)
    return cases


def test_every_row_equals_evaluate_on_its_slice(relation: DecisionRelation, lookup: Lookup) -> None:
    """Each of the relation's rows, at three cases it stands for (see ``_completions``)."""
    rng = random.Random(18)
    width = 1 + len(lookup.names)
    for row in relation.rows:
        for case in _completions(relation, lookup, row, rng):
            assert _got(row[width:]) == _expected(case), case
            found = lookup.find(Case.model_validate(case))
            assert found == [row[width:]], case


def _random_case(rng: random.Random) -> Case:
    day = EARLIEST + dt.timedelta(days=rng.randrange((LATEST - EARLIEST).days + 1))
    data: dict[str, Any] = {
        "decision_date": day,
        "applicant": rng.choice(CASE_DOMAINS["applicant"]),
        "permit": rng.choice(CASE_DOMAINS["permit"]),
        "person": rng.choice(PERSONS),
        "facts": rng.choice(FACTS),
    }
    if rng.random() < 0.5:
        data["application_date"] = max(EARLIEST, day - dt.timedelta(days=rng.randrange(2000)))
    return Case.model_validate(data)


def test_seeded_random_cases_join_one_row_equal_to_evaluate(lookup: Lookup) -> None:
    """20,000 valid cases drawn with seed 18 (every field uniform over the contract's values,
    the decision day uniform from 2006-03-31 to 2030-12-31, half lodged up to 2,000 days
    before): each joins exactly one row, and it says what ``evaluate()`` says."""
    rng = random.Random(18)
    for _ in range(20_000):
        case = _random_case(rng)
        found = lookup.find(case)
        assert len(found) == 1, case
        assert _got(found[0]) == _expected(case), case


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=testing.cases())
def test_generated_cases_join_one_row_equal_to_evaluate(lookup: Lookup, case: Case) -> None:
    """400 cases from ``testing.cases()`` (aimed at every row of the tables): exactly one row,
    equal to ``evaluate()``."""
    found = lookup.find(case)
    assert len(found) == 1, case
    assert _got(found[0]) == _expected(case), case


# --- the files, and the docs' SQL in DuckDB ------------------------------------------------


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
    assert done.stdout.split() == [
        str(out / "relation.parquet"),
        str(out / "periods.parquet"),
        str(out / "slices.parquet"),
    ]
    return out


def test_a_duckdb_join_of_a_million_cases_agrees_with_evaluate(parquet_dir: Path) -> None:
    """The docs' queries: a million generated cases, each decided once; 3,000 of them (a
    seeded reservoir sample) equal ``evaluate()``; and DuckDB runs every join of the case
    with its slice and its row as a hash join, with no filter or nested loop after it."""
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    connection.execute(f"SET threads TO 2; SET file_search_path = '{parquet_dir}'")
    connection.execute(_sql("generate-cases"))
    # The register as a file, as a data platform holds it; the join reads it from there.
    register = parquet_dir / "cases.parquet"
    connection.execute(f"COPY cases TO '{register}' (FORMAT parquet); DROP TABLE cases")
    connection.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{register}')")
    decide = _sql("decide-by-join")
    plan = " ".join(
        str(part)
        for row in connection.execute(
            "EXPLAIN " + decide.removeprefix("CREATE TABLE decided AS")
        ).fetchall()
        for part in row
    )
    operators = re.sub(r"\s+", "_", plan.upper())
    assert operators.count("HASH_JOIN") >= 2, plan  # the slice's, the row's
    assert "NESTED_LOOP" not in operators and "FILTER" not in operators, plan
    assert "CROSS_PRODUCT" not in operators, plan
    connection.execute(decide)
    total, decided, once = connection.execute(
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM decided), "
        "(SELECT count(DISTINCT case_id) FROM decided)"
    ).fetchone()
    assert total == decided == once == 1_000_000
    columns = [d[0] for d in connection.execute("SELECT * FROM cases LIMIT 0").description]
    sample = connection.execute(
        "SELECT c.*, d.outcome, d.permit_type, d.permit_days, d.permit_min_months, "
        "d.rules_fired, d.provisions FROM cases c JOIN decided d USING (case_id) "
        "USING SAMPLE reservoir(3000 ROWS) REPEATABLE (18)"
    ).fetchall()
    assert len(sample) == 3000
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
        *head, fired, provisions = row[len(columns) :]
        assert _got((*head, tuple(fired), tuple(provisions))) == _expected(case), case


def test_csv_holds_the_rows_as_text(relation: DecisionRelation, tmp_path: Path) -> None:
    rows = relation.rows[-50:]
    write_csv(tmp_path / "relation.csv", relation.columns, rows)
    write_csv(tmp_path / "periods.csv", relation.period_columns, relation.periods)
    write_csv(tmp_path / "slices.csv", relation.slice_columns, relation.slices)
    with (tmp_path / "relation.csv").open(encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == list(relation.columns)
    for text, row in zip(read[1:], rows, strict=True):
        values = dict(zip(relation.columns, row, strict=True))
        got = dict(zip(relation.columns, text, strict=True))
        assert got["period"] == values["period"].isoformat()
        assert got["person_is_child"] == ("true" if values["person_is_child"] else "false")
        assert (
            got["person_in_sweden"]
            == {None: "", True: "true", False: "false"}[values["person_in_sweden"]]
        )
        assert got["rules_fired"].split(" ") == list(values["rules_fired"])
        assert got["provisions"].split("; ") == list(values["provisions"])
        assert got["permit_days"] == ("" if values["permit_days"] is None else "30")
    assert {row["person_in_sweden"] for row in map(dict, _named(relation, rows))} >= {None}
    periods = (tmp_path / "periods.csv").read_text(encoding="utf-8").splitlines()
    assert periods[0] == "period,first_day,last_day,tables,lodged_before_in_force_cutoff"
    assert periods[-1].startswith("2022-08-01,2022-08-01,,") and periods[-1].endswith(",2022-08-01")
    slices = (tmp_path / "slices.csv").read_text(encoding="utf-8").splitlines()
    assert slices[0] == ",".join(relation.slice_columns)
    assert slices[-1].startswith("2022-08-01,other,pay_claim,")
    assert set(slices[-1].split(",")[3:]) <= {"true", "false"}


def _named(relation: DecisionRelation, rows: Sequence[Sequence[Any]]) -> list[Any]:
    return [list(zip(relation.columns, row, strict=True)) for row in rows]


def test_the_cli_writes_parquet_equal_to_the_relation(
    relation: DecisionRelation, parquet_dir: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    for name, columns, rows in (
        ("relation", relation.columns, relation.rows),
        ("slices", relation.slice_columns, relation.slices),
        ("periods", relation.period_columns, relation.periods),
    ):
        written = pq.read_table(parquet_dir / f"{name}.parquet")
        assert written.column_names == list(columns)
        got = [
            tuple(tuple(v) if isinstance(v, list) else v for v in (read[c] for c in columns))
            for read in written.to_pylist()
        ]
        assert got == rows, name
