"""Uncommitted work as a change: the index (staged) or the working tree (untracked files included)
against HEAD. Used by `prodready mcp`, where a coding agent checks what it is writing before it commits.

The snapshot is a git tree written from an index (the real one for staged; a copy of it with
`git add -A` applied for the working tree), so the diff, the head contents and the policy all come from
git objects, exactly as for a committed change, and the user's index is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from github_app import proc
from github_app.authorship import ChangeFacts
from github_app.localrepo import GIT_TIMEOUT_S, LocalRepo, LocalRepoError
from github_app.policy import EXTRA_RULES_DIR, POLICY_PATH, EffectivePolicy, Layer, load_policy
from github_app.result import ReviewResult
from github_app.review import Change, review_change
from github_app.scan import RULES_DIR

Scope = Literal["staged", "worktree"]
SCOPES: tuple[Scope, ...] = ("staged", "worktree")
# git's well-known empty tree: the base of a repository with no commits yet.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True)
class Snapshot:
    base: str
    """HEAD's commit sha, or EMPTY_TREE before the first commit."""
    tree: str
    """The tree of the staged or working-tree state."""
    diff_text: str
    branch: str | None


def open_repo(path: str | Path) -> LocalRepo:
    p = Path(path)
    if not p.is_dir():
        raise LocalRepoError(f"no such directory: {path}" if not p.exists() else f"not a directory: {path}")
    return LocalRepo(p)


def inside(repo: LocalRepo, paths: Sequence[str]) -> list[str]:
    """Repository-relative POSIX paths for `paths` (relative to the root, or absolute); one outside the
    repository is an error, so a caller can't make the review read elsewhere."""
    root = repo.root.resolve()
    out: list[str] = []
    for raw in paths:
        target = (root / raw).resolve()
        if not target.is_relative_to(root):
            raise LocalRepoError(f"path outside the repository {root}: {raw}")
        if target == root:
            return []  # the whole repository
        out.append(target.relative_to(root).as_posix())
    return out


def _git(repo: LocalRepo, *args: str, index: Path | None = None) -> str:
    env = {"GIT_INDEX_FILE": str(index)} if index is not None else None
    try:
        done = proc.git("-c", "core.quotepath=false", *args, cwd=repo.root, timeout=GIT_TIMEOUT_S, env=env)
    except proc.ProcError as exc:
        raise LocalRepoError(str(exc)) from None
    return done.text.strip()


def head_or_empty(repo: LocalRepo) -> str:
    try:
        return repo.resolve("HEAD")
    except LocalRepoError:
        return EMPTY_TREE  # no commits yet: everything is new


def snapshot(repo: LocalRepo, scope: Scope, paths: Sequence[str] = ()) -> Snapshot:
    base = head_or_empty(repo)
    if scope == "staged":
        tree = _git(repo, "write-tree")
    else:
        with tempfile.TemporaryDirectory(prefix="prodready-index-") as tmp:
            index = Path(tmp) / "index"
            real = Path(_git(repo, "rev-parse", "--path-format=absolute", "--git-path", "index"))
            if real.is_file():
                shutil.copyfile(real, index)  # keeps git's stat cache: only changed files are hashed
            else:
                _git(repo, "read-tree", "--empty", index=index)
            _git(repo, "add", "-A", "--", ".", index=index)
            tree = _git(repo, "write-tree", index=index)
    diff = repo.git("diff", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "-U3",
                    "--src-prefix=a/", "--dst-prefix=b/", base, tree, "--", *paths)
    return Snapshot(base=base, tree=tree, diff_text=diff.stdout.decode("utf-8", errors="replace"),
                    branch=repo.branch_name("HEAD"))


def policy_at(repo: LocalRepo, ref: str) -> tuple[EffectivePolicy, dict[str, str]]:
    """The effective policy and the extra rule files as committed at ref (HEAD for uncommitted work:
    the change being checked can't weaken its own judge)."""
    text = repo.read_files(ref, [POLICY_PATH]).get(POLICY_PATH)
    layer = Layer(f"{POLICY_PATH}@{ref[:12]}", text.decode("utf-8", "replace") if text else None)
    policy = load_policy([layer])
    extra_paths = [p for p in repo.list_dir(ref, EXTRA_RULES_DIR) if p.endswith((".yml", ".yaml"))]
    extra = {p: (b or b"").decode("utf-8", "replace") for p, b in repo.read_files(ref, extra_paths).items()}
    return policy, extra


def review_uncommitted(
    repo: LocalRepo, scope: Scope, *, paths: Sequence[str] = (), rules_dir: Path = RULES_DIR, ai: bool = True
) -> ReviewResult:
    """Review the staged or working-tree change. `ai`: judge it by the policy's gate for AI-authored
    changes (the MCP caller is a coding agent by definition), else by the human gate."""
    snap = snapshot(repo, scope, inside(repo, paths))
    policy, extra = policy_at(repo, snap.base)
    change = Change(
        diff_text=snap.diff_text,
        read_head=lambda wanted: repo.read_files(snap.tree, wanted),
        policy=policy,
        facts=ChangeFacts(head_branch=snap.branch),
        extra_rules=extra,
        notes=(f"Reviewed the {'staged change' if scope == 'staged' else 'working tree'} against "
               f"{'HEAD' if snap.base != EMPTY_TREE else 'an empty repository'}, by the policy's gate for "
               f"{'AI-authored' if ai else 'human'} changes.",),
    )
    return review_change(change, gate_override=policy.gate(ai), rules_dir=rules_dir)
