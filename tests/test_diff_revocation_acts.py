"""``diff`` of revocations over the acts of the neighbouring permits shows what each act changed
and nothing else (issue 13).

Written from the texts, not from the tables: statutes.md's register (SFS 2010:533 in force
2010-07-01: new 5 kap. 15 b, 16 a §§ and 7 kap. 7 c §; SFS 2013:646 in force 2013-08-01: new
5 kap. 15 d §) and 7 kap. 7 c § (a 15 b § permit may be revoked only if its conditions no longer
exist, and only on the police's application; a 16 a § permit not before the police have had the
chance to comment). A 15 b § permit has one condition of its own, special personal-security
work. 7 kap. 7 b § reaches permits under 5 kap. 15 § only, so neither section reaches a 15 d §
permit. The 15 § permits' revocations are the concern of test_revocation.py; here they must not
change at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import point_sets
from point_sets import PointSet, expand, union

from betanketid_rules._tables import default_table_set
from betanketid_rules._verify.diff import diff_dates
from betanketid_rules._verify.report import Comparison

SECURITY = ("protected_person", "protected_person_permanent")


def _revocation(old: str, new: str) -> Comparison:
    report = diff_dates(default_table_set(), dt.date.fromisoformat(old), dt.date.fromisoformat(new))
    (revocation,) = [c for c in report.comparisons if c.title.endswith("(revocation)")]
    return revocation


def _select(comparison: Comparison, test: Any) -> PointSet:
    return point_sets.select(comparison.columns, test)


def _becomes(comparison: Comparison, label: str) -> PointSet:
    return union(expand(c.regions) for c in comparison.decision_changes if c.after.label == label)


def test_sfs_2010_533_makes_the_15_b_and_16_a_permits_revocable_under_7_c() -> None:
    """Before 2010-07-01 no 15 b or 16 a § permit could be held, so its revocation was not a
    matter of these sections; from that day 7 kap. 7 c § decides it. A 15 b § permit may be
    revoked where special personal-security work has ended and the police applied; where it
    ended and they did not, only their application can lead to it; where anything else
    changed, the permit's conditions still exist. A 16 a § permit waits for the police to be
    heard. Nothing else changes decision."""
    act = _revocation("2010-06-30", "2010-07-01")
    changed = union(expand(c.regions) for c in act.decision_changes)
    assert changed == _select(act, lambda w: w["permit"] in SECURITY)
    assert {c.before.label for c in act.decision_changes} == {"not_applicable"}
    ended = _select(
        act,
        lambda w: (
            w["permit"] == "protected_person"
            and w["condition_no_longer_met"] == "special_personal_security"
        ),
    )
    police = _select(act, lambda w: w["police_applied"])
    permanent = _select(act, lambda w: w["permit"] == "protected_person_permanent")
    heard = _select(act, lambda w: w["applicant_heard"])
    one_year = _select(act, lambda w: w["permit"] == "protected_person")
    assert _becomes(act, "may_revoke") == ended & police
    assert _becomes(act, "police_must_apply") == ended - police
    assert _becomes(act, "hear_first") == permanent - heard
    assert _becomes(act, "no_ground") == (one_year - ended) | (permanent & heard)


def test_sfs_2013_646_changes_no_revocation() -> None:
    """The 15 d § permit came with SFS 2013:646, and neither 7 kap. 7 b § (permits under 15 §)
    nor 7 c § (15 b and 16 a §§) reaches it: no revocation decides otherwise. The legal basis
    changes for the 15 d § permit, which now exists but is not reached, and for nothing else."""
    act = _revocation("2013-07-31", "2013-08-01")
    assert act.decision_changes == []
    touched = union(expand(c.regions) for c in act.basis_changes)
    assert touched, "the 15 d § permit's revocation now rests on the sections' reach"
    assert touched == touched & _select(act, lambda w: w["permit"] == "pay_claim")
