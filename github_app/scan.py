"""Semgrep on the touched files only, offline, with limits; every skip and error is reported."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from github_app import fixcheck, proc
from github_app.findings import CONCERNS, Finding, Severity, redact_secret
from github_app.settings import ConfigError

# Sizes and times. A PR file above this is almost always generated or vendored, and Semgrep's
# cost grows with it; the review says so instead of scanning it.
MAX_FILE_BYTES = 1_000_000
PER_FILE_TIMEOUT_S = 10
# After this many rules time out on one file, Semgrep skips the rest of that file's rules.
TIMEOUT_THRESHOLD = 3
SCAN_TIMEOUT_S = 300.0
# Memory: Semgrep's own per-file limit (--max-memory, MiB), and an OS cap on the process's address
# space as the backstop (Linux). A plain 4-file scan peaks at ~150 MB RSS; the experimental engine runs
# in 1 GiB of address space, the default (Python) front end is killed at 2 GiB, so the cap is 4 GiB.
# A 9**11-value YAML alias bomb in a PR file peaked at 1.1-2.6 GB unbounded (only the per-rule
# timeouts stopped it, so the figure follows the machine's load) and at ~0.8 GB with these limits,
# reported as out of memory, i.e. one skipped file (bench/semgrep_memory.py).
MAX_MEMORY_MB = 512
MAX_ADDRESS_SPACE_BYTES = 4 * 1024**3
# Semgrep parses and matches files in parallel; one process per core (at most this many) keeps a
# 20-file review near the bare scan's time (`--jobs 1` cost ~15 % there, bench/overhead.py).
MAX_JOBS = 4

# Offline: without these Semgrep phones home for metrics and version checks and, on a closed
# network, hangs for minutes (design.md).
OFFLINE_ENV = {
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
    "SEMGREP_USER_AGENT_APPEND": "prodready",
}



def find_rules_dir(env: Mapping[str, str] | None = None) -> Path:
    """PRODREADY_RULES_DIR, else the rules inside the installed package, else a checkout's rules/."""
    explicit = (os.environ if env is None else env).get("PRODREADY_RULES_DIR")
    if explicit:
        return Path(explicit)
    here = Path(__file__).resolve().parent
    # A wheel carries rules/ as github_app/rules (pyproject.toml); an editable checkout has it beside.
    packaged = here / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


RULES_DIR = find_rules_dir()


class ScanError(Exception):
    """Semgrep could not run at all (not installed, crashed, invalid rules)."""


CAP = "cap"
TIMEOUT = "timeout"


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str
    kind: str = ""
    """Why the review is partial because of it: CAP (a limit left it out), TIMEOUT (time, memory or
    a scanner error cut it short), or "" (nothing to review: deleted, binary, ignored by policy...)."""


def jobs_from_env(env: Mapping[str, str] | None = None) -> int:
    """PRODREADY_SEMGREP_JOBS, else one Semgrep process per core, at most MAX_JOBS."""
    raw = (os.environ if env is None else env).get("PRODREADY_SEMGREP_JOBS", "").strip()
    if not raw:
        return max(1, min(os.cpu_count() or 1, MAX_JOBS))
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise ConfigError(f"PRODREADY_SEMGREP_JOBS must be a whole number from 1 to 64, got {raw[:20]!r}")
    return int(raw)


@dataclass(frozen=True)
class ScanLimits:
    max_file_bytes: int = MAX_FILE_BYTES
    per_file_timeout_s: int = PER_FILE_TIMEOUT_S
    timeout_threshold: int = TIMEOUT_THRESHOLD
    scan_timeout_s: float = SCAN_TIMEOUT_S
    max_memory_mb: int = MAX_MEMORY_MB
    max_address_space_bytes: int = MAX_ADDRESS_SPACE_BYTES
    jobs: int = field(default_factory=jobs_from_env)


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0


def semgrep_binary() -> str:
    # Prefer the semgrep installed beside this interpreter, so a venv needs no PATH changes.
    import sys

    local = Path(sys.executable).parent / "semgrep"
    return str(local) if local.exists() else "semgrep"


def engine_from_env(env: Mapping[str, str] | None = None) -> str:
    """'experimental' (the OCaml front end, ~0.3 s start) unless PRODREADY_SEMGREP_ENGINE=default."""
    value = (os.environ if env is None else env).get("PRODREADY_SEMGREP_ENGINE", "").strip().lower()
    if value not in ("", "experimental", "default"):
        raise ConfigError(f"PRODREADY_SEMGREP_ENGINE must be experimental or default, got {value[:20]!r}")
    return value or "experimental"


def semgrep_command(
    targets: Sequence[str], configs: Sequence[Path], *, limits: ScanLimits, engine: str
) -> list[str]:
    cmd = [semgrep_binary(), "scan"]
    if engine == "experimental":
        cmd.append("--experimental")
    cmd += [
        "--json",
        "--verbose",  # without it, parse errors and Semgrep's own skips are left out of the JSON
        "--metrics=off",
        "--disable-version-check",
        "--no-git-ignore",
        "--disable-nosem",  # prodready applies nosemgrep itself, so that it can count what is silenced
        "--timeout",
        str(limits.per_file_timeout_s),
        "--timeout-threshold",
        str(limits.timeout_threshold),
        "--max-memory",
        str(limits.max_memory_mb),
        "--max-target-bytes",
        str(limits.max_file_bytes),
        "--jobs",
        str(limits.jobs),
    ]
    for config in configs:
        cmd += ["--config", str(config)]
    cmd.append("--")
    cmd += list(targets)
    return cmd


def precheck(root: Path, paths: Iterable[str], limits: ScanLimits) -> tuple[list[str], list[Skipped]]:
    """Split touched files into those worth scanning and those skipped, with the reason."""
    targets: list[str] = []
    skipped: list[Skipped] = []
    for rel in paths:
        full = root / rel
        if not full.is_file():
            skipped.append(Skipped(rel, "not present at head"))
            continue
        size = full.stat().st_size
        if size > limits.max_file_bytes:
            skipped.append(Skipped(rel, f"larger than {limits.max_file_bytes // 1000} kB ({size} bytes)", CAP))
            continue
        with full.open("rb") as fh:
            if b"\0" in fh.read(8192):
                skipped.append(Skipped(rel, "binary file"))
                continue
        targets.append(rel)
    return targets, skipped


def rule_short_id(check_id: str) -> str:
    # Semgrep prefixes ids with the config's directory path (rules.resilience.python.x); ids are unique.
    return check_id.rsplit(".", 1)[-1]


def fix_lines_for(raw: bytes, start: Mapping[str, Any], end: Mapping[str, Any], fix: str) -> str | None:
    """Semgrep's span fix as whole replacement lines (a GitHub suggestion replaces lines), or None.

    Semgrep's offsets and columns count bytes, not characters: the span is cut from the raw bytes, so
    an emoji or CJK text earlier in the file cannot shift it. The span must be where Semgrep's line and
    column say it is, or the fix is dropped rather than risk corrupting the code.
    """
    line_starts = [0]
    for ln in raw.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(ln))
    first, last = int(start["line"]), int(end["line"])
    lo, hi = int(start["offset"]), int(end["offset"])
    if not (1 <= first <= last < len(line_starts) and 0 <= lo <= hi <= len(raw)):
        return None
    if line_starts[first - 1] + int(start.get("col", 1)) - 1 != lo:
        return None
    if line_starts[last - 1] + int(end.get("col", 1)) - 1 != hi:
        return None
    seg_start, seg_end = line_starts[first - 1], line_starts[last]
    segment = raw[seg_start:seg_end]
    fixed = segment[: lo - seg_start] + fix.encode() + segment[hi - seg_start :]
    # A fix-regex that does not match hands back the matched text unchanged: no suggestion then.
    if fixed == segment:
        return None
    try:
        return fixed.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


def _message(extra: Mapping[str, Any], concern: str, code: str) -> str:
    message = " ".join(str(extra.get("message", "")).split())
    return redact_secret(message, code) if concern == "secrets" else message


_CUT_SHORT = {
    "Timeout": "timed out",
    "OutOfMemory": "exceeded the memory limit",
    "Out of memory": "exceeded the memory limit",
}


def parse_results(
    data: Mapping[str, Any], root: Path, sources: Mapping[str, str] | None = None
) -> tuple[list[Finding], list[Skipped], list[str]]:
    """Semgrep JSON -> findings, skips, errors. `sources` maps path -> text (read from root if absent)."""
    cache: dict[str, bytes] = {k: v.encode() for k, v in (sources or {}).items()}

    def raw_of(path: str) -> bytes:
        if path not in cache:
            try:
                cache[path] = (root / path).read_bytes()
            except OSError:
                cache[path] = b""
        return cache[path]

    findings: list[Finding] = []
    for r in data.get("results", []):
        extra = r.get("extra", {})
        meta = extra.get("metadata", {}) or {}
        path = r["path"]
        start, end = r["start"], r["end"]
        raw = raw_of(path)
        lines = raw.decode("utf-8", errors="replace").splitlines()
        first, last = int(start["line"]), int(end["line"])
        code = "\n".join(lines[first - 1 : last])
        fix_lines: str | None = None
        if isinstance(extra.get("fix"), str) and raw:
            fix_lines = fix_lines_for(raw, start, end, extra["fix"])
        concern = str(meta.get("concern", "")).strip()
        refs = meta.get("references", [])
        findings.append(
            Finding(
                rule_id=rule_short_id(r["check_id"]),
                concern=concern if concern in CONCERNS else "unclassified",
                severity=Severity.parse(str(extra.get("severity", "WARNING"))),
                path=path,
                start_line=first,
                end_line=last,
                start_col=int(start.get("col", 1)),
                end_col=int(end.get("col", 1)),
                message=_message(extra, concern, code),
                code=code,
                fix=fix_lines,
                confidence=str(meta.get("confidence", "MEDIUM")),
                references=tuple(str(x) for x in refs) if isinstance(refs, list) else (),
                extra={"generic": "true"} if meta.get("generic") is True else {},
            )
        )
    skipped: list[Skipped] = []
    errors: list[str] = []
    for s in data.get("paths", {}).get("skipped", []) or []:
        reason = str(s.get("reason", "skipped")).replace("_", " ")
        details = s.get("details")
        skipped.append(Skipped(str(s.get("path")), f"Semgrep: {reason}" + (f" ({details})" if details else ""), CAP))
    for e in data.get("errors", []):
        kind = e.get("type")
        kind_name = kind[0] if isinstance(kind, list) and kind else str(kind)
        message = " ".join(str(e.get("message", "")).split())
        path = e.get("path")
        if path and kind_name in _CUT_SHORT:
            reason = _CUT_SHORT[kind_name]
            if kind_name == "Timeout":
                rule = rule_short_id(str(e["rule_id"])) if e.get("rule_id") else None
                reason = (f"timed out{f' in rule {rule}' if rule else ''}; if the file is generated or vendored, "
                          "add it to review.ignore_paths")
            skipped.append(Skipped(str(path), reason, TIMEOUT))
        elif path and kind_name in {"PartialParsing", "Syntax error", "Lexical error"}:
            skipped.append(Skipped(str(path), f"partly unparsed: {message}"[:300], CAP))
        else:
            errors.append(f"{kind_name}: {message}"[:300])
    # Semgrep lists a partly parsed file both as an error and as skipped, and a file can time out on
    # several rules: keep one line per path, the one that cut it shortest.
    rank = {TIMEOUT: 2, CAP: 1}
    by_path: dict[str, Skipped] = {}
    for s in skipped:
        if s.path not in by_path or rank.get(s.kind, 0) > rank.get(by_path[s.path].kind, 0) or (
                s.reason.startswith("partly") and by_path[s.path].kind != TIMEOUT):
            by_path[s.path] = s
    return findings, list(by_path.values()), errors


def validate_fixes(root: Path, findings: Sequence[Finding], *, limits: ScanLimits, engine: str) -> list[Finding]:
    """Keep a fix only when the file with it applied still parses (Python's or tree-sitter's parser, else
    Semgrep's, which costs a second Semgrep run)."""
    out = list(findings)
    pending: dict[int, tuple[str, bytes]] = {}
    for i, f in enumerate(out):
        if f.fix is None:
            continue
        try:
            original = (root / f.path).read_bytes()
        except OSError:
            original = None
        fixed = fixcheck.apply_fix(original, f) if original is not None else None
        lang = fixcheck.language_of(f.path)
        if original is None or fixed is None or lang is None:
            out[i] = f.with_(fix=None)
        elif lang == "python":
            if not fixcheck.python_parses(fixed):
                out[i] = f.with_(fix=None)
        elif (parses := fixcheck.tree_parses(f.path, original, fixed)) is not None:
            if not parses:
                out[i] = f.with_(fix=None)
        else:
            pending[i] = (lang, fixed)
    if not pending:
        return out
    with tempfile.TemporaryDirectory(prefix="prodready-fixcheck-") as tmp:
        base = Path(tmp)
        targets: dict[str, int] = {}
        for i, (_lang, fixed) in pending.items():
            rel = f"{i}/{PurePosixPath(out[i].path).name}"
            (base / str(i)).mkdir()
            (base / rel).write_bytes(fixed)
            targets[rel] = i
        configs = []
        for lang in sorted({lang for lang, _ in pending.values()}):
            rule = base / f"parse-{lang}.yaml"
            rule.write_text(fixcheck.PARSE_ONLY_RULE.format(lang=lang))
            configs.append(rule)
        cmd = semgrep_command(sorted(targets), configs, limits=limits, engine=engine)
        try:
            done = proc.run(cmd, cwd=base, env=OFFLINE_ENV, timeout=limits.scan_timeout_s, check=False)
            bad = fixcheck.parse_error_paths(json.loads(done.stdout))
        except (proc.ProcError, json.JSONDecodeError):
            bad = set(targets)  # unchecked is not safe: offer no suggestion rather than a broken one
    for rel, i in targets.items():
        if rel in bad:
            out[i] = out[i].with_(fix=None)
    return out


def scan(
    root: Path,
    paths: Sequence[str],
    configs: Sequence[Path] = (RULES_DIR,),
    *,
    limits: ScanLimits | None = None,
    engine: str | None = None,
) -> ScanResult:
    """Scan `paths` (relative to `root`) with the rule files or folders in `configs`."""
    limits = limits or ScanLimits()
    engine = engine or engine_from_env()
    targets, skipped = precheck(root, paths, limits)
    result = ScanResult(skipped=skipped, engine=engine)
    if not targets:
        return result
    started = time.monotonic()
    cmd = semgrep_command(targets, configs, limits=limits, engine=engine)
    try:
        done = proc.run(cmd, cwd=root, env=OFFLINE_ENV, timeout=limits.scan_timeout_s, check=False,
                        max_memory_bytes=limits.max_address_space_bytes)
    except proc.ProcTimeout:
        # Retrying would time out again: the review goes on with every target reported as not scanned.
        result.seconds = time.monotonic() - started
        reason = f"not scanned: the whole scan timed out after {limits.scan_timeout_s:g} s"
        result.skipped += [Skipped(t, reason, TIMEOUT) for t in targets]
        return result
    except proc.ProcError as exc:
        raise ScanError(str(exc)) from exc
    result.seconds = time.monotonic() - started
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ScanError(f"semgrep exited {done.returncode} without JSON: {proc.first_line(done.err_text)}") from None
    if done.returncode not in (0, 1) and not data.get("results") and data.get("errors"):
        first = data["errors"][0]
        raise ScanError(f"semgrep failed: {' '.join(str(first.get('message', '')).split())[:300]}")
    findings, sk, errors = parse_results(data, root)
    result.findings = validate_fixes(root, findings, limits=limits, engine=engine)
    wanted = set(targets)
    result.skipped.extend(s for s in sk if s.path in wanted)
    # Semgrep lists a broken rule file as a skipped "path": that is a scanner error, not a skipped target.
    errors += [f"{s.path}: {s.reason}" for s in sk if s.path not in wanted]
    result.errors = errors
    scanned = data.get("paths", {}).get("scanned", [])
    result.scanned = [str(p) for p in scanned]
    return result
