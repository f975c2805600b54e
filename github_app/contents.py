"""How the App reads one side (base or head) of a PR: a contents request per file, or the repository
archive at that SHA, whichever costs fewer requests.

The archive is two requests (the tarball link, then the download from codeload) however many files
are read, so a read of `min_files` or more goes to it, as long as the repository is small enough for
the archive to fit the extraction caps. It is fetched at most once per side per job, into the job's
own folder, and backs the side's `RepoTree` for analyzers too. When it cannot be had (over the cap, a
truncated download), the side is read file by file, as before, and the summary says so once; a path
the archive left out (a link, a file over the per-file cap) is fetched by itself, never taken as absent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from github_app import logs, metrics
from github_app.archive import ArchiveLimits, Extracted
from github_app.repotree import DirTree, LazyTree, TreeUnavailable

# With two requests for the archive, three or more contents requests already cost more; a few more
# files is the margin for downloading the whole repository instead.
ARCHIVE_MIN_FILES = 5

FetchFile = Callable[[str], bytes | None]
FetchArchive = Callable[[Path], Extracted]


def use_archive(n_paths: int, repo_size_kb: int, *, min_files: int, limits: ArchiveLimits) -> bool:
    """Pure: the archive for a read of n_paths files? GitHub's repository `size` (KB, history included)
    is an over-estimate of the tree, so a repository over the cap is not even tried."""
    return min_files > 0 and n_paths >= min_files and repo_size_kb * 1024 <= limits.max_total_bytes


class SideReader:
    """A FileReader (review.Change.read_head/read_base) for one side, and that side's lazy RepoTree."""

    def __init__(self, side: str, ref: str, dest: Path, *, fetch_file: FetchFile, fetch_archive: FetchArchive,
                 repo_size_kb: int, min_files: int = ARCHIVE_MIN_FILES, limits: ArchiveLimits | None = None) -> None:
        self.side = side
        self.ref = ref
        self._dest = dest
        self._fetch_file = fetch_file
        self._fetch_archive = fetch_archive
        self._size_kb = repo_size_kb
        self._min_files = min_files
        self._limits = limits or ArchiveLimits()
        self._extracted: Extracted | None = None
        self.notes: list[str] = []
        self.tree = LazyTree(ref, self._build)

    def _build(self) -> DirTree:
        self._dest.mkdir(parents=True, exist_ok=True)
        try:
            self._extracted = self._fetch_archive(self._dest)
        except TreeUnavailable as exc:
            metrics.ARCHIVES.labels("unavailable").inc()
            logs.get().warning("archive.unavailable", side=self.side, ref=self.ref, reason=str(exc))
            self.notes.append(f"The {self.side} side was read file by file: {exc}.")
            raise
        metrics.ARCHIVES.labels("extracted").inc()
        if self._extracted.left_out:
            logs.get().info("archive.left_out", side=self.side, counts=dict(self._extracted.left_out))
        return self._extracted.tree

    def __call__(self, paths: Sequence[str]) -> Mapping[str, bytes | None]:
        wanted = list(dict.fromkeys(paths))
        if self.tree.built or use_archive(len(wanted), self._size_kb, min_files=self._min_files,
                                          limits=self._limits):
            try:
                got = dict(self.tree.read(wanted))
            except TreeUnavailable:
                pass  # said once in notes; read file by file below
            else:
                assert self._extracted is not None
                for p in wanted:
                    if p in self._extracted.left_out_paths:
                        got[p] = self._fetch_file(p)
                return got
        return {p: self._fetch_file(p) for p in wanted}
