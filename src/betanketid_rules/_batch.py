"""The record a batch leaves in the place of a case it could not decide.

A batch answers every item in order: a decision (or its record), or a :class:`BatchError`
saying which item (its 0-based ``index``, its 1-based ``line`` in JSON Lines and its
``reference`` where it could be read) and why, with each problem's field path. So output *n*
always belongs to input *n*, and a consumer never pairs a decision with the wrong person.
Messages are bounded: at most :data:`MAX_PROBLEMS` problems, each at most :data:`MAX_MESSAGE`
characters, and the number left out.

>>> from betanketid_rules._errors import InvalidJsonError
>>> record = batch_error(4, 5, InvalidJsonError("facts.ties_broken: duplicate key"))
>>> print(record.model_dump_json())
{"index":4,"line":5,"reference":null,"errors":[{"path":"",\
"message":"facts.ties_broken: duplicate key"}],"more_errors":0}
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ._contract import Reference
from ._errors import InvalidJsonError
from ._messages import message, problems_in
from ._types import Lang

_REFERENCE: TypeAdapter[str] = TypeAdapter(Reference)

#: At most this many problems are listed for one item.
MAX_PROBLEMS = 10
#: A problem's message is cut to this many characters.
MAX_MESSAGE = 300


class InputProblem(BaseModel):
    """One reason an item was not decided: where (a dotted field path) and why."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    path: str = Field(description="The field, e.g. facts.ties_broken; empty for the document.")
    message: str


class BatchError(BaseModel):
    """An item of a batch that was not decided, in its place among the decisions.

    >>> BatchError(index=0, line=None, errors=()).more_errors
    0
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    index: int = Field(ge=0, description="The item's position in the batch, from 0.")
    line: int | None = Field(
        ge=1, description="The item's line in JSON Lines input, from 1; null otherwise."
    )
    reference: str | None = Field(
        None, description="The item's reference, when it could be read (a valid one); else null."
    )
    errors: tuple[InputProblem, ...]
    more_errors: int = Field(0, ge=0, description="How many more problems were not listed.")


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def problems_of(error: ValidationError | InvalidJsonError) -> list[InputProblem]:
    """Every problem of ``error`` with its field path (pydantic's ``loc``, dotted).

    >>> from pydantic import BaseModel
    >>> class M(BaseModel):
    ...     x: int
    >>> try:
    ...     M.model_validate({"x": "a"})
    ... except ValidationError as error:
    ...     print(problems_of(error)[0].path)
    x
    """
    if isinstance(error, InvalidJsonError):
        return [InputProblem(path="", message=_cut(str(error)))]
    return [
        InputProblem(
            path=_cut(".".join(str(part) for part in detail["loc"])),
            message=_cut(str(detail["msg"]).removeprefix("Value error, ")),
        )
        for detail in error.errors(include_url=False, include_input=False)
    ]


def reference_in(item: object) -> str | None:
    """The reference an undecided item carries, if it is a valid one (else None).

    >>> reference_in({"reference": "A-17", "applicant": 3}), reference_in({"reference": 3})
    ('A-17', None)
    """
    value = getattr(item, "reference", None) if isinstance(item, BaseModel) else None
    if isinstance(item, Mapping):
        value = item.get("reference")
    try:
        return _REFERENCE.validate_python(value) if value is not None else None
    except ValidationError:
        return None


def batch_error(
    index: int,
    line: int | None,
    error: ValidationError | InvalidJsonError,
    item: object = None,
) -> BatchError:
    """The record of item ``index`` (on ``line``) that ``error`` stopped, bounded; its
    reference is read from ``item`` where it can be."""
    problems = problems_of(error)
    return BatchError(
        index=index,
        line=line,
        reference=reference_in(item),
        errors=tuple(problems[:MAX_PROBLEMS]),
        more_errors=max(0, len(problems) - MAX_PROBLEMS),
    )


def describe_error(error: ValidationError | InvalidJsonError, lang: Lang = "en") -> str:
    """What is wrong with an input, on one line in ``lang``, bounded like a batch record.

    >>> from betanketid_rules import Case
    >>> try:
    ...     Case.model_validate({"decision_date": "2023-01-01", "applicant": "x",
    ...                          "permit": "reflection_period"})
    ... except ValidationError as error:
    ...     print(describe_error(error, "sv")[:40])
    applicant: ska vara 'preliminary_investi
    """
    if isinstance(error, InvalidJsonError):
        return _cut(message(error.code, lang, dict(error.params), str(error)))
    problems = problems_in(error, lang)
    parts = [
        f"{_cut(path)}: {_cut(text)}" if path else _cut(text)
        for path, text in problems[:MAX_PROBLEMS]
    ]
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        parts.append(f"och {more} till" if lang == "sv" else f"and {more} more")
    return "; ".join(parts)


def describe(problems: BatchError) -> str:
    """The problems on one line: ``field.path: reason; ...`` (then how many more).

    >>> describe(BatchError(index=0, line=None, errors=(
    ...     InputProblem(path="facts.ties_broken", message="Input should be a valid boolean"),),
    ...     more_errors=2))
    'facts.ties_broken: Input should be a valid boolean; and 2 more'
    """
    parts = [
        f"{problem.path}: {problem.message}" if problem.path else problem.message
        for problem in problems.errors
    ]
    if problems.more_errors:
        parts.append(f"and {problems.more_errors} more")
    return "; ".join(parts)
