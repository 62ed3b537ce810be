"""The decision-changes page: ``betanketid-decision-changes``, what each new wording changes."""

from __future__ import annotations

import datetime as dt

from docutils import nodes
from docutils.nodes import Node

from .._verify.diff import diff_dates
from ._diff import diff_nodes
from ._nodes import _bilingual, _section
from ._renderer import _TablesDirective


class DecisionChangesDirective(_TablesDirective):
    """``.. betanketid-decision-changes::``: what each change of wording changes in decisions.

    For every date on which some family's wording changes, the whole chain in force the day
    before is compared with the chain in force that day (``betanketid-rules diff`` of the two
    dates).
    """

    def run(self) -> list[Node]:
        renderer = self.renderer()
        table_set = renderer.table_set
        result: list[Node] = []
        for period in table_set.periods()[1:]:
            day = period.first_day
            before = day - dt.timedelta(days=1)
            section = _section(
                nodes.make_id(f"decisions-{day.isoformat()}"),
                f"{before.isoformat()} → {day.isoformat()}",
                "bk-decision-changes",
            )
            tables = ", ".join(t.key for t in period.starting)
            section += _bilingual(
                f"Från {day.isoformat()} gäller {tables}. Alla beslut enligt kedjan som gällde "
                f"{before.isoformat()} jämförda med kedjan som gäller {day.isoformat()}.",
                f"From {day.isoformat()}, {tables} apply. Every decision of the chain in force on "
                f"{before.isoformat()} compared with the chain in force on {day.isoformat()}.",
            )
            section += diff_nodes(diff_dates(table_set, before, day))
            result.append(section)
        return result
