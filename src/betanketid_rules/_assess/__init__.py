"""What still decides a case: every completion of a partial case's unknowns, exactly.

The input domains are finite, so an assessment enumerates every completion of the unknown
fields the chain in force reads (with the contract's constraints, and counting the
completions of the unknown fields it does not read), decides each with the engine, and says:
which results (outcome and permit) remain, how many completions lead to each and where (as the
regions ``diff`` prints), whether the case is decided, which unknown fields can still change
the result (best next question first) and which cannot. Nothing here knows a rule: the
results come from the tables.

>>> assessment = assess({"decision_date": "2024-02-01", "applicant": "social_welfare_board",
...     "permit": "reflection_period", "person": {"relation": "accompanying_child"},
...     "facts": {"presumed_offence": "none"}})
>>> assessment.decided, assessment.results[0].outcome, assessment.questions
(True, 'no_standing', ())
"""

from __future__ import annotations

from ._model import Assessment, PossibleResult
from ._run import assess, assess_many

__all__ = ["Assessment", "PossibleResult", "assess", "assess_many"]
