"""A local git repository as a change source for `prodready review`. All git goes through proc."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from github_app import proc
from github_app.authorship import Commit

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

    def git(self, *args: str, input: bytes | None = None) -> proc.Completed:
        try:
            return proc.git("-c", "core.quotepath=false", *args, cwd=self.root, timeout=GIT_TIMEOUT_S,
                            input=input)
        except proc.ProcError as exc:
            raise LocalRepoError(str(exc)) from None

    def resolve(self, ref: str) -> str:
        if ref.startswith("-"):
            raise LocalRepoError(f"unknown ref: {ref}")
        done = proc.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.root, check=False)
        if done.returncode != 0:
            raise LocalRepoError(f"unknown ref: {ref}")
        return done.text.strip()

    def default_base(self, head: str) -> str:
        """The upstream of the head branch, else the remote's default branch, else main or master."""
        candidates = [f"{head}@{{upstream}}", "origin/HEAD", "main", "master", "origin/main", "origin/master"]
        for ref in candidates:
            done = proc.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.root, check=False)
            if done.returncode == 0:
                return ref
        raise LocalRepoError("cannot tell the base branch (no upstream, origin/HEAD, main or master): pass --base")

    def merge_base(self, base: str, head: str) -> str:
        done = proc.git("merge-base", base, head, cwd=self.root, check=False)
        if done.returncode != 0:
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
        """Blob contents at ref, in one git process; None where the path is absent."""
        if not paths:
            return {}
        request = "".join(f"{ref}:{p}\n" for p in paths).encode()
        out = self.git("cat-file", "--batch", input=request).stdout
        result: dict[str, bytes | None] = {}
        pos = 0
        for p in paths:
            nl = out.index(b"\n", pos)
            header = out[pos:nl].decode(errors="replace").split()
            pos = nl + 1
            if len(header) == 3 and header[1] == "blob":
                size = int(header[2])
                result[p] = out[pos : pos + size]
                pos += size + 1
            else:
                result[p] = None  # missing, or not a blob (a submodule)
        return result

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
    head_sha = repo.resolve(head)
    base_ref = base or repo.default_base(head)
    base_sha = repo.resolve(base_ref)
    mb = repo.merge_base(base_sha, head_sha)
    commits, truncated = repo.commits(mb, head_sha)
    return mb, head_sha, repo.diff(mb, head_sha), commits, truncated, repo.branch_name(head)
