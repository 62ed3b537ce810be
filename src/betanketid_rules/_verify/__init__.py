"""Verification of table sets: exhaustive checks (``check``) and semantic diffs (``diff``).

Import the module you need (``.check``, ``.diff``, ``.regions``, ...): this package imports
nothing itself, so the command line's start-up does not pay for the tools it does not run.
"""
