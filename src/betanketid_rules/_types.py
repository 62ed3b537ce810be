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
Outcome = Literal["grant", "may_grant", "refuse", "no_standing", "needs_review"]
"""What a decision says."""
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
