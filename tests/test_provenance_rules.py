"""check's rules on where a citation was read and on the rows resting on an open question
(``_tables/_provenance.py``, ``_tables/_resting.py``), each planted once in a copy of the
shipped tables: issue 19's realistic mistakes that passed the suite and a clean check."""

from __future__ import annotations

from pathlib import Path

import pytest

from betanketid_rules._verify.check import check_tables

STANDING_2022 = "utl-5-15-standing/2022-08-01.yaml"
BOARD_2ND_PARAGRAPH = (
    "  - id: 5-15-2st-sn\n    when: {applicant: social_welfare_board, permit: reflection_period, "
    "presumed_offence: [trafficking, exploitation], lodged_before_in_force: false}\n"
    "    then: {route: board_reflection}\n    status: confirmed\n    citations:\n"
    '      - {act: UTLL, chapter: 5, section: "15", paragraph: 2, wording: UTLL-2022, '
    "source: UTLL-CONS,"
)


def _plant(tables: Path, old: str, new: str) -> None:
    path = tables / STANDING_2022
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "kind", "message"),
    [
        pytest.param(
            '{source: SRC-09, pages: "119", status: secondary}',
            '{source: SRC-09, pages: "120", status: secondary}',
            "citation",
            "SRC-09 p. 120 is not a page REPORT-2024 is recorded to cite (p. 119, p. 93",
            id="preparatory-works-page-moved",
        ),
        pytest.param(
            BOARD_2ND_PARAGRAPH,
            BOARD_2ND_PARAGRAPH.replace("source: UTLL-CONS,", "source: SRC-02,"),
            "citation",
            "read in SRC-02, an amending act, which holds only its own wording, not the wording "
            "UTLL-2022 cited",
            id="board-citation-read-in-another-act",
        ),
        pytest.param(
            "preparatory_works: [{source: SRC-09, status: secondary}]",
            "preparatory_works: [{source: SRC-05, status: secondary}]",
            "citation",
            "UTLL-2022's register entry names prop. 2021/22:224, but SRC-05 is another bill",
            id="another-wordings-bill",
        ),
        pytest.param(
            "    then: {route: board_reflection}\n    status: confirmed\n",
            "    then: {route: board_reflection}\n    status: confirmed\n"
            "    open_questions: [Q4]\n",
            "open_question",
            "row 5-15-2st-sn rests on open question Q4 but is confirmed",
            id="open-question-on-a-confirmed-row",
        ),
        pytest.param(
            "    open_questions: [Q4]\n",
            "    open_questions: [Q4, Q-V1]\n",
            "open_question",
            "row 5-15-sn-transitional rests on open question Q-V1 but cites none of the sources "
            "it is about (SRC-03)",
            id="open-question-the-row-does-not-touch",
        ),
    ],
)
def test_a_planted_mistake_is_a_finding(
    tables_copy: Path, old: str, new: str, kind: str, message: str
) -> None:
    assert check_tables(tables_copy, engines=False).findings == []
    _plant(tables_copy, old, new)
    findings = check_tables(tables_copy, engines=False).findings
    assert [f.kind for f in findings] == [kind], [str(f) for f in findings]
    assert message in findings[0].message
    assert findings[0].table == "utl-5-15-standing@2022-08-01"


def test_a_wording_read_in_a_consolidated_text_that_amended_it_since_is_a_finding(
    tables_copy: Path,
) -> None:
    """The consolidated text (through SFS 2025:1292) holds 5 kap. 15 § as SFS 2022:1015 left
    it (the register entry of SFS 2022:1015 names the section), not the 2007 wording."""
    path = tables_copy / "utl-5-15-standing/2007-07-01.yaml"
    old = "paragraph: 2, wording: SRC-02, source: SRC-02, role: basis, status: confirmed}"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, old.replace("source: SRC-02", "source: UTLL-CONS"), 1))
    findings = check_tables(tables_copy, engines=False).findings
    assert [f.kind for f in findings] == ["citation"], [str(f) for f in findings]
    assert (
        "read in UTLL-CONS, which holds 5 kap. 15 § as amended by UTLL-2022 (SFS 2022:1015), "
        "not in the wording SRC-02" in findings[0].message
    )


def test_an_amending_wording_no_entry_says_touched_the_provision_is_a_finding(
    tables_copy: Path,
) -> None:
    """SFS 2007:320 amended the Aliens Ordinance's 2 kap. 1 § (its print was read), but no
    register entry read in the consolidated ordinance says so, and today's text of the section
    refers to provisions added later: that wording cannot have been read there."""
    path = tables_copy / "utl-5-15-effects/2007-07-01.yaml"
    old = 'section: "1", wording: SRC-29, source: SRC-29'
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, old.replace("source: SRC-29", "source: UTLF-CONS")))
    findings = check_tables(tables_copy, engines=False).findings
    assert findings, "no finding"
    assert {f.kind for f in findings} == {"citation"}, [str(f) for f in findings]
    assert all(
        "read in UTLF-CONS, a consolidated text, but no register entry read there says SRC-29 "
        "amended" in f.message
        for f in findings
    )


def test_a_provision_of_the_aliens_act_read_in_the_ordinance_s_text_is_a_finding(
    tables_copy: Path,
) -> None:
    """The consolidated Aliens Ordinance holds the ordinance, not the Aliens Act."""
    path = tables_copy / STANDING_2022
    text = path.read_text(encoding="utf-8")
    text = text.replace(BOARD_2ND_PARAGRAPH, BOARD_2ND_PARAGRAPH.replace("UTLL-CONS", "UTLF-CONS"))
    path.write_text(text, encoding="utf-8")
    findings = check_tables(tables_copy, engines=False).findings
    assert [f.kind for f in findings] == ["citation"], [str(f) for f in findings]
    assert "read in UTLF-CONS, the text of another act than UTLL" in findings[0].message
