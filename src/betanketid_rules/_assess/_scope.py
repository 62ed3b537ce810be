"""What an assessment covers: every permit, except where neither the permit nor the applicant
is known.

An assessment walks every completion of a partial case's unknown fields, as sets of points over
their product, so each field the chain reads multiplies the work. The neighbouring permits
(5 kap. 15 b, 16 a and 15 d §§) read five facts of their own, the permits under 5 kap. 15 §
seven others, and neither set changes a decision on the other's permits (``tests/
test_assess_scope.py`` holds this on every date a table changes). So:

* a partial case that names a neighbouring permit holds the 15 § facts out: every completion
  of them gives the same result, so they only multiply the count of completions;
* one that names a 15 § permit holds the neighbouring facts out the same way;
* one that leaves the permit out but names the applicant covers every permit and holds
  nothing out (its product stays small: the applicant's routes decide which facts matter);
* one that leaves out both the permit and the applicant covers the 15 § permits only, with the
  neighbouring facts held out (the product of every permit, applicant and fact is too large to
  walk in a request); the assessment says which permits it covered
  (``Assessment.permits_covered``).

A held field is never asked (the form and the questionnaire never ask it); when the partial
case leaves it unknown it shows among the ``irrelevant`` fields, as any unknown field that
cannot change the result. No rule
of law lives here: which facts belong to which permits is read off the contract's fields below.

>>> narrowed, held = scope({})
>>> narrowed["permit"]
('reflection_period', 'evidence_person', 'reflection_period_extension', 'evidence_person_extension')
>>> sorted(held)[:2]
['facts.cooperated_employer_investigation', 'facts.holds_15_permit']
>>> sorted(scope({"permit": "pay_claim"})[1])[:2]
['facts.needed_for_investigation', 'facts.public_order_objection']
>>> scope({"applicant": "police_authority"})
({}, {})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._contract import Facts, Person
from .._tables._columns import CASE_DOMAINS
from .._types import CellScalar

#: The permits beside 5 kap. 15 § that a case may request (5 kap. 15 b, 16 a and 15 d §§).
NEIGHBOUR_PERMITS = frozenset({"protected_person", "protected_person_permanent", "pay_claim"})
#: The facts only the neighbouring permits read.
NEIGHBOUR_FACTS = (
    "facts.special_personal_security",
    "facts.holds_protected_person_permit",
    "facts.holds_15_permit",
    "facts.cooperated_employer_investigation",
    "facts.pay_claim_brought",
)
#: The facts only the permits under 5 kap. 15 § read (its conditions).
SECTION_15_FACTS = (
    "person.in_sweden",
    "facts.needed_for_investigation",
    "facts.willing_to_cooperate",
    "facts.ties_broken",
    "facts.public_order_objection",
    "facts.wants_reflection_period",
    "facts.special_reasons_longer_reflection",
)


def _default(path: str) -> CellScalar:
    """The contract's default of a field of the person or the facts."""
    head, _, name = path.partition(".")
    model = Person if head == "person" else Facts
    value: CellScalar = model.model_fields[name].default
    return value


def scope(known: Mapping[str, Any]) -> tuple[dict[str, tuple[CellScalar, ...]], dict[str, Any]]:
    """For a partial case's known fields: the unknown fields whose domain the assessment
    narrows (path → the values it covers), and the fields it holds out at their defaults."""
    permit = known.get("permit")
    narrowed: dict[str, tuple[CellScalar, ...]] = {}
    if permit is None:
        if known.get("applicant") is not None:
            return narrowed, {}
        narrowed["permit"] = tuple(v for v in CASE_DOMAINS["permit"] if v not in NEIGHBOUR_PERMITS)
    out = SECTION_15_FACTS if permit in NEIGHBOUR_PERMITS else NEIGHBOUR_FACTS
    held = {path: _default(path) for path in out if path not in known}
    return narrowed, held


def permits_covered(
    known: Mapping[str, Any], narrowed: Mapping[str, tuple[CellScalar, ...]]
) -> tuple[str, ...]:
    """The permits an assessment of a partial case with ``known`` fields ranges over.

    >>> permits_covered({"permit": "pay_claim"}, {})
    ('pay_claim',)
    >>> len(permits_covered({"applicant": "the_person"}, {}))
    7
    """
    if known.get("permit") is not None:
        return (str(known["permit"]),)
    return tuple(str(v) for v in narrowed.get("permit", CASE_DOMAINS["permit"]))
