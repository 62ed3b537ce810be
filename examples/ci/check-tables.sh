#!/usr/bin/env bash
# Generic CI step for a repository that keeps its own betanketid-rules tables.
#
#   1. `betanketid-rules check` verifies the tables exhaustively; any finding fails the build.
#   2. `betanketid-rules diff` compares the previous release's tables with this checkout and
#      writes what changes in decisions as Markdown, ready to post as a pull-request comment.
#
# Usage: check-tables.sh [TABLES_DIR] [BASE_REF]
#   TABLES_DIR  the table directory, relative to the repository root (default: tables)
#   BASE_REF    the git ref of the previous release (default: the latest tag reachable from
#               HEAD, else origin/main). Shallow clones need the history: `git fetch --tags`.
# Environment:
#   BETANKETID_RULES  the command to run (default: betanketid-rules; e.g. "python -m betanketid_rules")
#   OUT               where reports go, outside the checkout (default: $RUNNER_TEMP, $TMPDIR
#                     or /tmp, then /betanketid-ci): check.txt, diff.md, diff.json
#   FAIL_ON_CHANGE    set to 1 to fail when the tables change any decision or citation
#
# Post the comment with your CI's tool, e.g. on GitHub:
#   gh pr comment "$PR" --body-file "$RUNNER_TEMP/betanketid-ci/diff.md"
set -euo pipefail

tables=${1:-tables}
base=${2:-$(git describe --tags --abbrev=0 2>/dev/null || echo origin/main)}
read -r -a cmd <<<"${BETANKETID_RULES:-betanketid-rules}"
out=${OUT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/betanketid-ci}
mkdir -p "$out"

echo "== betanketid-rules check $tables"
set +e
"${cmd[@]}" check "$tables" | tee "$out/check.txt"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "check failed (exit $status): fix the findings above" >&2
  exit "$status"
fi

echo "== betanketid-rules diff $base:$tables -> $tables"
previous="$out/previous"
rm -rf "$previous"
mkdir -p "$previous"
if ! git cat-file -e "$base:$tables" 2>/dev/null; then
  echo "no $tables at $base: nothing to compare with (first release?)" | tee "$out/diff.md"
  exit 0
fi
git archive --format=tar "$base" "$tables" | tar -x -C "$previous"
labels=(--labels "$base" "$(git rev-parse --short HEAD 2>/dev/null || echo HEAD) + changes")
"${cmd[@]}" diff "$previous/$tables" "$tables" "${labels[@]}" --format json >"$out/diff.json"
diff_args=()
if [ "${FAIL_ON_CHANGE:-0}" = 1 ]; then
  diff_args+=(--exit-code)
fi
set +e
"${cmd[@]}" diff "$previous/$tables" "$tables" "${labels[@]}" --format markdown "${diff_args[@]}" \
  >"$out/diff.md"
status=$?
set -e
cat "$out/diff.md"
exit "$status"
