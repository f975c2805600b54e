"""A whole side of the change (base or head): every file path, and their bytes on demand.

Analyzers that look past the diff (clones against the repository, settings against its deployment
configuration) read a `RepoTree`. Locally it is the git tree itself; in the App it is the repository
archive at that SHA, fetched once and extracted under size and path checks. A tree that cannot be
had (over the size cap, a truncated archive) raises `TreeUnavailable` with a one-line reason, which
the analyzer reports in the summary instead of passing over in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol

from github_app import proc

GIT_TIMEOUT_S = 120.0


class TreeUnavailable(Exception):
    """The tree cannot be read; str() is one line for the summary."""


class RepoTree(Protocol):
    @property
    def key(self) -> str:
        """Identifies the content (a commit or tree SHA): caches keyed on it stay valid."""
        ...

    def paths(self) -> Sequence[str]:
        """Every regular file's path, sorted; raises TreeUnavailable."""
        ...

    def sizes(self) -> Mapping[str, int]:
        """Path -> size in bytes for every regular file; raises TreeUnavailable."""
        ...

    def read(self, paths: Sequence[str]) -> Mapping[str, bytes | None]:
        """The bytes of the given paths (None: absent or not a regular file); raises TreeUnavailable."""
        ...


def parse_cat_file_batch(out: bytes, paths: Sequence[str]) -> dict[str, bytes | None]:
    """`git cat-file --batch` output for the given paths, in order -> their bytes (None: missing, or not a
    blob, such as a submodule)."""
    result: dict[str, bytes | None] = {}
    pos = 0
    for p in paths:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            result[p] = out[pos : pos + size]
            pos += size + 1
        else:
            result[p] = None
    return result


class GitTree:
    """A commit or tree object of a local repository, read with two git processes at most per call."""

    def __init__(self, root: Path, ref: str, *, timeout_s: float = GIT_TIMEOUT_S) -> None:
        self.root = root
        self.ref = ref
        self.timeout_s = timeout_s
        self._sizes: dict[str, int] | None = None

    @property
    def key(self) -> str:
        return self.ref

    def _git(self, *args: str, input: bytes | None = None) -> bytes:
        try:
            return proc.git("-c", "core.quotepath=false", *args, cwd=self.root, timeout=self.timeout_s,
                            input=input).stdout
        except proc.ProcError as exc:
            raise TreeUnavailable(f"cannot read {self.ref[:12]}: {exc}") from None

    def sizes(self) -> Mapping[str, int]:
        if self._sizes is None:
            out = self._git("ls-tree", "-r", "-l", "-z", "--full-tree", self.ref)
            sizes: dict[str, int] = {}
            for entry in out.split(b"\0"):
                if not entry:
                    continue
                meta, _, name = entry.partition(b"\t")
                fields = meta.split()
                # mode type sha size; 120000 is a symlink and 160000 a submodule: not files to read. A
                # blob missing from a partial clone has the size "BAD": not here to be read either.
                if len(fields) == 4 and fields[1] == b"blob" and fields[0] in (b"100644", b"100755") \
                        and fields[3].isdigit():
                    sizes[name.decode("utf-8", "replace")] = int(fields[3])
            self._sizes = dict(sorted(sizes.items()))
        return self._sizes

    def paths(self) -> Sequence[str]:
        return list(self.sizes())

    def read(self, paths: Sequence[str]) -> Mapping[str, bytes | None]:
        known = self.sizes()
        wanted = [p for p in paths if p in known]
        result: dict[str, bytes | None] = dict.fromkeys(paths)
        if not wanted:
            return result
        out = self._git("cat-file", "--batch", input="".join(f"{self.ref}:{p}\n" for p in wanted).encode())
        result.update(parse_cat_file_batch(out, wanted))
        return result


class DirTree:
    """Files extracted into a directory (the App's repository archive); `sizes` lists what was kept."""

    def __init__(self, root: Path, key: str, sizes: Mapping[str, int]) -> None:
        self.root = root
        self._key = key
        self._sizes = dict(sorted(sizes.items()))

    @property
    def key(self) -> str:
        return self._key

    def sizes(self) -> Mapping[str, int]:
        return self._sizes

    def paths(self) -> Sequence[str]:
        return list(self._sizes)

    def read(self, paths: Sequence[str]) -> Mapping[str, bytes | None]:
        result: dict[str, bytes | None] = {}
        for p in paths:
            pure = PurePosixPath(p)
            if p not in self._sizes or pure.is_absolute() or ".." in pure.parts:
                result[p] = None
                continue
            try:
                result[p] = (self.root / p).read_bytes()
            except OSError:
                result[p] = None
        return result


class LazyTree:
    """Builds the real tree on first use, so a review whose analyzers never look pays nothing.

    A failure to build is remembered: every later call raises the same TreeUnavailable.
    """

    def __init__(self, key: str, build: Callable[[], RepoTree]) -> None:
        self._key = key
        self._build = build
        self._tree: RepoTree | None = None
        self._failure: TreeUnavailable | None = None

    @property
    def key(self) -> str:
        return self._key

    def _get(self) -> RepoTree:
        if self._failure is not None:
            raise self._failure
        if self._tree is None:
            try:
                self._tree = self._build()
            except TreeUnavailable as exc:
                self._failure = exc
                raise
        return self._tree

    @property
    def built(self) -> bool:
        return self._tree is not None

    def sizes(self) -> Mapping[str, int]:
        return self._get().sizes()

    def paths(self) -> Sequence[str]:
        return self._get().paths()

    def read(self, paths: Sequence[str]) -> Mapping[str, bytes | None]:
        return self._get().read(paths)
