"""Open questions and the rows resting on them: the consistency rule, stated once.

A row names the open questions it rests on; a source may name the one question that says what
is not known about it. Every question named must exist; an open question must be named by some
row or source (else it is dead weight: drop it or cite it); a settled question is a record, and
nothing may rest on it. ``check`` reports these; the tests and the docs use the same function.

>>> from betanketid_rules._tables import default_table_set
>>> question_problems(default_table_set())
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._load import QUESTIONS_FILE, SOURCES_FILE
from ._tableset import TableSet


@dataclass(frozen=True)
class QuestionProblem:
    """One way the questions and what rests on them disagree."""

    #: ``settled_in_use``: something rests on a settled question; ``unused``: an open question
    #: nothing names; ``unknown``: a source names a question that does not exist;
    #: ``unnamed``: a row opens a question (an output the vocabulary marks as open, not
    #: inherited from an open input) without naming it.
    code: Literal["settled_in_use", "unused", "unknown", "unnamed"]
    message: str
    #: The question's id, where it is in ``open-questions.yaml``.
    question: str | None = None
    #: ``family@version`` and row id of the row concerned, if a row is.
    table: str | None = None
    row: str | None = None
    #: The file the problem is in (``open-questions.yaml`` or ``sources.yaml``).
    file: str = QUESTIONS_FILE


def question_problems(table_set: TableSet) -> list[QuestionProblem]:
    """Every problem between the questions, the rows and the sources of ``table_set``.

    (A row naming an unknown question is the loader's problem: such a table does not load.)
    """
    problems: list[QuestionProblem] = []
    for question in table_set.questions.values():
        rows = table_set.rows_resting_on(question.id)
        sources = table_set.sources_naming(question.id)
        if question.state == "settled":
            for reference in rows:
                table, _, row = reference.partition("/")
                message = f"row {row} rests on question {question.id}, which is settled"
                problems.append(QuestionProblem("settled_in_use", message, question.id, table, row))
            for source_id in sources:
                message = f"source {source_id} names question {question.id}, which is settled"
                problems.append(
                    QuestionProblem("settled_in_use", message, question.id, file=SOURCES_FILE)
                )
        elif not rows and not sources:
            message = f"open question {question.id} is named by no row and no source"
            problems.append(QuestionProblem("unused", message, question.id))
    problems += _unnamed(table_set)
    for source in table_set.sources.values():
        named = source.open_question
        if named is not None and named not in table_set.questions:
            message = (
                f"source {source.id} names open question {named}, which is not in {QUESTIONS_FILE}"
            )
            problems.append(QuestionProblem("unknown", message, file=SOURCES_FILE))
    return problems


def _unnamed(table_set: TableSet) -> list[QuestionProblem]:
    """Rows that open a question without naming it.

    A row whose outputs include a value that means "an open legal question decides" (the
    vocabulary's ``open_values``: e.g. ``route: open``, ``outcome: needs_review``) must name the
    question, unless one of its conditions already requires an open value (the question was
    named where it opened, upstream).
    """
    vocabulary = table_set.vocabulary
    if vocabulary is None:
        return []
    opening = {column: set(values) for column, values in vocabulary.open_values.items()}
    problems = []
    for table in table_set:
        for row in table.spec.rows:
            opens = [c for c, v in row.then.items() if str(v) in opening.get(c, set())]
            inherited = any(
                str(value) in opening.get(column, set())
                for column, values in row.conditions.items()
                for value in values
            )
            if opens and not inherited and not row.open_questions:
                message = (
                    f"row {row.id} outputs {', '.join(f'{c}={row.then[c]}' for c in opens)} "
                    "(an open legal question decides) but names no open question"
                )
                problems.append(QuestionProblem("unnamed", message, None, table.key, row.id))
    return problems
