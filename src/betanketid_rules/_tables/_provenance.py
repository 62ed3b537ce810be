"""Where a citation was read: the provenance rule, judged from the source registry alone.

A citation names the provision (``act``, ``wording``) and the source its content was read in
(``source``); a preparatory-work reference names a work and, where known, its pages. The
registry knows enough about each source to rule out readings no source could have given:

* nothing can have been read in an act whose text was not read (no ``text_read`` record);
* an amending act's own text holds the wording it enacts and nothing else, so a citation read
  in an amending act cites that act's wording;
* a statute's (or an ordinance's) text holds its own act: as enacted, only its original
  wording; consolidated,
  the wordings of amending acts up to the last one it includes (``consolidated_through``),
  and of a provision only the wording left by the last of them that amended it (by their
  register entries, ``register_entry.amends``). A
  provision of another act is read in it only where the row also cites, as read in the same
  text, the provision of its own act that refers to it;
* a preparatory work explains a wording it came before: a work dated on or after the day the
  wording entered into force is not its preparatory work, and where the wording's register
  entry names its government bill, a bill cited for it is that bill;
* a page of a preparatory work is one the source the citation was read in is recorded to cite
  (its ``pages_cited``): a page no registry entry records cannot be traced to anything read.

``check`` reports each breach as a ``citation`` finding. No page, date or bill is assumed
here: every comparison is between two entries of ``tables/sources.yaml``.

>>> from betanketid_rules._tables import default_table_set
>>> table_set = default_table_set()
>>> rows = [row for table in table_set for row in table.spec.rows]
>>> [p for row in rows for p in provenance_problems(row, table_set.sources)]
[]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from ._format import Row, Source, TableCitation
from ._status import TEXT_KINDS

#: Kinds of source that are preparatory works of a wording.
PREPARATORY_KINDS = frozenset({"preparatory_work", "inquiry_report", "committee_report"})


def _start(source: Source) -> dt.date | None:
    return source.in_force_from or source.date


def _bill_of(wording: Source) -> str | None:
    """The government bill the wording's register entry names (``prop. 2021/22:224``)."""
    entry = wording.register_entry
    return entry.prop.strip().lower() if entry is not None and entry.prop else None


def work_problem(work: Source, wording: Source) -> str | None:
    """Why ``work`` cannot be a preparatory work of ``wording``, or None when it can be.

    >>> from betanketid_rules._tables import default_table_set
    >>> sources = default_table_set().sources
    >>> work_problem(sources["SRC-09"], sources["UTLL-2022"]) is None
    True
    >>> work_problem(sources["SRC-05"], sources["UTLL-2022"])
    "UTLL-2022's register entry names prop. 2021/22:224, but SRC-05 is another bill"
    """
    if work.kind not in PREPARATORY_KINDS:
        return None
    start = _start(wording)
    if work.date is not None and start is not None and work.date >= start:
        return (
            f"{work.id} is dated {work.date}, not before {wording.id} took effect on {start}, "
            "so it cannot be its preparatory work"
        )
    bill = _bill_of(wording)
    title = work.title.lower()
    if bill and work.kind == "preparatory_work" and title.startswith("prop."):
        return (
            None
            if title.startswith(bill)
            else (f"{wording.id}'s register entry names {bill}, but {work.id} is another bill")
        )
    return None


def _sfs(number: str | None) -> tuple[int, int] | None:
    """``"2022:1015"`` as ``(2022, 1015)``, to compare; None when not a plain SFS number."""
    year, _, serial = (number or "").partition(":")
    return (int(year), int(serial)) if year.isdigit() and serial.isdigit() else None


def statute_problem(cited: TableCitation, row: Row, sources: Mapping[str, Source]) -> str | None:
    """Why ``cited`` cannot have been read in its source, a statute's text, or None."""
    source, act, wording = (sources.get(cited.source), sources.get(cited.act),
                            sources.get(cited.wording))  # fmt: skip
    texts = ("statute", "ordinance")  # the text of an act or of an ordinance
    if source is None or act is None or wording is None or source.kind not in texts:
        return None
    if act.sfs != source.sfs:
        refers = any(
            other.source == source.id and (sources.get(other.act) or act).sfs == source.sfs
            for other in row.citations
        )
        return (
            None
            if refers
            else (
                f"read in {source.id}, the text of another act than {act.id}, and the row cites no "
                f"provision of {source.id}'s own act, read there, that refers to it"
            )
        )
    if wording.sfs == source.sfs:
        return None
    through, enacted = _sfs(source.consolidated_through), _sfs(wording.sfs)
    if through is None:
        return (
            f"read in {source.id}, the text as enacted, which holds no later wording ({wording.id})"
        )
    if enacted is None or enacted > through:
        return (
            f"read in {source.id}, consolidated through SFS {source.consolidated_through}, "
            f"which does not hold the wording {wording.id}"
        )
    return None


def _amended(entry: str) -> set[tuple[str, str]]:
    """The (chapter, section) pairs a register entry's scope names.

    >>> sorted(_amended("upph. 8 a kap.; ändr. 5 kap. 15, 17 §§, 7 kap 7 b §"))
    [('5', '15'), ('5', '17'), ('7', '7 b')]
    """
    found: set[tuple[str, str]] = set()
    pattern = r"(\d+(?: [a-z])?) kap\.? ((?:\d+(?: [a-z])?(?:, )?)+) §"
    for chapter, sections in re.findall(pattern, entry):
        found.update((chapter, section.strip()) for section in sections.split(","))
    return found


def superseded_problem(cited: TableCitation, sources: Mapping[str, Source]) -> str | None:
    """Why ``cited`` cannot have been read in its source, a consolidated text: an amending act
    the text includes changed the provision after the wording cited (by its register entry).

    >>> from betanketid_rules._tables import default_table_set
    >>> from betanketid_rules._tables._format import TableCitation
    >>> cited = TableCitation(act="UTLL", chapter=5, section="15", paragraph=2,
    ...     wording="SRC-02", source="UTLL-CONS", role="basis", status="confirmed")
    >>> found = superseded_problem(cited, default_table_set().sources)
    >>> print(found)  # doctest: +NORMALIZE_WHITESPACE
    read in UTLL-CONS, which holds 5 kap. 15 § as amended by UTLL-2022 (SFS 2022:1015), not in
    the wording SRC-02
    """
    source, wording = sources.get(cited.source), sources.get(cited.wording)
    if source is None or wording is None or source.consolidated_through is None:
        return None
    since, through = _sfs(wording.sfs), _sfs(source.consolidated_through)
    provision = (str(cited.chapter), str(cited.section))
    act = sources.get(cited.act)
    own = wording.sfs == source.sfs
    entry = wording.register_entry
    same_act = act is not None and act.sfs == source.sfs  # another act's: statute_problem
    if (
        same_act
        and not own
        and wording.kind == "amendment"
        and (
            entry is None
            or entry.amends is None
            or entry.read_in != source.id
            or provision not in _amended(entry.amends)
        )
    ):
        return (
            f"read in {source.id}, a consolidated text, but no register entry read there says "
            f"{wording.id} amended {cited.chapter} kap. {cited.section} §"
        )
    for later in sources.values():
        entry, number = later.register_entry, _sfs(later.sfs)
        if later.kind != "amendment" or entry is None or entry.amends is None:
            continue
        if since is None or through is None or number is None or not since < number <= through:
            continue
        if f"({source.sfs})" in later.title and provision in _amended(entry.amends):
            return (
                f"read in {source.id}, which holds {cited.chapter} kap. {cited.section} § as "
                f"amended by {later.id} (SFS {later.sfs}), not in the wording {wording.id}"
            )
    return None


def _citation_problems(cited: TableCitation, row: Row, sources: Mapping[str, Source]) -> list[str]:
    problems: list[str] = []
    source, wording = sources.get(cited.source), sources.get(cited.wording)
    if source is None or wording is None:
        return problems  # unknown ids are the loader's finding
    if source.kind in TEXT_KINDS and source.text_read is None:
        problems.append(
            f"read in {source.id}, an act whose text was not read (no text_read record)"
        )
    if source.kind == "amendment" and source.id != wording.id:
        problems.append(
            f"read in {source.id}, an amending act, which holds only its own wording, "
            f"not the wording {wording.id} cited"
        )
    for problem in (statute_problem(cited, row, sources), superseded_problem(cited, sources)):
        if problem:
            problems.append(problem)
    problem = work_problem(source, wording)
    if problem:
        problems.append(f"source: {problem}")
    for work_ref in cited.preparatory_works:
        work = sources.get(work_ref.source)
        if work is None:
            continue
        problem = work_problem(work, wording)
        if problem:
            problems.append(f"preparatory work: {problem}")
        if work_ref.pages is not None:
            recorded = [p.pages for p in source.pages_cited if p.work == work.id]
            if work_ref.pages not in recorded:
                shown = ", ".join(f"p. {pages}" for pages in recorded) or "no page"
                problems.append(
                    f"{work.id} p. {work_ref.pages} is not a page {source.id} is recorded to "
                    f"cite ({shown} of {work.id} in {source.id}'s pages_cited)"
                )
    return problems


def provenance_problems(row: Row, sources: Mapping[str, Source]) -> list[str]:
    """Every way ``row``'s citations break the provenance rule, in words (empty: none)."""
    return [
        f"citation {index} ({cited.act} read in {cited.source}): {problem}"
        for index, cited in enumerate(row.citations, start=1)
        for problem in _citation_problems(cited, row, sources)
    ]
