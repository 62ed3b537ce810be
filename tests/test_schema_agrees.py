"""The JSON Schemas of the input models accept exactly what the models accept, at each edge.

``betanketid-rules schema`` and the web service's ``/openapi.json`` publish these schemas; a
system built from them must not send a case the library then refuses, nor have a valid case
refused by a validator generated from them. Each value below sits on one side of an edge the
model draws (the day the Act entered into force, ``null``, a line break in a reference).
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from betanketid_rules import Case, PartialCase
from betanketid_rules._schemas import schema_of

_CASE = {"decision_date": "2023-03-15", "applicant": "the_person", "permit": "reflection_period"}

#: (what is changed, the value): each on one side of an edge.
_EDGES: list[tuple[str, Any]] = [
    ("decision_date", "2006-03-30"),
    ("decision_date", "2006-03-31"),
    ("decision_date", "2006-04-01"),
    ("decision_date", "2005-12-31"),
    ("decision_date", "1999-01-01"),
    ("decision_date", "2007-01-01"),
    ("decision_date", "9999-12-31"),
    ("decision_date", "2023-02-30"),
    ("decision_date", "2023-1-01"),
    ("decision_date", "2023-01-01\n"),
    ("decision_date", "2023-01-01T00:00:00"),
    ("application_date", None),
    ("application_date", "2006-03-30"),
    ("application_date", "2006-03-31"),
    ("application_date", "2006-12-31"),
    ("reference", None),
    ("reference", ""),
    ("reference", "K-17"),
    ("reference", "K-17\n"),
    ("reference", "K\t17"),
    ("reference", "x" * 200),
    ("reference", "x" * 201),
]


def _schema_accepts(which: str, document: dict[str, Any]) -> bool:
    validator = jsonschema.Draft202012Validator(
        schema_of(which), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(document)


def _model_accepts(model: type[BaseModel], document: dict[str, Any]) -> bool:
    try:
        model.model_validate(document)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(("field", "value"), _EDGES)
def test_the_case_schema_accepts_what_the_case_accepts(field: str, value: Any) -> None:
    document = {**_CASE, field: value}
    if field == "decision_date":
        document.pop("application_date", None)
    assert _schema_accepts("case", document) == _model_accepts(Case, document), (field, value)


@pytest.mark.parametrize(("field", "value"), _EDGES)
def test_the_partial_case_schema_accepts_what_the_partial_case_accepts(
    field: str, value: Any
) -> None:
    document = {field: value}
    accepted = _model_accepts(PartialCase, document)
    assert _schema_accepts("partial-case", document) == accepted, (field, value)


@pytest.mark.parametrize(
    "document",
    [
        {"applicant": None},
        {"person": {"is_child": None}},
        {"facts": {"ties_broken": None}},
        {"facts": {"ties_broken": True}},
        {"decision_date": None},
    ],
)
def test_the_partial_case_schema_refuses_null_as_the_model_does(document: dict[str, Any]) -> None:
    assert _schema_accepts("partial-case", document) == _model_accepts(PartialCase, document)


def test_both_sides_of_each_edge_are_tried() -> None:
    """The edges above are edges: each field has a value each side accepts and one it refuses."""
    for field in ("decision_date", "application_date", "reference"):
        verdicts = {_model_accepts(Case, {**_CASE, f: v}) for f, v in _EDGES if f == field}
        assert verdicts == {True, False}, field


@pytest.mark.parametrize(
    "person",
    [
        {"relation": "accompanying_child", "is_child": True},
        {"relation": "accompanying_child", "is_child": False},
        {"relation": "accompanying_child"},
        {"relation": "family_member", "is_child": False},
        {"is_child": True},
    ],
)
def test_both_schemas_say_an_accompanying_child_is_a_child(person: dict[str, Any]) -> None:
    case = {**_CASE, "person": person}
    assert _schema_accepts("case", case) == _model_accepts(Case, case), person
    partial = {"person": person}
    assert _schema_accepts("partial-case", partial) == _model_accepts(PartialCase, partial)


_REVOCATION = {"granted_on": "2022-10-03"}


@pytest.mark.parametrize(
    "changes",
    [
        {"matter": "application"},
        {"matter": "revocation", "revocation": _REVOCATION},
        {"matter": "revocation"},
        {"revocation": _REVOCATION},
        {"matter": "application", "revocation": _REVOCATION},
        {"matter": "revocation", "revocation": _REVOCATION, "facts": {}},
        {"matter": "revocation", "revocation": _REVOCATION, "person": {}},
        {"matter": "revocation", "revocation": _REVOCATION, "application_date": "2023-01-01"},
        {"matter": "revocation", "revocation": {}},
        {"matter": "revocation", "revocation": None},
        {"matter": "revocation", "revocation": {"granted_on": "2006-03-30"}},
        {"matter": "revocation", "revocation": {"granted_on": "2006-03-31"}},
        {"matter": "revocation", "revocation": {**_REVOCATION, "police_applied": 1}},
        {"matter": "revocation", "revocation": {**_REVOCATION, "condition_no_longer_met": "x"}},
        {"matter": "revocation", "revocation": {**_REVOCATION, "heard": True}},
        {"matter": "dismissal"},
    ],
)
def test_the_case_schema_says_what_a_matter_requires(changes: dict[str, Any]) -> None:
    """Added with the revocation matter: what the model's validator says of ``matter`` and
    ``revocation``, the schema says too (the order of the dates is the model's alone, as for
    an application date after the decision)."""
    document = {**_CASE, **changes}
    assert _schema_accepts("case", document) == _model_accepts(Case, document), changes
