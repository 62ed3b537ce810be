"""``betanketid-rules demo``: decide the example cases bundled with the package."""

from __future__ import annotations

import argparse
import json
from importlib import resources

from .._contract import Case
from .._engine import get_engine
from .._evaluate import evaluate
from .._render import render_decision
from ._common import EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo", help="decide the bundled example cases and print them as text"
    )
    parser.add_argument("--lang", choices=("sv", "en"), default="en")
    parser.add_argument("--engine", choices=("native", "durable"), default="native")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print each example case's title and decision."""
    get_engine(args.engine)  # an engine that cannot run here fails before anything is printed
    examples = json.loads(
        resources.files("betanketid_rules").joinpath("demo_cases.json").read_text("utf-8")
    )
    for example in examples:
        case = Case.model_validate(example["case"])
        print(f"== {example['title'][args.lang]}")
        print(f"   {case.model_dump_json()}")
        print(render_decision(evaluate(case, engine=args.engine), args.lang))
        print()
    return EXIT_OK
