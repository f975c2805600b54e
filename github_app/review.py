"""The review engine shared by `prodready review` and the App: diff, scan, filter, decide."""

from __future__ import annotations

import fnmatch
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from github_app.authorship import ChangeFacts, detect
from github_app.diff import FileDiff, parse_diff
from github_app.filtering import FilterMode, Placed, filter_findings
from github_app.findings import Severity
from github_app.partial import judge_partial
from github_app.policy import (
    POLICY_CHANGE_NOTE,
    EffectivePolicy,
    apply_rule_settings,
    check_extra_rules,
    decide,
    rule_ids,
    signals_from,
    touches_policy,
)
from github_app.result import ReviewResult
from github_app.scan import CAP, RULES_DIR, ScanLimits, Skipped, scan
from github_app.suppressions import apply_suppressions

FileReader = Callable[[Sequence[str]], Mapping[str, bytes | None]]


@dataclass(frozen=True)
class Change:
    diff_text: str
    read_head: FileReader
    """Returns the head-version bytes of the given paths (None: absent)."""
    policy: EffectivePolicy
    facts: ChangeFacts = field(default_factory=ChangeFacts)
    extra_rules: Mapping[str, str] = field(default_factory=dict)
    """Rule files from the base branch's .prodready/rules/ (path -> YAML text)."""
    notes: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    """Files the caller already left out (GitHub sent no patch, say); they count as the review's own."""
    unlisted: int = 0
    """Changed files the caller could not even list (GitHub lists at most 3,000): the review is partial."""


class UseGate:
    """Marker: take the gate from policy (the default for --fail-on)."""


USE_POLICY_GATE = UseGate()


def ignored(path: str, patterns: Sequence[str]) -> bool:
    pure = PurePosixPath(path)
    return any(pure.match(p) or fnmatch.fnmatch(path, p) for p in patterns)


def select_targets(diffs: Mapping[str, FileDiff], ignore: Sequence[str]) -> tuple[list[str], list[Skipped]]:
    targets: list[str] = []
    skipped: list[Skipped] = []
    for path, fd in sorted(diffs.items()):
        if fd.status == "deleted":
            skipped.append(Skipped(path, "deleted by the change"))
        elif fd.is_binary:
            skipped.append(Skipped(path, "binary file"))
        elif ignored(path, ignore):
            skipped.append(Skipped(path, "ignored by policy (review.ignore_paths)"))
        elif not fd.added_lines and fd.status == "renamed":
            skipped.append(Skipped(path, f"renamed from {fd.old_path} with no changed lines"))
        elif not fd.added_lines:
            skipped.append(Skipped(path, "no added or modified lines"))
        else:
            targets.append(path)
    return targets, skipped


def _safe_rel(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return not PurePosixPath(path).is_absolute() and ".." not in parts


def review_change(
    change: Change,
    *,
    rules_dir: Path = RULES_DIR,
    gate_override: Severity | UseGate | None = USE_POLICY_GATE,
    limits: ScanLimits | None = None,
) -> ReviewResult:
    started = time.monotonic()
    policy = change.policy
    diffs = parse_diff(change.diff_text)
    ignore = [str(p) for p in policy.data.get("review", {}).get("ignore_paths", []) or []]
    targets, skipped = select_targets(diffs, ignore)
    skipped = [*change.skipped, *skipped]
    unsafe = [p for p in targets if not _safe_rel(p)]
    skipped += [Skipped(p, "unsafe path", CAP) for p in unsafe]
    targets = [p for p in targets if p not in unsafe]
    contents = change.read_head(targets) if targets else {}
    notes = list(change.notes)
    if not diffs:
        notes.append("The change is empty: nothing to review.")
    if touches_policy([*diffs, *(fd.old_path for fd in diffs.values() if fd.old_path)]):
        notes.append(POLICY_CHANGE_NOTE)
    extra_rules: dict[str, str] = {}
    if change.extra_rules and policy.extra_rules_enabled:
        extra_rules, rule_problems = check_extra_rules(change.extra_rules, builtin_ids=rule_ids(rules_dir))
        notes += [f"Extra rule file {p}" for p in rule_problems]
    with tempfile.TemporaryDirectory(prefix="prodready-") as tmp:
        root = Path(tmp) / "head"
        root.mkdir()
        present: list[str] = []
        for path in targets:
            data = contents.get(path)
            if data is None:
                skipped.append(Skipped(path, "could not read the head version", CAP))
                continue
            dest = root / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            present.append(path)
        configs = [rules_dir]
        if extra_rules:
            extra = Path(tmp) / "extra-rules"
            for i, (name, text) in enumerate(sorted(extra_rules.items())):
                extra.mkdir(exist_ok=True)
                (extra / f"{i:03d}-{PurePosixPath(name).name}").write_text(text)
            configs.append(extra)
        scanned = scan(root, present, configs, limits=limits) if present else None
    findings = scanned.findings if scanned else []
    if scanned:
        skipped += scanned.skipped
    findings = apply_rule_settings(policy, findings)
    sources = {p: (contents.get(p) or b"").decode("utf-8", "replace") for p in present}
    authorship = detect(change.facts, signals_from(policy))
    findings, suppressions = apply_suppressions(findings, sources, diffs, policy, ai=authorship.ai)
    findings = [f for f in findings if f.suppressed_by is None]
    mode = FilterMode(policy.filter_mode)
    filtered = filter_findings(findings, diffs, mode)
    gate = policy.gate(authorship.ai) if isinstance(gate_override, UseGate) else gate_override
    decision = decide(filtered.findings, gate)
    placed = [Placed(f, p.anchor, p.anchor_start) for f, p in zip(decision.findings, filtered.kept, strict=True)]
    scanned_count = len(present) - len({s.path for s in skipped if s.path in present})
    errors = scanned.errors if scanned else []
    conclusion, partial_note = judge_partial(decision.conclusion, skipped=skipped, errors=errors,
                                             unlisted=change.unlisted, policy=policy, gate=gate)
    if partial_note is not None:
        notes.append(partial_note)
    return ReviewResult(
        placed=placed,
        out_of_change=filtered.out,
        skipped=skipped,
        errors=errors,
        authorship=authorship,
        policy=policy,
        gate=gate,
        conclusion=conclusion,
        files_changed=len(diffs),
        files_scanned=max(scanned_count, 0),
        seconds=time.monotonic() - started,
        notes=notes,
        suppressions=suppressions,
    )
