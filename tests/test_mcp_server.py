"""`prodready mcp` through the MCP SDK's own client over stdio: the server runs as a subprocess, on git
repositories built here, with real Semgrep and prodready's real rules."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult, TextContent

from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

NO_TIMEOUT = "import requests\n\n\ndef fetch(u):\n    return requests.get(u)\n"
WITH_TIMEOUT = "import requests\n\n\ndef fetch(u):\n    return requests.get(u, timeout=(3, 30))\n"

Script = Callable[[ClientSession], Awaitable[Any]]


def run_session(script: Script, cwd: Path, extra_args: Sequence[str] = ()) -> Any:
    params = StdioServerParameters(command=sys.executable, args=["-m", "github_app.cli", "mcp", *extra_args],
                                   cwd=str(cwd))

    async def main() -> Any:
        with anyio.fail_after(120):
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                return await script(session)

    return anyio.run(main)


def text_of(result: CallToolResult) -> str:
    return "".join(c.text for c in result.content if isinstance(c, TextContent))


@pytest.fixture
def repo(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({"app/client.py": WITH_TIMEOUT, "README.md": "x\n"}, "init")
    return r


def test_lists_the_three_tools(repo: GitRepo) -> None:
    async def script(s: ClientSession) -> Any:
        return await s.list_tools()

    tools = {t.name: t for t in run_session(script, repo.root).tools}
    assert set(tools) == {"review_changes", "explain_rule", "show_policy"}
    assert set(tools["review_changes"].inputSchema["properties"]) == {"repo", "scope", "paths"}


def test_worktree_review_sees_untracked_and_staged_sees_only_the_index(repo: GitRepo) -> None:
    repo.write({"app/client.py": NO_TIMEOUT, "app/new.py": "import requests\nrequests.post('http://x')\n"})
    repo.git("add", "app/new.py")
    repo.write({"app/untracked.py": "import requests\nrequests.delete('http://y')\n"})
    status_before = repo.git("status", "--porcelain")

    async def script(s: ClientSession) -> Any:
        worktree = await s.call_tool("review_changes", {"repo": str(repo.root)})
        staged = await s.call_tool("review_changes", {"repo": str(repo.root), "scope": "staged"})
        only = await s.call_tool("review_changes", {"repo": str(repo.root), "paths": ["app/untracked.py"]})
        return worktree, staged, only

    worktree, staged, only = run_session(script, repo.root)
    assert not worktree.isError, text_of(worktree)
    data = worktree.structuredContent
    assert data is not None
    got = sorted((f["path"], f["start_line"], f["rule_id"], f["blocking"]) for f in data["findings"])
    assert got == [("app/client.py", 5, "py-requests-no-timeout", True),
                   ("app/new.py", 2, "py-requests-no-timeout", True),
                   ("app/untracked.py", 2, "py-requests-no-timeout", True)]
    assert data["conclusion"] == "failure" and data["blocking_count"] == 3 and data["scope"] == "worktree"
    assert all("timeout" in f["message"] for f in data["findings"])
    assert json.loads(text_of(worktree)) == data  # the same JSON for clients that read only text
    assert staged.structuredContent is not None
    assert [f["path"] for f in staged.structuredContent["findings"]] == ["app/new.py"]
    assert only.structuredContent is not None
    assert [f["path"] for f in only.structuredContent["findings"]] == ["app/untracked.py"]
    assert repo.git("status", "--porcelain") == status_before  # the user's index is left alone


def test_policy_at_head_judges_the_change(repo: GitRepo) -> None:
    repo.commit({".github/prodready.yml": "gate:\n  ai: none\n"}, "advisory policy")
    # An uncommitted edit of the policy (switching the rule off) does not judge the change: HEAD's policy does.
    repo.write({"app/client.py": NO_TIMEOUT, ".github/prodready.yml": "rules:\n  py-requests-no-timeout:\n"
                                                                     "    enabled: false\n"})

    async def script(s: ClientSession) -> Any:
        return await s.call_tool("review_changes", {"repo": str(repo.root)})

    result = run_session(script, repo.root)
    data = result.structuredContent
    assert data is not None, text_of(result)
    assert [f["rule_id"] for f in data["findings"]] == ["py-requests-no-timeout"]
    assert data["findings"][0]["blocking"] is False  # gate.ai none, from HEAD's policy
    assert data["conclusion"] != "failure" and data["blocking_count"] == 0


def test_clean_worktree_says_the_change_is_empty(repo: GitRepo) -> None:
    async def script(s: ClientSession) -> Any:
        return await s.call_tool("review_changes", {})  # repo defaults to the server's directory

    data = run_session(script, repo.root).structuredContent
    assert data is not None
    assert data["findings"] == [] and data["files_changed"] == 0
    assert "The change is empty: nothing to review." in data["notes"]


def test_repository_with_no_commits_is_reviewed_whole(git_repo: Callable[[], GitRepo]) -> None:
    fresh = git_repo()
    fresh.write({"svc.py": NO_TIMEOUT})

    async def script(s: ClientSession) -> Any:
        return await s.call_tool("review_changes", {"repo": str(fresh.root)})

    data = run_session(script, fresh.root).structuredContent
    assert data is not None
    assert [(f["path"], f["start_line"]) for f in data["findings"]] == [("svc.py", 5)]


def test_bad_input_is_a_one_line_tool_error_and_the_server_lives_on(repo: GitRepo, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    calls: list[tuple[str, dict[str, Any]]] = [
        ("review_changes", {"repo": str(tmp_path / "missing")}),
        ("review_changes", {"repo": str(plain)}),
        ("review_changes", {"repo": str(repo.root), "paths": ["../outside.py"]}),
        ("review_changes", {"repo": str(repo.root), "paths": ["/etc/passwd"]}),
        ("explain_rule", {"rule_id": "no-such-rule"}),
        ("show_policy", {"repo": str(repo.root), "format": "docx"}),
        ("review_changes", {"repo": str(repo.root), "scope": "everything"}),
        ("review_changes", {"repo": str(repo.root), "paths": "not-a-list"}),
    ]

    async def script(s: ClientSession) -> Any:
        results = [await s.call_tool(name, args) for name, args in calls]
        alive = await s.call_tool("explain_rule", {"rule_id": "py-requests-no-timeout"})
        return results, alive

    results, alive = run_session(script, repo.root)
    reasons = [text_of(r) for r in results]
    assert all(r.isError for r in results), reasons
    for reason in reasons:
        assert "\n" not in reason and "Traceback" not in reason
    assert reasons[0].endswith(f"no such directory: {tmp_path / 'missing'}")
    assert reasons[1].endswith(f"not a git repository: {plain}")
    assert reasons[2].endswith("path outside the repository " + str(repo.root.resolve()) + ": ../outside.py")
    assert reasons[3].endswith(": /etc/passwd")
    assert "no rule 'no-such-rule'" in reasons[4]
    assert "unknown format 'docx'" in reasons[5]
    assert reasons[6] == "invalid arguments: scope: Input should be 'worktree' or 'staged'"
    assert reasons[7] == "invalid arguments: paths: Input should be a valid list"
    assert not alive.isError


def test_explain_rule_gives_message_metadata_and_test_examples(repo: GitRepo) -> None:
    async def script(s: ClientSession) -> Any:
        return await s.call_tool("explain_rule", {"rule_id": "py-requests-no-timeout"})

    data = run_session(script, repo.root).structuredContent
    assert data is not None
    assert data["concern"] == "resilience" and data["severity"] == "ERROR"
    assert data["references"] and all(r.startswith("https://") for r in data["references"])
    assert "timeout" in data["message"]
    assert data["examples"]["flagged"] and all("timeout" not in e for e in data["examples"]["flagged"])
    assert any("timeout=" in e for e in data["examples"]["accepted"])


def test_show_policy_gives_the_effective_policy_and_the_export(repo: GitRepo) -> None:
    repo.commit({".github/prodready.yml": "gate:\n  human: ERROR\nmax_inline_comments: 7\n"}, "policy")

    async def script(s: ClientSession) -> Any:
        return await s.call_tool("show_policy", {"repo": str(repo.root), "format": "agents-md"})

    result = run_session(script, repo.root)
    data = result.structuredContent
    assert data is not None, text_of(result)
    assert data["policy"]["max_inline_comments"] == 7 and data["gate"]["human"] == "ERROR"
    assert any(s.startswith(".github/prodready.yml@") for s in data["sources"])
    assert len(data["sha256"]) == 64 and data["problems"] == []
    assert "timeout" in data["instructions"]
    # Scoped to the repository's files, as `policy export` is: a Python-only repo gets no Go rules.
    assert "go-http-client-no-timeout" not in data["instructions"]
