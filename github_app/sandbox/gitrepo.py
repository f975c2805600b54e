"""Git plumbing for the sandbox: bare repositories, commits without a work tree, diffs.

Every call goes through github_app.proc. Commits are written with `git fast-import`
so that one commit costs one process however many files it touches (tests push
commits of 3000 files to exercise GitHub's caps).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from github_app import proc

GIT_TIMEOUT = 60.0
# The id of the empty tree, for diffing a root commit against "nothing".
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

# Isolate the sandbox from the user's git configuration: a global `diff.noprefix`
# or `color.ui=always` would change the diff text GitHub clients parse.
_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "sandbox",
    "GIT_AUTHOR_EMAIL": "sandbox@localhost",
    "GIT_COMMITTER_NAME": "sandbox",
    "GIT_COMMITTER_EMAIL": "sandbox@localhost",
}


class GitError(Exception):
    """A git operation on a sandbox repository failed."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    timestamp: int  # epoch seconds
    tz: str = "+0000"


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    tree: str
    parents: tuple[str, ...]
    author: Person
    committer: Person
    message: str


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    type: str  # blob | tree | commit
    sha: str
    size: int  # -1 for trees and submodules
    path: str


@dataclass(frozen=True)
class RawChange:
    """One file of `git diff --raw` and `--numstat`, zipped with its patch text."""

    status: str  # A D M R C T
    path: str
    old_path: str | None
    old_sha: str
    new_sha: str
    additions: int
    deletions: int
    binary: bool
    patch: str  # the hunks (from the first "@@"), "" when none


def git(*args: str, cwd: Path, input: bytes | None = None, check: bool = True,
        env: Mapping[str, str] | None = None) -> proc.Completed:
    full_env = dict(_ENV)
    if env:
        full_env.update(env)
    try:
        return proc.git(*args, cwd=cwd, timeout=GIT_TIMEOUT, check=check, input=input, env=full_env)
    except proc.ProcError as exc:
        raise GitError(str(exc)) from exc


def init(path: Path, default_branch: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    git("init", "--quiet", "--bare", f"--initial-branch={default_branch}", str(path), cwd=path)
    # Background gc would race with later commands for no benefit in a sandbox.
    git("config", "gc.auto", "0", cwd=path)


def rev_parse(path: Path, ref: str) -> str | None:
    """The commit sha `ref` names, or None. Accepts branch names, refs/..., shas."""
    if not ref or ref.startswith("-"):
        return None
    done = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=path, check=False)
    if done.returncode != 0:
        return None
    return done.text.strip()


def branch_sha(path: Path, branch: str) -> str | None:
    return rev_parse(path, f"refs/heads/{branch}")


def list_refs(path: Path, prefix: str = "refs/") -> list[tuple[str, str]]:
    done = git("for-each-ref", "--format=%(refname) %(objectname)", prefix, cwd=path)
    out: list[tuple[str, str]] = []
    for line in done.text.splitlines():
        name, _, sha = line.partition(" ")
        out.append((name, sha))
    return out


def update_ref(path: Path, ref: str, sha: str) -> None:
    git("update-ref", ref, sha, cwd=path)


def merge_base(path: Path, a: str, b: str) -> str | None:
    done = git("merge-base", a, b, cwd=path, check=False)
    return done.text.strip() or None if done.returncode == 0 else None


def is_ancestor(path: Path, ancestor: str, descendant: str) -> bool:
    return git("merge-base", "--is-ancestor", ancestor, descendant, cwd=path, check=False).returncode == 0


def _fi_data(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def _fi_path(p: str) -> bytes:
    # fast-import needs C-style quoting only for paths with a quote or newline.
    if '"' in p or "\n" in p or p.startswith(" "):
        escaped = p.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'.encode()
    return p.encode()


def commit(
    path: Path,
    *,
    branch: str,
    parent: str | None,
    files: Mapping[str, bytes | None],
    message: str,
    author: Person,
    committer: Person,
) -> str:
    """Write one commit on `branch` (created or moved) with `files` (None = delete).

    The message is stored byte for byte: trailers such as Co-authored-by matter to the app.
    """
    stream = bytearray()
    stream += f"commit refs/heads/{branch}\n".encode()
    stream += b"mark :1\n"
    stream += _ident("author", author) + _ident("committer", committer)
    stream += _fi_data(message.encode())
    if parent:
        stream += f"from {parent}\n".encode()
    for name, content in sorted(files.items()):
        if content is None:
            stream += b"D " + _fi_path(name) + b"\n"
        else:
            stream += b"M 100644 inline " + _fi_path(name) + b"\n" + _fi_data(content)
    stream += b"done\n"
    # --force: the branch may be moved to a commit whose parent is not its old tip
    # (a branch re-created from another base); the caller holds the state lock.
    git("fast-import", "--quiet", "--done", "--force", cwd=path, input=bytes(stream))
    sha = branch_sha(path, branch)
    if sha is None:
        raise GitError(f"fast-import left no branch {branch}")
    return sha


def _ident(kind: str, who: Person) -> bytes:
    name = who.name.replace("<", "").replace(">", "").replace("\n", " ")
    email = who.email.replace("<", "").replace(">", "").replace("\n", "")
    return f"{kind} {name} <{email}> {who.timestamp} {who.tz}\n".encode()


def now_person(name: str, email: str) -> Person:
    return Person(name=name, email=email, timestamp=int(time.time()))


def read_commits(path: Path, shas: list[str]) -> list[CommitInfo]:
    """Parse raw commit objects in one `cat-file --batch` process."""
    if not shas:
        return []
    done = git("cat-file", "--batch", cwd=path, input=("\n".join(shas) + "\n").encode())
    data = done.stdout
    out: list[CommitInfo] = []
    pos = 0
    for sha in shas:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].decode().split()
        if len(header) < 3 or header[1] != "commit":
            raise GitError(f"not a commit: {sha}")
        size = int(header[2])
        body = data[nl + 1 : nl + 1 + size]
        pos = nl + 1 + size + 1
        out.append(_parse_commit(header[0], body))
    return out


def _parse_commit(sha: str, raw: bytes) -> CommitInfo:
    head, _, message = raw.partition(b"\n\n")
    tree = ""
    parents: list[str] = []
    author = committer = Person("", "", 0)
    for line in head.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(" ")
        if key == "tree":
            tree = value
        elif key == "parent":
            parents.append(value)
        elif key == "author":
            author = _parse_ident(value)
        elif key == "committer":
            committer = _parse_ident(value)
    return CommitInfo(sha, tree, tuple(parents), author, committer, message.decode("utf-8", "replace"))


def _parse_ident(value: str) -> Person:
    name, _, rest = value.partition(" <")
    email, _, when = rest.partition("> ")
    ts, _, tz = when.partition(" ")
    return Person(name=name, email=email, timestamp=int(ts or 0), tz=tz or "+0000")


def rev_list(path: Path, head: str, exclude: str | None, limit: int) -> list[str]:
    """Commits reachable from head but not from exclude, oldest first, at most `limit`."""
    args = ["rev-list", "--reverse", "--topo-order", head]
    if exclude:
        args.append(f"^{exclude}")
    shas = git(*args, cwd=path).text.split()
    return shas[:limit]


def ls_tree(path: Path, commit_sha: str, tree_path: str, *, children: bool) -> list[TreeEntry]:
    """The entry at tree_path (children=False) or its children (children=True)."""
    spec = tree_path.strip("/")
    args = ["ls-tree", "-z", "--long", "--full-tree", commit_sha]
    if spec:
        args += ["--", spec + "/" if children else spec]
    done = git(*args, cwd=path, check=False)
    if done.returncode != 0:
        return []
    out: list[TreeEntry] = []
    for rec in done.stdout.split(b"\0"):
        if not rec:
            continue
        meta, _, name = rec.partition(b"\t")
        mode, otype, sha, size = meta.decode().split()
        out.append(TreeEntry(mode, otype, sha, -1 if size == "-" else int(size), name.decode()))
    return out


def read_blob(path: Path, sha: str) -> bytes:
    return git("cat-file", "blob", sha, cwd=path).stdout


def diff(path: Path, base: str, head: str) -> str:
    """`git diff base head` as GitHub renders a PR diff (a/ b/ prefixes, renames found)."""
    return git(*_DIFF_ARGS, base, head, cwd=path).text


_DIFF_ARGS = ("diff", "--no-color", "--no-ext-diff", "-M", "--src-prefix=a/", "--dst-prefix=b/")


def changes(path: Path, base: str, head: str) -> list[RawChange]:
    """Per-file changes between two commits, with each file's hunks."""
    raw = git("diff", "-z", "--raw", "--no-abbrev", "-M", base, head, cwd=path).stdout
    nums = git("diff", "-z", "--numstat", "-M", base, head, cwd=path).stdout
    sections = split_patch(diff(path, base, head))
    entries = _parse_raw(raw)
    counts = _parse_numstat(nums)
    if not (len(entries) == len(counts) == len(sections)):
        raise GitError("git diff outputs disagree on the number of files")
    out: list[RawChange] = []
    for entry, (add, dele, binary), patch in zip(entries, counts, sections, strict=True):
        status, p, old, osha, nsha = entry
        out.append(RawChange(status, p, old, osha, nsha, add, dele, binary, patch))
    return out


def _parse_raw(raw: bytes) -> list[tuple[str, str, str | None, str, str]]:
    fields = raw.split(b"\0")
    out: list[tuple[str, str, str | None, str, str]] = []
    i = 0
    while i < len(fields) and fields[i]:
        meta = fields[i].decode().lstrip(":").split()
        status = meta[4][0]
        if status in "RC":
            old, new = fields[i + 1].decode(), fields[i + 2].decode()
            out.append((status, new, old, meta[2], meta[3]))
            i += 3
        else:
            out.append((status, fields[i + 1].decode(), None, meta[2], meta[3]))
            i += 2
    return out


def _parse_numstat(raw: bytes) -> list[tuple[int, int, bool]]:
    fields = raw.split(b"\0")
    out: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(fields) and fields[i]:
        add, dele, rest = fields[i].decode().split("\t", 2)
        binary = add == "-"
        out.append((0 if binary else int(add), 0 if binary else int(dele), binary))
        # A rename has an empty path here followed by old and new paths.
        i += 3 if rest == "" else 1
    return out


def split_patch(text: str) -> list[str]:
    """Split a multi-file diff into each file's hunk text (from its first "@@")."""
    sections: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith("diff --git "):
            sections.append([])
        elif sections:
            sections[-1].append(line)
    out: list[str] = []
    for lines in sections:
        start = next((i for i, ln in enumerate(lines) if ln.startswith("@@")), None)
        if start is None:
            out.append("")
            continue
        body = lines[start:]
        while body and body[-1] == "":
            body.pop()
        out.append("\n".join(body))
    return out


def merge(path: Path, ours: str, theirs: str, *, message: str, person: Person) -> str | None:
    """A merge commit of theirs into ours (not on any branch), or None on a conflict.

    `git merge-tree --write-tree` (git >= 2.38) merges without a work tree, which a bare repository lacks.
    """
    done = git("merge-tree", "--write-tree", ours, theirs, cwd=path, check=False)
    if done.returncode != 0:
        return None
    tree = done.text.splitlines()[0].strip()
    env = {"GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": person.email,
           "GIT_AUTHOR_DATE": f"{person.timestamp} +0000", "GIT_COMMITTER_NAME": person.name,
           "GIT_COMMITTER_EMAIL": person.email, "GIT_COMMITTER_DATE": f"{person.timestamp} +0000"}
    made = git("commit-tree", tree, "-p", ours, "-p", theirs, cwd=path, input=message.encode(), env=env)
    return made.text.strip()
