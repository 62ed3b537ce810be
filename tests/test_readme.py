"""The README's commands run as written, in a fresh shell, after its two set-up commands.

Every ``sh`` block that does not install is run as a script (``bash -e``: every command must
succeed) from a folder that holds what the set-up gives (``.venv``) beside the checkout's
``tables`` and ``examples``, with nothing else on the path; none may print a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent


def readme_blocks() -> list[str]:
    """Every ``sh`` block of the README that runs commands (the blocks that install are the
    set-up, which CI's own install stands for)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [block for block in blocks if "pip install" not in block]


def test_the_readme_has_commands_to_run() -> None:
    assert sum(len(block.strip().splitlines()) for block in readme_blocks()) >= 8


@pytest.mark.parametrize("block", readme_blocks(), ids=lambda block: block.split()[0][:30])
def test_the_readme_commands_run_as_written(block: str, tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(VENV)
    for name in ("tables", "examples"):
        (tmp_path / name).symlink_to(ROOT / name)
    done = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=tmp_path,
        input="",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_the_readme_python_example_prints_what_its_comments_say(tmp_path: Path) -> None:
    """The Python block runs, and each ``print(...)  # shown`` line prints what the comment
    shows (so an example whose outcome changes cannot go unnoticed)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)[0]
    promised = re.findall(r"^print\(.*\)\s+#\s*(.+)$", block, flags=re.MULTILINE)
    assert promised, "the README's Python example shows no output"
    done = subprocess.run(
        [sys.executable, "-c", block],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    printed = done.stdout.splitlines()
    for shown in promised:
        assert shown in printed, f"README promises {shown!r}; printed {printed[:3]}"


def test_the_readme_names_the_schemas_and_the_batch_error_modes() -> None:
    """Seen: the README mentioned neither the JSON Schemas nor ``on_error="collect"``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'on_error="collect"' in text
    assert "betanketid-rules schema" in text
