from __future__ import annotations

import pytest

from github_app.diff import FileDiff
from github_app.filtering import FilterMode, filter_findings
from github_app.findings import Finding, Severity

FD = FileDiff(
    path="svc.py",
    old_path=None,
    status="modified",
    is_binary=False,
    added_lines=frozenset({10, 11}),
    commentable_lines=frozenset(range(7, 15)),
    hunks=((7, 14),),
)


def finding(start: int, end: int | None = None, path: str = "svc.py", rule: str = "r") -> Finding:
    return Finding(rule, "resilience", Severity.ERROR, path, start, end or start, "m", code=f"code{start}")


@pytest.mark.parametrize(
    ("mode", "start", "kept"),
    [
        (FilterMode.ADDED, 10, True),
        (FilterMode.ADDED, 8, False),  # context line: not changed by the PR
        (FilterMode.ADDED, 30, False),
        (FilterMode.DIFF_CONTEXT, 8, True),
        (FilterMode.DIFF_CONTEXT, 30, False),
        (FilterMode.FILE, 30, True),
        (FilterMode.NOFILTER, 30, True),
    ],
)
def test_modes(mode: FilterMode, start: int, kept: bool) -> None:
    result = filter_findings([finding(start)], {"svc.py": FD}, mode)
    assert (len(result.kept) == 1) is kept
    assert len(result.kept) + len(result.out) == 1  # marked out, never dropped


def test_out_of_change_carries_reason() -> None:
    result = filter_findings([finding(8)], {"svc.py": FD})
    assert result.out[0][1] == "on a line the change did not add or modify"


def test_multiline_finding_in_one_hunk_anchors_as_range() -> None:
    placed = filter_findings([finding(9, 12)], {"svc.py": FD}).kept[0]
    assert (placed.anchor_start, placed.anchor) == (9, 12)


def test_finding_whose_head_is_not_added_is_out() -> None:
    # A 20-line function whose line 10 changed: the finding starts far above the change.
    long = finding(1, 20)
    assert not filter_findings([long], {"svc.py": FD}).kept


def test_unanchorable_finding_kept_without_anchor_in_file_mode() -> None:
    placed = filter_findings([finding(40)], {"svc.py": FD}, FilterMode.FILE).kept[0]
    assert placed.anchor is None


def test_duplicates_collapse_and_unknown_files_are_out() -> None:
    result = filter_findings([finding(10), finding(10), finding(10, path="other.py")], {"svc.py": FD})
    assert len(result.kept) == 1
    assert result.out[0][1] == "file not in the change"


def secret(rule: str, start: int, *, generic: bool, concern: str = "secrets") -> Finding:
    return Finding(rule, concern, Severity.ERROR, "svc.py", start, start, "m", code=f"k{start}",
                   extra={"generic": "true"} if generic else {})


def test_one_problem_one_comment_keeps_the_specific_rule() -> None:
    found = [secret("py-hardcoded-secret-assignment", 10, generic=True),
             secret("secret-stripe-live-key", 10, generic=False),
             secret("py-hardcoded-secret-assignment", 11, generic=True),  # no specific rule here: kept
             secret("py-print", 11, generic=False, concern="observability")]  # another concern: no effect
    kept = sorted((f.rule_id, f.start_line) for f in filter_findings(found, {"svc.py": FD}, FilterMode.ADDED).findings)
    assert kept == [("py-hardcoded-secret-assignment", 11), ("py-print", 11), ("secret-stripe-live-key", 10)]
