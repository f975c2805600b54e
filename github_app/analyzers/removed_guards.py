"""Removed guards: code the PR keeps but strips of its timeout, log, auth check, bound or raise.

An agent "fixing" a failing test or a type error often deletes the line in the way: the timeout, the
`raise`, the decorator. The new code alone looks fine; only base against head shows what went. For
each file the PR modifies (both sides exist), the base and head versions are compared by enclosing
function or resource (guards_py.py, guards_infra.py) and each lost guard is a finding on the head line
of what lost it. The filter keeps these findings when that line is in the diff's hunks, added or not
(the change is the removal); with no such line they go to the summary.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from github_app.analyzers import Analysis, ChangeView, guards_infra, guards_py, guards_tree
from github_app.analyzers.guards_py import Removal
from github_app.analyzers.setting_reads import is_test_path
from github_app.findings import ON_REMOVAL, Finding, Severity

MAX_BYTES = 1_000_000
TREE_SITTER = frozenset({".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java"})

# kind -> (rule id, concern, severity, why it matters)
KINDS: dict[str, tuple[str, str, Severity, str]] = {
    "timeout": ("removed-timeout", "resilience", Severity.WARNING,
                "without it a slow or hung server holds this call, and whatever runs it, indefinitely"),
    "retry-bound": ("removed-retry-bound", "resilience", Severity.WARNING,
                    "the retries lost their bound or backoff, so a failing dependency is retried without end"),
    "error-log": ("removed-error-log", "observability", Severity.WARNING,
                  "the handler neither logs nor re-raises now, so the failure leaves no trace"),
    "raise": ("removed-raise", "error-handling", Severity.WARNING,
              "the error is swallowed now: the caller carries on as if the call had succeeded"),
    "auth": ("removed-auth-check", "access-control", Severity.ERROR,
             "it no longer checks who is calling"),
    "tls": ("tls-verification-switched-off", "access-control", Severity.ERROR,
            "certificates are no longer checked, so the traffic can be intercepted"),
    "replicas": ("removed-k8s-guard", "infrastructure", Severity.WARNING,
                 "one replica means downtime on every node drain, rollout or crash"),
    "probe": ("removed-k8s-guard", "infrastructure", Severity.WARNING,
              "Kubernetes can no longer tell when the container is stuck or not ready, so it keeps sending it "
              "traffic"),
    "resources": ("removed-k8s-guard", "infrastructure", Severity.WARNING,
                  "without it one container can starve the node, or be scheduled where it does not fit"),
    "security-context": ("removed-k8s-guard", "infrastructure", Severity.WARNING,
                         "the container may now run as root or write to its own filesystem"),
    "terraform": ("removed-terraform-guard", "infrastructure", Severity.WARNING,
                  "the resource loses a protection against data loss or exposure"),
    "permissions": ("workflow-permissions-widened", "infrastructure", Severity.WARNING,
                    "the workflow's token can now do more than it did; keep it to what the jobs need"),
    "unpinned": ("action-unpinned", "supply-chain", Severity.WARNING,
                 "a tag can be moved to other code; a full commit SHA cannot"),
}


def kind_of(path: str) -> str | None:
    p = PurePosixPath(path)
    if p.suffix == ".py":
        return "python"
    if p.suffix in TREE_SITTER:
        return "tree"
    if p.suffix in (".yml", ".yaml"):
        return "workflow" if p.parts[:2] == (".github", "workflows") else "kubernetes"
    if p.suffix == ".tf":
        return "terraform"
    return None


def _removals(kind: str, path: str, base: str, head: str, auth_names: tuple[str, ...]) -> list[Removal]:
    if kind == "python":
        return guards_py.removals(base, head, auth_names)
    if kind == "tree":
        return guards_tree.removals(path, base, head, auth_names)
    if kind == "workflow":
        return guards_infra.workflow(base, head)
    if kind == "terraform":
        return guards_infra.terraform(base, head)
    return guards_infra.kubernetes(base, head) if "kind:" in head else []


class RemovedGuardsAnalyzer:
    name = "removed-guards"

    def analyze(self, change: ChangeView) -> Analysis:
        out = Analysis()
        if change.section("removed_guards").get("enabled") is not True:  # opt-in (policy.py DEFAULTS)
            return out
        auth_names = change.policy.names("auth_decorators") if change.policy is not None else ()
        both = {p: fd for p, fd in change.diffs.items() if fd.status in ("modified", "renamed") and not fd.is_binary}
        wanted = {p: k for p, fd in both.items() if (k := kind_of(p)) and not is_test_path(p)}
        if not wanted:
            return out
        heads = change.read_head(sorted(wanted))
        bases = change.read_base(sorted({both[p].old_path or p for p in wanted}))
        for path, kind in sorted(wanted.items()):
            head, base = heads.get(path), bases.get(both[path].old_path or path)
            if head is None or base is None:
                continue
            if len(head) > MAX_BYTES or len(base) > MAX_BYTES:
                out.notes.append(f"Removed guards: {path} is over {MAX_BYTES // 1_000_000} MB on one side; "
                                 "not compared.")
                continue
            head_text = head.decode("utf-8", "replace")
            lines = head_text.splitlines()
            for r in _removals(kind, path, base.decode("utf-8", "replace"), head_text, auth_names):
                out.findings.append(_finding(path, r, lines))
        return out


def _finding(path: str, r: Removal, lines: list[str]) -> Finding:
    rule, concern, severity, why = KINDS[r.kind]
    what = r.what if "`" in r.what else f"`{r.what}`"
    base_at = f" (base line {r.base_line})" if r.base_line else ""
    if r.kind == "permissions":  # a widening, not a removal: say what the token gained
        message = f"The `permissions:` of {r.where} are wider than in the base{base_at}: {r.what} now; {why}."
    else:
        message = f"{what} was removed from {r.where}{base_at}: {why}."
    message = message[0].upper() + message[1:]
    text = lines[r.line - 1].strip() if 0 < r.line <= len(lines) else ""
    return Finding(rule_id=rule, concern=concern, severity=severity, path=path, start_line=r.line,
                   end_line=max(r.end_line, r.line), message=message, code=f"{text} {r.kind}:{r.what}",
                   confidence="MEDIUM", extra={ON_REMOVAL: "1"})
