"""Legal scenarios as data: the file format, loading, and checking a decision against one.

A scenario file (``tests/scenarios/*.yaml``, format in ``tests/scenarios/README.md``) holds
cases derived from the law (the statute text in ``../shared/legal/statutes.md`` where it has
been read, otherwise the legal brief), each with the decision the law requires. This
module is plain Python with no pytest in it, so other tools can reuse it: a mutation tester
passes its own ``decide`` (for example one evaluating a mutated table set) to
:func:`check_scenario` and counts the scenarios that report failures.

    scenarios = load_scenarios(SCENARIO_DIR)
    failures = check_scenario(scenarios[0], lambda case: evaluate(case))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from betanketid_rules import Case, Citation, Decision
from betanketid_rules._errors import TableFileError
from betanketid_rules._tables._yaml import LocatedDocument, read_yaml

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"

Outcome = Literal[
    "grant",
    "may_grant",
    "refuse",
    "no_standing",
    "needs_review",
    # A revocation (Case.matter "revocation", tests/scenarios/revocation.yaml).
    "may_revoke",
    "hear_first",
    "no_ground",
    "police_must_apply",
    "not_applicable",
]
Wording = Literal["V1", "V2", "V3"]
Decide = Callable[[Case], Decision]

#: The wordings of 5 kap. 15 § and their first days: SFS 2005:716 from 2006-03-31 (brief §2.1);
#: SFS 2007:322 from 2007-07-01 (its transitional point 1, statutes.md); SFS 2022:1015 from
#: 2022-08-01 (its transitional point 1, statutes.md).
WORDING_FROM: dict[str, dt.date] = {
    "V1": dt.date(2006, 3, 31),
    "V2": dt.date(2007, 7, 1),
    "V3": dt.date(2022, 8, 1),
}


def wording_on(day: dt.date) -> str:
    """The brief's name (V1, V2, V3) of the wording in force on ``day``."""
    current = "V1"
    for name, start in WORDING_FROM.items():
        if day >= start:
            current = name
    return current


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Description(_Strict):
    """One line saying what the scenario is, in English (and Swedish)."""

    en: str = Field(min_length=1)
    sv: str | None = Field(None, min_length=1)


class ExpectedPermit(_Strict):
    """The permit the decision must carry, exactly (null where the law sets no length)."""

    type: Literal[
        "reflection_period",
        "evidence_person",
        "protected_person",
        "protected_person_permanent",
        "pay_claim",
    ]
    days: int | None
    min_months: int | None


class Provision(_Strict):
    """A provision that must appear in ``legal_basis``.

    ``act`` is the act's SFS number as the decision shows it (utlänningslagen ``2005:716``,
    brottsbalken ``1962:700``); ``act``, ``chapter`` and ``section`` default to 5 kap. 15 §
    UtlL. ``paragraph`` (stycke) and ``point`` (punkt) must be written out, null included, and
    match exactly. ``sentence`` (mening) is checked only when given.
    """

    act: str = "2005:716"
    chapter: int | None = 5
    section: str | None = "15"
    paragraph: int | None
    point: int | None
    sentence: int | None = None

    def matches(self, citation: Citation) -> bool:
        return (
            citation.act == self.act
            and citation.chapter == self.chapter
            and citation.section == self.section
            and citation.paragraph == self.paragraph
            and citation.point == self.point
            and (self.sentence is None or citation.sentence == self.sentence)
        )

    def __str__(self) -> str:
        return _provision_text(
            self.act, self.chapter, self.section, self.paragraph, self.point, self.sentence
        )


class ExpectedEffect(_Strict):
    """One thing the decision must bring (or one way to challenge it), exactly as firm.

    ``provisions`` must each be cited by the effect; ``open_questions`` are exact (any order).
    """

    effect: str
    status: Literal["confirmed", "secondary", "inferred"]
    open_questions: tuple[str, ...] = ()
    provisions: tuple[Provision, ...] = Field(min_length=1)


class Expectation(_Strict):
    """What the law requires the decision to say."""

    outcome: Outcome
    permit: ExpectedPermit | None = Field(
        description="Required (write null when the outcome grants nothing)."
    )
    provisions: tuple[Provision, ...] = Field(min_length=1)
    rules_fired: tuple[str, ...] = Field(
        min_length=1, description="'<family>/<row id>', a subsequence of decision.rules_fired."
    )
    open_questions: tuple[str, ...] = Field(
        (), description="Each must be among decision.open_questions."
    )
    open_questions_exact: bool = Field(
        False,
        description="If true: decision.open_questions are exactly open_questions (any order), "
        "so a settled question named by the decision is a failure.",
    )
    unmet_conditions: tuple[str, ...] | None = Field(
        None, description="If given: exactly the ids of decision.unmet_conditions (any order)."
    )
    effects: tuple[ExpectedEffect, ...] | None = Field(
        None,
        description="If given: exactly what the decision brings and how it can be challenged "
        "(decision.effects, any order), each with its status, open questions and provisions.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Expectation:
        grants = self.outcome in ("grant", "may_grant")
        if grants and self.permit is None:
            raise ValueError(f"outcome {self.outcome} needs the permit it gives")
        if not grants and self.permit is not None:
            raise ValueError(f"outcome {self.outcome} gives no permit: write permit: null")
        if self.outcome == "needs_review" and not self.open_questions:
            raise ValueError("needs_review must name the open question(s) that decide it")
        for rule in self.rules_fired:
            family, _, row = rule.partition("/")
            if not family or not row or "/" in row:
                raise ValueError(f"rule {rule!r} is not '<family>/<row id>'")
        for question in self.open_questions:
            if not question.startswith("Q"):
                raise ValueError(f"open question {question!r} is not an id like Q8")
        return self


class Scenario(_Strict):
    """One case derived from the law, with the decision the law requires."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    wording: Wording = Field(description="The wording in force on the decision date.")
    description: Description
    basis: str = Field(min_length=10, description="Brief section and provision it comes from.")
    case: dict[str, Any]
    expect: Expectation
    xfail_reason: str | None = Field(
        None,
        min_length=10,
        description="The library disagrees with the brief here: why (the test is a strict xfail).",
    )
    _case: Case = PrivateAttr()
    _source: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _valid_case(self) -> Scenario:
        self._case = Case.model_validate(self.case)
        in_force = wording_on(self._case.decision_date)
        if in_force != self.wording:
            raise ValueError(
                f"wording {self.wording} is not the wording in force on "
                f"{self._case.decision_date.isoformat()} ({in_force})"
            )
        return self

    @property
    def case_model(self) -> Case:
        """The case as the library's validated :class:`Case`."""
        return self._case

    @property
    def source(self) -> str:
        """``file:line`` the scenario was read from."""
        return self._source


class _ScenarioFile(_Strict):
    about: str | None = None
    scenarios: tuple[dict[str, Any], ...] = Field(min_length=1)


class ScenarioFileError(ValueError):
    """A scenario file is malformed; the message names the file, line and scenario id."""


def _jsonable(value: Any) -> Any:
    """YAML may turn an unquoted date into a date object; the contract's JSON has strings."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _errors(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in detail['loc']) or '(scenario)'}: {detail['msg']}"
        for detail in error.errors()
    )


def _load_file(path: Path) -> list[Scenario]:
    try:
        document: LocatedDocument = read_yaml(path)
    except TableFileError as error:
        raise ScenarioFileError(str(error.problem)) from None
    try:
        parsed = _ScenarioFile.model_validate(document.data)
    except ValidationError as error:
        raise ScenarioFileError(f"{path}: {_errors(error)}") from None
    scenarios: list[Scenario] = []
    for index, raw in enumerate(parsed.scenarios):
        line = document.line_of(("scenarios", index))
        name = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        try:
            scenario = Scenario.model_validate(_jsonable(raw))
        except ValidationError as error:
            raise ScenarioFileError(f"{path}:{line}: scenario {name}: {_errors(error)}") from None
        scenario._source = f"{path.name}:{line}"
        scenarios.append(scenario)
    return scenarios


def load_scenarios(path: Path) -> list[Scenario]:
    """Every scenario of one file, or of every ``*.yaml`` file in a directory (sorted by name).

    Raises :class:`ScenarioFileError` naming the file, line and scenario id on any malformed
    scenario, and on an id used twice.
    """
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise ScenarioFileError(f"{path}: no scenario files (*.yaml)")
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for file in files:
        for scenario in _load_file(file):
            if scenario.id in seen:
                raise ScenarioFileError(
                    f"{scenario.source}: scenario {scenario.id}: id already used at "
                    f"{seen[scenario.id]}"
                )
            seen[scenario.id] = scenario.source
            scenarios.append(scenario)
    return scenarios


def _provision_text(
    act: str | None,
    chapter: int | None,
    section: str | None,
    paragraph: int | None,
    point: int | None,
    sentence: int | None,
) -> str:
    parts = [f"{act or '-'} {chapter or '-'}:{section or '-'}"]
    if paragraph is not None:
        parts.append(f"st {paragraph}")
    if sentence is not None:
        parts.append(f"men {sentence}")
    if point is not None:
        parts.append(f"p {point}")
    return " ".join(parts)


def citation_text(citation: Citation) -> str:
    """A short form such as ``2005:716 5:15 st 1 p 3``."""
    return _provision_text(
        citation.act,
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.point,
        citation.sentence,
    )


def is_subsequence(wanted: Sequence[str], actual: Sequence[str]) -> bool:
    """Whether ``wanted`` occurs in ``actual`` in the same order (gaps allowed)."""
    remaining = iter(actual)
    return all(any(item == candidate for candidate in remaining) for item in wanted)


def check_decision(scenario: Scenario, decision: Decision) -> list[str]:
    """Every way ``decision`` differs from what ``scenario`` expects (empty: it conforms)."""
    expect = scenario.expect
    failures: list[str] = []
    if decision.outcome != expect.outcome:
        failures.append(f"outcome is {decision.outcome}, the law requires {expect.outcome}")
    expected_permit = expect.permit.model_dump() if expect.permit else None
    actual_permit = decision.permit.model_dump() if decision.permit else None
    if actual_permit != expected_permit:
        failures.append(f"permit is {actual_permit}, the law requires {expected_permit}")
    for provision in expect.provisions:
        if not any(provision.matches(citation) for citation in decision.legal_basis):
            cited = sorted({citation_text(c) for c in decision.legal_basis})
            failures.append(f"legal_basis does not cite {provision} (it cites {cited})")
    if not is_subsequence(expect.rules_fired, decision.rules_fired):
        failures.append(
            f"rules_fired {list(decision.rules_fired)} does not contain "
            f"{list(expect.rules_fired)} in that order"
        )
    missing = [q for q in expect.open_questions if q not in decision.open_questions]
    if missing:
        failures.append(f"open_questions {list(decision.open_questions)} lacks {missing}")
    extra = [q for q in decision.open_questions if q not in expect.open_questions]
    if expect.open_questions_exact and extra:
        failures.append(
            f"open_questions {list(decision.open_questions)} name {extra}, the law rests only "
            f"on {list(expect.open_questions)}"
        )
    if expect.unmet_conditions is not None:
        actual_unmet = sorted(condition.id for condition in decision.unmet_conditions)
        if actual_unmet != sorted(expect.unmet_conditions):
            failures.append(
                f"unmet_conditions are {actual_unmet}, the law requires "
                f"{sorted(expect.unmet_conditions)}"
            )
    if expect.effects is not None:
        failures += _effect_failures(expect.effects, decision)
    return failures


def _effect_failures(expected: Sequence[ExpectedEffect], decision: Decision) -> list[str]:
    given = {effect.effect: effect for effect in decision.effects}
    wanted = [effect.effect for effect in expected]
    if sorted(given) != sorted(wanted) or len(given) != len(decision.effects):
        return [f"effects are {sorted(given)}, the law gives {sorted(wanted)}"]
    failures: list[str] = []
    for expectation in expected:
        effect = given[expectation.effect]
        if effect.status != expectation.status:
            failures.append(f"{effect.effect} is {effect.status}, not {expectation.status}")
        if sorted(effect.open_questions) != sorted(expectation.open_questions):
            failures.append(
                f"{effect.effect} rests on {list(effect.open_questions)}, not "
                f"{list(expectation.open_questions)}"
            )
        for provision in expectation.provisions:
            if not any(provision.matches(citation) for citation in effect.citations):
                failures.append(f"{effect.effect} does not cite {provision}")
    return failures


def check_scenario(scenario: Scenario, decide: Decide) -> list[str]:
    """Decide the scenario's case with ``decide`` and return every failure, as messages.

    An exception from ``decide`` is reported as a failure rather than raised, so a caller
    running many scenarios (or many mutants) sees all of them.
    """
    try:
        decision = decide(scenario.case_model)
    except Exception as error:  # reported as a failure, not swallowed
        return [f"decide raised {type(error).__name__}: {error}"]
    return check_decision(scenario, decision)
