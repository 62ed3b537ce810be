"""``betanketid-rules serve``: the web service (JSON API and guided form); the ``web`` extra."""

from __future__ import annotations

import argparse

from ._common import EXIT_OK, CommandError

__all__ = ["register", "run"]

_EPILOG = """\
The service keeps no state, so it scales out behind any reverse proxy or load balancer:
  betanketid-rules serve --workers 4 --port 8000
runs four processes on 127.0.0.1:8000; let the proxy (nginx, Caddy, a load balancer) forward
to it, or start such a group on each of several machines.

Privacy: the service's access log records method, path and status only: no request body, no
query string, no client address. The guided form carries some answers (choices, never free
text) in the URL's query string: a proxy that logs query strings would record them. Log
paths only there.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command."""
    parser = subparsers.add_parser(
        "serve",
        help="run the web service: the JSON API (/api/v1) and the guided form (needs the web "
        "extra)",
        description="Run the web service on HOST:PORT (loopback unless told otherwise).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (default 1; see below)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    try:
        import uvicorn  # noqa: PLC0415 (the web extra)

        from .._web import create_app  # noqa: PLC0415
        from .._web._access import log_config  # noqa: PLC0415
    except ImportError as error:
        raise CommandError(
            f"serve needs the web extra: pip install 'betanketid-rules[web]' ({error})"
        ) from error
    if args.workers < 1:
        raise CommandError(f"--workers: must be at least 1, not {args.workers}")
    if args.workers == 1:
        uvicorn.run(create_app(), host=args.host, port=args.port, log_config=log_config())
    else:  # each worker process builds its own application
        uvicorn.run(
            f"{create_app.__module__}:{create_app.__name__}",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            log_config=log_config(),
        )
    return EXIT_OK
