"""Extract a repository tarball (GitHub's archive of one commit) into a directory, under checks.

The archive comes from the network, so nothing in it is trusted: members are read one at a time
from the stream, GitHub's single top-level folder is stripped, and only regular files with safe
relative paths are written. Links, devices and unsafe paths are left out and counted; going over
the total size, a file's size or the file count stops the extraction with `TreeUnavailable`, as
does a truncated or corrupt stream. Python's tarfile does the parsing; the checks are ours.
"""

from __future__ import annotations

import gzip
import tarfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from github_app.repotree import DirTree, TreeUnavailable

MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 100_000
COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_total_bytes: int = MAX_TOTAL_BYTES
    """Bytes written, counted as they are decompressed: a gzip bomb stops here, not in memory."""
    max_file_bytes: int = MAX_FILE_BYTES
    """A larger file is left out (counted), not fatal: it is not source a review reads."""
    max_files: int = MAX_FILES


@dataclass
class Extracted:
    tree: DirTree
    left_out: Counter[str] = field(default_factory=Counter)
    """Reason -> how many members were not written ("symbolic link", "file over 10 MB", ...)."""
    left_out_paths: frozenset[str] = frozenset()
    """The safe paths among them, which a reader fetches another way rather than take as absent."""

    def note(self) -> str | None:
        if not self.left_out:
            return None
        parts = ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items()))
        return f"Left out of the repository archive: {parts}."


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.3g} MB"


def safe_member_path(name: str) -> str | None:
    """The member's path below GitHub's top-level folder, or None when it is not a safe relative path."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or "\0" in name:
        return None
    parts = pure.parts[1:]  # GitHub's owner-repo-sha/ folder
    if not parts or any(p in ("", ".") for p in parts):
        return None
    return "/".join(parts)


def extract(stream: IO[bytes], dest: Path, key: str, limits: ArchiveLimits = ArchiveLimits()) -> Extracted:
    """Extract the tar.gz read from `stream` into `dest` (an empty directory); raises TreeUnavailable."""
    left_out: Counter[str] = Counter()
    left_paths: set[str] = set()
    sizes: dict[str, int] = {}
    total = 0
    try:
        with tarfile.open(fileobj=stream, mode="r|gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                rel = safe_member_path(member.name)
                if rel is None:
                    left_out["unsafe path"] += 1
                    continue
                if member.issym() or member.islnk():
                    left_out["link"] += 1
                    left_paths.add(rel)
                    continue
                if not member.isreg():
                    left_out["special file"] += 1
                    left_paths.add(rel)
                    continue
                if member.size > limits.max_file_bytes:
                    left_out[f"file over {megabytes(limits.max_file_bytes)}"] += 1
                    left_paths.add(rel)
                    continue
                if len(sizes) >= limits.max_files:
                    raise TreeUnavailable(f"the repository archive has more than {limits.max_files:,} files")
                total += member.size
                if total > limits.max_total_bytes:
                    raise TreeUnavailable(f"the repository archive is over "
                                          f"{megabytes(limits.max_total_bytes)}")
                target = dest / rel
                if rel in sizes or target.exists():
                    left_out["duplicate path"] += 1
                    left_paths.add(rel)
                    continue
                source = tar.extractfile(member)
                if source is None:
                    left_out["special file"] += 1
                    left_paths.add(rel)
                    continue
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                except (FileExistsError, NotADirectoryError):
                    left_out["path under a file"] += 1  # "a" was a file, now "a/b" wants it as a folder
                    left_paths.add(rel)
                    continue
                if not target.parent.resolve().is_relative_to(dest.resolve()):
                    left_out["unsafe path"] += 1  # a file where a folder was expected, or a link planted
                    continue
                written = 0
                with target.open("wb") as out:
                    while chunk := source.read(COPY_CHUNK):
                        written += len(chunk)
                        out.write(chunk)
                if written != member.size:
                    raise TreeUnavailable("the repository archive is truncated")
                sizes[rel] = written
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise TreeUnavailable(f"the repository archive is truncated or corrupt ({type(exc).__name__})") from None
    except OSError as exc:  # the disk, not the archive: full, or not writable
        raise TreeUnavailable(f"cannot write the repository archive: {exc.strerror or exc}") from None
    return Extracted(DirTree(dest, key, sizes), left_out, frozenset(left_paths))
