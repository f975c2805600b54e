"""docs/mcp.md: every snippet parses, starts a command prodready has, and the tool table names the real tools."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import anyio

from github_app.cli import build_parser
from github_app.mcp_server import build_server

DOC = (Path(__file__).resolve().parents[1] / "docs" / "mcp.md").read_text()


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, flags=re.S)


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices or {})  # type: ignore[arg-type]


def test_every_server_entry_runs_prodready_mcp() -> None:
    entries: list[dict[str, Any]] = []
    for text in blocks("json"):
        data = json.loads(text)
        for key in ("mcpServers", "servers"):
            entries += list(data.get(key, {}).values())
    entries += list(tomllib.loads(blocks("toml")[0])["mcp_servers"].values())
    assert len(entries) == 4  # Claude Code, Cursor, VS Code, Codex
    assert all(e["command"] == "prodready" and e["args"] == ["mcp"] for e in entries)
    assert "mcp" in subcommands()


def test_the_stop_hook_runs_a_real_subcommand() -> None:
    hooks = [json.loads(t)["hooks"]["Stop"] for t in blocks("json") if '"Stop"' in t]
    assert len(hooks) == 1
    command = hooks[0][0]["hooks"][0]["command"]
    assert command.split()[0] == "prodready" and command.split()[1] in subcommands()


def test_the_tool_table_names_the_servers_tools() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", DOC, flags=re.M))
    tools = anyio.run(build_server().list_tools)
    assert documented == {t.name for t in tools}
