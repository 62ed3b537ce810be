"""The type aliases shared across the package, defined once.

The contract's vocabularies (what a :class:`~betanketid_rules.Case` and a
:class:`~betanketid_rules.Decision` may say), the values a table's cells hold, and the
language of a text. Modules that own one kind of thing keep the aliases only they use (a hit
policy in the table format, a problem code beside the errors, a finding kind beside the
findings).

>>> import typing
>>> typing.get_args(Status)
('confirmed', 'secondary', 'inferred')
"""

from __future__ import annotations

from typing import Literal

# --- the contract's vocabularies ------------------------------------------------------------

Applicant = Literal[
    "preliminary_investigation_leader",
    "social_welfare_board",
    "police_authority",
    "the_person",
    "other",
]
"""Who applies for the permit."""
PermitRequested = Literal[
    "reflection_period",
    "evidence_person",
    "reflection_period_extension",
    "evidence_person_extension",
    "protected_person",
    "protected_person_permanent",
    "pay_claim",
]
"""The permit (or extension) applied for: under 5 kap. 15 § (the first four) or a neighbouring
permit (``protected_person``: 15 b §, ``protected_person_permanent``: 16 a §, ``pay_claim``:
15 d §)."""
Relation = Literal["self", "accompanying_child", "family_member"]
"""The person's relation to the presumed victim."""
PresumedOffence = Literal["trafficking", "exploitation", "other_crime", "none"]
"""What there is reason to believe the person was subjected to."""
Outcome = Literal[
    "grant",
    "may_grant",
    "refuse",
    "no_standing",
    "needs_review",
    "may_revoke",
    "hear_first",
    "no_ground",
    "police_must_apply",
    "not_applicable",
]
"""What a decision says: on an application the first five; on a revocation (added with it)
``may_revoke`` (the permit may be revoked), ``hear_first`` (not before whoever must be heard has
had the chance to comment), ``no_ground`` (no ground under the revocation rules read; the
general grounds are not assessed), ``police_must_apply`` (a 15 b § permit is revoked only on
the police's application) and ``not_applicable`` (no revocation rule of its own reaches the
permit)."""
Matter = Literal["application", "revocation"]
"""What a case asks: an application for a permit (the default) or the revocation of a permit
held."""
CeasedCondition = Literal[
    "none",
    "needed_for_investigation",
    "willing_to_cooperate",
    "ties_broken",
    "public_order",
    "special_personal_security",
]
"""Which condition of the permit held no longer holds (``none``: every one still holds)."""
PermitType = Literal[
    "reflection_period",
    "evidence_person",
    "protected_person",
    "protected_person_permanent",
    "pay_claim",
]
"""The kind of permit a grant gives."""
Status = Literal["confirmed", "secondary", "inferred"]
"""How firm a source is, firmest first."""
CitationRole = Literal["basis", "context"]
"""A provision a row rests on, or a source shown beside it."""
EngineName = Literal["native", "durable"]
"""The engines that evaluate the tables."""

# --- table values ----------------------------------------------------------------------------

CellScalar = str | bool | int | None
"""One value of a table cell, an input or an output."""
Cell = frozenset[CellScalar] | None
"""The values a row accepts in one column; ``None`` means any value."""
Values = tuple[CellScalar, ...]
"""One value per input column of a table, in column order: a point of its input space."""
AggregatedValue = CellScalar | tuple[CellScalar, ...]
"""An output value; a COLLECT LIST output is the tuple of the values collected."""
Box = tuple[int, ...]
"""A region of an input space as one bit mask per column (bit ``i``: the ``i``-th value)."""

# --- text ------------------------------------------------------------------------------------

Lang = Literal["sv", "en"]
"""The language of a text a person reads."""

DiffFormat = Literal["text", "json", "markdown", "rst"]
"""The output formats of ``betanketid-rules diff``."""
