"""The question catalogue (``tables/questions.yaml``): a question, in both languages, for every
case field a table reads, checked by ``check`` like the rest of the tables (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

from support import plant

from betanketid_rules._tables import default_table_set
from betanketid_rules._verify.check import check_tables

CATALOGUE = Path("questions.yaml")


def test_every_field_an_assessment_can_ask_has_its_question_in_both_languages() -> None:
    table_set = default_table_set()
    assert table_set.catalogue
    for path, question in table_set.catalogue.items():
        assert question.field == path
        assert question.question.sv.endswith("?") and question.question.en.endswith("?")
        assert question.help.sv and question.help.en


def test_a_help_text_that_names_a_provision_cites_it() -> None:
    """A help text that names a paragraph or a section of the law carries the citation."""
    for question in default_table_set().catalogue.values():
        names_law = any(word in question.help.sv for word in ("stycket", "§"))
        assert bool(question.citations) == names_law, question.field


def _load_findings(tables: Path) -> list[str]:
    report = check_tables(tables, engines=False)
    return [f"{f.file}:{f.line}: [{f.kind}] {f.message}" for f in report.findings]


def test_a_read_field_without_a_question_is_a_finding(tables_copy: Path) -> None:
    line = plant(
        tables_copy,
        CATALOGUE,
        "  - field: facts.ties_broken\n",
        "  - field: facts.ties_broken_typo\n",
    )
    found = _load_findings(tables_copy)
    path = tables_copy / CATALOGUE
    assert (
        f"{path}:{line}: [load] 'facts.ties_broken_typo' is not a finite field of the case" in found
    )
    assert any(
        "no question for case.facts.ties_broken, which utl-5-15-conditions@" in f for f in found
    ), found


def test_a_second_question_for_a_field_and_an_unknown_source_are_findings(
    tables_copy: Path,
) -> None:
    plant(tables_copy, CATALOGUE, "  - field: permit\n", "  - field: applicant\n")
    plant(
        tables_copy,
        CATALOGUE,
        '{act: UTLL, chapter: 5, section: "15", paragraph: 1, point: 4, wording: UTLL-2022, '
        "source: UTLL-CONS",
        '{act: UTLL, chapter: 5, section: "15", paragraph: 1, point: 4, wording: UTLL-2022, '
        "source: NOWHERE",
    )
    found = " | ".join(_load_findings(tables_copy))
    assert "a second question for applicant" in found
    assert "no question for case.permit" in found
    assert "[citation] citation source 'NOWHERE' is not a known source" in found


def test_a_question_missing_a_language_is_a_finding(tables_copy: Path) -> None:
    plant(tables_copy, CATALOGUE, "      en: Is the person under 18?\n", "")
    found = " | ".join(_load_findings(tables_copy))
    assert "questions.3.question.en: Field required" in found


VOCABULARY = Path("vocabulary.yaml")


def test_every_answer_a_field_offers_has_a_label_in_both_languages() -> None:
    vocabulary = default_table_set().vocabulary
    assert vocabulary is not None
    for lang in ("sv", "en"):
        assert vocabulary.label("facts.presumed_offence", "exploitation", lang)
        assert vocabulary.label("person.in_sweden", True, lang) in ("ja", "yes")


def test_a_value_without_a_label_or_a_label_for_no_value_is_a_finding(tables_copy: Path) -> None:
    plant(
        tables_copy,
        VOCABULARY,
        "    other_crime: {sv: ett annat brott, en: another crime}\n",
        "    other_crimes: {sv: ett annat brott, en: another crime}\n",
    )
    found = " | ".join(_load_findings(tables_copy))
    assert "no label for facts.presumed_offence = other_crime" in found
    assert "facts.presumed_offence = other_crimes is not a value of the case" in found


ORDINALS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4}


def test_the_paragraphs_a_help_text_names_are_the_ones_it_cites() -> None:
    """A help text's own words and its citations of 5 kap. 15 § agree: the paragraphs (and
    the point, "första stycket 4") it names in Swedish are exactly the ones cited as basis."""
    for question in default_table_set().catalogue.values():
        text = question.help.sv.lower()
        named = set()
        for word, paragraph in ORDINALS.items():
            for found in re.finditer(rf"\b{word} stycket(?: (\d))?", text):
                named.add((paragraph, int(found[1]) if found[1] else None))
        cited = {
            (c.paragraph, c.point)
            for c in question.citations
            if (c.act, c.chapter, c.section, c.role) == ("UTLL", 5, "15", "basis")
        }
        assert named == cited, question.field
