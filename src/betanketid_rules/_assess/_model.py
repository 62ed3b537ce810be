"""What an assessment says: the results still possible and the questions that decide them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from .._contract import Decision, Permit
from .._types import CellScalar, Outcome, Status


class PossibleResult(BaseModel):
    """One result an assessment leaves possible, and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    outcome: Outcome
    permit: Permit | None
    completions: int = Field(description="How many completions of the unknowns give it.")
    regions: tuple[str, ...] = Field(description="Where, as regions of the unknown fields.")
    where: tuple[dict[str, CellScalar | list[CellScalar]], ...] = Field(
        (),
        description="The same regions as data: each unknown field a region restricts, with the "
        "value (or list of values) it allows; a field left out may take any value.",
    )
    open_questions: tuple[str, ...] = Field(description="Open legal questions it rests on.")
    statuses: tuple[Status, ...] = Field(description="Statuses of the rows it rests on.")


class Assessment(BaseModel):
    """What a partial case can still come to, and what still decides it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    reference: str | None = Field(None, description="The partial case's reference, echoed.")
    decision_date: dt.date
    decision_date_assumed: bool = Field(description="True when the date was left out (today).")
    unknown: tuple[str, ...] = Field(description="The unknown fields, by dotted path.")
    completions: int = Field(description="How many completions of the unknowns there are.")
    results: tuple[PossibleResult, ...]
    decided: bool = Field(description="Every completion gives the same result.")
    decision: Decision | None = Field(
        description="The decision, when every completion gives the same one (rows included)."
    )
    questions: tuple[str, ...] = Field(
        description="Unknown fields that can change the result, the best one to ask first."
    )
    irrelevant: tuple[str, ...] = Field(
        description="Unknown fields that cannot change the result: no form needs to ask them."
    )
    rules_that_vary: tuple[str, ...] = Field(
        (),
        description="Without one decision: the rules (family/row) fired in some completions "
        "and not in others, i.e. what varies with the unknowns.",
    )
    permits_covered: tuple[str, ...] = Field(
        (),
        description="The permits the completions range over: the one the partial case names; "
        "with the permit unknown, every permit, or, when the applicant is unknown too, only the "
        "permits under 5 kap. 15 § (name the applicant or the permit to assess the neighbouring "
        "permits of 5 kap. 15 b, 16 a and 15 d §§).",
    )
    expected_questions: float = Field(
        description="How many questions, on average over the completions, asking the best "
        "next question each time takes to decide."
    )
