#!/usr/bin/env bash
# The Action's review step (action.yml), a script so that tests/test_action.py runs exactly this with
# GITHUB_* set on a repository it builds. Installs prodready (unless PRODREADY_BIN names one), reviews
# the change, writes the text report to the job summary and the outputs; the gate is applied by
# action.yml's last step, after the SARIF upload, so a failing review still reaches code scanning.
set -uo pipefail
: "${GITHUB_STEP_SUMMARY:?set by the runner}" "${GITHUB_OUTPUT:?set by the runner}"

action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
# GitHub shows at most 1 MiB of summary per step; the report is clipped below that and says so.
summary_limit=1000000

prodready="${PRODREADY_BIN:-}"
if [ -z "$prodready" ]; then
  venv="$tmp/prodready-venv"
  # The versions the tests passed with (constraints.txt), so the Action runs what was tested.
  if ! { python3 -m venv "$venv" \
         && "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 60 --retries 3 \
              --constraint "$action_dir/constraints.txt" "$action_dir"; }; then
    echo "::error title=prodready::could not install prodready from $action_dir"
    echo "exit-code=2" >> "$GITHUB_OUTPUT"
    exit 0
  fi
  prodready="$venv/bin/prodready"
fi

args=(review --repo "${PRODREADY_REPO:-.}")
[ -n "${PRODREADY_BASE:-}" ] && args+=(--base "$PRODREADY_BASE")
[ -n "${PRODREADY_FAIL_ON:-}" ] && args+=(--fail-on "$PRODREADY_FAIL_ON")
[ -n "${PRODREADY_FILTER:-}" ] && args+=(--filter "$PRODREADY_FILTER")
[ "${PRODREADY_ALLOW_PARTIAL:-false}" = "true" ] && args+=(--allow-partial)
if [ "${PRODREADY_SARIF:-false}" = "true" ]; then
  sarif="$tmp/prodready.sarif"
  args+=(--sarif-output "$sarif")
fi

report="$tmp/prodready-report.txt"
errors="$tmp/prodready-stderr.txt"
"$prodready" "${args[@]}" > "$report" 2> "$errors"
code=$?
cat "$report"
cat "$errors" >&2

{
  echo "## prodready"
  echo
  # A four-backtick fence: the report's own suggestion blocks use three.
  echo '````text'
  head -c "$summary_limit" "$report"
  [ "$(wc -c < "$report")" -gt "$summary_limit" ] && printf '\n... clipped: the full report is in the step log\n'
  echo '````'
  if [ -s "$errors" ]; then
    echo
    echo '````text'
    head -c 20000 "$errors"
    echo '````'
  fi
} >> "$GITHUB_STEP_SUMMARY"

echo "exit-code=$code" >> "$GITHUB_OUTPUT"
if [ -n "${sarif:-}" ] && [ -s "$sarif" ]; then
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi
exit 0
