"""The open-questions page: ``betanketid-open-questions``, each question and the rows on it."""

from __future__ import annotations

import re

from docutils import nodes
from docutils.nodes import Node

from .. import _docs as docs
from .._tables import Table, TableSet
from .._tables._format import Answer, Row
from ._domain import anchor_id
from ._nodes import _bilingual, _field_list, _grid, _para, _section, _text, _xref, status_marker
from ._renderer import _HEAD, _TablesDirective


def _first_sentence(text: str) -> str:
    """Up to the first ``?`` or ``.`` that ends a sentence (``5 kap. 15 §`` does not)."""
    found = re.search(r"[?.](?=\s+[A-ZÅÄÖ])", text)
    return text[: found.end()] if found else text


_ANSWER_LABEL = {
    "settled": "Avgjord genom / Settled by",
    "open": "Redan besvarat / Already answered",
}


class OpenQuestionsDirective(_TablesDirective):
    """``.. betanketid-open-questions::``: each question, the rows on it, where to verify."""

    def run(self) -> list[Node]:
        renderer = self.renderer()
        table_set = renderer.table_set
        by_rows = docs.question_rows(table_set)
        by_sources = docs.question_sources(table_set)
        result: list[Node] = []
        for question in table_set.questions.values():
            title = f"{question.id}: {_first_sentence(question.question.en)}"
            if question.state == "settled":
                title = f"{title} (avgjord / settled)"
            section = _section(anchor_id("question", question.id), title, "bk-question")
            if renderer.register:
                renderer.domain.note("question", question.id, question.id, section)
            resting = by_rows.get(question.id, [])
            rows_node: Node | list[Node]
            if resting:
                rows_node = [self.rows_table(table_set, resting)]
            else:
                rows_node = _para(
                    "Ingen rad vilar på frågan; den gäller registrets uppgifter. / "
                    "No row rests on it; it concerns the registry's facts.",
                    classes=["bk-no-rows"],
                )
            state = "avgjord / settled" if question.state == "settled" else "öppen / open"
            fields: list[tuple[str, Node | list[Node] | str]] = [
                ("Läge / State", _para(_text(state, f"bk-question-{question.state}"))),
                ("Fråga / Question", _bilingual(question.question.sv, question.question.en)),
                (
                    "Varför den spelar roll / Why it matters",
                    _bilingual(question.why_it_matters.sv, question.why_it_matters.en),
                ),
            ]
            if question.where_to_verify is not None:
                where = question.where_to_verify
                fields.append(
                    ("Var den kan kontrolleras / Where to verify", _bilingual(where.sv, where.en))
                )
            if question.answered is not None:
                fields.append((_ANSWER_LABEL[question.state], self.answer(question.answered)))
            fields.append(("I utredningen / In the brief", question.brief_ref))
            if by_sources.get(question.id):
                paragraph = _para()
                for index, source in enumerate(by_sources[question.id]):
                    if index:
                        paragraph += nodes.Text(", ")
                    paragraph += _xref("source", source)
                fields.append(("Registerposter / Registry entries", paragraph))
            fields.append(("Rader som vilar på den / Rows resting on it", rows_node))
            section += _field_list(fields)
            result.append(section)
        return result

    @staticmethod
    def answer(answered: Answer) -> list[Node]:
        sources = _para("källor / sources: ", classes=["bk-answer-sources"])
        for index, source_id in enumerate(answered.sources):
            if index:
                sources += nodes.Text(", ")
            sources += _xref("source", source_id)
        if answered.read_on is not None:
            sources += nodes.Text(f"; lästa / read {answered.read_on}")
        return [*_bilingual(answered.text.sv, answered.text.en), sources]

    def rows_table(self, table_set: TableSet, resting: list[tuple[Table, Row]]) -> nodes.table:
        grid, body = _grid(
            ["bk-question-rows"], (_HEAD["row"], "Status", _HEAD["note"]), (40, 15, 45)
        )
        for table, row in resting:
            tr = nodes.row()
            key = docs.row_key(table, row)
            for cell in (
                [_para(_xref("row", key))],
                [_para(status_marker(row.status))],
                _bilingual(row.note.sv, row.note.en),
            ):
                entry = nodes.entry()
                entry += cell
                tr += entry
            body += tr
        return grid
