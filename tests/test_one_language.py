"""Every text output speaks one language: none of the other language's vocabulary leaks in.

The text of every scenario's decision and decision record, and of an assessment of each
scenario with its facts left out, is rendered in Swedish and in English. Neither may contain a
label of the other language from the vocabulary (``tables/vocabulary.yaml``: values, yes/no,
outcomes, permits, statuses and their meanings, roles, acts) or an open question's text in the
other language, apart from the Swedish terms of art the vocabulary lists for English text.
Identifiers (rule ids, table names, field paths) are not words of either language and are
left out of the comparison.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from scenarios_lib import SCENARIO_DIR, load_scenarios

from betanketid_rules import assess, evaluate_record
from betanketid_rules._messages import MESSAGES
from betanketid_rules._render import render_assessment
from betanketid_rules._tables import default_table_set
from betanketid_rules._tables._format import Bilingual, Vocabulary

SCENARIOS = load_scenarios(SCENARIO_DIR)
TABLE_SET = default_table_set()
VOCABULARY = TABLE_SET.vocabulary
assert VOCABULARY is not None


def _bilinguals(vocabulary: Vocabulary) -> Iterator[Bilingual]:
    for labels in vocabulary.values.values():
        yield from labels.values()
    yield from vocabulary.booleans.values()
    yield from vocabulary.outcomes.values()
    yield from vocabulary.permit_types.values()
    for status in vocabulary.statuses.values():
        yield status.label
        yield status.meaning
    yield from vocabulary.roles.values()
    yield from vocabulary.acts.values()
    for question in TABLE_SET.questions.values():
        yield question.question


def _words(lang: str) -> set[str]:
    """The labels of ``lang`` that the other language does not share."""
    other = "en" if lang == "sv" else "sv"
    found = set()
    for text in _bilinguals(VOCABULARY):
        mine, theirs = getattr(text, lang), getattr(text, other)
        if mine != theirs and mine.casefold() not in theirs.casefold():
            found.add(mine)
    if lang == "sv":  # English text may keep these Swedish terms of art
        found -= set(VOCABULARY.terms_of_art)
    return found


FOREIGN = {"en": _words("sv"), "sv": _words("en")}
IDENTIFIER = re.compile(r"\S*[._@/=]\S*|\bQ[0-9A-Z-]+\b|\b[A-Z]+-[A-Z0-9-]+\b")


def _leaks(text: str, lang: str) -> list[str]:
    words = IDENTIFIER.sub(" ", text)
    return sorted(
        label
        for label in FOREIGN[lang]
        if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", words, flags=re.IGNORECASE)
    )


def _partial(case: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in case.items() if key not in ("facts", "person")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_decision_or_record_text_speaks_the_other_language(lang: str) -> None:
    leaks = {}
    for scenario in SCENARIOS:
        record = evaluate_record(scenario.case)
        for text in (record.decision.text(lang), record.text(lang)):  # type: ignore[arg-type]
            found = _leaks(text, lang)
            if found:
                leaks[scenario.id] = found
    assert not leaks, leaks


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_assessment_text_speaks_the_other_language(lang: str) -> None:
    leaks = {}
    applications = [s for s in SCENARIOS if s.case_model.matter == "application"]
    for scenario in applications[::7]:  # an assessment is of an application
        assessment = assess(_partial(scenario.case))
        text = render_assessment(assessment, lang, TABLE_SET.catalogue)  # type: ignore[arg-type]
        found = _leaks(text, lang)
        if found:
            leaks[scenario.id] = found
    assert not leaks, leaks


def test_the_comparison_would_see_a_leak() -> None:
    """The check itself: an English status word in Swedish text is found, a term of art in
    English text is not."""
    assert _leaks("Rättslig grund: 5 kap. 15 § [confirmed, UTLL-CONS]", "sv") == ["confirmed"]
    assert _leaks("the social welfare board (socialnämnden) applies", "en") == []
    assert _leaks("Outcome: ska beviljas", "en") == ["ska beviljas"]


# -- errors, in the language asked for -------------------------------------------------------

BAD_CASES = [
    {"decision_date": "2023-13-15", "applicant": "the_person", "permit": "reflection_period"},
    {"decision_date": "2023-03-15", "applicant": "socialnamnd", "permit": "reflection_period"},
    {"decision_date": "2023-03-15", "applicant": "the_person"},
    {"decision_date": "2023-03-15T10:00", "applicant": "the_person", "permit": "evidence_person"},
    {"decision_date": "1999-01-01", "applicant": "the_person", "permit": "evidence_person"},
    {
        "decision_date": "2023-03-15",
        "application_date": "2024-01-01",
        "applicant": "the_person",
        "permit": "evidence_person",
        "person": {"relation": "accompanying_child", "in_swedn": True},
        "facts": {"ties_broken": "yes"},
        "reference": "",
    },
]


COMMAND = [sys.executable, "-m", "betanketid_rules", "evaluate", "--format", "text"]


@pytest.mark.parametrize("case", BAD_CASES, ids=range(len(BAD_CASES)))
def test_a_cli_error_speaks_the_language_asked_for(case: dict[str, Any]) -> None:
    """Seen: CLI errors were English whatever --lang said. With --lang sv every problem is
    said in Swedish (no English message of pydantic or of the library's own), with --lang en
    in English; each line still names the field."""
    english = {text["en"].split("{")[0].strip() for text in MESSAGES.values()} - {""}
    for lang in ("sv", "en"):
        done = subprocess.run(
            [*COMMAND, "--lang", lang],
            input=json.dumps(case),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2
        (line,) = done.stderr.splitlines()
        assert line.startswith("betanketid-rules: ")
        if lang == "sv":
            leaked = [text for text in english if text and text in line]
            assert not leaked, (line, leaked)
            assert "Input should" not in line and "Field required" not in line


def test_every_message_exists_in_both_languages() -> None:
    for code, texts in MESSAGES.items():
        assert set(texts) == {"sv", "en"}, code
        assert texts["sv"] != texts["en"] or code == "", code
        fields = set(re.findall(r"{(\w+)}", texts["en"]))
        assert fields == set(re.findall(r"{(\w+)}", texts["sv"])), code


def test_swedish_text_reads_as_swedish_legal_text() -> None:
    """Seen with --lang sv: a doubled word ("lydelse 2022 års lydelse"), "beviljas (ska
    beviljas)", the title form "Utlänningslag (2005:716)" inside a sentence, and open
    questions only in English. Each scenario's Swedish text is now free of them."""
    doubled = re.compile(r"(?<![\w.])(\w{3,}) \1(?!\w)", flags=re.IGNORECASE)
    for scenario in SCENARIOS:
        decision = evaluate_record(scenario.case).decision
        text = decision.text("sv")
        assert not doubled.search(IDENTIFIER.sub(" ", text)), (scenario.id, text)
        assert "beviljas (ska beviljas)" not in text
        assert "Utlänningslag (2005:716)" not in text
        for question in decision.open_questions:
            assert TABLE_SET.questions[question].question.sv in text, (scenario.id, question)
