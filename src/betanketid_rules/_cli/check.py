"""``betanketid-rules check``: verify a table directory exhaustively; exit 1 on any finding."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._tables import default_tables_dir
from ._common import EXIT_FINDINGS, EXIT_OK, CommandError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="verify a table directory exhaustively (gaps, overlaps, dead rows, citations, "
        "versions, open questions, engine agreement)",
        description="Load every table of TABLES_DIR (default: the package's tables) without "
        "stopping at the first problem, then evaluate every table on every point of its "
        "reachable input domain. Every problem is a finding, described by the region of inputs "
        "where it holds. Exit 0 when there is none, 1 when there is any, 2 for bad arguments, "
        "3 when the check itself fails. "
        "The output ends with one summary line (tables, versions, points, findings, seconds); "
        "with --format json it goes to stderr and stdout holds only the JSON report.",
    )
    parser.add_argument(
        "tables", nargs="?", type=Path, metavar="TABLES_DIR", help="table directory to check"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="output_format")
    parser.add_argument(
        "--no-engines",
        action="store_true",
        help="leave out the comparison of the native and durable engines",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the directory and print the report."""
    from .._verify.check import check_tables  # noqa: PLC0415 (imported when the command runs)

    directory: Path = args.tables if args.tables is not None else default_tables_dir()
    if not directory.is_dir():
        raise CommandError(f"not a directory: {directory}")
    report = check_tables(directory, engines=not args.no_engines)
    if args.output_format == "json":
        print(report.to_json_text())
        print(report.summary(), file=sys.stderr)
    else:
        print(report.to_text())
    return EXIT_OK if report.ok else EXIT_FINDINGS
