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

import typing as _typing

from ._batch import BatchError, InputProblem
from ._contract import (
    Case,
    Citation,
    Decision,
    DecisionEffect,
    Facts,
    Permit,
    Person,
    Revocation,
)
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
from ._record import CompactDecision, CompactRecord, DecisionRecord
from ._version import VERSION as _VERSION

__version__ = _VERSION

if _typing.TYPE_CHECKING:
    from ._assess import Assessment, PossibleResult, assess, assess_many
    from ._introspect import TablePeriod, TableSetView, TableVersion, describe_tables
    from ._partial import PartialCase, PartialFacts, PartialPerson

#: Public names imported on first use (a command-line evaluation never needs them, and the
#: import is most of a cold start): name -> private module.
_LAZY = {
    "Assessment": "_assess",
    "PossibleResult": "_assess",
    "assess": "_assess",
    "assess_many": "_assess",
    "PartialCase": "_partial",
    "PartialFacts": "_partial",
    "PartialPerson": "_partial",
    "TablePeriod": "_introspect",
    "TableSetView": "_introspect",
    "TableVersion": "_introspect",
    "describe_tables": "_introspect",
}

__all__ = [
    "Assessment",
    "BatchError",
    "BetanketidError",
    "Case",
    "Citation",
    "CompactDecision",
    "CompactRecord",
    "Decision",
    "DecisionEffect",
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
    "Revocation",
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


def _shown_here(member: _typing.Any) -> _typing.Any:
    """``member`` shown under the package's own name (in reprs, tracebacks and the docs), as
    httpx does: where a name is defined inside the package is private and may change."""
    if hasattr(member, "__module__"):
        member.__module__ = __name__
    return member


def __getattr__(name: str) -> _typing.Any:
    """Import a public name of :data:`_LAZY` on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    module = importlib.import_module(f"{__name__}.{_LAZY[name]}")
    for lazy_name, module_name in _LAZY.items():
        if module_name == _LAZY[name]:
            globals()[lazy_name] = _shown_here(getattr(module, lazy_name))
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


for _name in __all__:
    if not _name.startswith("__") and _name not in _LAZY:
        _shown_here(globals()[_name])
del _name
