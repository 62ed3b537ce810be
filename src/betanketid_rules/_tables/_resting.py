"""A row that rests on an open question: what naming the question commits it to.

A row names the open questions its outcome rests on. Naming one says that the text read does
not settle the row, so:

* the row is not ``confirmed`` (confirmed means the text read decides it; the row's status
  says how firm the rest of its reading is, ``secondary`` or ``inferred``);
* the row cites, as act, wording, source or preparatory work, a source the question is about:
  one whose registry entry names the question, or one the question's partial answer was read
  in. A question the row's sources do not touch is not what the row rests on (a question
  tied to no source at all is not judged).

``check`` reports each breach as an ``open_question`` finding (the other half, that a row
opening a question names it, is :mod:`._questions`).

>>> from betanketid_rules._tables import default_table_set
>>> table_set = default_table_set()
>>> [p for table in table_set for row in table.spec.rows
...  for p in resting_problems(row, table_set)]
[]
"""

from __future__ import annotations

from ._format import Row
from ._tableset import TableSet


def _cited(row: Row) -> set[str]:
    ids: set[str] = set()
    for cited in row.citations:
        ids.update((cited.act, cited.wording, cited.source))
        ids.update(work.source for work in cited.preparatory_works)
    return ids


def question_sources(table_set: TableSet, question: str) -> set[str]:
    """The sources ``question`` is about: those naming it and those its answer was read in.

    >>> from betanketid_rules._tables import default_table_set
    >>> sorted(question_sources(default_table_set(), "Q4"))
    ['UTLL-2022', 'UTLL-CONS']
    """
    about = set(table_set.sources_naming(question))
    entry = table_set.questions.get(question)
    if entry is not None and entry.answered is not None:
        about.update(entry.answered.sources)
    return about


def resting_problems(row: Row, table_set: TableSet) -> list[str]:
    """Every way ``row`` breaks the rule for a row resting on an open question."""
    problems: list[str] = []
    open_named = [
        question
        for question in row.open_questions
        if question in table_set.questions and table_set.questions[question].state == "open"
    ]
    if open_named and row.status == "confirmed":
        problems.append(
            f"row {row.id} rests on open question {', '.join(open_named)} but is confirmed "
            "(a row the text read settles names no open question)"
        )
    cited = _cited(row)
    for question in open_named:
        about = question_sources(table_set, question)
        if about and not about & cited:  # a question no source is tied to cannot be judged
            shown = ", ".join(sorted(about))
            problems.append(
                f"row {row.id} rests on open question {question} but cites none of the sources "
                f"it is about ({shown})"
            )
    return problems
