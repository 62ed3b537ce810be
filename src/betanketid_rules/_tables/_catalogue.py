"""The rule of the question catalogue: a question for every case field a table reads.

An assessment asks only the fields that still matter, but it must be able to ask each of them
in Swedish and English: every case field read by some table has exactly one question
(``missing_question``, ``duplicate_id``), every question names a field of the contract
(``unknown_field``), and its citations resolve in the source registry (``unknown_source``).
Both languages are required by the file format itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import get_args

from .._errors import TableProblem
from .._types import CitationRole, Outcome, PermitType, Status
from ._columns import CASE_DOMAINS, CaseField
from ._format import QuestionCatalogue, Vocabulary
from ._tableset import Table
from ._yaml import LocatedDocument

CATALOGUE_FILE = "questions.yaml"
VOCABULARY_FILE = "vocabulary.yaml"


def catalogue_problems(
    document: LocatedDocument,
    catalogue: QuestionCatalogue,
    tables: Iterable[Table],
    source_ids: set[str],
) -> list[TableProblem]:
    """Every way ``catalogue`` breaks the rule for ``tables``."""
    problems: list[TableProblem] = []
    seen: set[str] = set()
    for index, question in enumerate(catalogue.questions):
        where = ("questions", index)
        if question.field not in CASE_DOMAINS:
            reason = f"{question.field!r} is not a finite field of the case"
            problems.append(document.problem((*where, "field"), reason, "unknown_field"))
        if question.field in seen:
            reason = f"a second question for {question.field}"
            problems.append(document.problem((*where, "field"), reason, "duplicate_id"))
        seen.add(question.field)
        for c_index, citation in enumerate(question.citations):
            for name in ("act", "wording", "source"):
                if getattr(citation, name) not in source_ids:
                    reason = f"citation {name} {getattr(citation, name)!r} is not a known source"
                    location = (*where, "citations", c_index, name)
                    problems.append(document.problem(location, reason, "unknown_source"))
    read = {
        column.source.path: table.key
        for table in tables
        for column in table.columns
        if isinstance(column.source, CaseField)
    }
    for path, table in sorted(read.items()):
        if path not in seen:
            reason = f"no question for case.{path}, which {table} reads"
            problems.append(document.problem(("questions",), reason, "missing_question"))
    return problems


def _passed_and_derived_problems(
    document: LocatedDocument,
    vocabulary: Vocabulary,
    passed: Mapping[str, Iterable[str]],
    derived: Iterable[str],
) -> list[TableProblem]:
    problems: list[TableProblem] = []
    for output, passed_values in passed.items():
        for passed_value in passed_values:
            if passed_value not in vocabulary.outputs.get(output, {}):
                reason = f"no label for the output {output} = {passed_value}"
                problems.append(document.problem(("outputs",), reason, "missing_label"))
    for name in derived:
        if name not in vocabulary.derived:
            reason = f"no label for the derived value {name}"
            problems.append(document.problem(("derived",), reason, "missing_label"))
    return problems


def _named_problems(
    document: LocatedDocument, vocabulary: Vocabulary, statutes: Sequence[str]
) -> list[TableProblem]:
    problems: list[TableProblem] = []
    for path in vocabulary.fields:
        if path not in CASE_DOMAINS:
            reason = f"{path} is not a field of the case"
            problems.append(document.problem(("fields", path), reason, "unknown_field"))
    for section, names in (
        ("fields", tuple(CASE_DOMAINS)),
        ("outcomes", get_args(Outcome)),
        ("permit_types", get_args(PermitType)),
        ("statuses", get_args(Status)),
        ("roles", get_args(CitationRole)),
        ("acts", statutes),
    ):
        labelled_names = getattr(vocabulary, section)
        for name in names:
            if name not in labelled_names:
                reason = f"no label for {section} {name}"
                problems.append(document.problem((section,), reason, "missing_label"))
    return problems


def vocabulary_problems(
    document: LocatedDocument,
    vocabulary: Vocabulary,
    statutes: Sequence[str] = (),
    passed: Mapping[str, Iterable[str]] | None = None,
    derived: Iterable[str] = (),
) -> list[TableProblem]:
    """Every value of the contract's fields that are not yes/no has a label, and nothing else;
    so has every outcome, permit, status, citation role, statute (by SFS number) in
    ``statutes``, value a table passes on (``passed``: output -> values) and derived column."""
    problems = _passed_and_derived_problems(document, vocabulary, passed or {}, derived)
    problems += _named_problems(document, vocabulary, statutes)
    for path, domain in CASE_DOMAINS.items():
        if all(isinstance(value, bool) for value in domain):
            continue
        labelled = vocabulary.values.get(path, {})
        for value in domain:
            if str(value) not in labelled:
                reason = f"no label for {path} = {value}"
                problems.append(document.problem(("values", path), reason, "missing_label"))
    for path, labels in vocabulary.values.items():
        known = {str(value) for value in CASE_DOMAINS.get(path, ())}
        for value in labels:
            if value not in known:
                reason = f"{path} = {value} is not a value of the case"
                problems.append(document.problem(("values", path, value), reason, "unknown_field"))
    return problems
