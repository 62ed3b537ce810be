"""``betanketid-rules diff OLD NEW``: what a change of the tables changes in decisions."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import typing
from pathlib import Path

from .._errors import InvalidArgumentError, TableError
from .._tables import TableSet, default_tables_dir, load_table_set
from .._types import DiffFormat
from ._common import EXIT_FINDINGS, EXIT_OK, CommandError

if typing.TYPE_CHECKING:
    from .._verify.report import DiffReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``diff`` command."""
    parser = subparsers.add_parser(
        "diff",
        help="what a new wording changes in decisions: two tables, two dates or two "
        "table directories",
        description="Compare OLD with NEW over every input the compared tables read, and print "
        "each region of inputs whose decision changes (outcome, permit type or length, cited "
        "provision) with before -> after, the rows on both sides and the number of points; "
        "then the changes only in a citation's wording, status or source. OLD and NEW are two "
        "tables (family@version, or family@date for the version in force on that date), two "
        "dates (YYYY-MM-DD: the whole chain in force on each), or two table directories (e.g. "
        "a checkout of the previous release against the working tree).",
    )
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")
    parser.add_argument(
        "--tables",
        type=Path,
        metavar="DIR",
        help="table directory for tables and dates (default: the package's tables)",
    )
    parser.add_argument(
        "--format", choices=typing.get_args(DiffFormat), default="text", dest="output_format"
    )
    parser.add_argument(
        "--labels",
        nargs=2,
        metavar=("OLD_LABEL", "NEW_LABEL"),
        help="names for the two sides in the report (e.g. a release tag and a commit)",
    )
    parser.add_argument(
        "--exit-code",
        action="store_true",
        help=f"exit {EXIT_FINDINGS} when anything changes (like git diff --exit-code)",
    )
    parser.set_defaults(run=run)


def _load(directory: Path) -> TableSet:
    if not directory.is_dir():
        raise CommandError(f"not a directory: {directory}")
    try:
        return load_table_set(directory)
    except TableError as error:
        problems = "; ".join(str(problem) for problem in error.problems[:5])
        more = f" (and {len(error.problems) - 5} more)" if len(error.problems) > 5 else ""
        raise CommandError(
            f"the tables in {directory} do not load (run 'betanketid-rules check "
            f"{directory}'): {problems}{more}"
        ) from None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def compute(old: str, new: str, tables: Path | None) -> DiffReport:
    """The report for the command's arguments; :class:`CommandError` if they do not fit."""
    from .._verify.diff import (  # noqa: PLC0415 (imported when the command runs)
        diff_dates,
        diff_table_sets,
        diff_table_versions,
    )

    if Path(old).is_dir() or Path(new).is_dir():
        if not (Path(old).is_dir() and Path(new).is_dir()):
            raise CommandError("OLD and NEW must both be table directories")
        return diff_table_sets(_load(Path(old)), _load(Path(new)))
    table_set = _load(tables if tables is not None else default_tables_dir())
    if "@" in old or "@" in new:
        if "@" not in old or "@" not in new:
            raise CommandError("OLD and NEW must both be tables (family@version)")
        try:
            return diff_table_versions(table_set, old, new)
        except KeyError as error:
            raise CommandError(str(error.args[0])) from None
        except InvalidArgumentError as error:  # two families
            raise CommandError(str(error)) from None
    old_date, new_date = _date(old), _date(new)
    if old_date is None or new_date is None:
        raise CommandError(
            "OLD and NEW must be two tables (family@version), two dates (YYYY-MM-DD) "
            f"or two directories, not {old!r} and {new!r}"
        )
    try:
        return diff_dates(table_set, old_date, new_date)
    except LookupError as error:
        raise CommandError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Compute and print the diff."""
    from .._verify.diff import render_diff  # noqa: PLC0415 (imported when the command runs)

    report = compute(args.old, args.new, args.tables)
    if args.labels:
        report.old, report.new = args.labels
    sys.stdout.write(render_diff(report, args.output_format).rstrip("\n") + "\n")
    if args.exit_code and report.changed:
        return EXIT_FINDINGS
    return EXIT_OK
