"""The law's principles as hypothesis properties: one test per principle, built generically.

Every principle is declared once, in ``tests/legal_properties.py``: its check (the same check
the table mutation runner uses against mutated tables), its citation and the cases it is drawn
from, as plain data. This module turns each declared :class:`~legal_properties.Draw` into a
strategy of :mod:`betanketid_rules.testing` and runs the check on every case drawn, as the test
``test_legal_property[<principle>]``; nothing here restates a principle or its citation. The
hypothesis profile is set in ``conftest.py``: ``ci`` (derandomized, bounded) by default,
``HYPOTHESIS_PROFILE=deep`` for many more examples locally.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import legal_properties as lp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from region_cases import region_cases

from betanketid_rules import Case
from betanketid_rules._tables import default_table_set
from betanketid_rules.testing import cases, facts, horizon, persons, versions

SUBJECT = lp.Subject.of(default_table_set())


def nearly(value: bool) -> st.SearchStrategy[bool]:
    """Mostly ``value``: draws cases near the point where every condition of a permit holds."""
    return st.sampled_from([value, value, value, not value])


def _fields(restrictions: Mapping[str, lp.FieldRestriction]) -> dict[str, Any]:
    """Keyword arguments for ``persons(...)`` or ``facts(...)`` from plain restrictions."""
    return {
        name: nearly(value.value) if isinstance(value, lp.Nearly) else value
        for name, value in restrictions.items()
    }


#: Facts and persons near a grant (see ``lp.NEAR_GRANT_PERSON`` and ``lp.NEAR_GRANT_FACTS``).
NEAR_GRANT: dict[str, st.SearchStrategy[Any]] = {
    "person": persons(**_fields(lp.NEAR_GRANT_PERSON)),
    "facts": facts(**_fields(lp.NEAR_GRANT_FACTS)),
}


def _restrictions(draw: lp.Draw) -> dict[str, Any]:
    """The keyword arguments of ``cases(...)`` that ``draw`` describes (its fields set)."""
    found: dict[str, Any] = {}
    if draw.version is not None:
        found["version"] = draw.version
    if draw.decided_between is not None:
        start, end = draw.decided_between
        found["decided_between"] = (start, horizon() if end is None else end)
    if draw.applicant is not None:
        found["applicant"] = draw.applicant
    if draw.permit is not None:
        found["permit"] = draw.permit
    if draw.person is not None:
        found["person"] = persons(**_fields(draw.person))
    if draw.facts is not None:
        found["facts"] = facts(**_fields(draw.facts))
    if draw.with_application_date is not None:
        found["with_application_date"] = draw.with_application_date
    return found


def strategy_of_draw(draw: lp.Draw) -> st.SearchStrategy[Case]:
    """Cases under ``draw``'s restrictions, mixed with the near-grant ones as it says."""
    restrictions = _restrictions(draw)
    near = {**NEAR_GRANT, **restrictions}
    if draw.near_grant == "none":
        return cases(**restrictions)
    if draw.near_grant == "all":
        return cases(**near)
    return st.one_of(cases(**restrictions), cases(**near))


def strategy_of(prop: lp.LegalProperty) -> st.SearchStrategy[Case]:
    """Every case ``prop`` is drawn from: one of its draws per case."""
    strategies = [strategy_of_draw(draw) for draw in prop.draws]
    return strategies[0] if len(strategies) == 1 else st.one_of(*strategies)


def _name(prop: lp.LegalProperty) -> str:
    return prop.name


@pytest.mark.parametrize("prop", lp.PROPERTIES, ids=_name)
def test_legal_property(prop: lp.LegalProperty) -> None:
    """The principle holds for every case drawn for it (the principle: its check's docstring)."""

    def holds(case: Case) -> None:
        message = prop.check(SUBJECT, case)
        assert message is None, message

    # Named after the principle, with a digest of its own: hypothesis then derandomizes and keeps
    # its example database per principle, never sharing examples between them (as it does for
    # each case of a parametrized @given test).
    holds.__name__ = holds.__qualname__ = f"test_{prop.name}"
    holds._hypothesis_internal_add_digest = prop.name.encode()  # type: ignore[attr-defined]
    given(strategy_of(prop))(holds)()


@pytest.mark.parametrize("prop", lp.PROPERTIES, ids=_name)
def test_legal_property_in_every_region_a_table_tells_apart(prop: lp.LegalProperty) -> None:
    """The principle holds on one case in every region a table tells apart and on each case's
    single-field neighbours (``region_cases.py``): a deterministic floor under the draws, so a
    rule wrong in a rare region fails however few examples the profile draws (issue 19)."""
    failures = [message for case in region_cases() if (message := prop.check(SUBJECT, case))]
    assert failures[:3] == []


# --- The property suite itself -----------------------------------------------------------------


@pytest.mark.parametrize("prop", lp.PROPERTIES, ids=_name)
def test_every_principle_is_stated_cited_and_drawn(prop: lp.LegalProperty) -> None:
    """Each principle states itself, cites a provision or the contract, and has cases to draw."""
    assert prop.check.__name__ == f"check_{prop.name}"
    assert (inspect.getdoc(prop.check) or "").strip(), f"check_{prop.name} states no principle"
    assert any(mark in prop.citation for mark in ("§", "contract (issue")), prop.citation
    assert prop.draws, f"{prop.name} is drawn from no cases"
    assert all(isinstance(draw, lp.Draw) for draw in prop.draws), prop.draws
    strategy_of(prop).validate()  # a misspelt restriction fails here, not silently


def test_the_principles_have_unique_names() -> None:
    names = [prop.name for prop in lp.PROPERTIES]
    assert sorted(name for name in names if names.count(name) > 1) == []


def test_every_check_is_a_declared_principle() -> None:
    """A ``check_`` function left undecorated would be neither tested nor used by the runner."""
    declared = {prop.check for prop in lp.PROPERTIES}
    checks = {
        name
        for name, function in vars(lp).items()
        if name.startswith("check_") and inspect.isfunction(function)
    }
    assert sorted(name for name in checks if getattr(lp, name) not in declared) == []


def test_at_least_fourteen_legal_properties() -> None:
    assert len(lp.PROPERTIES) >= 14


def test_the_laws_dates_are_the_table_versions() -> None:
    """The brief's dates the properties use are exactly where the table set changes wording.

    Brief §2.1: V1 from 2006-03-31 [C, SRC-01]; statutes.md: V2 from 2007-07-01 (SFS 2007:322
    transitional point 1, Q3 settled), V3 from 2022-08-01 (SFS 2022:1015 transitional point 1);
    what a decision brings also changes on 2013-07-01 (SFS 2013:411, brief §4.6) and 2013-08-01
    (SFS 2013:646, statutes.md register); the neighbouring permits on 2010-07-01 (SFS 2010:533)
    and 2015-01-01 (SFS 2014:655, statutes.md register). If a version moves, the properties must
    move with the law.
    """
    assert [version.first_day for version in versions()] == [
        lp.ACT_IN_FORCE,
        lp.SFS_2007_322_IN_FORCE,
        lp.SFS_2010_533_IN_FORCE,
        lp.SFS_2013_411_IN_FORCE,
        lp.SFS_2013_646_IN_FORCE,
        lp.SFS_2014_655_IN_FORCE,
        lp.AMENDMENT_2022_IN_FORCE,
    ]
