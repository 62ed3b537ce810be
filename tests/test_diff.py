"""``betanketid-rules diff``: the 2022 amendment's change set, the diff against the engine itself,
table and directory diffs, and the text, JSON, Markdown and reST outputs."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import point_sets
import pytest
from hypothesis import given
from hypothesis import strategies as st
from point_sets import PointSet, expand, union
from ruamel.yaml import YAML

from betanketid_rules import evaluate
from betanketid_rules._cli import main
from betanketid_rules._tables import Table, default_table_set, load_table_set
from betanketid_rules._tables._columns import CASE_DOMAINS, DERIVED, CaseField
from betanketid_rules._verify.diff import (
    diff_dates,
    diff_table_sets,
    diff_table_versions,
    legal_weight,
    render_diff,
)
from betanketid_rules._verify.regions import Column, Region, cover, relative_cover
from betanketid_rules._verify.report import Comparison, DecisionChange, DiffReport, Scoped
from betanketid_rules._verify.space import DateClasses, InputSpace

OLD, NEW = dt.date(2022, 7, 31), dt.date(2022, 8, 1)
GRANT_30 = "grant (reflection_period, 30 days)"
FUL = "preliminary_investigation_leader"
BOARD = "social_welfare_board"
VICTIM = ("trafficking", "exploitation")
NO_STANDING = ("police_authority", "the_person", "other")
UTLL = "Utlänningslag (2005:716) 5 kap. 15 §"
#: The permits under 5 kap. 15 § (the neighbouring permits of 15 b, 16 a and 15 d §§ aside).
PERMITS_15 = (
    "reflection_period",
    "reflection_period_extension",
    "evidence_person",
    "evidence_person_extension",
)
NEIGHBOUR_ROUTES = (
    "police_protected_person",
    "police_protected_person_permanent",
    "person_pay_claim",
)

Point = tuple[Any, ...]
Where = dict[str, Any]


def applications_of(report: DiffReport) -> Comparison:
    """A date diff's comparison of the application chain: the first of one per matter (the
    revocation chain's follows it, titled as such)."""
    comparison, *others = report.comparisons
    assert not comparison.title.endswith("(revocation)")
    assert all(other.title.endswith("(revocation)") for other in others)
    return comparison


@pytest.fixture(scope="module")
def amendment() -> DiffReport:
    return diff_dates(default_table_set(), OLD, NEW)


def select(comparison: Comparison, test: Callable[[Where], bool]) -> PointSet:
    return point_sets.select(comparison.columns, test)


def as_point(comparison: Comparison, where: Where) -> Point:
    return tuple(where[column.name] for column in comparison.columns)


def change(comparison: Comparison, before: str, after: str) -> DecisionChange:
    """The change from ``before`` to ``after``: a decision change, or (the decision the same)
    a change of legal basis."""
    changes = [*comparison.decision_changes, *comparison.basis_changes]
    found = [c for c in changes if (c.before.label, c.after.label) == (before, after)]
    assert len(found) == 1, [(c.before.label, c.after.label) for c in changes]
    return found[0]


def holds_at(scoped: Sequence[Scoped[Any]], inside: PointSet) -> dict[str, PointSet]:
    """For each scoped item: the points of the change where it holds."""
    return {
        str(item.item): inside if not item.where else inside & expand(item.where) for item in scoped
    }


# -- the 2022 amendment -------------------------------------------------------------------------


def test_the_space_is_every_combination_of_the_columns_the_chains_read(
    amendment: DiffReport,
) -> None:
    comparison = applications_of(amendment)
    assert comparison.points == len(select(comparison, lambda w: True))
    names = [column.name for column in comparison.columns]
    assert names[:2] == ["applicant", "permit"]
    assert names[-1] == "lodged_before_in_force"
    assert comparison.columns[-1].note == "lodged before 2022-08-01"
    # The remarks table is the same on both dates and feeds nothing: left out, with its columns.
    assert comparison.unchanged_tables == ("utl-5-15-remarks@2006-03-31",)
    assert "eu_citizen" not in names


def test_2022_the_board_gains_the_reflection_period_for_presumed_victims(
    amendment: DiffReport,
) -> None:
    comparison = applications_of(amendment)
    grant = change(comparison, "no_standing", GRANT_30)
    assert grant.after.result == (
        ("outcome", "grant"),
        ("permit_type", "reflection_period"),
        ("permit_days", 30),
        ("permit_min_months", None),
    )
    assert expand(grant.regions) == select(
        comparison,
        lambda w: (
            w["applicant"] == BOARD
            and w["permit"] == "reflection_period"
            and w["presumed_offence"] in VICTIM
            and w["in_sweden"]
            and not w["public_order_objection"]
            and w["needed_for_investigation"]
            and w["wants_reflection_period"]
            and not w["lodged_before_in_force"]
        ),
    )
    assert [str(r) for r in grant.regions] == [
        "applicant=social_welfare_board, permit=reflection_period, in_sweden=true, "
        "presumed_offence∈{trafficking, exploitation}, needed_for_investigation=true, "
        "public_order_objection=false, wants_reflection_period=true, "
        "lodged_before_in_force=false, rest=any"
    ]
    # What the 30 days bring follows the grant (issue 13: UtlF 5 kap. 1 § names only the
    # first paragraph, so no work-permit exemption; no fee from the board, 8 kap. 5 § p. 10).
    effects = "utl-5-15-effects@2022-08-01/"
    assert [s.item for s in grant.rows_after] == [
        "utl-5-15-standing@2022-08-01/5-15-2st-sn",
        "utl-5-15-outcome@2022-08-01/5-15-2st-grant",
        *(
            effects + row
            for row in (
                "work-permit-required",
                "passport-waived",
                "granted-after-entry",
                "no-application-fee",
                "reception-act-excluded",
                "health-care-act-covered",
                "inform-about-15d",
            )
        ),
    ]
    assert [s.item for s in grant.rows_before] == [
        "utl-5-15-standing@2015-01-01/5-15-no-standing",
        "utl-5-15-outcome@2015-01-01/outcome-no-standing",
        "utl-5-15-appeal@2015-01-01/appeal-no-standing",
    ]
    added = {str(s.item) for s in grant.provisions_added}
    assert {"Brottsbalken 4 kap. 1 a §", "Brottsbalken 4 kap. 1 b §"} <= added


def test_2022_the_board_s_other_reflection_cases_each_listed(amendment: DiffReport) -> None:
    """The board's reflection period is decided on the förundersökningsledare's conditions
    (statutes.md, 5 kap. 15 § 2 st.: 1 st. p. 1 and 4, the wish; "utlänningen" of 2 st. is
    the one staying here): refused where one is not met, p. 1 included (brief, settled section,
    Q8: p. 1 applies to the board by the text). An application lodged before 2022-08-01 is for
    review naming Q4 alone (no transitional rule; whether the new standing reaches it is open).
    Other crimes stay without standing (4 st. 2 men.: BrB 4:1 a and 1 b only)."""
    comparison = applications_of(amendment)

    def board_reflection(w: Where) -> bool:
        return bool(w["applicant"] == BOARD and w["permit"] == "reflection_period")

    refuse = change(comparison, "no_standing", "refuse")
    assert expand(refuse.regions) == select(
        comparison,
        lambda w: (
            board_reflection(w)
            and w["presumed_offence"] in VICTIM
            and not w["lodged_before_in_force"]
            and (
                not w["in_sweden"]
                or w["public_order_objection"]
                or not w["wants_reflection_period"]
                or not w["needed_for_investigation"]
            )
        ),
    )
    added = holds_at(refuse.provisions_added, expand(refuse.regions))
    assert added[f"{UTLL} 1 st. 1 p."] == expand(refuse.regions) & select(
        comparison, lambda w: not w["needed_for_investigation"]
    )
    review = change(comparison, "no_standing", "needs_review")
    review_points = expand(review.regions)
    assert review_points == select(
        comparison,
        lambda w: (
            board_reflection(w) and w["presumed_offence"] in VICTIM and w["lodged_before_in_force"]
        ),
    )
    assert {str(q.item): expand(q.where) or review_points for q in review.questions_after} == {
        "Q4": review_points
    }
    stays = change(comparison, "no_standing", "no_standing")
    assert expand(stays.regions) & select(comparison, board_reflection) == select(
        comparison, lambda w: board_reflection(w) and w["presumed_offence"] not in VICTIM
    )
    # Every point of the board's reflection period changes one of these ways.
    assert select(comparison, board_reflection) <= (
        expand(change(comparison, "no_standing", GRANT_30).regions)
        | expand(refuse.regions)
        | review_points
        | expand(stays.regions)
    )


def test_2022_the_board_cannot_ask_for_an_extension(amendment: DiffReport) -> None:
    """4 st. 1 men.: the förundersökningsledare applies for every extension; 2 men.: the board
    only for a permit under 2 st. So a board's extension stays no_standing on any facts."""
    comparison = applications_of(amendment)
    stays = expand(change(comparison, "no_standing", "no_standing").regions)
    board_extensions = select(
        comparison,
        lambda w: w["applicant"] == BOARD and w["permit"].endswith("_extension"),
    )
    assert board_extensions <= stays


def test_2022_nothing_changes_for_the_investigation_leader_but_the_fourth_paragraph(
    amendment: DiffReport,
) -> None:
    """The förundersökningsledare's permits and extensions are decided as under SFS 2007:322
    (statutes.md: 1-3 st. unchanged in substance; 2 st. has no victim condition): on every
    point outcome and permit stay, and the only provision of 5 kap. 15 § that changes is the
    one added, 4 st. 1 men., which now names the applicant. What else changes is what the
    decision brings (issue 13): a refusal's appeal now read in 14 kap. 4 § as worded by SFS
    2022:1015 (1 and 2 men.; the 2007 wording was not read, Q6), and no application fee (UtlF
    8 kap. 5 § p. 10, from when not read, Q10)."""
    comparison = applications_of(amendment)
    leader = select(comparison, lambda w: w["applicant"] == FUL and w["permit"] in PERMITS_15)
    appeal, fee = (
        "Utlänningslag (2005:716) 14 kap. 4 §",
        "Utlänningsförordning (2006:97) 8 kap. 5 §",
    )
    covered = PointSet([])
    for found in [*comparison.decision_changes, *comparison.basis_changes]:
        inside = expand(found.regions) & leader
        if not inside:
            continue
        # A change may hold the leader's points with others' (a police or 15 d § refusal stays
        # a refusal too): what changes is read at the leader's points.
        assert found.before.result == found.after.result, found.before.label
        assert found in comparison.basis_changes  # the legal basis changes, not the decision
        removed = {
            item for item, where in holds_at(found.provisions_removed, inside).items() if where
        }
        added_at = holds_at(found.provisions_added, inside)
        added = {item for item, where in added_at.items() if where}
        assert {p for p in removed | added if p.startswith(UTLL)} == {f"{UTLL} 4 st. 1 men."}
        assert added_at[f"{UTLL} 4 st. 1 men."] == inside
        assert {p for p in removed | added if not p.startswith(UTLL)} <= {
            appeal,
            f"{appeal} 1 men.",
            f"{appeal} 2 men.",
            f"{fee} 10 p.",
        }
        assert added_at[f"{fee} 10 p."] == inside
        before_at = holds_at(found.questions_before, inside)
        after_at = holds_at(found.questions_after, inside)
        assert {item for item, where in before_at.items() if where} <= {"Q6", "Q10"}
        assert {item for item, where in after_at.items() if where} <= {"Q6", "Q10", "Q17"}
        covered |= inside
    assert covered == leader


def test_2022_applicants_without_standing_keep_no_standing_on_a_new_paragraph(
    amendment: DiffReport,
) -> None:
    """Outcome and permit stay for applicants without standing; the tables cite the fourth
    paragraph, which since 2022 says who applies (statutes.md), instead of the first and second,
    which named the förundersökningsledare in the 2007 wording. No open question decides it."""
    comparison = applications_of(amendment)
    stays = change(comparison, "no_standing", "no_standing")
    inside = expand(stays.regions)
    others = select(
        comparison, lambda w: w["applicant"] in NO_STANDING and w["permit"] in PERMITS_15
    )
    assert others <= inside
    for scoped, expected in (
        (stays.provisions_removed, {UTLL, f"{UTLL} 1 st.", f"{UTLL} 2 st."}),
        (stays.provisions_added, {f"{UTLL} 4 st.", f"{UTLL} 4 st. 1 men.", f"{UTLL} 4 st. 2 men."}),
    ):
        holds = holds_at(scoped, inside)
        assert {item for item, where in holds.items() if others <= where} == expected
        assert all(not (others & where) or others <= where for where in holds.values())
    # No open question decides it; the appeal of a no-standing decision names Q6 (issue 13),
    # on both sides.
    assert set(holds_at(stays.questions_after, inside)) <= {"Q6"}
    assert set(holds_at(stays.questions_after, inside)) <= set(
        holds_at(stays.questions_before, inside)
    )


def test_2022_every_point_of_the_amendment_changes_a_cited_provision(
    amendment: DiffReport,
) -> None:
    """Every 2022 decision cites the fourth paragraph, which the 2007 wording did not have, so
    the amendment leaves no citation-only change: each point changes its decision or, the
    decision the same, its legal basis."""
    comparison = applications_of(amendment)
    changes = [*comparison.decision_changes, *comparison.basis_changes]
    decided = union(expand(c.regions) for c in changes)
    assert len(decided) == comparison.points
    for found in comparison.decision_changes:
        assert found.before.result != found.after.result
    for found in comparison.basis_changes:
        assert found.before.result == found.after.result
    assert comparison.citation_changes == []


def test_citation_only_changes_are_listed_after_the_decision_changes(tables_copy: Path) -> None:
    """A citation's source changed in a copy of the tables, with outcome and provision kept, is
    a citation-only change over exactly the points where that row fires."""
    path = tables_copy / "utl-5-15-standing" / "2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    old = "paragraph: 2, wording: UTLL-2022, source: SRC-20, role: context, status: secondary"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("SRC-20", "SRC-25")), encoding="utf-8")
    report = diff_table_sets(default_table_set(), load_table_set(tables_copy))
    (comparison,) = report.comparisons
    assert comparison.decision_changes == []
    listed = comparison.citation_changes
    assert {str(c.provision) for c in listed} == {f"{UTLL} 2 st."}
    assert {c.row_after for c in listed} == {"utl-5-15-standing@2022-08-01/5-15-2st-sn"}
    assert all([(d.source, d.role) for d in c.after] == [("SRC-25", "context")] for c in listed)
    assert union(expand(c.regions) for c in listed) == select(
        comparison,
        lambda w: (
            w["applicant"] == BOARD
            and w["permit"] == "reflection_period"
            and w["presumed_offence"] in VICTIM
            and not w["lodged_before_in_force"]
        ),
    )


SAMPLED = 5_000


def test_the_diff_agrees_with_the_engine_itself(amendment: DiffReport) -> None:
    """On :data:`SAMPLED` seeded random points of the space the public ``evaluate`` decides both
    dates; the point is in a decision change exactly when outcome, permit or cited provisions
    differ, with those labels."""
    comparison = applications_of(amendment)
    changes = [
        (c, expand(c.regions)) for c in [*comparison.decision_changes, *comparison.basis_changes]
    ]
    paths = {path.rsplit(".", 1)[-1]: path for path in CASE_DOMAINS}
    checked = 0
    for where in point_sets.sample(comparison.columns, SAMPLED, seed=20220801):
        case: dict[str, Any] = {"person": {}, "facts": {}}
        for name, value in where.items():
            if name == "lodged_before_in_force":
                if value:
                    case["application_date"] = OLD.isoformat()
                continue
            parts = paths[name].split(".")
            target = case if len(parts) == 1 else case[parts[0]]
            target[parts[-1]] = value
        if case["person"].get("relation") == "accompanying_child":
            case["person"]["is_child"] = True
        before = evaluate({**case, "decision_date": OLD.isoformat()})
        after = evaluate({**case, "decision_date": NEW.isoformat()})

        def provisions(decision: Any) -> set[tuple[Any, ...]]:
            """The provisions cited for the decision and for what it brings (its effects, as
            the diff compares them)."""
            cited = [*decision.legal_basis, *(c for e in decision.effects for c in e.citations)]
            return {
                (c.act, c.chapter, c.section, c.paragraph, c.point)
                for c in cited
                if c.act is not None
            }

        differs = (before.outcome, before.permit) != (after.outcome, after.permit) or provisions(
            before
        ) != provisions(after)
        point = as_point(comparison, where)
        holding = [c for c, points in changes if point in points]
        assert len(holding) <= 1, where
        found = holding[0] if holding else None
        assert (found is not None) == differs, where
        decision_differs = (before.outcome, before.permit) != (after.outcome, after.permit)
        assert (found in comparison.decision_changes) == decision_differs, where
        if found is not None:
            assert found.before.result[0] == ("outcome", before.outcome)
            assert found.after.result[0] == ("outcome", after.outcome)
        checked += 1
    assert checked == SAMPLED


def test_dates_under_the_same_tables_do_not_differ(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "2016-01-01", "2020-01-01", "--exit-code"]) == 0
    assert "no table differs" in capsys.readouterr().out


# -- tables -------------------------------------------------------------------------------------


def test_two_versions_of_a_table_compare_their_own_outputs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(
            [
                "diff",
                "utl-5-15-standing@2007-07-01",
                "utl-5-15-standing@2022-08-01",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "tables"
    (comparison,) = data["comparisons"]
    first = next(
        c
        for c in comparison["decision_changes"]
        if c["after"]["result"]["route"] == "board_reflection"
    )
    assert first["before"]["result"] == {"route": "none"}
    assert first["after"]["result"] == {"route": "board_reflection"}
    assert [region["where"] for region in first["regions"]] == [
        {
            "applicant": BOARD,
            "permit": "reflection_period",
            "presumed_offence": list(VICTIM),
            "lodged_before_in_force": False,
        }
    ]
    assert first["points"] == 6  # 3 relations x 2 offences


def test_a_table_diff_marks_inputs_one_version_never_receives() -> None:
    """The 2007 standing table never routes to the board, to an open question or to a
    neighbouring permit (5 kap. 15 b, 16 a and 15 d §§ came in 2010 and 2013), and the 2007
    conditions never leave one open: those inputs of the 2022 outcome table are new. Its column
    for the neighbouring permits' conditions is one the 2007 table does not read."""
    report = diff_table_versions(
        default_table_set(), "utl-5-15-outcome@2007-07-01", "utl-5-15-outcome@2022-08-01"
    )
    (comparison,) = report.comparisons
    assert [column.name for column in comparison.columns] == ["route", "effect", "neighbour_effect"]
    unreachable = union(
        expand(c.regions)
        for c in comparison.decision_changes
        if c.before.label == "not reachable (utl-5-15-outcome@2007-07-01 never receives "
        "these inputs)"
    )
    new_routes = ("board_reflection", "open", *NEIGHBOUR_ROUTES)
    assert unreachable == select(
        comparison, lambda w: w["route"] in new_routes or w["effect"] == "open"
    )


# -- directories --------------------------------------------------------------------------------


SPECIAL_REASONS = (
    "    when: {route: fu_reflection_extension, special_reasons_longer_reflection: false}\n"
    "    then: {effect: unmet}"
)
MAY_EXTEND = "may_grant (reflection_period)"


def test_a_directory_diff_finds_the_one_row_changed(
    tables_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tables_copy / "utl-5-15-conditions" / "2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(SPECIAL_REASONS) == 1
    path.write_text(text.replace(SPECIAL_REASONS, SPECIAL_REASONS.replace("unmet", "met")))
    shipped = str(Path(default_table_set().directory))

    assert main(["diff", shipped, str(tables_copy), "--format", "json", "--exit-code"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "directories"
    assert data["files"] == ["changed utl-5-15-conditions@2022-08-01"]
    (comparison,) = data["comparisons"]
    assert comparison["title"] == "from 2022-08-01"
    assert comparison["citation_changes"] == []
    (only,) = comparison["decision_changes"]
    assert (only["before"]["label"], only["after"]["label"]) == ("refuse", MAY_EXTEND)
    assert [region["where"] for region in only["regions"]] == [
        {
            "applicant": FUL,
            "permit": "reflection_period_extension",
            "needed_for_investigation": True,
            "public_order_objection": False,
            "special_reasons_longer_reflection": False,
        }
    ]
    assert [row["item"] for row in only["rows_after"]] == [
        "utl-5-15-conditions@2022-08-01/5-15-3st-special-reasons",
        "utl-5-15-outcome@2022-08-01/5-15-3st-2-extend",
    ]

    report = diff_table_sets(default_table_set(), load_table_set(tables_copy))
    assert json.loads(render_diff(report, "json"))["comparisons"] == data["comparisons"]
    markdown = render_diff(report, "markdown")
    assert markdown.startswith(f"## Rule changes: `{shipped}` → `{tables_copy}`\n")
    assert "- changed utl-5-15-conditions@2022-08-01\n" in markdown
    assert "### from 2022-08-01\n" in markdown
    assert (
        "| # | before | after | combinations | where | cited provisions | open questions |"
        in markdown
    )
    assert (
        f"| 1 | refuse | {MAY_EXTEND} | {only['points']} | "
        "`applicant=preliminary_investigation_leader, permit=reflection_period_extension, "
        "needed_for_investigation=true" in markdown
    )
    assert "Citation changes" not in markdown
    # Where the row fires with the decision unchanged (another condition unmet), it is listed
    # as a row whose outputs changed, not as a decision change.
    (rewritten,) = comparison["row_changes"]
    assert rewritten["row_before"].endswith("/5-15-3st-special-reasons")
    assert rewritten["what"] == ["then"]

    out = render_diff(report, "text")
    assert f"  1. refuse → {MAY_EXTEND}  (" in out
    assert (
        out.rstrip()
        .splitlines()[-1]
        .startswith(
            "diff: 1 decision change, 0 changes of legal basis, 1 change of text or status in 1 "
            "comparison, "
        )
    )


def test_identical_directories_do_not_differ(tables_copy: Path) -> None:
    report = diff_table_sets(default_table_set(), load_table_set(tables_copy))
    assert report.comparisons == []
    assert report.files == []
    assert not report.changed


# -- outputs ------------------------------------------------------------------------------------


def test_json_and_markdown_of_the_2022_diff(
    amendment: DiffReport, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "2022-07-31", "2022-08-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    comparison, revocation = data["comparisons"]
    assert revocation["title"] == "2022-07-31 → 2022-08-01 (revocation)"
    assert comparison["changed_points"] == sum(c["points"] for c in comparison["decision_changes"])
    grant = next(
        c
        for c in comparison["decision_changes"]
        if (c["before"]["label"], c["after"]["label"]) == ("no_standing", GRANT_30)
    )
    assert grant["after"]["result"]["permit_days"] == 30
    assert all(set(r) == {"where", "text", "points"} for r in grant["regions"])
    assert comparison["citation_changes"] == []  # every point cites the fourth paragraph anew

    assert data["comparisons"] == amendment.to_json()["comparisons"]
    markdown = render_diff(amendment, "markdown")
    assert markdown.startswith("## Rule changes: `2022-07-31` → `2022-08-01`\n")
    assert f"| no_standing | {GRANT_30} | {grant['points']} | `" in markdown
    assert "Citation-only changes" not in markdown


def test_rst_for_the_documentation(amendment: DiffReport) -> None:
    rst = render_diff(amendment, "rst")
    title = "Rule changes: 2022-07-31 → 2022-08-01"
    assert rst.startswith(f"{title}\n{'=' * len(title)}\n")
    assert f"**no_standing → {GRANT_30}**" in rst
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render_diff(amendment, "html")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2022-07-31", "utl-5-15-standing@2022-08-01"], "must both be tables"),
        (["utl-5-15-standing@1999-01-01", "utl-5-15-standing@2022-08-01"], "no such version"),
        (["nope@2022-08-01", "utl-5-15-standing@2022-08-01"], "no table family 'nope'"),
        (["yesterday", "today"], "must be two tables"),
        (
            ["utl-5-15-standing@2022-08-01", "utl-5-15-outcome@2022-08-01"],
            "are tables of different families",
        ),
    ],
)
def test_arguments_that_do_not_fit_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_table_at_a_date_is_the_version_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "utl-5-15-standing@2016-01-01", "utl-5-15-standing@2022-08-01"]) == 0
    assert capsys.readouterr().out.startswith(
        "diff utl-5-15-standing@2015-01-01 → utl-5-15-standing@2022-08-01\n"
    )


# -- regions ------------------------------------------------------------------------------------

COLUMNS = (Column("a", (0, 1, 2)), Column("b", (False, True)), Column("c", ("x", "y", "z")))
ALL = list(itertools.product(range(3), range(2), range(3)))


def _indices(region: Region) -> set[Point]:
    positions = [
        [column.domain.index(v) for v in values]
        for column, values in zip(COLUMNS, region.values, strict=True)
    ]
    return set(itertools.product(*positions))


@given(st.sets(st.sampled_from(ALL)))
def test_cover_is_exact_and_disjoint(points: set[Point]) -> None:
    regions = cover(COLUMNS, points)
    seen: set[Point] = set()
    for region in regions:
        inside = _indices(region)
        assert not seen & inside
        seen |= inside
    assert seen == points
    assert sum(region.points for region in regions) == len(points)


@given(st.sets(st.sampled_from(ALL)), st.sets(st.sampled_from(ALL)))
def test_relative_cover_is_exact_within(points: set[Point], extra: set[Point]) -> None:
    within = points | extra
    regions = relative_cover(COLUMNS, points, within)
    inside: set[Point] = set()
    for region in regions:
        inside |= _indices(region)
    assert inside & within == points


# -- continuous integration ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.org", "-c", "user.name=ci", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _run_ci(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The example with its default OUT, under a TMPDIR of the test's own."""
    script = ROOT / "examples" / "ci" / "check-tables.sh"
    tmp = repo.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    base = {k: v for k, v in os.environ.items() if k not in ("RUNNER_TEMP", "OUT")}
    return subprocess.run(
        ["bash", str(script), "rules"],
        cwd=repo,
        env={
            **base,
            "TMPDIR": str(tmp),
            "BETANKETID_RULES": f"{sys.executable} -m betanketid_rules",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_ci_example_checks_then_diffs_against_the_last_release(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(default_table_set().directory, repo / "rules")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "release")
    _git(repo, "tag", "v1")
    path = repo / "rules" / "utl-5-15-conditions" / "2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(SPECIAL_REASONS, SPECIAL_REASONS.replace("unmet", "met")))

    done = _run_ci(repo)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "tmp" / "betanketid-ci"  # outside the checkout
    assert "0 findings" in (out / "check.txt").read_text()
    markdown = (out / "diff.md").read_text()
    assert markdown.startswith("## Rule changes: `v1` → `")
    assert f"| 1 | refuse | {MAY_EXTEND} |" in markdown
    assert json.loads((out / "diff.json").read_text())["old"] == "v1"
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert status == [" M rules/utl-5-15-conditions/2022-08-01.yaml"]  # nothing written here
    assert done.stdout.count(f"| 1 | refuse | {MAY_EXTEND} |") == 1

    assert _run_ci(repo, FAIL_ON_CHANGE="1").returncode == 1

    path.write_text(text + "unclosed: [\n")
    broken = _run_ci(repo)
    assert broken.returncode == 1
    assert "check failed (exit 1)" in broken.stderr
    assert "YAML syntax" in broken.stdout


def test_the_pre_commit_hook_runs_check_on_the_tables() -> None:
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "betanketid-rules-check"
    program, command = hook["entry"].split()
    assert program == "betanketid-rules"
    assert hook["pass_filenames"] is False
    assert main([command, *(str(ROOT / arg) for arg in hook["args"])]) == 0


def test_application_dates_fall_into_classes_between_the_tables_start_dates() -> None:
    lodged = DateClasses(
        DERIVED["lodged_before_in_force"], (dt.date(2007, 7, 1), dt.date(2022, 8, 1))
    )
    assert lodged.domain == (False, "before 2007-07-01", "2007-07-01 to 2022-07-31")
    assert [lodged.application_date(v, None) for v in lodged.domain] == [
        None,
        dt.date(2007, 6, 30),
        dt.date(2022, 7, 31),
    ]
    # never after the decision date, and still before every start date the class is before
    assert lodged.application_date("2007-07-01 to 2022-07-31", dt.date(2010, 1, 1)) == dt.date(
        2010, 1, 1
    )
    space = InputSpace.of_case_paths([CaseField("applicant")], lodged)
    standing = default_table_set().table("utl-5-15-standing@2022-08-01")
    assert space.derived_values(standing, None) == {
        False: False,
        "before 2007-07-01": True,
        "2007-07-01 to 2022-07-31": True,
    }
    earlier = Table(
        standing.spec.model_copy(update={"in_force_from": dt.date(2007, 7, 1)}),
        standing.path,
        standing.sha256,
        standing.domains,
    )
    assert space.derived_values(earlier, None) == {
        False: False,
        "before 2007-07-01": True,
        "2007-07-01 to 2022-07-31": False,
    }


# -- three kinds of change, the weightiest first, and a summary in words ------------------------

GRANT_ROW_NOTE = "för betänketid ska ges (andra stycket)."


def _edited_grant_row(tables_copy: Path, old: str, new: str) -> DiffReport:
    path = tables_copy / "utl-5-15-outcome" / "2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return diff_table_sets(default_table_set(), load_table_set(tables_copy))


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        (
            "then: {outcome: grant, permit_type: reflection_period, permit_days: 30, "
            "permit_min_months: null}\n    status: confirmed",
            "then: {outcome: grant, permit_type: reflection_period, permit_days: 30, "
            "permit_min_months: null}\n    status: inferred",
            "status: confirmed → inferred",
        ),
        (GRANT_ROW_NOTE, GRANT_ROW_NOTE.replace("ska ges", "får ges"), "note (sv)"),
    ],
    ids=["status", "note"],
)
def test_a_change_of_status_or_note_is_a_change_that_fails_exit_code(
    tables_copy: Path, old: str, new: str, what: str
) -> None:
    """Seen: a row's status confirmed → inferred, or its Swedish note "ska ges" → "får ges"
    (text every decision's explanation shows), gave no change and exit 0 with --exit-code."""
    report = _edited_grant_row(tables_copy, old, new)
    assert report.changed
    (comparison,) = report.comparisons
    assert comparison.decision_changes == comparison.basis_changes == []
    (row,) = comparison.row_changes
    assert row.row_after == "utl-5-15-outcome@2022-08-01/5-15-2st-grant"
    assert row.what == (what,)
    granted = select(
        comparison,
        lambda w: w["permit"] == "reflection_period" and w["wants_reflection_period"],
    )
    assert expand(row.regions) <= granted
    code = main(["diff", str(default_table_set().directory), str(tables_copy), "--exit-code"])
    assert code == 1


def test_an_open_question_added_is_a_change_of_legal_basis(tables_copy: Path) -> None:
    old = "then: {outcome: grant, permit_type: reflection_period, permit_days: 30, "
    old += "permit_min_months: null}\n    status: confirmed"
    report = _edited_grant_row(tables_copy, old, old + "\n    open_questions: [Q8]")
    (comparison,) = report.comparisons
    assert comparison.decision_changes == []
    (basis,) = comparison.basis_changes
    assert [str(q.item) for q in basis.questions_after] == ["Q8"]


def test_decision_changes_come_weightiest_first(amendment: DiffReport) -> None:
    """2022: that the board's reflection period can now be granted comes first, before the
    other outcome changes; a change of permit length only would come after them."""
    comparison = applications_of(amendment)
    weights = [legal_weight(change) for change in comparison.decision_changes]
    assert weights == sorted(weights)
    first = comparison.decision_changes[0]
    assert (first.before.label, first.after.label) == ("no_standing", GRANT_30)


def test_the_summary_speaks_each_language_in_words(amendment: DiffReport) -> None:
    text = render_diff(amendment, "text")
    sv = text[text.index("Sammanfattning:") : text.index("Summary:")]
    en = text[text.index("Summary:") : text.index("Decision changes")]
    assert "ingen rätt att ansöka" in sv and "blir ska beviljas" in sv
    assert "sökande: socialnämnden" in sv
    assert "no standing" in en and "becomes shall be granted" in en
    assert "applicant: the social welfare board" in en
    for summary in (sv, en):
        assert "_" not in summary and "=" not in summary, summary  # no identifiers
        assert "point" not in summary
    assert json.loads(render_diff(amendment, "json"))["summary"]["sv"][0] == "Sammanfattning:"


def test_a_table_diff_names_its_internal_outputs_in_words() -> None:
    """Seen: the two-table form spoke in internal outputs (route=none →
    route=board_reflection); its summary now says them in words, in each language."""
    report = diff_table_versions(
        default_table_set(), "utl-5-15-standing@2007-07-01", "utl-5-15-standing@2022-08-01"
    )
    text = render_diff(report, "text")
    summary = text[text.index("Sammanfattning:") : text.index("Decision changes")]
    assert "ingen väg att ansöka blir socialnämnden ansöker om betänketid" in summary
    assert "no route to apply becomes the social welfare board applies for a reflection" in summary
    assert "board_reflection" not in summary and "route=" not in summary
