"""The envelope around a shared Decision: what belongs to one case and what an auditor keeps.

A :class:`~betanketid_rules.Decision` is immutable and shared by every case with the same
facts on the same wording (engines cache it), so it holds nothing of one case alone. A
:class:`DecisionRecord` wraps it with the case's own ``reference``, the decision date applied,
the package version and the table-set hash: enough to reproduce the decision later (install that
version, check the hash, evaluate the same case on that date). The command line's JSON output
and the batch API give records; ``decision`` comes last, so a record's JSON is its own fields
followed by the decision's JSON.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from ._contract import Case, Citation, Decision, Permit
from ._trusted import trusted
from ._types import Lang, Outcome
from ._version import VERSION


class CompactDecision(BaseModel):
    """A decision without its trace, for batch output: what was decided and on what basis.

    The trace and the explanation are one call away: evaluate the same case (the record keeps
    the decision date, the package version and the table-set hash that reproduce it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    outcome: Outcome
    permit: Permit | None
    legal_basis: tuple[Citation, ...]
    rules_fired: tuple[str, ...]
    open_questions: tuple[str, ...]


class CompactRecord(BaseModel):
    """A :class:`DecisionRecord` whose decision is a :class:`CompactDecision`.

    >>> from betanketid_rules import evaluate_record
    >>> compact = evaluate_record({"reference": "K-9", "decision_date": "2015-01-01",
    ...     "applicant": "the_person", "permit": "reflection_period"}).compact()
    >>> sorted(compact.decision.model_dump())
    ['legal_basis', 'open_questions', 'outcome', 'permit', 'rules_fired']
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    reference: str | None
    decision_date: dt.date
    package_version: str
    tables_sha256: str
    decision: CompactDecision


class DecisionRecord(BaseModel):
    """One case's decision with what belongs to that case and what reproduces it.

    >>> from betanketid_rules import evaluate_record
    >>> record = evaluate_record({"reference": "2023-0042", "decision_date": "2023-03-15",
    ...                           "applicant": "the_person", "permit": "reflection_period"})
    >>> record.reference, record.decision_date.isoformat(), record.decision.outcome
    ('2023-0042', '2023-03-15', 'no_standing')
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    reference: str | None = Field(description="The case's reference, echoed; null if none.")
    decision_date: dt.date = Field(description="The date whose wording of the law was applied.")
    package_version: str = Field(description="The version of betanketid-rules that decided.")
    tables_sha256: str = Field(
        description="The hash of the whole table set that decided (betanketid-rules --version)."
    )
    decision: Decision

    def compact(self) -> CompactRecord:
        """The same record with the decision's trace, explanation and unmet conditions left
        out (``evaluate --compact``): a line of a batch is then a few hundred bytes.

        >>> from betanketid_rules import evaluate_record
        >>> record = evaluate_record({"decision_date": "2015-01-01",
        ...     "applicant": "the_person", "permit": "reflection_period"})
        >>> record.compact().decision.outcome == record.decision.outcome
        True
        """
        decision = self.decision
        return CompactRecord(
            reference=self.reference,
            decision_date=self.decision_date,
            package_version=self.package_version,
            tables_sha256=self.tables_sha256,
            decision=CompactDecision(
                outcome=decision.outcome,
                permit=decision.permit,
                legal_basis=decision.legal_basis,
                rules_fired=decision.rules_fired,
                open_questions=decision.open_questions,
            ),
        )

    def text(self, lang: Lang = "sv") -> str:
        """The record as readable text in one language, as ``evaluate --format text`` prints
        it: the decision, the date applied, the reference and what decided it.

        >>> from betanketid_rules import evaluate_record
        >>> record = evaluate_record({"decision_date": "2015-01-01", "applicant": "the_person",
        ...                           "permit": "reflection_period"})
        >>> record.text("sv").splitlines()[-2]
        'Beslutsdag: 2015-01-01'
        """
        from ._render import render_record  # noqa: PLC0415 (the renderer imports this module)

        return render_record(self, lang)


_RECORD_FIELDS = frozenset(DecisionRecord.model_fields)


def record_of(case: Case, decision: Decision, tables_sha256: str) -> DecisionRecord:
    """The record of ``decision``, made for ``case`` (validated) by tables hashing to
    ``tables_sha256``: every part is valid already, so it is put together unvalidated."""
    values = {
        "reference": case.reference,
        "decision_date": case.decision_date,
        "package_version": VERSION,
        "tables_sha256": tables_sha256,
        "decision": decision,
    }
    return trusted(DecisionRecord, values, _RECORD_FIELDS)
