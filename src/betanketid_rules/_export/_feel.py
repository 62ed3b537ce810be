"""FEEL text for table values: literals (output entries, defaults) and unary tests (cells).

>>> literal("met"), literal(True), literal(30), literal(None)
('"met"', 'true', '30', 'null')
>>> unary_tests(None), unary_tests(frozenset({False})), unary_tests(("a", "b"))
('-', 'false', '"a","b"')
>>> type_ref(("a", None)), type_ref((False, True)), type_ref((30, None))
('string', 'boolean', 'number')
"""

from __future__ import annotations

from collections.abc import Iterable

from .._types import CellScalar


def literal(value: CellScalar) -> str:
    """``value`` as a FEEL literal (a string in double quotes, escaped as FEEL escapes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unary_tests(values: Iterable[CellScalar] | None, order: Iterable[CellScalar] = ()) -> str:
    """A cell as FEEL unary tests: ``-`` for any value, else the values it accepts.

    ``order`` (a column's domain) puts the values of a set in a stable order.
    """
    if values is None:
        return "-"
    ranked = {value: index for index, value in enumerate(order)}
    given = list(values)
    if ranked:
        given.sort(key=lambda value: ranked.get(value, len(ranked)))
    else:
        given.sort(key=repr)
    return ",".join(literal(value) for value in given)


def type_ref(values: Iterable[CellScalar]) -> str:
    """The FEEL type of a column whose values are ``values`` (null aside)."""
    kinds = {type(value) for value in values if value is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "number"
    return "string"


def name(text: str) -> str:
    """A FEEL name for an identifier of the tables (``utl-5-15-standing`` -> ``utl_5_15_standing``).

    >>> name("utl-5-15-standing")
    'utl_5_15_standing'
    """
    return text.replace("-", "_").replace(".", "_")
