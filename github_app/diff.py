"""Unified diff -> per file: the lines a change added and the lines GitHub accepts comments on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchSet

Status = Literal["added", "modified", "deleted", "renamed"]


class DiffError(ValueError):
    """The text is not a unified diff unidiff can read."""


@dataclass(frozen=True)
class FileDiff:
    path: str
    """The path in the head version (for a deleted file: its old path)."""
    old_path: str | None
    status: Status
    is_binary: bool
    added_lines: frozenset[int]
    """Head-side line numbers the change added or modified."""
    commentable_lines: frozenset[int]
    """Head-side lines inside a hunk (added or context): GitHub's RIGHT side accepts comments only here."""
    hunks: tuple[tuple[int, int], ...]
    """Head-side (first, last) line of each hunk, for multi-line comments that must stay in one hunk."""

    def same_hunk(self, first: int, last: int) -> bool:
        return any(lo <= first and last <= hi for lo, hi in self.hunks)


def _strip_prefix(path: str | None) -> str | None:
    if path is None or path == "/dev/null":
        return None
    if path.startswith(("a/", "b/")):
        return path[2:]
    return path


def parse_diff(text: str) -> dict[str, FileDiff]:
    """Parse a git-style unified diff. CRLF line endings are accepted; paths are head-side."""
    # unidiff keeps '\r' in line values but its header regexes expect '\n' endings.
    normalised = text.replace("\r\n", "\n")
    try:
        patch = PatchSet(normalised)
    except UnidiffParseError as exc:
        raise DiffError(f"not a unified diff: {exc}") from exc
    files: dict[str, FileDiff] = {}
    for pf in patch:
        source = _strip_prefix(pf.source_file)
        target = _strip_prefix(pf.target_file)
        status: Status
        if pf.is_added_file:
            status = "added"
        elif pf.is_removed_file:
            status = "deleted"
        elif pf.is_rename:
            status = "renamed"
        else:
            status = "modified"
        path = (target if status != "deleted" else source) or pf.path
        added: set[int] = set()
        commentable: set[int] = set()
        hunks: list[tuple[int, int]] = []
        for hunk in pf:
            if hunk.target_length > 0:
                first = hunk.target_start
                hunks.append((first, first + hunk.target_length - 1))
            for line in hunk:
                if line.target_line_no is None:
                    continue
                commentable.add(line.target_line_no)
                if line.is_added:
                    added.add(line.target_line_no)
        files[path] = FileDiff(
            path=path,
            old_path=source if source != path else None,
            status=status,
            is_binary=bool(pf.is_binary_file),
            added_lines=frozenset(added),
            commentable_lines=frozenset(commentable),
            hunks=tuple(hunks),
        )
    return files
