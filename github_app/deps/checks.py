"""One dependency x what its registry and OSV say -> findings. Pure: the analyzer passes the data in."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from license_expression import ExpressionError, Licensing, get_spdx_licensing

from github_app.deps.manifests import Dep
from github_app.deps.registry import PackageInfo, matching, sort_key
from github_app.findings import Finding, Severity

CONCERN = "supply-chain"
REGISTRY_TITLES = {"PyPI": "PyPI", "npm": "the npm registry", "Go": "the Go module proxy",
                   "Maven": "the Maven repository"}
OSV_REF = "https://osv.dev/vulnerability/"
SLOPSQUAT_REF = "https://en.wikipedia.org/wiki/Slopsquatting"

# Strong copyleft: linking or serving the code can oblige the whole product to be released under it.
DEFAULT_DENY = ("GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only",
                "AGPL-3.0-or-later", "SSPL-1.0", "OSL-3.0", "EUPL-1.2")


@dataclass(frozen=True)
class DepPolicy:
    min_age_days: int = 30
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = DEFAULT_DENY
    denied_severity: Severity | None = Severity.WARNING
    unknown_severity: Severity | None = Severity.INFO


def _finding(dep: Dep, path: str, line_text: str, rule: str, severity: Severity, message: str,
             *, fix: str | None = None, refs: tuple[str, ...] = (), confidence: str = "HIGH") -> Finding:
    return Finding(rule_id=rule, concern=CONCERN, severity=severity, path=path, start_line=dep.line,
                   end_line=dep.line, message=message, code=f"{dep.ecosystem}:{dep.name}@{dep.spec} {rule}",
                   fix=fix, confidence=confidence, references=refs)


def existence(dep: Dep, info: PackageInfo, path: str, line_text: str) -> list[Finding]:
    where = REGISTRY_TITLES[dep.ecosystem]
    if not info.exists:
        return [_finding(dep, path, line_text, "deps-no-such-package", Severity.ERROR,
                         f"`{dep.name}`: no such package on {where}. Coding agents sometimes invent package "
                         "names, and attackers register them to catch the installs; check the name before "
                         "adding it.", refs=(SLOPSQUAT_REF,))]
    if dep.pinned is not None:
        release = info.releases.get(dep.pinned)
        if release is None and dep.ecosystem == "PyPI":
            release = next((r for v, r in info.releases.items() if sort_key("PyPI", v) == sort_key("PyPI",
                                                                                                    dep.pinned)), None)
        if release is None:
            return [_finding(dep, path, line_text, "deps-no-such-version", Severity.ERROR,
                             f"`{dep.name}` has no version {dep.pinned} on {where}: the install fails, or "
                             "installs something else from another index. Pin a version that exists.")]
        if release.yanked:
            return [_finding(dep, path, line_text, "deps-no-such-version", Severity.ERROR,
                             f"`{dep.name}` {dep.pinned} was yanked from {where} (withdrawn by its authors, "
                             "usually for a serious bug). Pin another version.")]
    elif dep.spec and info.releases and not matching(dep.ecosystem, dep.scheme, dep.spec, info.releases):
        return [_finding(dep, path, line_text, "deps-no-such-version", Severity.ERROR,
                         f"No version of `{dep.name}` on {where} satisfies `{dep.spec}`: the install fails.")]
    return []


def lookalike(dep: Dep, intended: str | None, path: str, line_text: str) -> list[Finding]:
    if intended is None:
        return []
    return [_finding(dep, path, line_text, "deps-lookalike-name", Severity.WARNING,
                     f"`{dep.name}` is one edit or a common confusion away from the much more popular "
                     f"`{intended}`. Typo-squatters register such names; if you meant `{intended}`, use it.",
                     refs=(SLOPSQUAT_REF,), confidence="MEDIUM")]


def age(dep: Dep, info: PackageInfo, now: datetime, min_days: int, path: str, line_text: str) -> list[Finding]:
    first = info.first_release
    if first is None or min_days <= 0:
        return []
    days = (now - first).total_seconds() / 86400
    if days >= min_days:
        return []
    return [_finding(dep, path, line_text, "deps-new-package", Severity.WARNING,
                     f"`{dep.name}` was first published {max(int(days), 0)} day(s) ago (policy: at least "
                     f"{min_days}). Brand-new packages have no track record and are how many supply-chain "
                     "attacks start; wait, or vet it first.", confidence="MEDIUM")]


@cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


def _matches(key: str, patterns: Sequence[str]) -> bool:
    low = key.lower()
    return any(fnmatch.fnmatchcase(low, p.lower()) for p in patterns)


def is_spdx(expression: str) -> bool:
    lic = _licensing()
    try:
        parsed = lic.parse(expression, validate=False)
    except ExpressionError:
        return False
    return parsed is not None and not lic.unknown_license_keys(parsed)


def license_verdict(expression: str | None, policy: DepPolicy) -> tuple[str, str]:
    """('ok'|'denied'|'unknown', why) for an SPDX expression under the allow/deny lists."""
    if not expression:
        return "unknown", "states no licence"
    lic = _licensing()
    try:
        parsed = lic.parse(expression, validate=False)
    except ExpressionError:
        return "unknown", f"states its licence as {expression[:60]!r}, which is not an SPDX expression"
    if parsed is None:
        return "unknown", "states no licence"
    unknown = lic.unknown_license_keys(parsed)
    # The expression is acceptable when one of its alternatives (OR) is acceptable in full (AND).
    dnf = lic.dnf(parsed)
    alternatives = list(dnf.args) if isinstance(dnf, lic.OR) else [dnf]
    denied: list[str] = []
    for alt in alternatives:
        keys = lic.license_keys(alt)
        bad = [k for k in keys if _matches(k, policy.deny) or (policy.allow and not _matches(k, policy.allow))]
        if not bad:
            if any(k in unknown for k in keys):
                return "unknown", f"states its licence as {expression[:60]!r}, which is not an SPDX licence id"
            return "ok", ""
        denied += bad
    return "denied", f"is licensed {expression}, and policy does not allow {', '.join(sorted(set(denied)))}"


def licence(dep: Dep, info: PackageInfo, policy: DepPolicy, path: str, line_text: str) -> list[Finding]:
    if not info.exists or not info.license_known:
        return []
    verdict, why = license_verdict(info.license, policy)
    if verdict == "denied" and policy.denied_severity is not None:
        return [_finding(dep, path, line_text, "deps-license-denied", policy.denied_severity,
                         f"`{dep.name}` {why} (dependencies.licenses). A copyleft licence can oblige you to "
                         "publish your own code; pick another package or get the licence approved.")]
    if verdict == "unknown" and policy.unknown_severity is not None:
        return [_finding(dep, path, line_text, "deps-license-unknown", policy.unknown_severity,
                         f"`{dep.name}` {why}: " + ("without a licence you have no right to use it; check its "
                         "repository before depending on it." if info.license is None else "check which licence "
                         "it means before depending on it."), confidence="MEDIUM")]
    return []


# -- vulnerabilities -----------------------------------------------------------------------------

SEVERITY_OF = {"CRITICAL": Severity.ERROR, "HIGH": Severity.ERROR, "MODERATE": Severity.WARNING,
               "MEDIUM": Severity.WARNING, "LOW": Severity.INFO}


def versions_to_check(dep: Dep, info: PackageInfo) -> list[str]:
    """The pinned version; for a range, its lowest and newest matching versions."""
    if dep.pinned is not None:
        return [dep.pinned]
    found = matching(dep.ecosystem, dep.scheme, dep.spec, info.releases)
    return list(dict.fromkeys([found[0], found[-1]])) if found else []


def _advisory_severity(record: dict[str, Any]) -> Severity:
    db = record.get("database_specific")
    label = str(db.get("severity", "")).upper() if isinstance(db, dict) else ""
    return SEVERITY_OF.get(label, Severity.WARNING)


def fixed_version(record: dict[str, Any], dep: Dep, version: str) -> str | None:
    """The lowest version above `version` that the advisory says fixes it, for this package."""
    fixes: list[str] = []
    for affected in record.get("affected") or []:
        pkg = affected.get("package") or {} if isinstance(affected, dict) else {}
        if pkg.get("ecosystem") != dep.ecosystem or str(pkg.get("name", "")).lower() != dep.name.lower():
            continue
        for rng in affected.get("ranges") or []:
            fixes += [str(e["fixed"]) for e in rng.get("events") or [] if isinstance(e, dict) and "fixed" in e]
    above = [f for f in fixes if sort_key(dep.ecosystem, f) > sort_key(dep.ecosystem, version)]
    return min(above, key=lambda f: sort_key(dep.ecosystem, f)) if above else None


def vulnerabilities(dep: Dep, found: dict[str, list[dict[str, Any]]], path: str, line_text: str) -> list[Finding]:
    """found: checked version -> OSV records affecting it."""
    out: list[Finding] = []
    for version, records in found.items():
        if not records:
            continue
        severity = max(_advisory_severity(r) for r in records)
        fixes = [f for r in records if (f := fixed_version(r, dep, version))]
        fix_to = max(fixes, key=lambda f: sort_key(dep.ecosystem, f)) if fixes else None
        if fix_to and dep.ecosystem == "Go" and not fix_to.startswith("v"):
            fix_to = "v" + fix_to  # OSV writes Go versions bare; go.mod wants the v
        ids = [str(r.get("id")) for r in records]
        summaries = "; ".join(f"{r.get('id')}: {str(r.get('summary') or '').strip()[:100]}" for r in records[:3])
        more = f" and {len(records) - 3} more" if len(records) > 3 else ""
        allows = "pins" if dep.pinned else "allows"
        fixed_text = (f" Fixed in {fix_to}: upgrade to {fix_to} or later." if fix_to else
                      " No fixed version is published; consider another package.")
        fix = None
        if fix_to and dep.pinned and line_text.count(dep.pinned) == 1:
            fix = line_text.replace(dep.pinned, fix_to)
        out.append(_finding(dep, path, line_text, "deps-known-vulnerability", severity,
                            f"`{dep.name}` {version}, which this manifest {allows}, has {len(records)} known "
                            f"vulnerabilit{'y' if len(records) == 1 else 'ies'} ({summaries}{more}).{fixed_text}",
                            fix=fix, refs=tuple(OSV_REF + i for i in ids[:5])))
    return out
