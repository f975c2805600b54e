"""triage.py's pure core: parsing commands, replaying records, who may, applying dismissals."""

from __future__ import annotations

import json

import pytest

from github_app.authorship import Authorship
from github_app.filtering import Placed
from github_app.findings import Finding, Severity
from github_app.policy import default_policy
from github_app.result import ReviewResult
from github_app.triage import RECORD_MARK, Command, Dismissal, apply, parse, refusal, replay


@pytest.mark.parametrize(("body", "want"), [
    ("/prodready review", Command("review")),
    ("/PRODREADY Review please", Command("review")),
    ("/prodready ignore py-x the SDK sets one\nmore text", Command("ignore", "py-x", "the SDK sets one")),
    ("/prodready ignore this <!-- prodready:triage {} --> ok",
     Command("ignore", "this", "!-- prodready:triage {} -- ok")),
    ("/prodready unignore", Command("unignore")),
    ("/prodready unignore py-x", Command("unignore", "py-x")),
    ("/prodready ignore", "say what to ignore"),
    ("/prodready ignore py-x", "give a reason"),
    ("/prodready dismiss py-x why", "unknown command `dismiss`"),
    ("/prodready", "unknown command `(none)`"),
    ("please /prodready review", "not a prodready command"),
    ("", "not a prodready command"),
])
def test_parse(body: str, want: Command | str) -> None:
    got = parse(body)
    if isinstance(want, str):
        assert isinstance(got, str) and want in got
    else:
        assert got == want


def _rec(**fields: str) -> str:
    return "Dismissed.\n" + RECORD_MARK.format(json.dumps(fields))


def test_replay_applies_records_in_order_and_ignores_junk() -> None:
    bodies = [
        _rec(op="ignore", target="rule:a", by="x", at="t1", reason="r1"),
        _rec(op="ignore", target="fp:ff", by="y", at="t2", reason="r2"),
        "<!-- prodready:triage {not json} -->",
        _rec(op="unignore", target="rule:a", by="x", at="t3"),
        _rec(op="ignore", target="rule:b", by="z", at="t4", reason="r4"),
    ]
    assert [d.target for d in replay(bodies)] == ["fp:ff", "rule:b"]
    assert replay([*bodies, _rec(op="unignore", target="", by="x", at="t5")]) == []


@pytest.mark.parametrize(("kw", "want"), [
    ({}, None),
    ({"pr_open": False}, "closed"),
    ({"is_bot": True}, "bot accounts"),
    ({"role": "read"}, "read role"),
    ({"role": "triage"}, "triage role"),
    ({"role": "write", "allowed": "maintain"}, "needs maintain"),
    ({"role": "admin", "allowed": "admin"}, None),
    ({"ai_own_pr": True}, "author of an AI-authored"),
    ({"ai_own_pr": True, "may_dismiss": True}, None),
])
def test_refusal(kw: dict[str, object], want: str | None) -> None:
    args: dict[str, object] = {"login": "u", "is_bot": False, "role": "write", "allowed": "write",
                               "ai_own_pr": False, "may_dismiss": False, "pr_open": True, **kw}
    got = refusal(Command("ignore", "py-x", "why"), **args)  # type: ignore[arg-type]
    assert (got is None) if want is None else (got is not None and want in got)


def test_the_ai_author_rule_does_not_stop_a_review_command() -> None:
    assert refusal(Command("review"), login="u", is_bot=False, role="write", allowed="write", ai_own_pr=True,
                   may_dismiss=False, pr_open=True) is None


def _result(*findings: Finding) -> ReviewResult:
    placed = [Placed(f.with_(blocking=True), f.start_line) for f in findings]
    return ReviewResult(placed=placed, out_of_change=[], skipped=[], errors=[], authorship=Authorship(True),
                        policy=default_policy(), gate=Severity.WARNING, conclusion="failure")


def test_apply_drops_dismissed_findings_decides_again_and_lists_who_when_why() -> None:
    a = Finding("py-a", "resilience", Severity.ERROR, "x.py", 1, 1, "m", code="a()")
    b = Finding("py-b", "resilience", Severity.ERROR, "x.py", 2, 2, "m", code="b()")
    one = apply(_result(a, b), [Dismissal("rule:py-a", "rhea", "2026-01-01T00:00:00Z", "the SDK sets one")])
    assert [f.rule_id for f in one.findings] == ["py-b"] and one.conclusion == "failure"
    assert [f.rule_id for f in one.dismissed] == ["py-a"]
    assert any("`py-a` by @rhea at 2026-01-01T00:00:00Z: the SDK sets one" in n for n in one.notes)
    both = apply(one, [Dismissal(f"fp:{b.fingerprint}", "rhea", "t", "fine")])
    assert both.findings == [] and both.conclusion == "success"
    assert apply(_result(a), []).conclusion == "failure"
