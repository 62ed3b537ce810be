"""``betanketid-rules evaluate``: decide one case (JSON) or many (JSON Lines)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol, TextIO, cast

from pydantic import ValidationError

from .._batch import BatchError, batch_error, describe, describe_error
from .._contract import Case
from .._errors import InvalidJsonError
from .._evaluate import evaluate_record
from .._json import MAX_DOCUMENT_BYTES, json_error, oversized, parse_json
from .._json_out import compact_record_json, record_json_pieces
from .._record import DecisionRecord
from .._render import render_record
from ._common import EXIT_BAD_INPUT, EXIT_OK, CommandError, error_language, text_language
from ._input import add_input_options, open_input, read_one


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evaluate`` command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="decide a case given as JSON (or many as JSON Lines)",
        description="Read a case as JSON (or one case per line with --jsonl) from FILE or "
        "stdin and print its decision record (the case's reference, the decision date "
        "applied, the package version, the table-set hash and the decision). With --jsonl "
        "every input line gets exactly one output line, in order: its record, or an error "
        "record naming the line, the reference and the fields (then one summary line on "
        "stderr). Exit 0 when every case was decided, 2 for "
        "invalid input.",
    )
    add_input_options(parser)
    parser.add_argument(
        "--jsonl", action="store_true", help="one case per line; bad lines do not stop the others"
    )
    parser.add_argument(
        "--compact",
        action="store_true",
        help="JSON without the trace: outcome, permit, legal basis, rules fired and open "
        "questions in each record (the trace is one evaluation away)",
    )
    parser.set_defaults(run=run)


def _emit(
    result: DecisionRecord | BatchError,
    args: argparse.Namespace,
    said: str | None = None,
    out: _ByteOutput | None = None,
) -> None:
    if args.output_format == "json":
        out = out or _byte_output()
        if not isinstance(result, DecisionRecord):
            out.write(result.model_dump_json().encode() + b"\n")
        elif args.compact:
            out.write(compact_record_json(result) + b"\n")
        else:  # from its shared pieces, never joined into one copy (a record is ~25 KB)
            out.writelines(record_json_pieces(result, b"\n"))
    elif isinstance(result, DecisionRecord):
        print(render_record(result, text_language(args)))
        print()
    else:
        where = "rad" if error_language(args) == "sv" else "line"
        print(f"{where} {result.line}: {said or describe(result)}")
        print()


class _ByteOutput(Protocol):
    def write(self, data: bytes, /) -> object: ...

    def writelines(self, lines: Iterable[bytes], /) -> None: ...


class _TextOutput:
    """UTF-8 bytes written to a text stream that has no byte stream under it."""

    def __init__(self, text: TextIO) -> None:
        self._text = text

    def write(self, data: bytes, /) -> object:
        return self._text.write(data.decode())

    def writelines(self, lines: Iterable[bytes], /) -> None:
        self._text.write(b"".join(lines).decode())


def _byte_output() -> _ByteOutput:
    """Where UTF-8 bytes go to standard output: its byte stream where it has one (the text
    layer flushed first, so what was printed before stays before), else its text layer."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return _TextOutput(sys.stdout)
    sys.stdout.flush()
    return cast("_ByteOutput", buffer)


def _decide(data: object, engine: str) -> DecisionRecord:
    return evaluate_record(Case.model_validate(data), engine=engine)


def _lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """Each line of ``stream`` without its line end; None for a line longer than a document
    may be (skipped without being held in memory)."""
    limit = MAX_DOCUMENT_BYTES + 2  # a whole document and its "\r\n"
    while line := stream.readline(limit):
        if len(line) == limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield None
            continue
        content = line.rstrip(b"\r\n")
        yield None if len(content) > MAX_DOCUMENT_BYTES else content


def _run_lines(stream: BinaryIO, args: argparse.Namespace) -> int:
    # JSON output goes to the byte stream alone: its writer is taken once, not per line.
    out = _byte_output() if args.output_format == "json" else None
    rejected = 0  # how many lines were not decided (a count: a stream may be long)
    first_line = 0
    first_said = ""  # the first bad line's problems, in the language of the output
    index = -1
    for index, line in enumerate(_lines(stream)):
        data: object = None
        said: str | None = None
        try:
            if line is None:
                raise oversized("the line")
            if not line.strip():
                raise json_error("empty_line")
            data = parse_json(line)
            result: DecisionRecord | BatchError = _decide(data, args.engine)
        except (InvalidJsonError, ValidationError) as error:
            result = batch_error(index, index + 1, error, data)
            rejected += 1
            first_line = first_line or index + 1
            said = describe_error(error, error_language(args))
            first_said = first_said or said
        _emit(result, args, said, out)
    if not rejected:
        return EXIT_OK
    if error_language(args) == "sv":
        head = f"{rejected} av {index + 1} rader avgjordes inte (första: rad {first_line}"
    else:
        head = f"{rejected} of {index + 1} lines not decided (first: line {first_line}"
    print(f"betanketid-rules: {head}: {first_said})", file=sys.stderr)
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    """Evaluate the input and print decisions (or, in JSON Lines, error records in place)."""
    text_language(args)  # a usage error before any input is read
    if args.compact and args.output_format != "json":
        raise CommandError("--compact applies to JSON output, not to --format text")
    if not args.jsonl:
        _emit(
            read_one(args.file, lambda data: _decide(data, args.engine), error_language(args)),
            args,
        )
        return EXIT_OK
    stream = open_input(args.file)
    try:
        return _run_lines(stream, args)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
