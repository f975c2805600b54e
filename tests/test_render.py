from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from github_app.authorship import Authorship
from github_app.filtering import Placed
from github_app.findings import Finding, Severity
from github_app.policy import default_policy
from github_app.render import (
    FINGERPRINT_RE,
    MAX_OUTPUT_BYTES,
    batches,
    check_annotations,
    check_output,
    clip_bytes,
    comment_body,
    plan_comments,
    render_json,
    render_sarif,
    render_text,
    skipped_lines,
)
from github_app.result import ReviewResult
from github_app.scan import Skipped


def make_finding(i: int, sev: Severity = Severity.WARNING, blocking: bool = False) -> Finding:
    return Finding(f"rule-{i % 3}", "resilience", sev, f"src/f{i}.py", i + 1, i + 1, "What, why, fix.",
                   code=f"call({i})", blocking=blocking)


def make_result(n: int = 3, conclusion: str = "failure") -> ReviewResult:
    placed = [Placed(make_finding(i, blocking=True), i + 1) for i in range(n)]
    return ReviewResult(placed=placed, out_of_change=[], skipped=[Skipped("big.min.js", "larger than 1000 kB")],
                        errors=[], authorship=Authorship(True, "Claude Code", "commit abc trailer"),
                        policy=default_policy(), gate=Severity.WARNING, conclusion=conclusion,
                        files_changed=n + 1, files_scanned=n)


def test_comment_carries_fingerprint_and_suggestion() -> None:
    f = make_finding(1).with_(fix="call(1, timeout=10)")
    body = comment_body(f, suggestion=True)
    assert FINGERPRINT_RE.search(body).group(1) == f.fingerprint  # type: ignore[union-attr]
    assert "```suggestion\ncall(1, timeout=10)\n```" in body
    assert "```suggestion" not in comment_body(f, suggestion=False)


def test_plan_caps_skips_posted_and_reports_unanchored() -> None:
    placed = [Placed(make_finding(i), i + 1) for i in range(30)] + [Placed(make_finding(99), None)]
    posted = frozenset({placed[0].finding.fingerprint})
    comments, unanchored, over, repeated = plan_comments(placed, limit=25, already_posted=posted)
    assert len(comments) == 25 and len(over) == 4 and repeated == 1
    assert [f.rule_id for f in unanchored] == ["rule-0"]
    assert all(c["side"] == "RIGHT" for c in comments)


def test_annotation_batches_are_at_most_50() -> None:
    anns = check_annotations(make_finding(i) for i in range(143))
    sizes = [len(b) for b in batches(anns)]
    assert sizes == [50, 50, 43]


def test_clip_counts_bytes_not_characters() -> None:
    text = "é" * 40_000  # 80,000 bytes
    clipped = clip_bytes(text)
    assert len(clipped.encode()) <= MAX_OUTPUT_BYTES
    assert clipped.endswith("limit)")


def test_check_output_mentions_skips_policy_and_authorship() -> None:
    out = check_output(make_result())
    assert "big.min.js" in out["summary"]
    assert "Claude Code" in out["summary"]
    assert "sha256" in out["summary"]
    assert out["title"] == "3 blocking findings of 3 on changed lines"


def test_huge_output_stays_under_limit() -> None:
    out = check_output(make_result(3000))
    assert len(out["summary"].encode()) <= MAX_OUTPUT_BYTES
    assert len(out["text"].encode()) <= MAX_OUTPUT_BYTES


def test_json_shape_matches_contract() -> None:
    data = render_json(make_result())
    assert set(data["findings"][0]) >= {"rule_id", "concern", "severity", "path", "start_line", "end_line",
                                        "message", "blocking"}
    assert data["authorship"] == {"ai": True, "agent": "Claude Code", "signal": "commit abc trailer",
                                  "assisted": False, "assisted_signal": None}
    assert set(data["policy"]) >= {"sha256", "sources"}
    assert data["skipped"] == [{"path": "big.min.js", "reason": "larger than 1000 kB"}]


def test_text_lists_findings_under_their_file() -> None:
    text = render_text(make_result(2))
    assert "src/f0.py\n  1: BLOCKING WARNING [resilience] rule-0" in text
    assert "suggested fix" not in text


def test_text_shows_a_rule_fix_as_the_replacement_lines() -> None:
    result = make_result(1)
    result.placed = [Placed(result.placed[0].finding.with_(fix="call(0, timeout=10)"), 1)]
    text = render_text(result)
    assert "      What, why, fix.\n      suggested fix (lines 1-1):\n      + call(0, timeout=10)\n" in text


SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-2.1.0-subset.json"


def test_sarif_is_valid_2_1_0() -> None:
    sarif = render_sarif(make_result())
    assert sarif["version"] == "2.1.0"
    if not SARIF_SCHEMA.exists():
        pytest.skip("no SARIF schema fixture")
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"rule-0", "rule-1", "rule-2"}
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert "fixes" not in run["results"][0]


def test_sarif_carries_a_rule_fix() -> None:
    result = make_result(1)
    result.placed = [Placed(result.placed[0].finding.with_(fix="call(0, timeout=10)"), 1)]
    sarif = render_sarif(result)
    if SARIF_SCHEMA.exists():
        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    [change] = sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"]
    assert change == {"artifactLocation": {"uri": "src/f0.py"}, "replacements": [
        {"deletedRegion": {"startLine": 1, "endLine": 1}, "insertedContent": {"text": "call(0, timeout=10)"}}]}


def test_skipped_files_are_grouped_by_reason_and_counted_past_a_few() -> None:
    skipped = [Skipped(f"gen/{i}.py", "ignored by policy") for i in range(25)] + [Skipped("a.png", "binary file")]
    lines = skipped_lines(skipped, per_reason=20)
    assert lines[:2] == ["- `gen/0.py`: ignored by policy", "- `gen/1.py`: ignored by policy"]
    assert lines[20:] == ["- ... and 5 more: ignored by policy", "- `a.png`: binary file"]
    assert skipped_lines(skipped[:3], per_reason=3) == [f"- `gen/{i}.py`: ignored by policy" for i in range(3)]


def test_scanner_errors_come_before_a_long_skip_list() -> None:
    result = make_result(1)
    result.skipped = [Skipped(f"gen/{i}.py", f"reason {i}") for i in range(3000)]
    result.errors = ["Rule parse error: bad rule"]
    summary = check_output(result)["summary"]
    assert "Rule parse error: bad rule" in summary
    assert summary.index("Scanner errors") < summary.index("Not scanned (3,000 files)")


def test_an_ai_assisted_change_is_shown_as_assisted_but_not_ai_authored() -> None:
    signal = "commit 1a2b3c4 trailer Copilot <175728472+Copilot@users.noreply.github.com>"
    result = dataclasses.replace(make_result(), authorship=Authorship(
        False, evidence=(signal,), assisted=True, assisted_signal=signal))
    summary = check_output(result)["summary"]
    assert f"human-authored, AI-assisted (not counted, policy authorship.assisted: ignore); signal: {signal}" in summary
    assert f"AI-assisted (not counted as AI-authored): {signal}" in render_text(result)
    data = render_json(result)["authorship"]
    assert data == {"ai": False, "agent": None, "signal": None, "assisted": True, "assisted_signal": signal}
