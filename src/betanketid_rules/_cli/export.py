"""``betanketid-rules export``: the tables for other tools (DMN 1.3 XML; the decision relation)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import EXIT_OK, CommandError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` command and its kinds."""
    parser = subparsers.add_parser(
        "export", help="write the tables for other tools (DMN 1.3 XML, the decision relation)"
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    dmn = kinds.add_parser(
        "dmn",
        help="DMN 1.3 XML: one file per table version, and one per period chaining the tables "
        "in force",
        description="Write DMN 1.3 XML: a file per table version (FAMILY@VERSION.dmn) and, "
        "when no table is named, a file per period chaining the tables in force "
        "(in-force@FIRST-DAY.dmn). Texts (titles, notes, citations) in the language of --lang.",
    )
    dmn.add_argument(
        "tables",
        nargs="*",
        metavar="FAMILY@VERSION",
        help="the table versions to export (FAMILY@DATE: the version in force that day); "
        "every table and every period when none is named",
    )
    dmn.add_argument("--out", type=Path, default=Path("dmn"), help="directory (default: dmn)")
    dmn.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the texts")
    dmn.set_defaults(run=run)
    relation = kinds.add_parser(
        "relation",
        help="the decision relation: per period and slice (applicant, permit), every "
        "combination of the inputs the decision depends on, decided, for a join in SQL "
        "(DuckDB, Spark, BigQuery)",
        description="Write relation.FORMAT (per period in force and per applicant and permit, "
        "every combination that the contract accepts of the inputs the decision depends on "
        "there, null in the others, with outcome, permit, rows fired and provisions cited), "
        "slices.FORMAT (per period, applicant and permit: which inputs decide) and "
        "periods.FORMAT (each period's days, tables and the cutoff day of each derived "
        "value). Parquet needs the batch extra (pyarrow).",
    )
    relation.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    relation.add_argument(
        "--out", type=Path, default=Path("relation"), help="directory (default: relation)"
    )
    relation.set_defaults(run=run_relation)


def run_relation(args: argparse.Namespace) -> int:
    """Write the relation, the periods and the slices tables and list the files, one per
    line."""
    from .._export._relation import write_relation  # noqa: PLC0415 (the command's own import)
    from .._tables import default_table_set  # noqa: PLC0415

    try:
        paths = write_relation(default_table_set(), args.out, args.format)
    except ImportError as error:
        raise CommandError(str(error)) from None
    for path in paths:
        print(path)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Write the DMN files and list them, one per line."""
    from .._export._dmn import write_dmn  # noqa: PLC0415 (the command's own import)
    from .._tables import default_table_set  # noqa: PLC0415

    table_set = default_table_set()
    try:
        tables = [table_set.resolve(name) for name in args.tables] or None
    except KeyError as error:
        raise CommandError(str(error.args[0])) from None
    for path in write_dmn(table_set, args.out, tables, args.lang):
        print(path)
    return EXIT_OK
