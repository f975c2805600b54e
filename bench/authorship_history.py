"""Authorship signals over real public histories: how many commits each agent is credited with.

Each repository below was chosen because its history holds commits by an agent whose identity prodready
learned on 2026-12-02 (docs/agents.md), next to its owners' own commits. Clone (or mirror) each at the pinned
commit and pass the checkouts' paths (a directory named `owner+name` or `name` is matched to its pin;
any other repository is read at HEAD); every commit reachable from the pinned one is classified on its own,
from the author, committer and message only (no API account ids, as in `prodready review`).

    .venv/bin/python bench/authorship_history.py PATH [PATH ...]

Not a test: the figures are what this table and those histories give today; docs/agents.md cites them.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from github_app import proc
from github_app.authorship import ChangeFacts, Commit, detect

# owner/name -> pinned commit (the snapshot measured)
PINNED = {
    "charmbracelet/crush": "37f36e93824e5c4f892e4a817f7f628e2682fe14",
    "awesbecher/powered-by-website": "2e1f333d3f63",
    "deepak748030/milkey-app": "598f047bacf5",
    "achraflm/Web-": "1cff0b1145fb",
    "github/copilot-cli": "9532bdacf5a343c3dcc444337f7b25e88fc7372c",
    "mistralai/mistral-vibe": "ac8f1a09fdfbadb6d4508a555ba6607fd05eb0dc",
    "warpdotdev/oz-agent-action": "30798a474de38c554d07c6b56e97125c868e83a6",
    "RooCodeInc/Roo-Code": "cb836567180a3ff1da6d082f3178b90c3bd22a70",
}
FIELDS = ("%H", "%an", "%ae", "%cn", "%ce", "%B")


def commits(repo: Path, rev: str) -> list[Commit]:
    log = proc.git("log", "--format=" + "%x1f".join(FIELDS) + "%x1e", rev, cwd=repo, timeout=300).text
    out = []
    for record in log.split("\x1e"):
        record = record.strip("\n")
        if record:
            sha, an, ae, cn, ce, body = record.split("\x1f", 5)
            out.append(Commit(sha, body, an, ae, None, cn, ce, None))
    return out


def report(repo: Path) -> None:
    # A mirror brought by the search tool's fetch is named owner+name; a clone may be named anything.
    name = next((n for n in PINNED if n.replace("/", "+") in repo.resolve().as_posix()
                 or repo.resolve().name == n.split("/")[1]), None)
    rev = proc.git("rev-parse", PINNED[name] if name else "HEAD", cwd=repo).text.strip()
    per_agent: collections.Counter[str] = collections.Counter()
    example: dict[str, str] = {}
    history = commits(repo, rev)
    assisted = 0
    for c in history:
        a = detect(ChangeFacts(commits=(c,)))
        assisted += a.assisted and not a.ai
        if a.ai:
            per_agent[a.agent or "policy"] += 1
            example.setdefault(a.agent or "policy", c.sha[:7])
    print(f"{name or repo} @ {rev[:12]}: {len(history)} commits, {sum(per_agent.values())} AI-authored, "
          f"{assisted} AI-assisted only")
    for agent, n in per_agent.most_common():
        print(f"  {agent}: {n} (e.g. {example[agent]})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="git checkouts or mirrors of the pinned repositories")
    for path in parser.parse_args().paths:
        if not path.is_dir():
            print(f"{path}: no such directory", file=sys.stderr)
            return 2
        try:
            report(path)
        except proc.ProcError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
