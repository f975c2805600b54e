"""A local git repository as a change source for `prodready review`. All git goes through proc."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from github_app import proc
from github_app.authorship import Commit
from github_app.cibase import choose_base, fetch_hint, load_event
from github_app.repotree import parse_cat_file_batch

GIT_TIMEOUT_S = 60.0


class LocalRepoError(Exception):
    """The repository or a ref can't be used; the message is one line for the user."""


class LocalRepo:
    def __init__(self, path: str | Path) -> None:
        p = Path(path)
        if not p.exists():
            raise LocalRepoError(f"no such directory: {path}")
        try:
            top = proc.git("rev-parse", "--show-toplevel", cwd=p).text.strip()
        except proc.ProcError:
            raise LocalRepoError(f"not a git repository: {path}") from None
        self.root = Path(top)

    def git(self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> proc.Completed:
        try:
            return proc.git("-c", "core.quotepath=false", *args, cwd=self.root, timeout=GIT_TIMEOUT_S,
                            input=input, env=env)
        except proc.ProcError as exc:
            raise LocalRepoError(str(exc)) from None

    def resolve(self, ref: str) -> str:
        if ref.startswith("-"):
            raise LocalRepoError(f"unknown ref: {ref}")
        done = proc.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.root, check=False)
        if done.returncode != 0:
            raise LocalRepoError(f"unknown ref: {ref}")
        return done.text.strip()

    def default_base(self, head: str, env: Mapping[str, str] | None = None) -> str:
        """The base the environment names (Actions: the PR's or merge group's base), else the remote's
        default branch, else main or master; never the head branch's own upstream (cibase.py)."""
        environ = os.environ if env is None else env
        choice = choose_base(environ, load_event(environ))
        for ref in choice.candidates:
            if self.has_commit(ref):
                return ref
        if choice.branch is not None or self.is_shallow():
            raise LocalRepoError(f"the base ({choice.source}) is not in this clone: {fetch_hint(choice.branch)}")
        raise LocalRepoError("cannot tell the base branch (no origin/HEAD, origin/main, origin/master, main or "
                             "master): pass --base")

    def has_commit(self, ref: str) -> bool:
        done = proc.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.root, check=False)
        return done.returncode == 0

    def is_shallow(self) -> bool:
        done = proc.git("rev-parse", "--is-shallow-repository", cwd=self.root, check=False)
        return done.text.strip() == "true"

    def has_commits(self) -> bool:
        return self.has_commit("HEAD")

    def merge_base(self, base: str, head: str) -> str:
        done = proc.git("merge-base", base, head, cwd=self.root, check=False)
        if done.returncode != 0:
            if self.is_shallow():
                # A depth-1 checkout has the base's tip but not the history joining it to the head.
                raise LocalRepoError(f"{base} and {head} have no common ancestor in this shallow clone: "
                                     f"{fetch_hint(None)}")
            raise LocalRepoError(f"{base} and {head} have no common ancestor")
        return done.text.strip()

    def branch_name(self, head: str) -> str | None:
        if head != "HEAD":
            done = proc.git("rev-parse", "--verify", "--quiet", f"refs/heads/{head}", cwd=self.root, check=False)
            return head if done.returncode == 0 else None
        done = proc.git("symbolic-ref", "--short", "-q", "HEAD", cwd=self.root, check=False)
        return done.text.strip() or None

    def diff(self, base_sha: str, head_sha: str) -> str:
        done = self.git("diff", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "-U3",
                        "--src-prefix=a/", "--dst-prefix=b/", base_sha, head_sha, "--")
        return done.stdout.decode("utf-8", errors="replace")

    def read_files(self, ref: str, paths: Sequence[str]) -> dict[str, bytes | None]:
        # ref may be a commit or a tree (the staged or working tree, see uncommitted_change).
        """Blob contents at ref, in one git process; None where the path is absent."""
        if not paths:
            return {}
        request = "".join(f"{ref}:{p}\n" for p in paths).encode()
        return parse_cat_file_batch(self.git("cat-file", "--batch", input=request).stdout, paths)

    def list_dir(self, ref: str, folder: str) -> list[str]:
        done = self.git("ls-tree", "-r", "--name-only", ref, "--", folder)
        return [line for line in done.text.splitlines() if line]

    def commits(self, base_sha: str, head_sha: str, limit: int = 250) -> tuple[list[Commit], bool]:
        fmt = "%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e"
        done = self.git("log", f"--format={fmt}", f"--max-count={limit + 1}", f"{base_sha}..{head_sha}")
        commits: list[Commit] = []
        for raw in done.text.split("\x1e"):
            record = raw.strip("\n")
            if not record:
                continue
            sha, an, ae, cn, ce, body = record.split("\x00", 5)
            commits.append(Commit(sha=sha, message=body, author_name=an, author_email=ae,
                                  committer_name=cn, committer_email=ce))
        return commits[:limit], len(commits) > limit


def local_change_inputs(
    repo: LocalRepo, base: str | None, head: str
) -> tuple[str, str, str, list[Commit], bool, str | None]:
    """-> (merge-base sha, head sha, diff text, commits, commits truncated, head branch name)."""
    if not repo.has_commits():
        raise LocalRepoError("the repository has no commits yet: commit first, or review the index with --staged")
    head_sha = repo.resolve(head)
    base_ref = base or repo.default_base(head)
    if base is not None and not repo.has_commit(base) and repo.is_shallow():
        raise LocalRepoError(f"unknown ref: {base} (this is a shallow clone: {fetch_hint(base.split('/')[-1])})")
    base_sha = repo.resolve(base_ref)
    mb = repo.merge_base(base_sha, head_sha)
    commits, truncated = repo.commits(mb, head_sha)
    return mb, head_sha, repo.diff(mb, head_sha), commits, truncated, repo.branch_name(head)


@dataclass(frozen=True)
class UncommittedChange:
    base: str | None
    """HEAD's commit id, or None in a repository with no commits (then the base is the empty tree)."""
    tree: str
    """The tree being reviewed: the index's (--staged) or the working tree's (--worktree)."""
    diff_text: str
    branch: str | None


def _empty_tree(repo: LocalRepo) -> str:
    return repo.git("hash-object", "-t", "tree", "--stdin", input=b"").text.strip()


def uncommitted_change(repo: LocalRepo, *, staged: bool) -> UncommittedChange:
    """The index (staged) or the working tree (untracked files included, ignored ones not) against HEAD.

    Both become a tree object with `git write-tree` (as `git commit` would make), so the diff and the
    file reads are the same as for a commit. The working tree goes through a copy of the index, so the
    user's real index is never touched.
    """
    base = repo.resolve("HEAD") if repo.has_commits() else None
    if staged:
        tree = _write_tree(repo, env=None)
    else:
        with tempfile.TemporaryDirectory(prefix="prodready-index-") as tmp:
            index = Path(tmp) / "index"
            real = Path(repo.git("rev-parse", "--path-format=absolute", "--git-path", "index").text.strip())
            if real.is_file():
                shutil.copyfile(real, index)  # keeps the stat cache: only changed files are re-hashed
            env = {"GIT_INDEX_FILE": str(index)}
            repo.git("add", "--all", "--", ".", env=env)
            tree = _write_tree(repo, env=env)
    diff = repo.diff(base or _empty_tree(repo), tree)
    return UncommittedChange(base=base, tree=tree, diff_text=diff, branch=repo.branch_name("HEAD"))


def _write_tree(repo: LocalRepo, env: Mapping[str, str] | None) -> str:
    done = proc.git("write-tree", cwd=repo.root, check=False, env=env)
    if done.returncode != 0:
        raise LocalRepoError(f"cannot read the index ({proc.first_line(done.err_text)}): resolve conflicts first")
    return done.text.strip()
