"""How firm a row is: the status rule, defined once (``check`` enforces it, the docs state it).

* A citation's status follows from the source it was read in: ``confirmed`` needs a statute,
  an amending act or an ordinance whose text was read (its ``text_read`` record);
  ``secondary`` is a citation resting on guidance, a report, preparatory works or the like;
  ``inferred`` is a reading beyond the words, whatever the source.
* A row's status is the weakest status of its ``basis`` citations. ``context`` citations and
  preparatory-work references carry their own status and never lower the row.

>>> weakest(["confirmed", "inferred", "secondary"])
'inferred'
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping

from .._types import Status
from ._format import Row, Source

#: From firmest to weakest, as the contract declares them.
STATUSES: tuple[Status, ...] = typing.get_args(Status)

#: Kinds of source whose own text can confirm a provision.
TEXT_KINDS = frozenset({"statute", "amendment", "ordinance"})


def weakest(statuses: Iterable[Status]) -> Status:
    """The weakest of ``statuses`` (``confirmed`` for none).

    >>> weakest(["confirmed", "secondary"])
    'secondary'
    """
    return max(statuses, key=STATUSES.index, default=STATUSES[0])


def status_problem(status: Status, source: Source) -> str | None:
    """Why ``status`` does not fit a citation read in ``source``, or None when it does.

    >>> from betanketid_rules._tables._format import Source
    >>> guidance = Source(id="G", title="A guidance page", kind="guidance")
    >>> status_problem("confirmed", guidance)
    'confirmed needs a statute, amending act or ordinance whose text was read; G is guidance'
    >>> status_problem("secondary", guidance) is None
    True
    """
    readable = source.kind in TEXT_KINDS
    if status == "confirmed" and not (readable and source.text_read is not None):
        why = f"{source.id} is {source.kind.replace('_', ' ')}"  # e.g. "is guidance"
        if readable:
            why = f"the text of {source.id} was not read (no text_read record)"
        return f"confirmed needs a statute, amending act or ordinance whose text was read; {why}"
    if status == "secondary" and readable:
        return (
            f"secondary rests on guidance, a report or preparatory works, but {source.id} has "
            f"kind {source.kind}: cite it as confirmed if its text was read, else as inferred"
        )
    return None


def row_status_problems(row: Row, sources: Mapping[str, Source]) -> list[str]:
    """Every way ``row`` breaks the status rule (unknown source ids are the loader's finding).

    >>> from betanketid_rules._tables import default_table_set
    >>> table_set = default_table_set()
    >>> rows = [row for table in table_set for row in table.spec.rows]
    >>> [p for row in rows for p in row_status_problems(row, table_set.sources)]
    []
    """
    problems: list[str] = []
    basis: list[Status] = []
    for index, cited in enumerate(row.citations, start=1):
        if cited.role == "basis":
            basis.append(cited.status)
        source = sources.get(cited.source)
        problem = status_problem(cited.status, source) if source else None
        if problem:
            problems.append(f"citation {index} ({cited.source}, {cited.status}): {problem}")
        for work in cited.preparatory_works:
            source = sources.get(work.source)
            problem = status_problem(work.status, source) if source else None
            if problem:
                problems.append(
                    f"citation {index}, preparatory work {work.source} ({work.status}): {problem}"
                )
    if not basis:
        problems.append("no basis citation: a row must rest on at least one provision")
    elif row.status != weakest(basis):
        problems.append(
            f"status {row.status}, but its weakest basis citation is {weakest(basis)} "
            "(a row's status is its weakest basis citation)"
        )
    return problems
