"""The public contract: a :class:`Case` goes in, a :class:`Decision` comes out.

The same pydantic models serve Python callers and JSON. Input validation is strict: booleans
must be real booleans, enumerations exact strings, dates ISO strings (``YYYY-MM-DD``), unknown
fields are errors at every level and an explicit ``null`` is never accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    StrictBool,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.functional_validators import AfterValidator, BeforeValidator

from ._messages import custom_error
from ._types import (
    Applicant,
    CeasedCondition,
    CellScalar,
    CitationRole,
    EngineName,
    Lang,
    Matter,
    Outcome,
    PermitRequested,
    PermitType,
    PresumedOffence,
    Relation,
    Status,
)

#: The Aliens Act (2005:716) entered into force on this date (brief SRC-01); no table of this
#: library applies before it. A test holds it equal to the earliest ``in_force_from`` of the tables.
EARLIEST_DECISION_DATE = dt.date(2006, 3, 31)

#: No application under 5 kap. 15 § utlänningslagen (2005:716) can have been lodged before the
#: act entered into force. One lodged under the 1989 act and still pending then would fall under
#: the 2005 act's transitional provisions, which the tables do not encode (not read; brief §2.1),
#: so the library refuses such a date instead of deciding it as if it were lodged under 15 §.
EARLIEST_APPLICATION_DATE = EARLIEST_DECISION_DATE

#: A case's ``reference`` holds at most this many characters.
MAX_REFERENCE = 200

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A control character: a reference has none (matched whole with ``fullmatch``, as a ``$``
#: would let a final line break through).
_CONTROL = "[\\x00-\\x1f\\x7f]"
_REFERENCE = re.compile(f"[^{_CONTROL[1:-1]}]+")


def on_or_after_pattern(day: dt.date) -> str:
    """A regular expression (ECMA-262 as JSON Schema reads it, and Python) matching the ISO
    dates ``YYYY-MM-DD`` on or after ``day``: ISO dates of four-digit years sort as text, so
    a date is not earlier than ``day`` if it equals it or, at the first digit where they part,
    has a larger digit.

    >>> pattern = on_or_after_pattern(dt.date(2006, 3, 31))
    >>> [bool(re.fullmatch(pattern, d)) for d in ("2006-03-30", "2006-03-31", "2010-01-01")]
    [False, True, True]
    """
    text = day.isoformat()
    rest = ["-" if char == "-" else "[0-9]" for char in text]
    options = [text]
    for place, char in enumerate(text):
        if char not in "-9":
            options.append(f"{text[:place]}[{int(char) + 1}-9]{''.join(rest[place + 1 :])}")
    return f"^(?:{'|'.join(options)})$"


def never_null_in_schema(**extra: Any) -> Callable[[dict[str, Any]], None]:
    """A field's ``json_schema_extra`` for a field that may be left out but is never ``null``:
    the schema's ``null`` branch and its ``null`` default go, ``extra`` is added to what is
    left, so the schema accepts what the validator accepts.

    >>> schema = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
    >>> never_null_in_schema(minLength=1)(schema)
    >>> schema
    {'type': 'string', 'minLength': 1}
    """

    def edit(schema: dict[str, Any]) -> None:
        branches = [b for b in schema.pop("anyOf", ()) if b != {"type": "null"}]
        if len(branches) == 1:
            schema.update(branches[0])
        elif branches:
            schema["anyOf"] = branches
        if schema.get("default", ...) is None:
            del schema["default"]
        schema.update(extra)

    return edit


#: ISO date strings already read (a batch repeats its few decision dates): a bounded memo.
_DATES_READ: dict[str, dt.date] = {}


def _iso_date(value: object) -> object:
    """Accept a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string, nothing else."""
    if type(value) is str:
        known = _DATES_READ.get(value)
        if known is not None:
            return known
    if isinstance(value, dt.datetime):
        raise custom_error("date_and_time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as error:
            raise custom_error("calendar_date", value=value) from error
        if len(_DATES_READ) >= 4096:
            _DATES_READ.clear()
        _DATES_READ[value] = day
        return day
    raise custom_error("date_format")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

#: The JSON Schema of a date field whose validator refuses a day before the Act's entry into
#: force (:data:`EARLIEST_DECISION_DATE`, :data:`EARLIEST_APPLICATION_DATE`).
WITHIN_THE_ACT_SCHEMA: dict[str, JsonValue] = {
    "pattern": on_or_after_pattern(EARLIEST_DECISION_DATE)
}
#: The JSON Schema of a reference beyond its length: no control character anywhere (said with
#: ``not``, as an anchored pattern reads differently in ECMA-262 and in Python's ``re``).
REFERENCE_SCHEMA: dict[str, JsonValue] = {"not": {"pattern": _CONTROL}}


def _printable(value: str) -> str:
    if not _REFERENCE.fullmatch(value):
        raise custom_error("control_characters")
    return value


Reference = Annotated[
    str,
    Field(min_length=1, max_length=MAX_REFERENCE, json_schema_extra=REFERENCE_SCHEMA),
    AfterValidator(_printable),
]
"""A caller's identifier of a case, echoed back, never read by a rule."""


def application_on_or_after_the_act(value: dt.date | None) -> dt.date | None:
    """Refuse an application date before :data:`EARLIEST_APPLICATION_DATE` (with the reason).

    >>> try:
    ...     application_on_or_after_the_act(dt.date(2001, 1, 1))
    ... except Exception as error:
    ...     print(str(error)[:60])
    must not be before 2006-03-31: no application under utlännin
    """
    if value is not None and value < EARLIEST_APPLICATION_DATE:
        raise custom_error("lodged_before_the_act", date=EARLIEST_APPLICATION_DATE.isoformat())
    return value


class _Input(BaseModel):
    """Base of the input models: an instance exists only validated.

    Pydantic's ``model_copy(update=...)`` and ``model_construct`` skip validation, so a copy
    could carry an application date after the decision date or ``is_child=1``. Here both
    validate like any input, and an instance nested in another is validated again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, revalidate_instances="always")

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied, validated (an invalid update raises).

        >>> Facts().model_copy(update={"ties_broken": 1})
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Facts
        ties_broken
          Input should be a valid boolean [type=bool_type, input_value=1, input_type=int]
            For further information visit https://errors.pydantic.dev/2.14/v/bool_type
        """
        if not update:
            return self  # frozen: a copy would be equal and never differ
        return self.model_validate({**self.model_dump(), **update})

    @classmethod
    def model_construct(  # type: ignore[override]  # the pydantic plugin types it per model
        cls, _fields_set: set[str] | None = None, **values: Any
    ) -> Self:
        """Validated construction (pydantic's skips validation).

        >>> Person.model_construct(is_child=True).is_child
        True
        """
        return cls.model_validate(values)


def child_relation_schema(required: bool) -> dict[str, JsonValue]:
    """The JSON Schema of the rule that an accompanying child is a child: with ``relation``
    ``accompanying_child``, ``is_child`` is ``true`` (given, where ``required``; else only
    never ``false``), as the models' validators say (``child_relation``).

    >>> child_relation_schema(True)["then"]
    {'properties': {'is_child': {'const': True}}, 'required': ['is_child']}
    """
    then: dict[str, JsonValue] = {"properties": {"is_child": {"const": True}}}
    if required:
        then["required"] = ["is_child"]
    return {
        "if": {
            "properties": {"relation": {"const": "accompanying_child"}},
            "required": ["relation"],
        },
        "then": then,
    }


class Person(_Input):
    """The foreign national the application concerns.

    ``in_sweden`` is a fact to show and defaults to ``False``; the other fields describe the
    person (the application is for the person itself, an adult, not an EU citizen).

    >>> Person().relation, Person().in_sweden
    ('self', False)
    """

    model_config = ConfigDict(json_schema_extra=child_relation_schema(required=True))

    in_sweden: StrictBool = Field(
        False,
        description="The person is staying in Sweden (vistas här); not shown unless stated.",
    )
    is_child: StrictBool = Field(False, description="The person is under 18.")
    eu_citizen: StrictBool = Field(
        False,
        description="EU/EEA citizen; 5 kap. 15 § covers all foreigners, so it never changes "
        "the outcome and is only mentioned in the explanation.",
    )
    relation: Relation = Field(
        "self",
        description="`self`, or the relative of a presumed victim: `accompanying_child` "
        "(requires is_child) or `family_member`.",
    )

    @model_validator(mode="after")
    def _accompanying_child_is_a_child(self) -> Person:
        if self.relation == "accompanying_child" and not self.is_child:
            raise custom_error("child_relation")
        return self


class Facts(_Input):
    """What has been shown about the person; every condition defaults to "not shown".

    >>> Facts().needed_for_investigation
    False
    """

    presumed_offence: PresumedOffence = Field(
        "none",
        description="What there is reason to believe (anledning att anta) THIS person was "
        "subjected to: trafficking (BrB 4:1 a), exploitation (BrB 4:1 b), other_crime or none.",
    )
    needed_for_investigation: StrictBool = Field(
        False,
        description="The person's presence is needed so that a preliminary investigation or a "
        "main hearing in a criminal case can be carried out (1 st p. 1). It looks ahead: it can "
        "be true whether or not an investigation has started (no investigation opened yet does "
        "not mean not needed; Migrationsverket's guidance for social welfare boards).",
    )
    willing_to_cooperate: StrictBool = Field(
        False, description="Clearly shown will to cooperate (1 st p. 2)."
    )
    ties_broken: StrictBool = Field(
        False, description="All ties with the suspects broken (1 st p. 3)."
    )
    public_order_objection: StrictBool = Field(
        False, description="Public order or security speaks against a permit (1 st p. 4)."
    )
    wants_reflection_period: StrictBool = Field(
        False,
        description="The person wants time to recover and decide (2 st); not shown unless stated.",
    )
    special_reasons_longer_reflection: StrictBool = Field(
        False, description="Special reasons for a longer reflection period (3 st)."
    )
    # Added with the neighbouring permits (5 kap. 15 b, 16 a and 15 d §§); each defaults to
    # "not shown" and is read only for those permits.
    special_personal_security: StrictBool = Field(
        False,
        description="The person is subject to special personal-security work under 2 a § "
        "polislagen (1984:387) (5 kap. 15 b and 16 a §§).",
    )
    holds_protected_person_permit: StrictBool = Field(
        False,
        description="The person was granted a temporary permit under 5 kap. 15 b § that is "
        "running out (5 kap. 16 a §).",
    )
    holds_15_permit: StrictBool = Field(
        False, description="The person holds a permit under 5 kap. 15 § (5 kap. 15 d §)."
    )
    cooperated_employer_investigation: StrictBool = Field(
        False,
        description="The person cooperated with the investigating authorities in an "
        "investigation of a crime under 20 kap. 5 § utlänningslagen (5 kap. 15 d § p. 1).",
    )
    pay_claim_brought: StrictBool = Field(
        False,
        description="The person has brought an action for unpaid pay under lag (2013:644) "
        "(5 kap. 15 d § p. 2).",
    )


def granted_on_or_after_the_act(value: dt.date) -> dt.date:
    """Refuse a grant date before :data:`EARLIEST_DECISION_DATE`: no permit under
    utlänningslagen (2005:716) was granted before it entered into force.

    >>> granted_on_or_after_the_act(dt.date(2007, 6, 15))
    datetime.date(2007, 6, 15)
    """
    if value < EARLIEST_DECISION_DATE:
        raise custom_error("granted_before_the_act", date=EARLIEST_DECISION_DATE.isoformat())
    return value


class Revocation(_Input):
    """What a revocation case asks about the permit held (added with the revocation matter).

    The permit held and who applied for it are the case's ``permit`` and ``applicant``; this
    model holds what only a revocation has: when the permit was granted, which of its
    conditions no longer holds, and who has been heard or has applied for the revocation.

    >>> Revocation(granted_on="2022-09-01").condition_no_longer_met
    'none'
    """

    granted_on: IsoDate = Field(
        json_schema_extra=WITHIN_THE_ACT_SCHEMA,
        description="When the permit held was granted (not before 2006-03-31, not after "
        "decision_date); the tables decide from it which revocation rules reach the permit.",
    )
    condition_no_longer_met: CeasedCondition = Field(
        "none",
        description="The condition of the permit held that no longer holds, or `none`: "
        "`needed_for_investigation`, `willing_to_cooperate`, `ties_broken`, `public_order` "
        "(5 kap. 15 § första stycket 1 to 4: public order or security now speaks against the "
        "permit) or `special_personal_security` (5 kap. 15 b §).",
    )
    applicant_heard: StrictBool = Field(
        False,
        description="Whoever applied for the permit held (the case's `applicant`; for a "
        "16 a § permit the police) has had the chance to comment on the revocation.",
    )
    police_applied: StrictBool = Field(
        False, description="The police have applied for the revocation (7 kap. 7 c §)."
    )

    @field_validator("granted_on")
    @classmethod
    def _granted_under_the_act(cls, value: dt.date) -> dt.date:
        return granted_on_or_after_the_act(value)


#: The JSON Schema of what a matter requires: a revocation gives ``revocation`` and none of
#: the application's own fields; an application gives no ``revocation``.
MATTER_SCHEMA: dict[str, JsonValue] = {
    "if": {"properties": {"matter": {"const": "revocation"}}, "required": ["matter"]},
    "then": {
        "required": ["revocation"],
        "not": {
            "anyOf": [
                {"required": ["application_date"]},
                {"required": ["person"]},
                {"required": ["facts"]},
            ]
        },
    },
    "else": {"not": {"required": ["revocation"]}},
}

#: The application's own fields, which a revocation case leaves out.
APPLICATION_ONLY_FIELDS = ("application_date", "person", "facts")


class Case(_Input):
    """One application under 5 kap. 15 § utlänningslagen (or a neighbouring section), as the
    law sees it; or, with ``matter`` ``revocation``, the revocation of such a permit held
    (``permit``: the permit held, ``applicant``: who applied for it, ``revocation``: the rest).

    >>> case = Case(decision_date="2023-03-15", applicant="social_welfare_board",
    ...             permit="reflection_period")
    >>> case.person.in_sweden, case.facts.presumed_offence, case.matter
    (False, 'none', 'application')
    >>> Case(decision_date="2023-03-15", applicant="social_welfare_board",
    ...      permit="reflection_period", matter="revocation",
    ...      revocation={"granted_on": "2023-01-10"}).revocation.granted_on
    datetime.date(2023, 1, 10)
    """

    model_config = ConfigDict(json_schema_extra=MATTER_SCHEMA)

    reference: Reference | None = Field(
        None,
        json_schema_extra=never_null_in_schema(),
        description="Your own identifier of the case, echoed in the decision's record and in a "
        f"batch's error record (1 to {MAX_REFERENCE} characters, no control characters). It "
        "never changes the decision. Use a case number of your system, not a personal identity "
        "number.",
    )
    decision_date: IsoDate = Field(
        json_schema_extra=WITHIN_THE_ACT_SCHEMA,
        description="The law is applied as in force on this date (not before 2006-03-31).",
    )
    application_date: IsoDate | None = Field(
        None,
        json_schema_extra=never_null_in_schema(**WITHIN_THE_ACT_SCHEMA),
        description="When the application was lodged; not before 2006-03-31, not after "
        "decision_date.",
    )
    applicant: Applicant
    permit: PermitRequested
    person: Person = Field(default_factory=Person)
    facts: Facts = Field(default_factory=Facts)
    # Added with the revocation matter: both absent from an application's JSON.
    matter: Matter = Field(
        "application",
        description="`application` (the default): an application for `permit` by `applicant`; "
        "`revocation`: whether the permit held (`permit`, applied for by `applicant`) may be "
        "revoked, with `revocation` giving the rest. A revocation gives no application_date, "
        "person or facts.",
    )
    revocation: Revocation | None = Field(
        None,
        json_schema_extra=never_null_in_schema(),
        description="Required when matter is `revocation`, and only then.",
    )

    @field_validator("application_date", "reference", "revocation", mode="before")
    @classmethod
    def _no_explicit_null(cls, value: object) -> object:
        if value is None:
            raise custom_error("null_field")
        return value

    @field_validator("application_date")
    @classmethod
    def _lodged_under_the_act(cls, value: dt.date | None) -> dt.date | None:
        return application_on_or_after_the_act(value)

    @field_validator("decision_date")
    @classmethod
    def _within_the_act(cls, value: dt.date) -> dt.date:
        if value < EARLIEST_DECISION_DATE:
            raise custom_error("decided_before_the_act", date=EARLIEST_DECISION_DATE.isoformat())
        return value

    @model_validator(mode="after")
    def _application_before_decision(self) -> Case:
        if self.application_date is not None and self.application_date > self.decision_date:
            raise custom_error("lodged_after_decision")
        return self

    @model_validator(mode="after")
    def _fields_of_the_matter(self) -> Case:
        if self.matter == "application":
            if self.revocation is not None:
                raise custom_error("revocation_on_application")
            return self
        if self.revocation is None:
            raise custom_error("revocation_required")
        given = [name for name in APPLICATION_ONLY_FIELDS if name in self.model_fields_set]
        if given:
            raise custom_error("application_field_on_revocation", field=given[0])
        if self.revocation.granted_on > self.decision_date:
            raise custom_error("granted_after_decision")
        return self

    @model_serializer(mode="wrap")
    def _omit_absent_application_date(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in ("application_date", "reference", "revocation"):
            if getattr(self, name) is None:
                data.pop(name, None)
        if self.matter == "application":
            data.pop("matter", None)
        else:  # a revocation has no application's fields: a dump validates again
            for name in APPLICATION_ONLY_FIELDS:
                data.pop(name, None)
        return data


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Permit(_Output):
    """The permit a grant (or a discretionary grant) gives.

    >>> Permit(type="reflection_period", days=30, min_months=None).days
    30
    """

    type: PermitType
    days: int | None
    min_months: int | None


class Citation(_Output):
    """One legal source behind a row: provision, wording in force, source and how firm it is.

    >>> Citation(act="2005:716", chapter=5, section="15", paragraph=2, point=None,
    ...          wording="SFS 2007:322", status="confirmed", source="SRC-02", url=None).section
    '15'
    """

    act: str | None
    chapter: int | None
    section: str | None
    paragraph: int | None
    point: int | None
    wording: str
    status: Status
    source: str
    url: str | None
    sentence: int | None = None
    title: str | None = None
    pages: str | None = None
    role: CitationRole = "basis"
    """``basis``: a provision the row rests on; ``context``: guidance, reports, preparatory
    works, shown beside the basis."""


class UnmetCondition(_Output):
    """A legal condition the case does not meet (or whose relevance is an open question)."""

    id: str
    text_sv: str
    text_en: str
    citation: Citation
    open_questions: tuple[str, ...] = ()


class TableRef(_Output):
    """A table consulted for a decision."""

    id: str
    version: str
    in_force_from: dt.date
    in_force_to: dt.date | None
    sha256: str


class TraceCondition(_Output):
    """One cell of a fired row: the column, what the row required and what the case had."""

    column: str
    required: tuple[CellScalar, ...]
    value: CellScalar


class TraceRow(_Output):
    """A row that fired in one table, with the conditions it tested and its sources."""

    id: str
    status: Status
    conditions: tuple[TraceCondition, ...]
    outputs: dict[str, CellScalar]
    citations: tuple[Citation, ...]
    open_questions: tuple[str, ...]
    note_sv: str
    note_en: str


class ConditionCheck(_Output):
    """A legal condition checked by a table of conditions, with the provision it comes from."""

    id: str
    citation: Citation


class TraceStep(_Output):
    """One table of the chain: its inputs, the rows that fired and the outputs passed on.

    For a table of legal conditions (``conditions_met`` / ``conditions_unmet`` non-empty) every
    row is one condition: a fired row is a condition not met, a row in scope that did not
    fire is a condition met.
    """

    table: str
    version: str
    sha256: str
    hit_policy: str
    inputs: dict[str, CellScalar]
    fired: tuple[TraceRow, ...]
    outputs: dict[str, CellScalar | tuple[CellScalar, ...]]
    conditions_met: tuple[ConditionCheck, ...] = ()
    conditions_unmet: tuple[ConditionCheck, ...] = ()


class Explanation(_Output):
    """The decision in words, in Swedish and English, generated from the rows' notes."""

    sv: str
    en: str


class DecisionEffect(_Output):
    """What a decision brings, or how it can be challenged: one row of a table the chain reads
    after the outcome (``utl-5-15-effects``, ``utl-5-15-appeal``), with its own sources.

    ``effect`` is the row's value (its label is in the vocabulary); ``status``, ``citations``
    and ``open_questions`` are the row's own. They never change the outcome, so they are not in
    the decision's ``legal_basis`` or ``open_questions``.

    >>> from betanketid_rules import evaluate
    >>> decision = evaluate({"decision_date": "2023-03-15", "applicant": "social_welfare_board",
    ...     "permit": "reflection_period", "person": {"in_sweden": True},
    ...     "facts": {"presumed_offence": "trafficking", "needed_for_investigation": True,
    ...               "wants_reflection_period": True}})
    >>> [effect.effect for effect in decision.effects][:2]
    ['work_permit_required', 'passport_waived']
    """

    effect: str
    table: str
    rule: str
    status: Status
    citations: tuple[Citation, ...]
    open_questions: tuple[str, ...] = ()
    text_sv: str
    text_en: str


class Decision(_Output):
    """The outcome of one case, its legal basis and the full trace that produced it.

    Decisions are immutable, so one may safely be shared between callers. ``effects`` (added
    after ``engine``) lists what a grant brings and how a refusal can be challenged.
    """

    outcome: Outcome
    permit: Permit | None
    legal_basis: tuple[Citation, ...]
    unmet_conditions: tuple[UnmetCondition, ...]
    rules_fired: tuple[str, ...]
    tables: tuple[TableRef, ...]
    trace: tuple[TraceStep, ...]
    open_questions: tuple[str, ...]
    explanation: Explanation
    engine: EngineName
    effects: tuple[DecisionEffect, ...] = ()

    def text(self, lang: Lang = "sv") -> str:
        """The decision as readable text in one language, as ``evaluate --format text`` prints it.

        >>> from betanketid_rules import evaluate
        >>> decision = evaluate({"decision_date": "2023-03-15", "applicant": "the_person",
        ...                      "permit": "reflection_period"})
        >>> decision.text("en").splitlines()[0]
        'Outcome: no standing (this applicant may not apply for this permit)'
        """
        from ._render import render_decision  # noqa: PLC0415 (the renderer imports this module)

        return render_decision(self, lang)
