"""Instances of the contract's output models made from parts that are already valid.

Engines build a Decision for every case not seen before, and the batch paths a record for every
line, from values that were validated when they were made (rows, citations, trace steps, a
validated case). Pydantic's ``model_construct`` skips validation too but does per-call
bookkeeping that costs more than the rest of the assembly; this sets the instance attributes
pydantic documents for a model instead: ``__dict__`` in field order, every field set, no extra
and no private attributes. Tests hold each model so made equal to the validated one, field by
field and as JSON.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["trusted"]

Model = TypeVar("Model", bound=BaseModel)


def trusted(model: type[Model], values: dict[str, Any], fields: frozenset[str]) -> Model:
    """An instance of ``model`` holding ``values`` (every field, in field order) unvalidated.

    ``fields`` is ``frozenset(model.model_fields)``, computed once by the caller.

    >>> from betanketid_rules import Permit
    >>> names = frozenset(Permit.model_fields)
    >>> permit = trusted(Permit, {"type": "reflection_period", "days": 30, "min_months": None},
    ...                  names)
    >>> permit == Permit(type="reflection_period", days=30, min_months=None)
    True
    """
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(fields))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance
