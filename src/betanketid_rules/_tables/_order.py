"""The order families are evaluated in: each after the families it reads from.

>>> family_order({"outcome": {"standing", "conditions"}, "conditions": {"standing"},
...               "standing": set(), "remarks": set()})
(('standing', 'conditions', 'outcome', 'remarks'), ())
>>> family_order({"a": {"b"}, "b": {"a"}})
((), ('a', 'b'))
"""

from __future__ import annotations

from collections.abc import Mapping, Set


def family_order(needs: Mapping[str, Set[str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``needs`` (family -> families it reads) in evaluation order, and the families caught in
    a cycle (left out of the order).

    Among the families ready to run, those feeding another family go first, then by name, so
    the order is the same whatever order the files were read in.
    """
    feeds = {family for deps in needs.values() for family in deps}
    order: list[str] = []
    pending = {family: set(deps) & needs.keys() for family, deps in needs.items()}
    while pending:
        ready = sorted(
            (family for family, deps in pending.items() if deps <= set(order)),
            key=lambda family: (family not in feeds, family),
        )
        if not ready:
            return tuple(order), tuple(sorted(pending))
        order.append(ready[0])
        del pending[ready[0]]
    return tuple(order), ()
