"""Start ``betanketid-rules serve`` from a given installation, ask it for its health, the start
page and one decision, and stop it: the web extra alone is enough to run the service.

    python tools/serve_smoke.py PATH/TO/betanketid-rules

Uses the standard library only (the installation under test may have nothing else).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str, body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


def main(command: str) -> int:
    """Run the checks; 0 when the service answered each as expected."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([command, "serve", "--port", str(port)])
    try:
        for _ in range(100):
            try:
                status, body = _get(f"{base}/api/v1/health")
                break
            except OSError:
                time.sleep(0.1)
        else:
            print("serve did not answer within 10 s", file=sys.stderr)
            return 1
        assert status == 200 and json.loads(body)["status"] == "ok", body
        status, page = _get(f"{base}/")
        assert status == 200 and b"<form" in page, page[:200]
        case = {
            "decision_date": "2023-03-15",
            "applicant": "social_welfare_board",
            "permit": "reflection_period",
        }
        status, body = _get(f"{base}/api/v1/decisions", json.dumps(case).encode())
        assert status == 200 and json.loads(body)["outcome"], body[:200]
        print(f"serve answered health, the form and a decision on {base}")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
