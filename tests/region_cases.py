"""One case in every region a table tells apart, with its single-fact neighbours.

For every row of every table in force in a period (``betanketid_rules._row_targets``: the
case fields the row tests and the values it accepts, traced back through upstream tables), one
case decided on the period's first day, its constrained fields at their first accepted value and
every other field favourable (the investigation leader applying for an evidence-person permit,
the person an adult in Sweden, every fact met), then the same case with each free yes/no field
turned. The legal properties hold on each (``tests/test_properties.py``): a deterministic floor
under the hypothesis draws, so a rule wrong in a rare region fails CI whatever is drawn.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from betanketid_rules import Case
from betanketid_rules._row_targets import RowTarget, row_targets
from betanketid_rules._tables import default_table_set

#: The favourable value of every free field: a case that is granted where the law grants.
FAVOURABLE: dict[str, Any] = {
    "applicant": "preliminary_investigation_leader",
    "permit": "evidence_person",
    "person.in_sweden": True,
    "person.is_child": False,
    "person.eu_citizen": False,
    "person.relation": "self",
    "facts.presumed_offence": "trafficking",
    "facts.needed_for_investigation": True,
    "facts.willing_to_cooperate": True,
    "facts.ties_broken": True,
    "facts.public_order_objection": False,
    "facts.wants_reflection_period": True,
    "facts.special_reasons_longer_reflection": True,
    "facts.special_personal_security": True,
    "facts.holds_protected_person_permit": True,
    "facts.holds_15_permit": True,
    "facts.cooperated_employer_investigation": True,
    "facts.pay_claim_brought": True,
}


def _case(target: RowTarget, values: dict[str, Any]) -> Case | None:
    fields: dict[str, Any] = {"decision_date": target.period.first_day}
    for path, value in values.items():
        head, _, tail = path.partition(".")
        if tail:
            fields.setdefault(head, {})[tail] = value
        else:
            fields[head] = value
    if fields["person"]["relation"] == "accompanying_child":
        fields["person"]["is_child"] = True
    if target.lodged_before is not None and target.lodged_before[1]:
        fields["application_date"] = target.lodged_before[0] - dt.timedelta(days=1)
    try:
        return Case.model_validate(fields)
    except ValueError:
        return None


@functools.cache
def region_cases() -> tuple[Case, ...]:
    """Every region's case and its single-field neighbours, without repeats, in a stable order."""
    found: dict[Case, None] = {}
    for target in row_targets(default_table_set()):
        values = dict(FAVOURABLE)
        for path, allowed in target.fields.items():
            values[path] = sorted(allowed, key=str)[0]
        variants = [values]
        for path, value in FAVOURABLE.items():
            if isinstance(value, bool) and path not in target.fields:
                variants.append({**values, path: not value})
        for variant in variants:
            case = _case(target, variant)
            if case is not None:
                found.setdefault(case, None)
    return tuple(found)


__all__ = ["region_cases"]
