"""The ``betanketid-rules`` command line: a thin layer over the library.

Each sub-command lives in its own module of this package and defines ``register(subparsers)``;
the module is found automatically, so adding a command touches no shared file.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from .. import __version__
from .._errors import BetanketidError
from ._common import EXIT_INTERNAL, CommandError


def _version() -> str:
    try:
        from .._tables import default_table_set  # noqa: PLC0415

        tables = default_table_set().content_hash
    except BetanketidError as error:
        tables = f"unavailable ({error})"
    return f"betanketid-rules {__version__} (tables sha256 {tables})"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(_version())
        parser.exit()


@functools.cache
def _command_names() -> tuple[str, ...]:
    """The sub-commands: this package's modules whose names do not start with ``_``."""
    return tuple(
        sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered, or only ``command`` (a run of
    one command needs no other command's module or arguments).

    >>> build_parser("evaluate").parse_args(["evaluate", "--jsonl"]).jsonl
    True
    """
    parser = argparse.ArgumentParser(
        prog="betanketid-rules",
        description="Swedish Aliens Act 5 kap. 15 § (reflection period and evidence-person "
        "permits) as versioned, cited decision tables.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="print the version and the table set hash"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _command_names():
        if command is None or name == command:
            importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the table in :mod:`._common`)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    named = arguments[0] if arguments and arguments[0] in _command_names() else None
    args = build_parser(named).parse_args(arguments)
    try:
        code: int = args.run(args)
        sys.stdout.flush()  # a closed or full output fails here, not at exit
    except CommandError as error:
        print(f"betanketid-rules: {error}", file=sys.stderr)
        return error.exit_code
    except BetanketidError as error:  # an engine that cannot run here, a bug in the tables
        print(f"betanketid-rules: error: {error}", file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:
        # Nothing more can be written there, and Python's flush at exit must not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(
            "betanketid-rules: error: the output was closed before it was written", file=sys.stderr
        )
        return EXIT_INTERNAL
    except OSError as error:  # a full disk, an unreadable device
        print(f"betanketid-rules: error: {error.strerror or error}", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as error:  # a bug: one line, and the code CI can tell from a finding
        print(f"betanketid-rules: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_INTERNAL
    return code


def run() -> None:
    """Console-script entry point.

    The process ends with the command, so its objects are frozen out of the garbage
    collector's reach first: the collection Python runs at exit would walk every object the
    command made (the tables, the models' validators, the caches) to free memory the operating
    system takes back anyway, a sixth of a one-case ``evaluate``'s processor time. Exit
    handlers and the flushing of files still run as usual.
    """
    code = main()
    gc.freeze()
    sys.exit(code)
