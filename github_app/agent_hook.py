"""`prodready claude-hook`: a Claude Code `Stop` hook. When the agent finishes, review the working tree
(`prodready review --worktree --ai --format json`) and hand blocking findings back so the agent fixes them.

Claude Code's contract (hooks reference): the hook gets a JSON object on stdin (`cwd`, `stop_hook_active`,
...); exit 2 blocks the stop and feeds stderr to the agent; any other non-zero exit is shown to the user
without blocking. `stop_hook_active` is true when the agent is already continuing because of a Stop hook:
then the findings are reported to the user instead, so a finding the agent can't fix never loops forever.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from github_app import proc

EXIT_OK, EXIT_REPORT, EXIT_BLOCK = 0, 1, 2
# Under the hook timeout docs/mcp.md suggests (300 s), so a slow review ends with our message, not a kill.
REVIEW_TIMEOUT_S = 240.0
MAX_LISTED = 20


def review_command(repo: str) -> list[str]:
    return [sys.executable, "-m", "github_app.cli", "review", "--worktree", "--ai", "--format", "json", "--repo", repo]


def feedback(report: Mapping[str, Any], *, already_continued: bool) -> tuple[int, str]:
    """(exit code, stderr text) for a review report (the JSON of `prodready review --format json`)."""
    blocking = [f for f in report.get("findings", []) if f.get("blocking")]
    problems = [f"scanner error: {e}" for e in report.get("errors", [])]
    if not blocking:
        return (EXIT_REPORT, "prodready: " + "; ".join(problems)) if problems else (EXIT_OK, "")
    lines = [f"prodready found {len(blocking)} blocking finding(s) in the working tree; fix each one "
             "(or justify it with a `prodready: ignore <rule-id> -- <reason>` comment where the policy allows):"]
    for f in blocking[:MAX_LISTED]:
        lines.append(f"- {f['path']}:{f['start_line']} [{f['severity']}] {f['rule_id']}: {f['message']}")
        if f.get("fix"):
            lines.append(f"  suggested replacement: {json.dumps(f['fix'])}")
    if len(blocking) > MAX_LISTED:
        lines.append(f"- ... and {len(blocking) - MAX_LISTED} more: run `prodready review --worktree`.")
    lines += problems
    return (EXIT_REPORT if already_continued else EXIT_BLOCK), "\n".join(lines)


def run(stdin: TextIO, stderr: TextIO, env: Mapping[str, str]) -> int:
    try:
        event = json.loads(stdin.read() or "{}")
    except ValueError:
        event = {}
    if not isinstance(event, dict):
        event = {}
    repo = str(event.get("cwd") or env.get("CLAUDE_PROJECT_DIR") or ".")
    try:
        done = proc.run(review_command(repo), timeout=REVIEW_TIMEOUT_S, check=False)
    except proc.ProcError as exc:
        print(f"prodready hook: {exc}", file=stderr)
        return EXIT_REPORT
    if done.returncode not in (0, 1):
        # A usage or configuration error: tell the user, never block the agent on prodready's own failure.
        print(f"prodready hook: {proc.first_line(done.err_text)}", file=stderr)
        return EXIT_REPORT
    try:
        report = json.loads(done.text)
    except ValueError:
        print("prodready hook: the review printed no JSON report", file=stderr)
        return EXIT_REPORT
    code, text = feedback(report, already_continued=event.get("stop_hook_active") is True)
    if text:
        print(text, file=stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    del argv
    return run(sys.stdin, sys.stderr, os.environ)
