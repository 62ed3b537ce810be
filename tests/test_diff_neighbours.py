"""``diff`` over the three acts of the neighbouring permits shows what each act changed, and
nothing else (issue 13).

Written from the texts, not from the tables: statutes.md's register (SFS 2010:533 in force
2010-07-01: new 5 kap. 15 b and 16 a §§, 7 kap. 7 c §, 14 kap. 4 a §; SFS 2013:646 in force
2013-08-01: new 5 kap. 15 d §, 5 kap. 18 § amended; SFS 2014:655 in force 2015-01-01:
Polismyndigheten for Rikspolisstyrelsen in 15 b, 16 a §§ and 14 kap. 4 a §) and the sections'
texts (15 b §: at least one year, on the police's application, for a person in special
personal-security work; 16 a §: a permanent permit when that permit runs out and the person is
still in such work; 15 d §: "får", on the person's own application, for a holder of a 15 §
permit who cooperated in the investigation of an employer's crime and has brought an action for
pay). The 15 § permits are the concern of other tests (test_diff.py); here they must not change
decision, and change legal basis only where SFS 2013:646 amended 5 kap. 18 §.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import point_sets
import pytest
from point_sets import PointSet, expand, union

from betanketid_rules._tables import default_table_set
from betanketid_rules._verify.diff import diff_dates
from betanketid_rules._verify.report import Comparison

POLICE = "police_authority"
PERSON = "the_person"
SECURITY = ("protected_person", "protected_person_permanent")
PERMITS_15 = (
    "reflection_period",
    "reflection_period_extension",
    "evidence_person",
    "evidence_person_extension",
)

Where = dict[str, Any]


def _comparison(old: str, new: str) -> Comparison:
    """The comparison of applications; a revocation's, if the act changed one too, comes after it
    (its own tests are in test_revocation.py)."""
    report = diff_dates(default_table_set(), dt.date.fromisoformat(old), dt.date.fromisoformat(new))
    application, *revocation = report.comparisons
    assert application.title == f"{old} → {new}"
    assert all(other.title == f"{old} → {new} (revocation)" for other in revocation)
    return application


@pytest.fixture(scope="module")
def act_2010() -> Comparison:
    return _comparison("2010-06-30", "2010-07-01")


@pytest.fixture(scope="module")
def act_2013() -> Comparison:
    return _comparison("2013-07-31", "2013-08-01")


@pytest.fixture(scope="module")
def act_2015() -> Comparison:
    return _comparison("2014-12-31", "2015-01-01")


def select(comparison: Comparison, test: Any) -> PointSet:
    return point_sets.select(comparison.columns, test)


def _after(comparison: Comparison, label: str) -> PointSet:
    """The points whose decision becomes ``label`` (the after side's label)."""
    return union(expand(c.regions) for c in comparison.decision_changes if c.after.label == label)


def test_sfs_2010_533_gives_the_police_the_15_b_and_16_a_permits(act_2010: Comparison) -> None:
    """Before 2010-07-01 the police had no route: every application of theirs for either
    permit was without standing; from that day 15 b § gives at least twelve months where the
    person is in special personal-security work, 16 a § a permanent permit where, besides, the
    15 b § permit held runs out, and the rest is refused. Nothing else changes decision."""
    police = select(act_2010, lambda w: w["applicant"] == POLICE and w["permit"] in SECURITY)
    changed = union(expand(c.regions) for c in act_2010.decision_changes)
    assert changed == police
    assert {c.before.label for c in act_2010.decision_changes} == {"no_standing"}
    one_year = select(
        act_2010,
        lambda w: (
            w["applicant"] == POLICE
            and w["permit"] == "protected_person"
            and w["special_personal_security"]
        ),
    )
    permanent = select(
        act_2010,
        lambda w: (
            w["applicant"] == POLICE
            and w["permit"] == "protected_person_permanent"
            and w["special_personal_security"]
            and w["holds_protected_person_permit"]
        ),
    )
    assert _after(act_2010, "grant (protected_person, at least 12 months)") == one_year
    assert _after(act_2010, "grant (protected_person_permanent)") == permanent
    assert _after(act_2010, "refuse") == police - one_year - permanent


def test_sfs_2010_533_leaves_the_15_permits_alone(act_2010: Comparison) -> None:
    """Whoever else applies for the new permits stays without standing, now under the new
    sections; no application for a 15 § permit changes decision or legal basis."""
    permits_15 = select(act_2010, lambda w: w["permit"] in PERMITS_15)
    touched = union(
        expand(c.regions) for c in [*act_2010.decision_changes, *act_2010.basis_changes]
    )
    assert not touched & permits_15
    others = select(act_2010, lambda w: w["applicant"] != POLICE and w["permit"] in SECURITY)
    stays = union(
        expand(c.regions)
        for c in act_2010.basis_changes
        if (c.before.label, c.after.label) == ("no_standing", "no_standing")
    )
    assert stays == others


def test_sfs_2013_646_gives_the_person_the_15_d_permit(act_2013: Comparison) -> None:
    """From 2013-08-01 the person may apply themself for a permit after the 15 § permit:
    "får" (may_grant) where they hold a 15 § permit, cooperated in the investigation of the
    employer's crime and have brought an action for pay, refused otherwise. Before, nobody
    could apply for it. Nothing else changes decision."""
    person = select(act_2013, lambda w: w["applicant"] == PERSON and w["permit"] == "pay_claim")
    changed = union(expand(c.regions) for c in act_2013.decision_changes)
    assert changed == person
    assert {c.before.label for c in act_2013.decision_changes} == {"no_standing"}
    granted = select(
        act_2013,
        lambda w: (
            w["applicant"] == PERSON
            and w["permit"] == "pay_claim"
            and w["holds_15_permit"]
            and w["cooperated_employer_investigation"]
            and w["pay_claim_brought"]
        ),
    )
    assert _after(act_2013, "may_grant (pay_claim)") == granted
    assert _after(act_2013, "refuse") == person - granted


def test_sfs_2013_646_changes_a_15_permit_only_by_5_kap_18(act_2013: Comparison) -> None:
    """A 15 § decision keeps its outcome; where its legal basis changes, what is added is what
    the act amended (5 kap. 18 §: a permit granted after entry) and the duty to inform about
    the new 15 d § (utlänningsförordningen 8 kap. 10 j §), nothing removed."""
    permits_15 = select(act_2013, lambda w: w["permit"] in PERMITS_15)
    assert not union(expand(c.regions) for c in act_2013.decision_changes) & permits_15
    for change in act_2013.basis_changes:
        if not expand(change.regions) & permits_15:
            continue
        assert expand(change.regions) <= permits_15
        assert change.provisions_removed == []
        assert {str(p.item) for p in change.provisions_added} == {
            "Utlänningslag (2005:716) 5 kap. 18 § 2 st. 4 p.",
            "Utlänningsförordning (2006:97) 8 kap. 10 j §",
        }


def test_sfs_2014_655_changes_no_decision(act_2015: Comparison) -> None:
    """Polismyndigheten replaces Rikspolisstyrelsen: no decision changes; the police's
    refusals are now appealed under 14 kap. 4 a § as read (only the police, confirmed, where
    the 2010 wording was inferred on Q18); the sections are cited in the new wording; no 15 §
    point changes at all."""
    assert act_2015.decision_changes == []
    (basis,) = act_2015.basis_changes
    refused = select(
        act_2015,
        lambda w: (
            w["applicant"] == POLICE
            and w["permit"] in SECURITY
            and not (
                w["special_personal_security"]
                and (w["permit"] == "protected_person" or w["holds_protected_person_permit"])
            )
        ),
    )
    assert (basis.before.label, basis.after.label) == ("refuse", "refuse")
    assert expand(basis.regions) == refused
    assert [str(q.item) for q in basis.questions_before] == ["Q18"]
    assert basis.questions_after == []
    permits_15 = select(act_2015, lambda w: w["permit"] in PERMITS_15)
    cited = union(expand(c.regions) for c in act_2015.citation_changes)
    assert cited and not cited & permits_15
    assert {d.wording for c in act_2015.citation_changes for d in c.after} == {"SFS 2014:655"}
