"""The review engine shared by `prodready review` and the App: diff, scan, filter, decide."""

from __future__ import annotations

import fnmatch
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from github_app import fileshapes
from github_app.analyzers import Analyzer, ChangeView, run_analyzers
from github_app.authorship import ChangeFacts, detect
from github_app.diff import FileDiff, parse_diff
from github_app.filtering import FilterMode, FilterResult, Placed, filter_findings, preexisting_key, split_preexisting
from github_app.findings import Severity, fold_removals
from github_app.generated import GITATTRIBUTES, generated_reason, linguist_generated
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
from github_app.repotree import RepoTree
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
    read_base: FileReader | None = None
    """Returns the base-version bytes of the given paths (None: absent); analyzers compare both sides."""
    skipped: tuple[Skipped, ...] = ()
    """Files the caller already left out (GitHub sent no patch, say); they count as the review's own."""
    unlisted: int = 0
    """Changed files the caller could not even list (GitHub lists at most 3,000): the review is partial."""
    base_tree: RepoTree | None = None
    head_tree: RepoTree | None = None
    """Whole sides of the change, for analyzers that look past the diff (repotree.py); None: not available."""


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
    analyzers: Sequence[Analyzer] = (),
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
    notes = list(change.notes)
    scan_generated = bool(policy.data.get("review", {}).get("scan_generated", False))
    # .gitattributes is trusted only as the base has it: a PR cannot mark its own code generated.
    attrs_changed = GITATTRIBUTES in diffs
    wanted = targets + ([GITATTRIBUTES] if targets and not scan_generated and not attrs_changed else [])
    contents = change.read_head(wanted) if targets else {}
    if attrs_changed and not scan_generated:
        notes.append(f"This change edits {GITATTRIBUTES}, so its linguist-generated markings are not used in "
                     "this review (a change cannot mark its own code generated).")
    if not scan_generated:
        attrs = b"" if attrs_changed else contents.get(GITATTRIBUTES) or b""
        marked = linguist_generated(attrs.decode("utf-8", "replace"))
        kept: list[str] = []
        for path in targets:
            reason = generated_reason(path, contents.get(path) or b"", marked)
            if reason:
                skipped.append(Skipped(path, reason + "; set review.scan_generated to review it"))
            else:
                kept.append(path)
        targets = kept
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
        aliases = fileshapes.scan_names(targets)
        for alias, path in sorted(aliases.items()):
            data = contents.get(path)
            if data is None:
                skipped.append(Skipped(path, "could not read the head version", CAP))
                continue
            dest = root / alias
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            present.append(alias)
        configs = _configs(Path(tmp), rules_dir, extra_rules)
        scanned = scan(root, present, configs, limits=limits) if present else None
    # Back from the names the files were scanned under (fileshapes) to the change's own paths.
    present = [fileshapes.real_path(aliases, p) for p in present]
    findings = [f.with_(path=fileshapes.real_path(aliases, f.path)) for f in scanned.findings] if scanned else []
    if scanned:
        skipped += [Skipped(fileshapes.real_path(aliases, s.path), s.reason, s.kind) for s in scanned.skipped]
    analysis = run_analyzers(analyzers, ChangeView(diffs, tuple(targets), change.read_head,
                                                   change.read_base or dict.fromkeys, policy,
                                                   base_tree=change.base_tree, head_tree=change.head_tree))
    findings = fold_removals(findings + analysis.findings)
    skipped += analysis.skipped
    notes += analysis.notes
    findings = apply_rule_settings(policy, findings)
    sources = {p: (contents.get(p) or b"").decode("utf-8", "replace") for p in present}
    authorship = detect(change.facts, signals_from(policy))
    findings, suppressions = apply_suppressions(findings, sources, diffs, policy, ai=authorship.ai)
    findings = [f for f in findings if f.suppressed_by is None]
    mode = FilterMode(policy.filter_mode)
    filtered = filter_findings(findings, diffs, mode)
    if mode is FilterMode.NEW and filtered.kept and change.read_base is not None:
        base_keys = _base_keys(change.read_base, diffs, {p.finding.path for p in filtered.kept},
                               {p.finding.rule_id for p in filtered.kept},
                               rules_dir=rules_dir, extra_rules=extra_rules, limits=limits)
        split = split_preexisting(filtered.kept, base_keys)
        filtered = FilterResult(kept=split.kept, out=filtered.out + split.out)
    gate = policy.gate(authorship.ai) if isinstance(gate_override, UseGate) else gate_override
    decision = decide(filtered.findings, gate)
    placed = [Placed(f, p.anchor, p.anchor_start) for f, p in zip(decision.findings, filtered.kept, strict=True)]
    scanned_count = len(present) - len({s.path for s in skipped if s.path in present})
    errors = (scanned.errors if scanned else []) + analysis.errors
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


def _configs(tmp: Path, rules_dir: Path, extra_rules: Mapping[str, str]) -> list[Path]:
    configs = [rules_dir]
    if extra_rules:
        extra = tmp / "extra-rules"
        extra.mkdir(exist_ok=True)
        for i, (name, text) in enumerate(sorted(extra_rules.items())):
            (extra / f"{i:03d}-{PurePosixPath(name).name}").write_text(text)
        configs.append(extra)
    return configs


def _rule_configs(tmp: Path, rules_dir: Path, extra_rules: Mapping[str, str], rule_ids: set[str]) -> list[Path]:
    """Only the rule files of `rule_ids` (one rule per file, named by its id), else every config."""
    files = {p.stem: p for p in rules_dir.rglob("*.yaml") if p.stem in rule_ids} if rules_dir.is_dir() else {}
    if set(files) == rule_ids:
        return sorted(files.values())
    return _configs(tmp, rules_dir, extra_rules)


def _base_keys(read_base: FileReader, diffs: Mapping[str, FileDiff], paths: set[str], rule_ids: set[str], *,
               rules_dir: Path, extra_rules: Mapping[str, str],
               limits: ScanLimits | None) -> dict[str, set[tuple[str, str]]]:
    """(rule, normalised code) of the base version's findings in `paths`, for the rules in `rule_ids`.

    Only files whose changed lines have findings are scanned, and only with the rules that fired
    there, so the cost follows the findings, not the change. A file the change adds has no base,
    and so nothing pre-existing.
    """
    old = {p: diffs[p].old_path or p for p in paths if p in diffs and diffs[p].status not in ("added", "deleted")}
    if not old:
        return {}
    contents = read_base(sorted(set(old.values())))
    with tempfile.TemporaryDirectory(prefix="prodready-base-") as tmp:
        root = Path(tmp) / "base"
        root.mkdir()
        scan_paths: dict[str, str] = {}
        for head_path, base_path in old.items():
            data = contents.get(base_path)
            if data is None or not _safe_rel(head_path):
                continue
            alias = fileshapes.scan_name(head_path)  # the same language as the head side
            (root / alias).parent.mkdir(parents=True, exist_ok=True)
            (root / alias).write_bytes(data)
            scan_paths[alias] = head_path
        if not scan_paths:
            return {}
        configs = _rule_configs(Path(tmp), rules_dir, extra_rules, rule_ids)
        scanned = scan(root, sorted(scan_paths), configs, limits=limits)
    keys: dict[str, set[tuple[str, str]]] = {}
    for f in scanned.findings:
        keys.setdefault(scan_paths.get(f.path, f.path), set()).add(preexisting_key(f))
    return keys
