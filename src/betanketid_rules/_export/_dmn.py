"""DMN 1.3 XML of the tables: one file per table version, one per period of the table set.

A table becomes a decision whose decision table has the table's inputs (type and allowed
values from the column's domain), outputs, rules (cells as FEEL unary tests) and, per rule,
annotations naming the row id, its status, citations, open questions and note. The hit policy
is the one DMN defines for the library's: UNIQUE, FIRST and PRIORITY stay; COLLECT LIST is
COLLECT, COLLECT COUNT is COLLECT with the COUNT aggregator. COLLECT MAX and MIN pick by the
output's *declared* value order, which DMN's MAX and MIN (by FEEL's ``<``, alphabetical on
strings) do not: they are exported as PRIORITY, with output values in the order of priority
(the maximum first for MAX) and the table's default as the default output entry, which is what
the library's aggregation gives at every point (see :func:`exported_policy`).

A period's file chains the tables in force as the library does: each decision requires the
decisions it reads an output of and the case data it reads.

>>> from betanketid_rules._tables import default_table_set
>>> table = default_table_set().table("utl-5-15-conditions@2022-08-01")
>>> policy = exported_policy(table)
>>> policy.hit_policy, policy.output_values["effect"], policy.defaults["effect"]
('PRIORITY', ('unmet', 'open', 'met'), 'met')
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._engine._chain import row_citations
from .._render import format_citation
from .._tables import Period, Table, TableSet
from .._tables._columns import CaseField, DerivedValue, UpstreamOutput
from .._types import CellScalar, Lang
from .._version import VERSION
from ._feel import literal, name, type_ref, unary_tests

MODEL = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMNDI = "https://www.omg.org/spec/DMN/20191111/DMNDI/"
DC = "http://www.omg.org/spec/DMN/20180521/DC/"
DI = "http://www.omg.org/spec/DMN/20180521/DI/"

ET.register_namespace("", MODEL)
ET.register_namespace("dmndi", DMNDI)
ET.register_namespace("dc", DC)
ET.register_namespace("di", DI)

#: The annotation columns of every exported decision table, in each language.
ANNOTATIONS: dict[Lang, tuple[str, str, str, str, str]] = {
    "sv": ("rad", "status", "hänvisningar", "öppna frågor", "anteckning"),
    "en": ("row id", "status", "citations", "open questions", "note"),
}

_SIZE = {"decision": (180, 80), "inputData": (150, 45)}


@dataclass(frozen=True)
class ExportedPolicy:
    """The DMN hit policy a table is exported with, and what it needs to mean the same."""

    hit_policy: str
    aggregation: str | None
    #: Per output, the output values in DMN's order of priority (for PRIORITY only).
    output_values: dict[str, tuple[CellScalar, ...]]
    #: Per output, the value when no rule matches (``defaultOutputEntry``), where there is one.
    defaults: dict[str, CellScalar]


def exported_policy(table: Table) -> ExportedPolicy:
    """The DMN hit policy that gives, at every point, what the library's policy of ``table``
    gives (the module docstring says why COLLECT MAX and MIN become PRIORITY)."""
    spec = table.spec
    if spec.hit_policy == "PRIORITY":
        return ExportedPolicy(
            "PRIORITY", None, {output.name: output.values for output in spec.outputs}, {}
        )
    if spec.hit_policy != "COLLECT":
        return ExportedPolicy(spec.hit_policy, None, {}, {})
    if spec.aggregation in ("MAX", "MIN"):
        output = spec.outputs[0]
        order = output.values[::-1] if spec.aggregation == "MAX" else output.values
        defaults: dict[str, CellScalar] = {}
        if output.default is not None:
            defaults[output.name] = output.default
        return ExportedPolicy("PRIORITY", None, {output.name: order}, defaults)
    return ExportedPolicy("COLLECT", "COUNT" if spec.aggregation == "COUNT" else None, {}, {})


def _id(*parts: str) -> str:
    return "_".join(name(part) for part in parts)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{MODEL}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _text_child(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = _sub(parent, tag, **attributes)
    _sub(element, "text", text)
    return element


@dataclass(frozen=True)
class _Requirement:
    """A DRG element a decision requires: its id, and whether it is a decision."""

    href: str
    decision: bool


def _annotations(table_set: TableSet, table: Table, index: int, lang: Lang) -> list[str]:
    row = table.spec.rows[index]
    vocabulary = table_set.vocabulary
    status: str = row.status
    if vocabulary is not None:
        label = vocabulary.statuses[row.status].label
        status = label.sv if lang == "sv" else label.en
    citations = "; ".join(
        format_citation(cited, lang, table_set) for cited in row_citations(table_set, row)
    )
    note = row.note.sv if lang == "sv" else row.note.en
    return [row.id, status, citations, ", ".join(row.open_questions), note]


def _decision(
    parent: ET.Element,
    table_set: TableSet,
    table: Table,
    expressions: Sequence[str],
    requirements: Sequence[_Requirement],
    lang: Lang,
) -> ET.Element:
    """The decision element of ``table``, its inputs read by ``expressions``."""
    spec = table.spec
    base = _id(table.family)
    decision = _sub(parent, "decision", id=base, name=name(table.family), label=table.key)
    _sub(decision, "description", spec.title.sv if lang == "sv" else spec.title.en)
    outputs = spec.outputs
    single = type_ref(outputs[0].values) if len(outputs) == 1 else None
    policy = exported_policy(table)
    variable = {"typeRef": single} if single and policy.hit_policy != "COLLECT" else {}
    _sub(decision, "variable", id=f"{base}_variable", name=name(table.family), **variable)
    for index, requirement in enumerate(requirements):
        needed = _sub(decision, "informationRequirement", id=f"{base}_requirement_{index}")
        kind = "requiredDecision" if requirement.decision else "requiredInput"
        _sub(needed, kind, href=f"#{requirement.href}")
    attributes = {"id": f"{base}_table", "hitPolicy": policy.hit_policy}
    if policy.aggregation:
        attributes["aggregation"] = policy.aggregation
    grid = _sub(decision, "decisionTable", **attributes)
    for position, (column, expression) in enumerate(zip(table.columns, expressions, strict=True)):
        clause = _sub(grid, "input", id=f"{base}_input_{position}", label=column.name)
        _text_child(
            clause,
            "inputExpression",
            expression,
            id=f"{base}_input_{position}_expression",
            typeRef=type_ref(column.domain),
        )
        _text_child(clause, "inputValues", unary_tests(column.domain, column.domain))
    for position, output in enumerate(outputs):
        clause = _sub(
            grid,
            "output",
            id=f"{base}_output_{position}",
            name=output.name,
            label=output.name,
            typeRef=type_ref(output.values),
        )
        order = policy.output_values.get(output.name)
        if order is not None:
            _text_child(clause, "outputValues", ",".join(literal(value) for value in order))
        if output.name in policy.defaults:
            _text_child(clause, "defaultOutputEntry", literal(policy.defaults[output.name]))
    for heading in ANNOTATIONS[lang]:
        _sub(grid, "annotation", name=heading)
    for index, cells in enumerate(table.cells):
        row = spec.rows[index]
        rule = _sub(grid, "rule", id=_id(table.family, "row", row.id))
        for position, (cell, column) in enumerate(zip(cells, table.columns, strict=True)):
            _text_child(
                rule,
                "inputEntry",
                unary_tests(cell, column.domain),
                id=_id(table.family, "row", row.id, "in", str(position)),
            )
        for position, output in enumerate(outputs):
            _text_child(
                rule,
                "outputEntry",
                literal(row.then[output.name]),
                id=_id(table.family, "row", row.id, "out", str(position)),
            )
        for text in _annotations(table_set, table, index, lang):
            entry = ET.SubElement(rule, f"{{{MODEL}}}annotationEntry")
            _sub(entry, "text", text)
    return decision


def _definitions(key: str, description: str) -> ET.Element:
    root = ET.Element(
        f"{{{MODEL}}}definitions",
        {
            "id": _id("definitions", key.replace("@", "_")),
            "name": key,
            "namespace": f"urn:betanketid-rules:{key.replace('@', ':')}",
            "exporter": "betanketid-rules",
            "exporterVersion": VERSION,
        },
    )
    _sub(root, "description", description)
    return root


def _input_data(root: ET.Element, data_id: str, data_name: str, typeref: str | None) -> None:
    element = _sub(root, "inputData", id=data_id, name=data_name)
    attributes = {"typeRef": typeref} if typeref else {}
    _sub(element, "variable", id=f"{data_id}_variable", name=data_name, **attributes)


def _diagram(
    root: ET.Element,
    layers: Sequence[Sequence[tuple[str, str]]],
    edges: Iterable[tuple[str, str, str]],
) -> None:
    """Shapes in horizontal layers (top first; each element ``(id, kind)``) and an edge from
    each source to each target ``(requirement id, source id, target id)``."""
    di = ET.SubElement(root, f"{{{DMNDI}}}DMNDI")
    diagram = ET.SubElement(di, f"{{{DMNDI}}}DMNDiagram", {"id": f"{root.get('id')}_diagram"})
    centres: dict[str, tuple[int, int, int, int]] = {}
    for depth, layer in enumerate(layers):
        x = 160 + depth * 90  # clear of the modeler's palette; staggered so edges part
        for element_id, kind in layer:
            width, height = _SIZE[kind]
            y = 140 + depth * 160
            shape = ET.SubElement(
                diagram,
                f"{{{DMNDI}}}DMNShape",
                {"id": f"{element_id}_shape", "dmnElementRef": element_id},
            )
            bounds = {"x": x, "y": y, "width": width, "height": height}
            ET.SubElement(shape, f"{{{DC}}}Bounds", {k: str(v) for k, v in bounds.items()})
            centres[element_id] = (x + width // 2, y, y + height, 0)
            x += width + 40
    for requirement, source, target in edges:
        edge = ET.SubElement(
            diagram,
            f"{{{DMNDI}}}DMNEdge",
            {"id": f"{requirement}_edge", "dmnElementRef": requirement},
        )
        source_x, source_top, _, _ = centres[source]
        target_x, _, target_bottom, _ = centres[target]
        for x, y in ((source_x, source_top), (target_x, target_bottom)):
            ET.SubElement(edge, f"{{{DI}}}waypoint", {"x": str(x), "y": str(y)})


def _in_force(table_first: dt.date, table_last: dt.date | None) -> str:
    return f"{table_first.isoformat()} – {table_last.isoformat() if table_last else ''}".strip()


def table_definitions(table_set: TableSet, table: Table, lang: Lang = "sv") -> ET.Element:
    """The DMN definitions of one table version: its decision and one input per column."""
    spec = table.spec
    title = spec.title.sv if lang == "sv" else spec.title.en
    root = _definitions(
        table.key,
        f"{title}; {table.key}, {_in_force(spec.in_force_from, spec.in_force_to)}, "
        f"sha256 {table.sha256}",
    )
    data = [(_id("input", column.name), column) for column in table.columns]
    requirements = [_Requirement(data_id, decision=False) for data_id, _ in data]
    decision = _decision(
        root, table_set, table, [column.name for column in table.columns], requirements, lang
    )
    for data_id, column in data:
        _input_data(root, data_id, column.name, type_ref(column.domain))
    edges = [
        (f"{decision.get('id')}_requirement_{index}", data_id, str(decision.get("id")))
        for index, (data_id, _) in enumerate(data)
    ]
    _diagram(
        root,
        [[(str(decision.get("id")), "decision")], [(d, "inputData") for d, _ in data]],
        edges,
    )
    return root


def _case_expression(
    table: Table, column_source: CaseField | DerivedValue
) -> tuple[str, str, str | None]:
    """How a chained decision reads a case value: the expression, the input data it needs and
    that data's type."""
    if isinstance(column_source, DerivedValue):
        field = column_source.date_field
        first_day = table.spec.in_force_from.isoformat()
        return (f'{field} != null and {field} < date("{first_day}")', field, "date")
    head = column_source.parts[0]
    kind = type_ref(column_source.domain) if len(column_source.parts) == 1 else None
    return (column_source.path, head, kind)


def period_definitions(table_set: TableSet, period: Period, lang: Lang = "sv") -> ET.Element:
    """The DMN definitions of the tables in force in ``period``, chained as the library chains
    them: a decision reads an earlier decision's output, or the case's data."""
    last = period.last_day
    key = f"in-force@{period.first_day.isoformat()}"
    root = _definitions(
        key,
        f"{_in_force(period.first_day, last)}: " + ", ".join(table.key for table in period.tables),
    )
    by_family = {table.family: table for table in period.tables}
    data_types: dict[str, str | None] = {}
    edges: list[tuple[str, str, str]] = []
    for table in period.tables:
        expressions: list[str] = []
        requirements: list[_Requirement] = []
        for column in table.columns:
            source = column.source
            if isinstance(source, UpstreamOutput):
                upstream = by_family[source.family]
                single = len(upstream.spec.outputs) == 1
                read = name(source.family) + ("" if single else f".{source.output}")
                expressions.append(read)
                requirement = _Requirement(_id(source.family), decision=True)
            else:
                expression, data, kind = _case_expression(table, source)
                expressions.append(expression)
                data_types.setdefault(data, kind)
                requirement = _Requirement(_id("input", data), decision=False)
            if requirement not in requirements:
                requirements.append(requirement)
        decision = _decision(root, table_set, table, expressions, requirements, lang)
        edges.extend(
            (f"{decision.get('id')}_requirement_{index}", needed.href, str(decision.get("id")))
            for index, needed in enumerate(requirements)
        )
    for data, kind in data_types.items():
        _input_data(root, _id("input", data), data, kind)
    depth: dict[str, int] = {}
    for table in period.tables:  # in evaluation order: what a table reads comes before it
        below = [depth[family] + 1 for family in table.upstream_families if family in depth]
        depth[table.family] = max(below, default=0)
    layers = [
        [(_id(table.family), "decision") for table in period.tables if depth[table.family] == d]
        for d in range(max(depth.values()), -1, -1)
    ]
    _diagram(root, [*layers, [(_id("input", data), "inputData") for data in data_types]], edges)
    return root


def to_bytes(root: ET.Element) -> bytes:
    """The XML document of ``root``, indented, with its declaration."""
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def table_file_name(table: Table) -> str:
    """The file a table version is exported to: ``utl-5-15-outcome@2022-08-01.dmn``."""
    return f"{table.key}.dmn"


def period_file_name(period: Period) -> str:
    """The file a period's chain is exported to: ``in-force@2022-08-01.dmn``."""
    return f"in-force@{period.first_day.isoformat()}.dmn"


def write_dmn(
    table_set: TableSet, out: Path, tables: Sequence[Table] | None = None, lang: Lang = "sv"
) -> list[Path]:
    """Write the DMN files of ``tables`` (every table version, and then every period's chain,
    when None) to the directory ``out``; returns the files written.

    >>> import tempfile
    >>> from betanketid_rules._tables import default_table_set
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [path.name for path in write_dmn(default_table_set(), Path(out))][-1]
    'in-force@2022-08-01.dmn'
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in list(table_set) if tables is None else tables:
        path = out / table_file_name(table)
        path.write_bytes(to_bytes(table_definitions(table_set, table, lang)))
        written.append(path)
    if tables is None:
        for period in table_set.periods():
            path = out / period_file_name(period)
            path.write_bytes(to_bytes(period_definitions(table_set, period, lang)))
            written.append(path)
    return written
