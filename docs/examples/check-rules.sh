#!/usr/bin/env bash
# Check a repository's own decision tables, and report what a change does to decisions.
#
#   usage: check-rules.sh [TABLES_DIR] [BASE_REF]      (defaults: tables, origin/main)
#
# Exits non-zero when `betanketid-rules check` finds anything. Writes the semantic diff of
# BASE_REF's tables against the working tree to rule-changes.md (Markdown, for a pull-request
# comment) and rule-changes.json (for machines).
set -euo pipefail
tables=${1:-tables}
base=${2:-origin/main}

# 1. The tool: use the one on PATH, or install it into a private virtual environment.
#    Set BETANKETID_RULES_PACKAGE to what your project pins (a version, a wheel or a git URL).
if ! command -v betanketid-rules >/dev/null 2>&1; then
  python3 -m venv .rules-venv
  .rules-venv/bin/pip install --quiet "${BETANKETID_RULES_PACKAGE:-betanketid-rules}"
  PATH="$PWD/.rules-venv/bin:$PATH"
fi

# 2. Every table loads, is complete, has no overlaps or dead rows, cites known sources,
#    and both engines agree. Any finding fails the job.
betanketid-rules check "$tables"

# 3. What the change does to decisions: the base's tables against the working tree.
if git cat-file -e "$base:$tables" 2>/dev/null; then
  old=$(mktemp -d)
  trap 'rm -rf "$old"' EXIT
  git archive "$base" "$tables" | tar -x -C "$old"
  betanketid-rules diff "$old/$tables" "$tables" --format markdown > rule-changes.md
  betanketid-rules diff "$old/$tables" "$tables" --format json > rule-changes.json
  echo "rule changes against $base: rule-changes.md"
else
  echo "no $tables at $base: nothing to compare"
fi
