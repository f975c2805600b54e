"""Policy layers -> the effective policy, and the gate decision. Pure: callers pass file texts in.

Layers, lowest precedence first: prodready's defaults, the organisation's `.github` repository, the
repository's base branch. Each layer is validated on its own against `policy.schema.json`; a key that
is wrong is dropped from that layer (so the value from a lower layer stays in force) and reported
with the value applied instead. Nothing is reverted silently and nothing crashes a review.
"""

from __future__ import annotations

import copy
import difflib
import fnmatch
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from github_app.authorship import Authorship, Signals
from github_app.findings import CONCERNS, Finding, Severity

if TYPE_CHECKING:  # jsonschema costs ~0.3 s to import; only a policy file with content needs it
    import jsonschema

POLICY_PATH = ".github/prodready.yml"
EXTRA_RULES_DIR = ".prodready/rules"
POLICY_PATHS = (POLICY_PATH, ".prodready/")
SCHEMA_PATH = Path(__file__).resolve().parent / "policy.schema.json"
DEFAULT_MAX_INLINE_COMMENTS = 25
DEFAULTS_SOURCE = "prodready defaults"
# Bounds on YAML from repositories (boundedyaml.py): a policy is a few hundred bytes, a rule file a
# few kB; anything far past these is a mistake or an attack (a YAML alias bomb) and is not used.
MAX_POLICY_BYTES = 256 * 1024
MAX_POLICY_NODES = 50_000
MAX_RULE_FILE_BYTES = 1024 * 1024
MAX_RULE_FILE_NODES = 200_000
MAX_EXTRA_RULE_FILES = 100

POLICY_CHANGE_NOTE = (
    "This PR changes prodready's policy; the change takes effect only after merge. "
    "It was reviewed under the base branch's policy."
)

DEFAULTS: dict[str, Any] = {
    "review": {"authors": "all", "drafts": False, "base_branches": [], "ignore_paths": [],
               "scan_generated": False},
    # design.md, AI authorship: blocking applies to AI-authored PRs from WARNING up; others are advisory.
    "gate": {"ai": "WARNING", "human": "none"},
    "filter": "new",
    # The repository's own auth decorators exempt a route from the access-control rules (docs/policy.md).
    "concerns": {"access-control": {"exempt_if_uses": ["auth_decorators"]}},
    "rules": {},
    "names": {"auth_decorators": []},
    "extra_rules": {"enabled": True},
    "max_inline_comments": DEFAULT_MAX_INLINE_COMMENTS,
    "authorship": {"builtin": True, "bots": [], "emails": [], "trailers": [], "branch_prefixes": [],
                   "labels": [],
                   # A committed Copilot suggestion is a person's change with an AI line in it (docs/agents.md).
                   "assisted": "ignore"},
    # A PR adding a bare suppression to its own code must not turn its failing review into success
    # unnoticed; agents are asked for a reason by default, people are trusted (issue 10).
    "suppressions": {"require_reason": {"ai": True, "human": False}},
    # A review that could not be done at all: failure keeps a required check closed; neutral fails open.
    "on_error": "failure",
    # A review cut short (partial.py): by a cap (file size or count limits) it is judged on what was
    # scanned; by a timeout, memory limit or scanner error it fails, since what was missed is unknown.
    "partial": {"caps": "judge", "timeouts": "failure"},
    # Dependency review (analyzers/dependencies.py); the licence deny list is strong copyleft (deps/checks.py).
    "dependencies": {"enabled": True, "offline": False, "private": [], "min_age_days": 30,
                     "licenses": {"allow": [], "deny": ["GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only",
                                                        "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
                                                        "SSPL-1.0", "OSL-3.0", "EUPL-1.2"],
                                  "denied_severity": "WARNING", "unknown_severity": "INFO"}},
    # The change-aware analyzers are opt-in: on real history their precision is far below the 85 % a
    # default needs (bench/README.md, "Change-aware analyzers"), and their WARNINGs would block agents' PRs.
    # New code reading a setting no deployment configuration provides (analyzers/unprovided.py).
    "new_settings": {"enabled": False, "report_defaulted": False},
    # Guards that code the PR keeps lost: timeouts, error logs, raises, auth checks, retry bounds, TLS
    # verification, Kubernetes/Terraform protections, workflow permissions and pins (analyzers/removed_guards.py).
    "removed_guards": {"enabled": False},
    # Added code that repeats code already in the repository or in the PR (analyzers/clones.py).
    "clones": {"enabled": False, "min_lines": 8, "min_tokens": 60, "max_repo_mb": 200, "severity": "INFO"},
    # Each finding in one place: inline comments, annotations only for what could not be commented.
    "report": "comments",
    # Who may dismiss findings from the PR (triage.py); an AI-authored PR's author may not by default.
    "triage": {"allowed": "write", "ai_author_may_dismiss": False},
}


@dataclass(frozen=True)
class Layer:
    source: str
    """Where the text came from, e.g. 'acme/.github@main:.github/prodready.yml'."""
    text: str | None
    """The file's text, or None when the file does not exist (the layer is then skipped)."""


@dataclass(frozen=True)
class EffectivePolicy:
    data: dict[str, Any]
    sources: tuple[str, ...]
    problems: tuple[str, ...] = ()
    """One line per problem: '<source>: <key>: <what is wrong>; using <value applied instead>'."""

    @property
    def sha256(self) -> str:
        canonical = json.dumps(self.data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def max_inline_comments(self) -> int:
        return int(self.data["max_inline_comments"])

    @property
    def report(self) -> str:
        return str(self.data["report"])

    @property
    def triage_allowed(self) -> str:
        return str(self.data["triage"]["allowed"])

    @property
    def ai_author_may_dismiss(self) -> bool:
        return bool(self.data["triage"]["ai_author_may_dismiss"])

    @property
    def filter_mode(self) -> str:
        return str(self.data["filter"])

    def require_reason_for(self, ai: bool) -> bool:
        """Must a suppression comment give a reason on a PR of this authorship?"""
        value = self.data["suppressions"]["require_reason"]
        if isinstance(value, Mapping):
            return bool(value.get("ai" if ai else "human", False))
        return bool(value)

    @property
    def require_reason(self) -> bool:
        """A reason is required on some PRs (AI-authored ones by default)."""
        return self.require_reason_for(True) or self.require_reason_for(False)

    @property
    def on_error(self) -> str:
        return str(self.data["on_error"])

    def partial(self, kind: str) -> str:
        """failure | neutral | judge for a review cut short by `kind` (caps | timeouts)."""
        return str(self.data["partial"][kind])

    @property
    def extra_rules_enabled(self) -> bool:
        return bool(self.data["extra_rules"]["enabled"])

    @property
    def ignore_paths(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.data["review"]["ignore_paths"])

    def gate(self, ai: bool) -> Severity | None:
        value = str(self.data["gate"]["ai" if ai else "human"])
        return None if value.lower() == "none" else Severity.parse(value)

    def setting(self, rule_id: str, concern: str) -> dict[str, Any]:
        """The concern's settings overlaid by the rule's own."""
        concerns: Mapping[str, Any] = self.data["concerns"]
        rules: Mapping[str, Any] = self.data["rules"]
        return {**(concerns.get(concern) or {}), **(rules.get(rule_id) or {})}

    def enabled(self, rule_id: str, concern: str) -> bool:
        return self.setting(rule_id, concern).get("enabled", True) is not False

    def names(self, list_name: str) -> tuple[str, ...]:
        return tuple(str(n) for n in self.data["names"].get(list_name) or ())

    def exemptions(self, rule_id: str, concern: str) -> dict[str, tuple[str, ...]]:
        """list name -> identifiers whose use exempts a finding of this rule (empty lists left out)."""
        out: dict[str, tuple[str, ...]] = {}
        for list_name in self.setting(rule_id, concern).get("exempt_if_uses") or ():
            names = self.names(str(list_name))
            if names:
                out[str(list_name)] = names
        return out


# -- loading and validation --------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return loaded


@cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    validator: jsonschema.protocols.Validator = cls(schema())
    return validator


Path_ = tuple[str | int, ...]


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_at(path: Path_) -> dict[str, Any]:
    """The subschema that describes the object at `path` (for did-you-mean suggestions)."""
    node: dict[str, Any] = schema()
    for key in path:
        props = node.get("properties", {})
        if isinstance(key, str) and key in props:
            node = props[key]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return {}
        if "$ref" in node:
            node = schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _explain(error: jsonschema.ValidationError) -> list[tuple[Path_, str]]:
    """A schema error -> (the key path to drop, what is wrong), in the words of the policy file."""
    where: Path_ = tuple(error.absolute_path)
    # A wrong list item drops the whole list: half a list could change its meaning unnoticed.
    for i, part in enumerate(where):
        if isinstance(part, int):
            item = error.instance
            return [(where[:i], f"item {part + 1} ({_short(item)}) is invalid: {_reason(error)}")]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {})) if isinstance(error.schema, Mapping) else []
        out: list[tuple[Path_, str]] = []
        for key in error.instance:
            if key in known:
                continue
            hint = difflib.get_close_matches(str(key), known, n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else f" (known keys: {', '.join(known)})"
            out.append(((*where, str(key)), f"unknown key{tip}"))
        return out
    schema_path = list(error.absolute_schema_path)
    if len(schema_path) >= 2 and schema_path[-2] == "propertyNames":
        # jsonschema reports a bad key at its parent's path; point at the key itself.
        key = str(error.instance)
        allowed = _schema_at(where).get("propertyNames", {}).get("enum")
        if allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            tip = f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(allowed)}"
            what = "concern" if where[-1:] == ("concerns",) else "name"
            return [((*where, key), f"unknown {what} ({tip})")]
        return [((*where, key), f"{key!r} is not a valid name (it must match {error.validator_value})")]
    return [(where, _reason(error))]


def _reason(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        values = error.validator_value if isinstance(error.validator_value, list) else []
        allowed = list(dict.fromkeys(str(v).upper() if str(v).lower() in {"error", "warning", "info", "none"}
                                     else str(v) for v in values))
        return f"{_short(error.instance)} is not one of {', '.join(allowed)}"
    if error.validator == "type":
        return f"{_short(error.instance)} is not of type {error.validator_value}"
    if error.validator == "pattern":
        return f"{_short(error.instance)} does not match {error.validator_value}"
    return error.message


def _get(data: Any, path: Path_) -> tuple[bool, Any]:
    node = data
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return False, None
    return True, node


def _drop(data: dict[str, Any], path: Path_) -> None:
    node: Any = data
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(path[-1], None)


def validate_layer(parsed: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[Path_, str]]]:
    """-> (the layer without its invalid keys, [(key path, what is wrong)...])."""
    cleaned = copy.deepcopy(dict(parsed))
    problems: list[tuple[Path_, str]] = []
    for error in sorted(_validator().iter_errors(cleaned), key=lambda e: [str(p) for p in e.absolute_path]):
        problems += _explain(error)
    seen: set[Path_] = set()
    unique: list[tuple[Path_, str]] = []
    for path, what in problems:
        if path not in seen:
            seen.add(path)
            unique.append((path, what))
            _drop(cleaned, path)
    # Dropping an optional key cannot make a document invalid; check anyway rather than trust it.
    if not unique and any(True for _ in _validator().iter_errors(cleaned)):
        return {}, [((), "does not match the policy schema")]
    return cleaned, unique


def parse_layer(layer: Layer) -> tuple[dict[str, Any] | None, str | None]:
    """-> (the mapping, or None when the file is absent or empty; a problem when it can't be used at all)."""
    if layer.text is None:
        return None, None
    import yaml  # lazily: PyYAML's import is a tenth of a local review's overhead, and most runs have no policy file

    from github_app import boundedyaml

    try:
        parsed = boundedyaml.load(layer.text, max_bytes=MAX_POLICY_BYTES, max_nodes=MAX_POLICY_NODES)
    except boundedyaml.YamlRejected as exc:
        return None, f"rejected: {exc}"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        return None, f"not valid YAML{at} ({problem})"
    if parsed is None:
        return None, None
    if not isinstance(parsed, dict):
        return None, f"the top level must be a mapping of settings, not {type(parsed).__name__}"
    return parsed, None


def load_policy(layers: Sequence[Layer]) -> EffectivePolicy:
    """Merge validated layers over the defaults, lowest precedence first (org defaults, then the repo)."""
    data = copy.deepcopy(DEFAULTS)
    sources = [DEFAULTS_SOURCE]
    pending: list[tuple[str, Path_, str]] = []
    whole: list[str] = []
    for layer in layers:
        parsed, problem = parse_layer(layer)
        if problem is not None:
            whole.append(f"{layer.source}: {problem}; the whole file was ignored, using the settings of "
                         f"the layers below it ({', '.join(sources)})")
            continue
        if parsed is None:
            continue
        cleaned, errors = validate_layer(parsed)
        pending += [(layer.source, path, what) for path, what in errors]
        data = _merge(data, cleaned)
        sources.append(layer.source)
    problems = list(whole)
    for source, path, what in pending:
        found, value = _get(data, path)
        if found:
            instead = f"using {_short(value)}"
        elif path and path[-1] == "severity":
            instead = "using the rules' own severity"
        else:
            instead = "ignored"
        problems.append(f"{source}: {_dotted(path)}: {what}; {instead}")
    return EffectivePolicy(data=data, sources=tuple(sources), problems=tuple(problems))


def default_policy() -> EffectivePolicy:
    return load_policy([])


def validate_text(text: str, source: str) -> list[str]:
    """Problems of one policy file on its own (for `prodready policy validate`)."""
    return list(load_policy([Layer(source, text)]).problems)


# -- what the policy decides ---------------------------------------------------------------------------


def signals_from(policy: EffectivePolicy) -> Signals:
    auth: Mapping[str, Any] = policy.data["authorship"]
    return Signals(
        bots=tuple(auth["bots"]),
        emails=tuple(auth["emails"]),
        trailers=tuple(auth["trailers"]),
        branch_prefixes=tuple(auth["branch_prefixes"]),
        labels=tuple(auth["labels"]),
        builtin=bool(auth["builtin"]),
        assisted=str(auth["assisted"]),
    )


def should_review(
    policy: EffectivePolicy, *, authorship: Authorship, draft: bool, base_branch: str
) -> tuple[bool, str]:
    """Whether this PR is reviewed at all, and why (the reason is shown when it is not)."""
    review: Mapping[str, Any] = policy.data["review"]
    if draft and not review["drafts"]:
        return False, "draft PRs are not reviewed (policy review.drafts: false)"
    branches = [str(b) for b in review["base_branches"]]
    if branches and not any(fnmatch.fnmatchcase(base_branch, b) for b in branches):
        return False, (f"base branch {base_branch!r} is not one of the reviewed branches "
                       f"(policy review.base_branches: {', '.join(branches)})")
    if review["authors"] == "ai-only" and not authorship.ai:
        return False, "no AI-authorship signal matched and only AI-authored PRs are reviewed (review.authors)"
    why = f"AI-authored ({authorship.signal})" if authorship.ai else "all PRs are reviewed"
    return True, why


def apply_rule_settings(policy: EffectivePolicy, findings: Iterable[Finding]) -> list[Finding]:
    """Drop disabled rules and concerns; apply severity overrides."""
    out: list[Finding] = []
    for f in findings:
        setting = policy.setting(f.rule_id, f.concern)
        if setting.get("enabled", True) is False:
            continue
        if "severity" in setting:
            out.append(f.with_(severity=Severity.parse(str(setting["severity"]))))
        else:
            out.append(f)
    return out


def touches_policy(paths: Iterable[str]) -> bool:
    """Does a change to these paths (head or old paths) edit prodready's own policy or rules?"""
    for path in paths:
        if path == POLICY_PATH or path.startswith(POLICY_PATHS[1]) or path == POLICY_PATHS[1].rstrip("/"):
            return True
    return False


# -- extra rules from .prodready/rules/ ----------------------------------------------------------------

RESERVED_RULE_PREFIX = "prodready-"
_PATTERN_KEYS = ("pattern", "patterns", "pattern-either", "pattern-regex", "pattern-sources", "match")


def _rule_problems(rule: Any, index: int) -> tuple[str | None, list[str]]:
    if not isinstance(rule, dict):
        return None, [f"rule {index + 1} is not a mapping"]
    rid = rule.get("id")
    name = f"rule {rid!r}" if isinstance(rid, str) and rid else f"rule {index + 1}"
    problems: list[str] = []
    if not isinstance(rid, str) or not rid:
        problems.append(f"{name}: missing id")
    elif rid.startswith(RESERVED_RULE_PREFIX):
        problems.append(f"{name}: ids starting with {RESERVED_RULE_PREFIX!r} are reserved for prodready")
    if not isinstance(rule.get("message"), str) or not rule["message"].strip():
        problems.append(f"{name}: missing message (what is wrong, why it matters, what to do)")
    try:
        Severity.parse(str(rule.get("severity", "")))
    except ValueError:
        problems.append(f"{name}: severity must be ERROR, WARNING or INFO")
    if not isinstance(rule.get("languages"), list) or not rule["languages"]:
        problems.append(f"{name}: missing languages")
    if not any(k in rule for k in _PATTERN_KEYS):
        problems.append(f"{name}: no pattern ({', '.join(_PATTERN_KEYS)})")
    meta = rule.get("metadata")
    concern = meta.get("concern") if isinstance(meta, dict) else None
    if concern not in CONCERNS:
        problems.append(f"{name}: metadata.concern must be one of {', '.join(CONCERNS)}")
    return (rid if isinstance(rid, str) else None), problems


def check_extra_rules(
    files: Mapping[str, str], *, builtin_ids: Iterable[str] = ()
) -> tuple[dict[str, str], list[str]]:
    """Keep the rule files Semgrep can load and prodready can classify; report the others by path.

    One bad file would make Semgrep reject the whole scan, so a file with any bad rule is left out."""
    import yaml  # lazily, as in parse_layer

    from github_app import boundedyaml

    taken = set(builtin_ids)
    good: dict[str, str] = {}
    problems: list[str] = []
    ordered = sorted(files.items())
    if len(ordered) > MAX_EXTRA_RULE_FILES:
        problems += [f"{path}: more than {MAX_EXTRA_RULE_FILES} rule files; file not used"
                     for path, _ in ordered[MAX_EXTRA_RULE_FILES:]]
        ordered = ordered[:MAX_EXTRA_RULE_FILES]
    for path, text in ordered:
        try:
            # Semgrep would expand an alias bomb itself, so it is stopped here, before Semgrep sees it.
            doc = boundedyaml.load(text, max_bytes=MAX_RULE_FILE_BYTES, max_nodes=MAX_RULE_FILE_NODES)
        except boundedyaml.YamlRejected as exc:
            problems.append(f"{path}: rejected: {exc}; file not used")
            continue
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML ({getattr(exc, 'problem', None) or 'syntax error'}); "
                            "file not used")
            continue
        rules = doc.get("rules") if isinstance(doc, dict) else None
        if not isinstance(rules, list) or not rules:
            problems.append(f"{path}: not a Semgrep rule file (no top-level 'rules' list); file not used")
            continue
        file_problems: list[str] = []
        ids: list[str] = []
        for i, rule in enumerate(rules):
            rid, found = _rule_problems(rule, i)
            file_problems += found
            if rid:
                if rid in taken or rid in ids:
                    file_problems.append(f"rule {rid!r}: the id is already used by another rule")
                ids.append(rid)
        if file_problems:
            problems += [f"{path}: {p}; file not used" for p in file_problems]
            continue
        taken.update(ids)
        good[path] = text
    return good, problems


def rule_ids(rules_dir: Path) -> set[str]:
    """The ids of the built-in rules (file stem equals rule id, by convention; read to be sure)."""
    return {str(r["id"]) for _, r in iter_rules(rules_dir) if isinstance(r.get("id"), str)}


def iter_rules(rules_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """(path relative to rules_dir, rule) for every rule in every YAML file under rules_dir."""
    import yaml  # lazily, as in parse_layer

    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(rules_dir.rglob("*.y*ml")):
        if path.suffix not in {".yaml", ".yml"}:
            continue
        try:
            doc = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError):
            continue
        for rule in (doc or {}).get("rules", []) if isinstance(doc, dict) else []:
            if isinstance(rule, dict):
                out.append((str(PurePosixPath(path.relative_to(rules_dir).as_posix())), rule))
    return out


# -- the gate ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    conclusion: str
    """success | neutral | failure, as a GitHub check run conclusion."""
    gate: Severity | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def decide(findings: Iterable[Finding], gate: Severity | None) -> Decision:
    """Findings at or above the gate block (failure); findings below it are advice (neutral)."""
    marked = [f.with_(blocking=gate is not None and f.severity >= gate) for f in findings]
    if any(f.blocking for f in marked):
        conclusion = "failure"
    elif marked:
        conclusion = "neutral"
    else:
        conclusion = "success"
    return Decision(conclusion=conclusion, gate=gate, findings=marked)
