"""Which lines of a patch a review comment may sit on."""

from __future__ import annotations

from github_app.sandbox import hunks

PATCH = "\n".join([
    "@@ -1,3 +1,3 @@",
    " a",
    "-b",
    "+B",
    " c",
    "@@ -10,2 +10,3 @@",
    " j",
    "+new",
    " k",
    "\\ No newline at end of file",
])


def test_sides_and_positions() -> None:
    parsed = hunks.parse(PATCH)
    assert len(parsed) == 2
    assert parsed[0].right == {1: 1, 2: 3, 3: 4}
    assert parsed[0].left == {1: 1, 2: 2, 3: 4}
    assert parsed[1].right == {10: 6, 11: 7, 12: 8}
    assert hunks.anchor(parsed, 11, "RIGHT") == hunks.Anchor(1, 7)
    assert hunks.anchor(parsed, 5, "RIGHT") is None
    assert hunks.anchor(parsed, 2, "LEFT") == hunks.Anchor(0, 2)


def test_position_and_diff_hunk() -> None:
    parsed = hunks.parse(PATCH)
    assert hunks.at_position(parsed, 2) == (2, "LEFT")
    assert hunks.at_position(parsed, 7) == (11, "RIGHT")
    assert hunks.at_position(parsed, 99) is None
    assert hunks.diff_hunk(parsed, hunks.Anchor(1, 7)) == "@@ -10,2 +10,3 @@\n j\n+new"
