"""Findings -> review comments, check-run output and annotations, text, JSON and SARIF. Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from github_app import __version__
from github_app.filtering import Placed
from github_app.findings import Finding, Severity
from github_app.result import ReviewResult
from github_app.scan import Skipped

# GitHub limits (github-api-facts.md §4, §5).
MAX_ANNOTATIONS_PER_REQUEST = 50
# One request's worth: every finding is also listed in the check's text, so more annotations would only
# add one PATCH per 50 findings to a review that should cost a handful of requests (issue 15).
MAX_ANNOTATIONS = MAX_ANNOTATIONS_PER_REQUEST
MAX_OUTPUT_BYTES = 65_535  # check-run summary/text, counted in bytes by GitHub
MAX_COMMENT_CHARS = 65_536
MAX_ANNOTATION_TITLE = 255
CHECK_NAME = "prodready"
# Paths listed per skip reason in the check summary; the rest are counted.
SKIPPED_LISTED_PER_REASON = 20

FINGERPRINT_MARK = "<!-- prodready:fp={} -->"
FINGERPRINT_RE = re.compile(r"<!-- prodready:fp=([0-9a-f]{8,64}) -->")

_LEVEL = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

T = TypeVar("T")


def batches(items: Sequence[T], size: int = MAX_ANNOTATIONS_PER_REQUEST) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def clip_bytes(text: str, limit: int = MAX_OUTPUT_BYTES, note: str = "\n\n…(clipped to fit GitHub's limit)") -> str:
    """Clip to a byte budget without splitting a UTF-8 character, and say so."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    budget = limit - len(note.encode())
    return raw[:budget].decode("utf-8", errors="ignore") + note


def _tag(f: Finding) -> str:
    blocking = " · blocks merge" if f.blocking else ""
    return f"{f.severity.name.lower()} · {f.concern} · `{f.rule_id}`{blocking}"


def comment_body(f: Finding, *, suggestion: bool) -> str:
    parts = [f"**prodready** · {_tag(f)}", "", f.message]
    if suggestion and f.fix is not None:
        parts += ["", "```suggestion", f.fix, "```"]
    if f.references:
        parts += ["", "References: " + ", ".join(f.references[:3])]
    parts += [
        "",
        f"<sub>To keep this code, add `prodready: ignore[{f.rule_id}] <reason>` on or above the line.</sub>",
        FINGERPRINT_MARK.format(f.fingerprint),
    ]
    return clip_bytes("\n".join(parts), MAX_COMMENT_CHARS)


def review_comment(p: Placed) -> dict[str, Any]:
    assert p.anchor is not None
    f = p.finding
    comment: dict[str, Any] = {"path": f.path, "line": p.anchor, "side": "RIGHT"}
    # A suggestion replaces exactly the commented lines, so offer one only when the comment spans the
    # finding's lines exactly.
    spans_finding = (p.anchor_start or p.anchor) == f.start_line and p.anchor == f.end_line
    if p.anchor_start is not None and p.anchor_start < p.anchor:
        comment["start_line"] = p.anchor_start
        comment["start_side"] = "RIGHT"
    comment["body"] = comment_body(f, suggestion=spans_finding)
    return comment


def plan_comments(
    placed: Iterable[Placed], *, limit: int, already_posted: frozenset[str] = frozenset()
) -> tuple[list[dict[str, Any]], list[Finding], list[Finding], int]:
    """-> (inline comments, findings that could not be anchored, findings over the cap, already posted)."""
    comments: list[dict[str, Any]] = []
    unanchored: list[Finding] = []
    over_cap: list[Finding] = []
    repeated = 0
    # Blocking and severe findings get the inline slots first.
    ordered = sorted(placed, key=lambda p: (not p.finding.blocking, -int(p.finding.severity),
                                            p.finding.path, p.finding.start_line))
    for p in ordered:
        if p.finding.fingerprint in already_posted:
            repeated += 1
            continue
        if p.anchor is None:
            unanchored.append(p.finding)
        elif len(comments) >= limit:
            over_cap.append(p.finding)
        else:
            comments.append(review_comment(p))
    return comments, unanchored, over_cap, repeated


def check_annotations(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    out = []
    for f in findings:
        ann: dict[str, Any] = {
            "path": f.path,
            "start_line": f.start_line,
            "end_line": f.end_line,
            "annotation_level": _LEVEL[f.severity],
            "title": f"{f.rule_id} ({f.concern})"[:MAX_ANNOTATION_TITLE],
            "message": f.message[:60_000],
        }
        out.append(ann)
    return out


def annotated(mode: str, findings: Sequence[Finding], not_commented: Sequence[Finding]) -> list[Finding]:
    """Policy `report`: which findings become annotations, so each appears in one place by default."""
    if mode in ("annotations", "both"):
        return list(findings)
    return list(not_commented)


def capped_annotations(chosen: Sequence[Finding], cap: int = MAX_ANNOTATIONS) -> tuple[list[Finding], str | None]:
    """At most `cap` annotations, blocking and severe first; the note says how many more the text lists."""
    if len(chosen) <= cap:
        return list(chosen), None
    ranked = sorted(chosen, key=lambda f: (not f.blocking, -int(f.severity), f.path, f.start_line))
    return ranked[:cap], (f"{len(chosen) - cap} more findings are listed in the check's details but not "
                          f"annotated (at most {cap} annotations a review).")


# github-api-facts.md §5: at most 3 actions; label <= 20, description <= 40, identifier <= 20 chars.
REREVIEW = {"label": "Re-review", "description": "Review this head again", "identifier": "rereview"}
RERUN = {"label": "Re-run", "description": "Retry the review that failed", "identifier": "rerun"}


def check_actions(errored: bool) -> list[dict[str, str]]:
    """Buttons on the completed check: Re-review always, Re-run when the review itself failed."""
    return [REREVIEW, RERUN] if errored else [REREVIEW]


def headline(result: ReviewResult) -> str:
    n = len(result.findings)
    blocking = len(result.blocking)
    if result.conclusion == "failure":
        return f"{blocking} blocking finding{'s' * (blocking != 1)} of {n} on changed lines"
    if n:
        return f"{n} finding{'s' * (n != 1)} on changed lines, none blocking"
    return "No findings on changed lines"


def _gate_text(result: ReviewResult) -> str:
    who = "AI-authored" if result.authorship.ai else "human-authored"
    if result.gate is None:
        return f"{who} change: findings are advisory (policy gate: none)"
    return f"{who} change: {result.gate.name} and above block"


def summary_markdown(
    result: ReviewResult,
    *,
    unanchored: Sequence[Finding] = (),
    over_cap: Sequence[Finding] = (),
    repeated: int = 0,
) -> str:
    a = result.authorship
    lines = [f"### {headline(result)}", ""]
    if a.ai:
        lines.append(f"- Authorship: AI-authored ({a.agent or 'agent'}); signal: {a.signal}")
    elif a.assisted:
        lines.append(f"- Authorship: human-authored, AI-assisted (not counted, policy authorship.assisted: "
                     f"ignore); signal: {a.assisted_signal}")
    else:
        lines.append("- Authorship: no AI-authorship signal matched")
    if a.ai and a.assisted and a.assisted_signal != a.signal:
        lines.append(f"- AI-assisted too: {a.assisted_signal}")
    lines.append(f"- Gate: {_gate_text(result)}")
    lines.append(f"- Policy: sha256 `{result.policy.sha256[:16]}` from {', '.join(result.policy.sources)}")
    lines.append(f"- Scanned {result.files_scanned:,} of {result.files_changed:,} changed files")
    if (sentence := result.suppressions.sentence()) is not None:
        lines.append(f"- {sentence}")
    for note in result.notes:
        lines.append(f"- {note}")
    if result.policy.problems:
        lines += ["", "#### Policy problems (the settings named were not applied)"]
        lines += [f"- {p}" for p in result.policy.problems]
    if result.findings:
        counts = Counter(f.concern for f in result.findings)
        lines += ["", "| concern | findings |", "|---|---|"]
        lines += [f"| {c} | {n} |" for c, n in sorted(counts.items())]
    if unanchored:
        lines += ["", "#### Findings outside the diff's commentable lines"]
        lines += [_finding_line(f) for f in unanchored]
    if over_cap:
        lines += ["", f"#### {len(over_cap)} more findings (over the inline-comment cap)"]
        lines += [_finding_line(f) for f in over_cap]
    if repeated:
        lines.append(f"\n{repeated} finding(s) already commented on in an earlier review were not repeated.")
    if result.errors:
        lines += ["", "#### Scanner errors (the scan may be partial)"]
        lines += [f"- {e}" for e in result.errors]
    if result.skipped:
        lines += ["", f"#### Not scanned ({len(result.skipped):,} files)"]
        lines += skipped_lines(result.skipped)
    if result.preexisting:
        lines.append(f"\n{result.preexisting} finding(s) were already there before this change; they do not "
                     "block it and get no comment.")
    if result.unchanged:
        lines.append(f"\n{result.unchanged} finding(s) on unchanged lines were not reported.")
    return "\n".join(lines)


def skipped_lines(skipped: Sequence[Skipped], *, per_reason: int = SKIPPED_LISTED_PER_REASON) -> list[str]:
    """Skipped files grouped by reason: the first few paths of each, then a count, so that a PR with
    thousands of generated files cannot push the rest of the summary past GitHub's size limit."""
    by_reason: dict[str, list[str]] = {}
    for s in skipped:
        by_reason.setdefault(s.reason, []).append(s.path)
    lines: list[str] = []
    for reason, paths in by_reason.items():
        lines += [f"- `{p}`: {reason}" for p in paths[:per_reason]]
        if len(paths) > per_reason:
            lines.append(f"- ... and {len(paths) - per_reason:,} more: {reason}")
    return lines


def _finding_line(f: Finding) -> str:
    return f"- `{f.path}:{f.start_line}` {f.severity.name} `{f.rule_id}`: {f.message}"


def check_output(
    result: ReviewResult,
    *,
    unanchored: Sequence[Finding] = (),
    over_cap: Sequence[Finding] = (),
    repeated: int = 0,
) -> dict[str, str]:
    summary = summary_markdown(result, unanchored=unanchored, over_cap=over_cap, repeated=repeated)
    details = "\n".join(_finding_line(f) for f in result.findings) or "Nothing to report."
    return {
        "title": headline(result),
        "summary": clip_bytes(summary),
        "text": clip_bytes("#### All findings on changed lines\n" + details),
    }


# -- local output --------------------------------------------------------------------------------


def render_text(result: ReviewResult) -> str:
    out: list[str] = []
    by_path: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    for path in sorted(by_path):
        out.append(path)
        for f in sorted(by_path[path], key=lambda x: x.start_line):
            mark = "BLOCKING " if f.blocking else ""
            out.append(f"  {f.start_line}: {mark}{f.severity.name} [{f.concern}] {f.rule_id}")
            for code_line in f.code.splitlines()[:3]:
                out.append(f"      | {code_line.rstrip()}")
            out.append(f"      {f.message}")
            if f.fix is not None:
                out.append(f"      suggested fix (lines {f.start_line}-{f.end_line}):")
                out += [f"      + {line.rstrip()}" for line in f.fix.splitlines()]
        out.append("")
    for s in result.skipped:
        out.append(f"skipped {s.path}: {s.reason}")
    for e in result.errors:
        out.append(f"scanner error: {e}")
    a = result.authorship
    out.append(f"authorship: {'AI (' + (a.agent or 'agent') + ') via ' + str(a.signal) if a.ai else 'no AI signal'}")
    if a.assisted:
        out.append(f"AI-assisted{'' if a.ai else ' (not counted as AI-authored)'}: {a.assisted_signal}")
    if (sentence := result.suppressions.sentence()) is not None:
        out.append(sentence[0].lower() + sentence[1:])
    for note in result.notes:
        out.append(f"note: {note}")
    for p in result.policy.problems:
        out.append(f"policy problem: {p}")
    already = f"{result.preexisting} already there before this change, " if result.preexisting else ""
    out.append(f"{headline(result)} ({_gate_text(result)}); {already}{result.unchanged} on unchanged lines "
               f"not reported; policy sha256 {result.policy.sha256[:12]}")
    return "\n".join(out)


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "concern": f.concern,
        "severity": f.severity.name,
        "path": f.path,
        "start_line": f.start_line,
        "end_line": f.end_line,
        "message": f.message,
        "blocking": f.blocking,
        "confidence": f.confidence,
        "fingerprint": f.fingerprint,
        "fix": f.fix,
    }


def render_json(result: ReviewResult) -> dict[str, Any]:
    a = result.authorship
    return {
        "findings": [finding_json(f) for f in result.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        "errors": list(result.errors),
        "authorship": {"ai": a.ai, "agent": a.agent, "signal": a.signal, "assisted": a.assisted,
                       "assisted_signal": a.assisted_signal},
        "policy": {"sha256": result.policy.sha256, "sources": list(result.policy.sources),
                   "problems": list(result.policy.problems)},
        "conclusion": result.conclusion,
        "gate": result.gate.name if result.gate else None,
        "not_reported": len(result.out_of_change),
        "preexisting": result.preexisting,
        "files_changed": result.files_changed,
        "files_scanned": result.files_scanned,
        "notes": list(result.notes),
        "suppressions": result.suppressions.as_json(),
    }


def _sarif_fixes(f: Finding) -> dict[str, Any]:
    """The rule's fix as SARIF `fixes`: the finding's whole lines replaced by the fixed ones."""
    if f.fix is None:
        return {}
    return {"fixes": [{
        "description": {"text": f"Suggested by {f.rule_id}"},
        "artifactChanges": [{
            "artifactLocation": {"uri": f.path},
            "replacements": [{"deletedRegion": {"startLine": f.start_line, "endLine": f.end_line},
                              "insertedContent": {"text": f.fix}}],
        }],
    }]}


# GitHub code scanning reads security-severity as a number in a string: over 9.0 critical, 7.0-8.9 high,
# 4.0-6.9 medium, 0.1-3.9 low ("SARIF support for code scanning", reportingDescriptor properties).
_SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
# SARIF's precision values are very-high, high, medium and low; rules say HIGH, MEDIUM or LOW.
_PRECISION = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low"}


def _rule_text(f: Finding, doc: Mapping[str, Any] | None) -> str:
    """The rule's own message (its template, metavariables unfilled), so it is the same in every run."""
    message = doc.get("message") if doc else None
    return " ".join(str(message).split()) if message else f.message


def sarif_rule(f: Finding, doc: Mapping[str, Any] | None) -> dict[str, Any]:
    """A reportingDescriptor from the rule's YAML (doc) and one of its findings (for what the YAML lacks)."""
    text = _rule_text(f, doc)
    meta = doc.get("metadata") if doc else None
    refs = [str(r) for r in meta.get("references", [])] if isinstance(meta, dict) and isinstance(
        meta.get("references"), list) else list(f.references)
    confidence = str(meta.get("confidence", f.confidence)) if isinstance(meta, dict) else f.confidence
    markdown = f"**{f.rule_id}** ({f.concern}, {f.severity.name})\n\n{text}"
    if refs:
        markdown += "\n\nReferences:\n" + "\n".join(f"- <{r}>" for r in refs)
    return {
        "id": f.rule_id,
        "name": f.rule_id,
        "shortDescription": {"text": f"{f.concern}: {f.rule_id}"},
        "fullDescription": {"text": text},
        "help": {"text": text + ("\n\nReferences: " + " ".join(refs) if refs else ""), "markdown": markdown},
        "defaultConfiguration": {"level": _SARIF_LEVEL[f.severity]},
        "properties": {
            "tags": [f.concern, "prodready"],
            "security-severity": _SECURITY_SEVERITY[f.severity],
            "precision": _PRECISION.get(confidence.upper(), "medium"),
        },
        **({"helpUri": refs[0]} if refs else {}),
    }


def render_sarif(result: ReviewResult, rule_docs: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """SARIF 2.1.0 for code scanning. rule_docs maps rule ids to their YAML (descriptions stay stable).

    It carries only the change's findings: upload it from pull-request runs, not from pushes to the
    default branch, where code scanning would read the missing rest as fixed.
    """
    docs = rule_docs or {}
    rules: dict[str, Finding] = {}
    for f in result.findings:
        rules.setdefault(f.rule_id, f)
    rule_ids = sorted(rules)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "prodready",
                        "version": __version__,
                        "informationUri": "https://github.com/prodready/prodready",
                        "rules": [sarif_rule(rules[rid], docs.get(rid)) for rid in rule_ids],
                    }
                },
                # The category code scanning keeps results apart by; the trailing slash lets it add the run.
                "automationDetails": {"id": "prodready/"},
                "results": [
                    {
                        "ruleId": f.rule_id,
                        "ruleIndex": rule_ids.index(f.rule_id),
                        "level": _SARIF_LEVEL[f.severity],
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.path},
                                    "region": {"startLine": f.start_line, "endLine": f.end_line},
                                }
                            }
                        ],
                        "partialFingerprints": {"prodready/v1": f.fingerprint},
                        "properties": {"blocking": f.blocking, "concern": f.concern},
                        **_sarif_fixes(f),
                    }
                    for f in result.findings
                ],
                "invocations": [
                    {
                        "executionSuccessful": not result.errors,
                        "toolExecutionNotifications": [
                            {"level": "warning", "message": {"text": f"{s.path}: {s.reason}"}}
                            for s in result.skipped
                        ]
                        + [{"level": "error", "message": {"text": e}} for e in result.errors],
                    }
                ],
            }
        ],
    }
