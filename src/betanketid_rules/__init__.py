"""betanketid-rules: Swedish Aliens Act 5 kap. 15 § as versioned, cited decision tables.

The public surface is small: :func:`evaluate`, :func:`evaluate_many`, :func:`evaluate_record`,
:func:`iter_records`, :func:`assess`, :func:`describe_tables`, the contract's models and the
errors. Everything else is private (modules starting with ``_``), apart from the
:mod:`betanketid_rules.testing` strategies and the :mod:`betanketid_rules.sphinx` extension.

>>> from betanketid_rules import evaluate
>>> evaluate({"decision_date": "2022-05-10", "applicant": "social_welfare_board",
...           "permit": "reflection_period"}).outcome
'no_standing'
"""

from ._assess import Assessment, PossibleResult, assess, assess_many
from ._batch import BatchError, InputProblem
from ._contract import Case, Citation, Decision, Facts, Permit, Person
from ._errors import (
    BetanketidError,
    EngineError,
    EngineUnavailableError,
    HitPolicyError,
    InvalidArgumentError,
    TableError,
    UnknownEngineError,
)
from ._evaluate import evaluate, evaluate_many, evaluate_record, iter_records
from ._introspect import TablePeriod, TableSetView, TableVersion, describe_tables
from ._partial import PartialCase, PartialFacts, PartialPerson
from ._record import DecisionRecord
from ._version import VERSION as _VERSION

__version__ = _VERSION

__all__ = [
    "Assessment",
    "BatchError",
    "BetanketidError",
    "Case",
    "Citation",
    "Decision",
    "DecisionRecord",
    "EngineError",
    "EngineUnavailableError",
    "Facts",
    "HitPolicyError",
    "InputProblem",
    "InvalidArgumentError",
    "PartialCase",
    "PartialFacts",
    "PartialPerson",
    "Permit",
    "Person",
    "PossibleResult",
    "TableError",
    "TablePeriod",
    "TableSetView",
    "TableVersion",
    "UnknownEngineError",
    "__version__",
    "assess",
    "assess_many",
    "describe_tables",
    "evaluate",
    "evaluate_many",
    "evaluate_record",
    "iter_records",
]

# Shown under the package's own name (in reprs, tracebacks and the docs), as httpx does: where
# a name is defined inside the package is private and may change.
for _name in __all__:
    _member = globals()[_name]
    if hasattr(_member, "__module__") and not _name.startswith("__"):
        _member.__module__ = __name__
del _name, _member
