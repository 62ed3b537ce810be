"""Sphinx configuration for betanketid-rules.

Build (warnings are errors):  .venv/bin/sphinx-build -W -b html docs docs/_build/html
Run the examples:             .venv/bin/sphinx-build -W -b doctest docs docs/_build/doctest

Nothing here reaches the network: no intersphinx, no remote images or inventories.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Document the working tree, also when an older copy of the package is installed.
sys.path.insert(0, str(ROOT / "src"))

import betanketid_rules  # noqa: E402

project = "betanketid-rules"
author = "betanketid-rules contributors"
copyright = "betanketid-rules contributors"
release = betanketid_rules.__version__
version = release
language = "en"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "betanketid_rules.sphinx",
]

# The tables this documentation is generated from: the checkout's own.
betanketid_tables_dir = str(ROOT / "tables")
betanketid_require_complete = True

# The limits the security page states, read from the code that enforces them.
from betanketid_rules import _batch, _json  # noqa: E402
from betanketid_rules._tables import _evaluate, _yaml  # noqa: E402

_LIMITS = {
    "max_file_bytes": _yaml.MAX_FILE_BYTES,
    "max_nodes": _yaml.MAX_NODES,
    "max_input_space": _evaluate.MAX_INPUT_SPACE,
    "max_document_bytes": _json.MAX_DOCUMENT_BYTES,
    "max_depth": _json.MAX_DEPTH,
    "max_problems": _batch.MAX_PROBLEMS,
    "max_message": _batch.MAX_MESSAGE,
}
rst_prolog = "\n".join(f".. |{name}| replace:: {value:,}" for name, value in _LIMITS.items())

exclude_patterns = ["_build"]
# Show the tables' text exactly as written (no typographic quotes).
smartquotes = False
nitpicky = False

html_theme = "furo"
html_title = f"betanketid-rules {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_last_updated_fmt = None

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_class_signature = "separated"
autodoc_default_options = {"exclude-members": "model_config, model_fields, model_computed_fields"}

doctest_global_setup = """
from betanketid_rules import evaluate, evaluate_many, Case, Decision
"""
# Only the ``.. doctest::`` blocks of these pages; the docstrings' examples run under pytest.
doctest_test_doctest_blocks = ""
