"""A case whose facts are partly unknown: the input of an assessment.

It has the fields of :class:`~betanketid_rules.Case`, validated as strictly (unknown fields,
``null`` and wrong types are errors naming the field), but a field of ``person`` or ``facts``,
``applicant`` or ``permit`` left out is *unknown*: it never takes the ``Case`` default.
``decision_date`` left out means today; ``application_date`` keeps its ``Case`` meaning (left
out: no application date).

>>> partial = PartialCase.model_validate({"applicant": "social_welfare_board",
...     "facts": {"presumed_offence": "trafficking"}})
>>> sorted(partial.known())[:3]
['applicant', 'facts.presumed_offence']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from ._contract import (
    EARLIEST_DECISION_DATE,
    MAX_REFERENCE,
    WITHIN_THE_ACT_SCHEMA,
    IsoDate,
    Reference,
    application_on_or_after_the_act,
    child_relation_schema,
    never_null_in_schema,
)
from ._messages import custom_error
from ._types import Applicant, PermitRequested, PresumedOffence, Relation


def _never_null_properties(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Every field's JSON Schema without ``null``: a field left out is unknown, a ``null`` is
    refused (``_refuse_null``), and the schema says so."""
    for field_schema in schema.get("properties", {}).values():
        never_null_in_schema()(field_schema)


_STRICT = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_never_null_properties)


def _never_null_properties_and(
    extra: dict[str, Any],
) -> Callable[[dict[str, Any], type[BaseModel]], None]:
    """``_never_null_properties``, then ``extra`` added to the model's schema."""

    def edit(schema: dict[str, Any], model: type[BaseModel]) -> None:
        _never_null_properties(schema, model)
        schema.update(extra)

    return edit


def _no_null(value: object) -> object:
    if value is None:
        raise custom_error("null_unknown")
    return value


class _Partial(BaseModel):
    model_config = _STRICT

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: object) -> object:
        return _no_null(value)


class PartialPerson(_Partial):
    """The person, where a field left out is unknown."""

    model_config = ConfigDict(
        json_schema_extra=_never_null_properties_and(child_relation_schema(required=False))
    )

    in_sweden: StrictBool | None = None
    is_child: StrictBool | None = None
    eu_citizen: StrictBool | None = None
    relation: Relation | None = None

    @model_validator(mode="after")
    def _accompanying_child_is_a_child(self) -> PartialPerson:
        if self.relation == "accompanying_child" and self.is_child is False:
            raise custom_error("child_relation")
        return self


class PartialFacts(_Partial):
    """The facts, where a field left out is unknown (never "not shown")."""

    presumed_offence: PresumedOffence | None = None
    needed_for_investigation: StrictBool | None = None
    willing_to_cooperate: StrictBool | None = None
    ties_broken: StrictBool | None = None
    public_order_objection: StrictBool | None = None
    wants_reflection_period: StrictBool | None = None
    special_reasons_longer_reflection: StrictBool | None = None
    special_personal_security: StrictBool | None = None
    holds_protected_person_permit: StrictBool | None = None
    holds_15_permit: StrictBool | None = None
    cooperated_employer_investigation: StrictBool | None = None
    pay_claim_brought: StrictBool | None = None


class PartialCase(_Partial):
    """A case of which some fields are not known yet (see the module's description)."""

    reference: Reference | None = Field(
        None,
        description="Your own identifier of the case, echoed in the assessment "
        f"(1 to {MAX_REFERENCE} characters, no control characters).",
    )
    decision_date: IsoDate | None = Field(
        None,
        json_schema_extra=WITHIN_THE_ACT_SCHEMA,
        description="The law is applied as in force on this date (not before 2006-03-31); "
        "left out: today.",
    )
    application_date: IsoDate | None = Field(
        None,
        json_schema_extra=WITHIN_THE_ACT_SCHEMA,
        description="When the application was lodged; not before 2006-03-31, not after "
        "decision_date.",
    )
    applicant: Applicant | None = None
    permit: PermitRequested | None = None
    person: PartialPerson = Field(default_factory=PartialPerson)
    facts: PartialFacts = Field(default_factory=PartialFacts)

    @field_validator("decision_date")
    @classmethod
    def _within_the_act(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and value < EARLIEST_DECISION_DATE:
            raise custom_error("decided_before_the_act", date=EARLIEST_DECISION_DATE.isoformat())
        return value

    @field_validator("application_date")
    @classmethod
    def _lodged_under_the_act(cls, value: dt.date | None) -> dt.date | None:
        return application_on_or_after_the_act(value)

    def known(self) -> dict[str, Any]:
        """Every known finite field by its dotted path (``facts.ties_broken``)."""
        found: dict[str, Any] = {}
        for name in ("applicant", "permit"):
            if getattr(self, name) is not None:
                found[name] = getattr(self, name)
        for part in ("person", "facts"):
            sub = getattr(self, part)
            for name in type(sub).model_fields:
                value = getattr(sub, name)
                if value is not None:
                    found[f"{part}.{name}"] = value
        return found
