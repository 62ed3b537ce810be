"""The ``betanketid`` domain: where each family, table, row, source and question is rendered."""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.nodes import Element, Node
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ._table_set import table_set_of

logger = logging.getLogger(__name__)

DOMAIN = "betanketid"
KINDS = ("family", "table", "row", "source", "question")


def anchor_id(kind: str, name: str) -> str:
    """The HTML id of a rendered family, table, row, source or question.

    >>> anchor_id("row", "utl-5-15-standing@2022-08-01/5-15-2st-sn")
    'row-utl-5-15-standing-2022-08-01-5-15-2st-sn'
    >>> anchor_id("source", "SRC-20")
    'source-src-20'
    """
    return nodes.make_id(f"{kind}-{name}")


class BetanketidDomain(Domain):
    """Where each family, table, row, source and question is rendered, for cross-references."""

    name = DOMAIN
    label = "betanketid-rules tables"
    object_types: ClassVar[dict[str, ObjType]] = {kind: ObjType(kind, kind) for kind in KINDS}
    roles: ClassVar[dict[str, Any]] = {kind: XRefRole(warn_dangling=True) for kind in KINDS}
    initial_data: ClassVar[dict[str, Any]] = {"anchors": {}}
    data_version = 1

    @property
    def anchors(self) -> dict[str, tuple[str, str, str]]:
        """``kind:name`` -> (docname, anchor id, display text)."""
        return cast(dict[str, tuple[str, str, str]], self.data.setdefault("anchors", {}))

    def note(self, kind: str, name: str, display: str, location: Node) -> str:
        """Record that ``name`` is rendered in the current document; return its anchor id."""
        key = f"{kind}:{name}"
        anchor = anchor_id(kind, name)
        previous = self.anchors.get(key)
        if previous is not None and previous[0] != self.env.docname:
            logger.warning(
                "%s %s is rendered twice (also in %s); use :noindex: on one",
                kind,
                name,
                previous[0],
                location=location,
            )
        self.anchors[key] = (self.env.docname, anchor, display)
        return anchor

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _, _) in list(self.anchors.items()):
            if doc == docname:
                del self.anchors[key]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key, entry in otherdata.get("anchors", {}).items():
            if entry[0] in docnames:
                self.anchors[key] = entry

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        entry = self.anchors.get(f"{typ}:{target}")
        if entry is None:
            return None
        docname, anchor, display = entry
        return make_refnode(builder, fromdocname, docname, anchor, contnode, display)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        found: list[tuple[str, nodes.reference]] = []
        for kind in KINDS:
            ref = self.resolve_xref(env, fromdocname, builder, kind, target, node, contnode)
            if ref is not None:
                found.append((f"{DOMAIN}:{kind}", ref))
        return found

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, (docname, anchor, display) in sorted(self.anchors.items()):
            kind, _, name = key.partition(":")
            yield name, display, kind, docname, anchor, 1

    def check_consistency(self) -> None:
        if not self.env.config.betanketid_require_complete:
            return
        table_set = table_set_of(self.env.config)
        expected = [f"family:{family}" for family in table_set.order]
        for table in table_set:
            expected.append(f"table:{table.key}")
            expected.extend(f"row:{table.key}/{row.id}" for row in table.spec.rows)
        expected += [f"source:{source}" for source in table_set.sources]
        expected += [f"question:{question}" for question in table_set.questions]
        for key in expected:
            if key not in self.anchors:
                kind, _, name = key.partition(":")
                logger.warning(
                    "%s %s of the table set is not rendered on any page "
                    "(betanketid_require_complete is on)",
                    kind,
                    name,
                )


def domain_of(env: BuildEnvironment) -> BetanketidDomain:
    """The ``betanketid`` domain of a build environment."""
    return cast(BetanketidDomain, env.get_domain(DOMAIN))
