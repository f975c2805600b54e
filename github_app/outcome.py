"""`prodready review`'s exit status, from a review result (pure), and the --help text that documents it."""

from __future__ import annotations

from github_app.result import ReviewResult

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

# Skip reasons scan.py gives a file Semgrep started on but could not finish: the review of that file
# is incomplete, which is different from a file deliberately left out (binary, deleted, ignored).
_PARTIAL_PREFIXES = ("timed out", "partly unparsed")


def partial_reasons(result: ReviewResult) -> list[str]:
    """One line per file or error that makes the scan partial."""
    reasons = [f"{s.path}: {s.reason}" for s in result.skipped if s.reason.startswith(_PARTIAL_PREFIXES)]
    return reasons + [f"scanner error: {e}" for e in result.errors]


def exit_code(result: ReviewResult, *, allow_partial: bool) -> int:
    if result.blocking:
        return EXIT_BLOCKED
    if partial_reasons(result) and not allow_partial:
        return EXIT_PARTIAL
    return EXIT_OK


REVIEW_EPILOG = """\
exit status:
  0  nothing blocks (always, with --fail-on none, unless the scan was partial)
  1  a finding at or above the gate blocks
  2  usage or configuration error, or the base is not in the clone (one line on stderr)
  3  the scan was partial (Semgrep errors or timeouts) and --allow-partial was not given

base, when --base is not given:
  GitHub Actions, pull_request:  origin/$GITHUB_BASE_REF
  GitHub Actions, merge_group:   merge_group.base_sha from $GITHUB_EVENT_PATH
  GitHub Actions, other events:  the repository's default branch from $GITHUB_EVENT_PATH
  elsewhere:                     origin/HEAD, origin/main, origin/master, main, master
  never the branch's own upstream. In a shallow clone, fetch the base (`fetch-depth: 0`).

environment:
  GITHUB_ACTIONS, GITHUB_EVENT_NAME, GITHUB_BASE_REF, GITHUB_EVENT_PATH  choose the base (above)
  PRODREADY_RULES_DIR      the built-in rules folder (default: the installed package's)
  PRODREADY_SEMGREP_ENGINE experimental (default) or default Semgrep front end
  PRODREADY_SEMGREP_JOBS   Semgrep processes per scan (default: one per core, at most 4)
"""
