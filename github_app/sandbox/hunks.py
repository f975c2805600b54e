"""Hunks of one file's patch: which lines a review comment may sit on (pure).

GitHub accepts an inline comment only on a line inside a hunk of the PR diff, on
the side named (RIGHT: added or context lines of the new file; LEFT: deleted or
context lines of the old file), and a multi-line comment only within one hunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class Hunk:
    index: int
    header_position: int  # position of the "@@" line: 0 for the first hunk
    right: dict[int, int] = field(default_factory=dict)  # new line no -> position
    left: dict[int, int] = field(default_factory=dict)  # old line no -> position
    lines: list[str] = field(default_factory=list)  # the hunk text, header first


@dataclass(frozen=True)
class Anchor:
    """Where a comment line sits: its hunk and its `position` (lines below the first @@)."""

    hunk: int
    position: int


def parse(patch: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    old = new = 0
    position = -1  # the first "@@" line is position 0; the line after it is 1
    for line in patch.split("\n"):
        position += 1
        m = _HEADER.match(line)
        if m:
            old, new = int(m.group(1)), int(m.group(3))
            hunks.append(Hunk(index=len(hunks), header_position=position, lines=[line]))
            continue
        if not hunks:
            continue
        hunk = hunks[-1]
        hunk.lines.append(line)
        if line.startswith("+"):
            hunk.right[new] = position
            new += 1
        elif line.startswith("-"):
            hunk.left[old] = position
            old += 1
        elif line.startswith("\\"):
            continue  # "\ No newline at end of file" occupies a position but no line
        else:
            hunk.right[new] = position
            hunk.left[old] = position
            old += 1
            new += 1
    return hunks


def anchor(hunks: list[Hunk], line: int, side: str) -> Anchor | None:
    for hunk in hunks:
        table = hunk.right if side == "RIGHT" else hunk.left
        if line in table:
            return Anchor(hunk.index, table[line])
    return None


def at_position(hunks: list[Hunk], position: int) -> tuple[int, str] | None:
    """The (line, side) a legacy `position` points at; deleted lines are LEFT."""
    for hunk in hunks:
        for no, pos in hunk.right.items():
            if pos == position:
                return no, "RIGHT"
        for no, pos in hunk.left.items():
            if pos == position:
                return no, "LEFT"
    return None


def diff_hunk(hunks: list[Hunk], at: Anchor) -> str:
    """GitHub's `diff_hunk`: the hunk's text from its header down to the commented line."""
    hunk = hunks[at.hunk]
    return "\n".join(hunk.lines[: at.position - hunk.header_position + 1])
