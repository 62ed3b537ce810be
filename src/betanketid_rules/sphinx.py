"""Sphinx extension: documentation pages generated from the decision tables.

Everything a reviewer reads about the rules is rendered from the table data, so the pages
cannot drift from the tables the engines evaluate. Enable it in ``conf.py``::

    extensions = ["betanketid_rules.sphinx"]
    betanketid_tables_dir = "../tables"   # optional; default: the package's own tables

Directives
    ``.. betanketid-table:: FAMILY@VERSION``
        one table version: what it encodes, its hit policy and columns, and its rows as a
        table (conditions, outcome, citations linked to the registry's URLs, the status of
        each row and citation, the open questions it rests on, the note in Swedish and
        English).
    ``.. betanketid-family:: FAMILY``
        a family: one section per wording, each with the version's table and what changed
        from the wording before (the semantic diff of the two tables,
        :func:`betanketid_rules._verify.diff.diff_table_versions`).
    ``.. betanketid-decision-changes::``
        for every date a wording changes, what changes in decisions (the whole chain the day
        before against the chain that day).
    ``.. betanketid-sources::``
        the source registry: every entry, what cites it, its URL.
    ``.. betanketid-open-questions::``
        every open legal question, the rows that rest on it, where to verify it.
    ``.. betanketid-social-services:: sv|en``
        what the reflection period is, who may apply and what is examined, from the rows.
    ``.. betanketid-schema:: case|decision``
        the JSON Schema of a contract model (what ``betanketid-rules schema`` prints).
    ``.. betanketid-fields:: MODULE.MODEL``
        the fields of a pydantic model (type, default, description) as a table.
    ``.. betanketid-summary::`` and ``.. betanketid-legend::``
        counts and content hash of the table set; the status markers and what they mean.
    ``.. betanketid-console::``
        a shell session shown as a console block; the test-suite runs it and compares the
        output (``tests/test_docs.py``).

Roles (domain ``betanketid``)
    ``:betanketid:row:`FAMILY@VERSION/ROW```, ``:betanketid:table:`FAMILY@VERSION```,
    ``:betanketid:family:`FAMILY```, ``:betanketid:source:`ID```,
    ``:betanketid:question:`ID```.

With ``betanketid_require_complete = True`` (the default) the build warns — an error under
``sphinx-build -W`` — when a family, table version, row, source or open question of the
table set is not rendered anywhere, or a reference to one does not resolve.
"""

from __future__ import annotations

from ._sphinx._domain import BetanketidDomain, anchor_id
from ._sphinx._nodes import status_marker
from ._sphinx._schema_fields import type_text
from ._sphinx._setup import setup
from ._sphinx._table_set import table_set_of

__all__ = ["BetanketidDomain", "anchor_id", "setup", "status_marker", "table_set_of", "type_text"]
