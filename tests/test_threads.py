"""threads.py: which threads are fixed (pure) and the follow-up's partial failures."""

from __future__ import annotations

from typing import Any

import pytest

from github_app import github, threads
from github_app.github import GitHubError, ReviewThread, ThreadComment
from github_app.render import FINGERPRINT_MARK

BOT = "prodready[bot]"


def _thread(tid: str, fp: str, *, author: str = BOT, resolved: bool = False, path: str = "a.py",
            replies: tuple[ThreadComment, ...] = ()) -> ReviewThread:
    root = ThreadComment(int(tid.lstrip("T")), author, "finding\n" + FINGERPRINT_MARK.format(fp))
    return ReviewThread(tid, resolved, path, 3, (root, *replies))


def test_fixed_threads_picks_open_prodready_threads_whose_finding_is_gone() -> None:
    gone, kept = "a" * 16, "b" * 16
    ts = [_thread("T1", gone), _thread("T2", kept), _thread("T3", gone, resolved=True),
          _thread("T4", gone, author="someone"), _thread("T5", gone, path="skipped.py"),
          _thread("T6", gone, replies=(ThreadComment(9, "human", "I disagree"),))]
    got = threads.fixed_threads(ts, bot_login=BOT, present={kept}, unscanned={"skipped.py"}, partial=False)
    assert [f.thread.id for f in got] == ["T1", "T6"]
    assert threads.fixed_threads(ts, bot_login=BOT, present=set(), unscanned=set(), partial=True) == []


def test_a_thread_already_answered_is_not_answered_again() -> None:
    fp = "c" * 16
    answered = ThreadComment(7, BOT, threads.fixed_reply("1234567890", fp))
    [item] = threads.fixed_threads([_thread("T1", fp, replies=(answered,))], bot_login=BOT, present=set(),
                                   unscanned=set(), partial=False)
    assert item.replied


def test_one_thread_failing_to_resolve_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    ts = [_thread("T1", "a" * 16, path="one.py"), _thread("T2", "b" * 16, path="two.py")]
    resolved: list[str] = []

    def resolve(_: Any, tid: str) -> None:
        if tid == "T1":
            raise GitHubError(200, "NOT_FOUND: Could not resolve to a node")
        resolved.append(tid)

    monkeypatch.setattr(github, "review_threads", lambda *_: ts)
    monkeypatch.setattr(github, "reply_to_review_comment", lambda *_: 1)
    monkeypatch.setattr(github, "resolve_thread", resolve)
    lines = threads.follow_up(object(), "o/r", 1, "abcdef1234", bot_login=BOT, present=set(),  # type: ignore[arg-type]
                              unscanned=set(), partial=False)
    assert resolved == ["T2"]
    assert lines[0].startswith("Resolved 1 earlier thread(s) whose finding is fixed in abcdef1: `two.py`")
    assert "1 fixed thread(s) could not be resolved" in lines[1] and "NOT_FOUND" in lines[1]


def test_threads_that_cannot_be_read_are_a_summary_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any) -> list[ReviewThread]:
        raise GitHubError(502, "Bad Gateway")

    monkeypatch.setattr(github, "review_threads", fail)
    lines = threads.follow_up(object(), "o/r", 1, "abc", bot_login=BOT, present=set(),  # type: ignore[arg-type]
                              unscanned=set(), partial=False)
    assert lines == ["Earlier threads were not checked for fixes: reading them failed (GitHub answered 502: "
                     "Bad Gateway)."]
