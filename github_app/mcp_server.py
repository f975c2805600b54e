"""`prodready mcp`: a Model Context Protocol server over stdio, so a coding agent can check the change it
is writing under the repository's policy, read why a rule fires, and read the policy, before a PR exists.

stdout carries the protocol: nothing else may print there (logs go to stderr, subprocesses get no stdin).
Every expected failure is a tool error with a one-line reason; the server keeps running.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

import anyio.to_thread
import pydantic
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import ContentBlock

from github_app import logs
from github_app.diff import DiffError
from github_app.localrepo import LocalRepoError
from github_app.render import render_json
from github_app.ruleinfo import UnknownRule, explain
from github_app.scan import RULES_DIR, ScanError
from github_app.uncommitted import head_or_empty, open_repo, policy_at, review_uncommitted

T = TypeVar("T")
_EXPECTED = (LocalRepoError, ScanError, DiffError, UnknownRule, ValueError, OSError)

INSTRUCTIONS = (
    "prodready checks code for operational oversights (missing timeouts and retry bounds, swallowed "
    "errors, silent failures, hardcoded secrets, blocking calls in async code, routes without auth, "
    "risky infrastructure). Call review_changes on the repository before you finish or commit; fix every "
    "finding with blocking=true (each message says what to do; `fix` is a ready replacement when present), "
    "or justify it with a `prodready: ignore <rule-id> -- <reason>` comment where the policy allows."
)


async def _guarded(fn: Callable[[], T]) -> T:
    """Run blocking work (git, Semgrep) off the event loop; expected failures become one-line tool errors."""
    try:
        return await anyio.to_thread.run_sync(fn)
    except _EXPECTED as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        logs.get().info("mcp.tool_error", reason=reason)
        raise ToolError(reason) from None


def _review(repo: str, scope: Literal["worktree", "staged"], paths: list[str] | None, rules_dir: Path
            ) -> dict[str, Any]:
    result = review_uncommitted(open_repo(repo), scope, paths=paths or (), rules_dir=rules_dir)
    out = render_json(result)
    out["blocking_count"] = len(result.blocking)
    out["scope"] = scope
    return out


def _policy(repo: str, fmt: str, rules_dir: Path) -> dict[str, Any]:
    from github_app.export import FORMATS, export_instructions

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    local = open_repo(repo)
    ref = head_or_empty(local)
    policy, extra = policy_at(local, ref)
    return {
        "sources": list(policy.sources),
        "sha256": policy.sha256,
        "problems": list(policy.problems),
        "gate": {"ai": policy.data["gate"]["ai"], "human": policy.data["gate"]["human"]},
        "policy": policy.data,
        "instructions": export_instructions(policy, rules_dir, fmt, extra_rules=extra,
                                            repo_files=local.list_dir(ref, "."), ref=ref),
    }


def one_line(exc: ToolError) -> str:
    """A tool error as one line: argument validation names the argument and what it should be (the SDK
    passes pydantic's multi-line report through)."""
    cause = exc.__cause__
    if isinstance(cause, pydantic.ValidationError):
        return "invalid arguments: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in cause.errors())
    return " ".join(str(exc).split())


class _Server(FastMCP):
    async def call_tool(self, name: str, arguments: dict[str, Any]) -> Sequence[ContentBlock] | dict[str, Any]:
        try:
            return await super().call_tool(name, arguments)
        except ToolError as exc:
            raise ToolError(one_line(exc)) from None


def build_server(rules_dir: Path = RULES_DIR) -> FastMCP:
    with warnings.catch_warnings():
        # The SDK's own settings model warns about itself (pydantic-settings 2.12+); nothing a user can act on.
        warnings.filterwarnings("ignore", message="Field 'lifespan' has an incomplete definition")
        # log_level: the SDK logs every request at INFO to stderr; the agent's log needs only problems.
        server = _Server("prodready", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool()
    async def review_changes(
        repo: str = ".", scope: Literal["worktree", "staged"] = "worktree", paths: list[str] | None = None
    ) -> dict[str, Any]:
        """Review uncommitted work in a git repository against HEAD under the repository's policy
        (.github/prodready.yml as committed at HEAD). scope 'worktree': every change in the working tree,
        untracked files included; 'staged': the index. paths: only these files or folders (inside the
        repository). Returns findings (rule_id, severity, path, start_line, end_line, message, blocking,
        fix), skipped files, scanner errors, the conclusion and blocking_count."""
        return await _guarded(lambda: _review(repo, scope, paths, rules_dir))

    @server.tool()
    async def explain_rule(rule_id: str) -> dict[str, Any]:
        """Explain one prodready rule: its message (what is wrong, why it matters, what to do), concern,
        severity, confidence, languages, references, autofix, and flagged/accepted code from its tests."""
        return await _guarded(lambda: explain(rule_id, rules_dir))

    @server.tool()
    async def show_policy(repo: str = ".", format: str = "agents-md") -> dict[str, Any]:
        """The repository's effective prodready policy (as committed at HEAD, over the defaults), its
        sources, hash, problems and gates, and the agent instructions `prodready policy export` writes
        for it (format: agents-md, copilot-instructions or cursor-rules)."""
        return await _guarded(lambda: _policy(repo, format, rules_dir))

    return server


def serve(rules_dir: Path = RULES_DIR, log_level: str = "WARNING") -> int:
    logs.configure(log_level, "json")  # to stderr: stdout is the protocol
    build_server(rules_dir).run("stdio")
    return 0
