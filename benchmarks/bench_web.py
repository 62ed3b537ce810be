"""Load on the web service: ``POST /api/v1/decisions`` over loopback against ``serve``, with the
bare ``evaluate()`` cost measured in the same run, so the HTTP overhead is a ratio.

``betanketid-rules serve`` runs as a subprocess on a free loopback port (one worker unless
``--workers``). ``--clients`` threads (default 8), each with its own keep-alive connection,
send ``--requests`` requests each (default 2,000) of varied valid cases (the seeded case set
of ``bench_engines.py``: every standing input of the 2022 table, facts drawn per case), each
client starting at a different place in the set. Every answer is checked: status 200 and the
outcome ``evaluate()`` gives the same case; anything else counts as an error, and the script
exits 1 if there is one.

Printed: p50, p99 and max latency, requests per second, and beside them the bare
``evaluate()`` per case and the in-process work of one request without HTTP (strict parse,
validate, decide, write the decision's JSON), each over the same cases in this process, then
the ratios. Client and server share the machine's cores (two here): the figures are for
loopback on one machine, not for a server with its own cores.

    .venv/bin/python benchmarks/bench_web.py              # about a minute on 2 cores
    .venv/bin/python benchmarks/bench_web.py --quick      # smoke run
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engines import cases

from betanketid_rules import Case, evaluate
from betanketid_rules._json import parse_json
from betanketid_rules._json_out import decision_json

API = "/api/v1/decisions"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve_command(port: int, workers: int) -> list[str]:
    """``betanketid-rules serve`` from this environment (the script beside the interpreter)."""
    script = Path(sys.executable).with_name("betanketid-rules")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "betanketid_rules"]
    return [*head, "serve", "--port", str(port), "--workers", str(workers)]


def _wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"serve did not answer on port {port} within {timeout} s")


def _client(
    port: int,
    bodies: list[bytes],
    expected: list[str],
    start: int,
    count: int,
    latencies: list[float],
    errors: list[str],
) -> None:
    """One client: ``count`` requests on one keep-alive connection, each timed and checked."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    for step in range(count):
        index = (start + step) % len(bodies)
        began = time.perf_counter()
        try:
            connection.request("POST", API, body=bodies[index], headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except OSError as error:
            errors.append(f"case {index}: {error}")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - began)
        if response.status != 200:
            errors.append(f"case {index}: HTTP {response.status}")
        elif json.loads(payload)["outcome"] != expected[index]:
            errors.append(f"case {index}: outcome differs from evaluate()")
    connection.close()


def _per_case(run: list[Case], work: object, repeats: int = 5) -> float:
    """The median over ``repeats`` passes of the time per case of ``work(case)``."""
    assert callable(work)
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        for case in run:
            work(case)
        times.append((time.perf_counter() - began) / len(run))
    return statistics.median(times)


def _in_process(body: bytes) -> bytes:
    """What the server does for one request beyond HTTP: read, validate, decide, write."""
    return decision_json(evaluate(Case.model_validate(parse_json(body))))


def _load(
    args: argparse.Namespace, bodies: list[bytes], expected: list[str]
) -> tuple[list[float], list[str], float]:
    """Start ``serve``, warm it up, run the clients; their latencies, errors and wall time."""
    port = _free_port()
    server = subprocess.Popen(
        _serve_command(port, args.workers), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_until_up(port)
        _client(port, bodies, expected, 0, min(len(bodies), 500), [], [])  # warm-up
        latencies: list[float] = []
        errors: list[str] = []
        step = len(bodies) // args.clients
        threads = [
            threading.Thread(
                target=_client,
                args=(port, bodies, expected, n * step, args.requests, latencies, errors),
            )
            for n in range(args.clients)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return latencies, errors, time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    """Run the load and print the figures; 1 if any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="per client")
    parser.add_argument("--cases", type=int, default=2000, help="distinct cases sent")
    parser.add_argument("--workers", type=int, default=1, help="serve --workers")
    parser.add_argument("--quick", action="store_true", help="2 clients x 200 requests")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.requests, args.cases = 2, 200, 400

    case_set = cases(args.cases)
    bodies = [case.model_dump_json().encode() for case in case_set]
    expected = [evaluate(case).outcome for case in case_set]
    latencies, errors, elapsed = _load(args, bodies, expected)

    bare = _per_case(case_set, evaluate)
    work = _per_case(case_set, lambda case: _in_process(case.model_dump_json().encode()))
    serialise = _per_case(case_set, lambda case: case.model_dump_json())
    in_process = work - serialise  # the case's own dump is the benchmark's, not the server's

    sent = args.clients * args.requests
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    rate = len(latencies) / elapsed
    print(
        f"serve --workers {args.workers}: {args.clients} clients x {args.requests} requests "
        f"= {sent} POST {API}, {len(case_set)} distinct cases"
    )
    print(f"  errors                     {len(errors)}")
    print(f"  requests/s                 {rate:,.0f}")
    print(f"  latency p50                {p50 * 1e3:.2f} ms")
    print(f"  latency p99                {p99 * 1e3:.2f} ms")
    print(f"  latency max                {ordered[-1] * 1e3:.2f} ms")
    print(f"  evaluate() per case        {bare * 1e6:.1f} us   (same cases, this process)")
    print(f"  parse+validate+decide+JSON {in_process * 1e6:.1f} us   (a request's work, no HTTP)")
    print(f"  time per request (1/rate)  {1e6 / rate:.1f} us")
    print("ratios:")
    print(f"  latency p50 / evaluate()            {p50 / bare:,.0f}")
    print(f"  time per request / evaluate()       {(1 / rate) / bare:,.1f}")
    print(f"  time per request / request's work   {(1 / rate) / in_process:,.1f}")
    for error in errors[:5]:
        print(f"  error: {error}")
    return 1 if errors or len(latencies) != sent else 0


if __name__ == "__main__":
    sys.exit(main())
