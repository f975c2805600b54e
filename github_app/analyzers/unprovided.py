"""Settings that nothing provides: new code reads an environment variable or config key that no
deployment configuration of the repository (at head) mentions.

Coding agents add `os.environ["STRIPE_KEY"]` and stop there; the deploy then fails at start-up, or
worse, runs with the setting empty. The finding sits on the reading line (concern `infrastructure`):
WARNING when the read has no default, INFO when it has one. A repository with no deployment
configuration at all gets no finding, since there is nowhere the setting should have gone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from github_app import boundedyaml
from github_app.analyzers import Analysis, ChangeView
from github_app.analyzers.setting_reads import Read, is_code, is_not_deployed, reads
from github_app.findings import Finding, Severity
from github_app.repotree import TreeUnavailable

RULE_ID = "setting-not-provided"
CONCERN = "infrastructure"
MAX_CONFIG_FILES = 2000
MAX_CONFIG_FILE_BYTES = 1_000_000
MAX_CONFIG_BYTES = 30_000_000

_K8S_DIRS = frozenset({"k8s", "kubernetes", "kube", "deploy", "deployment", "deployments", "manifests", "charts",
                       "chart", "helm", "kustomize", "overlays", "base", "infra", "ops", "argocd", "flux"})
_APP_CONFIG = re.compile(r"^(application|bootstrap)([-.][\w-]+)?\.(properties|ya?ml)$|^appsettings([.\w-]*)\.json$|"
                         r"^(app|fly|render|netlify|wrangler|serverless|now|vercel|railway|heroku|"
                         r"settings|config)\.(ya?ml|toml|json|ini)$|^procfile$|^app\.json$|^\.envrc$")
_LOCK_YAML = frozenset({"pnpm-lock.yaml", "yarn.lock", "package-lock.json"})


@dataclass(frozen=True)
class ConfigFile:
    path: str
    kind: str
    """What it is, for the message: ".env example", "compose", "Kubernetes/Helm", "Terraform", ..."""
    deploys: bool
    """A deployment configuration (where a setting is provided), not only a place that may mention one."""


def config_kind(path: str) -> ConfigFile | None:
    """Whether this path is configuration a new setting should appear in, and of what kind. Pure."""
    p = PurePosixPath(path)
    name = p.name.lower()
    dirs = {d.lower() for d in p.parts[:-1]}
    if name in _LOCK_YAML:
        return None
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return ConfigFile(path, ".env example", True)
    if re.match(r"^(docker-)?compose([.\w-]*)\.ya?ml$", name):
        return ConfigFile(path, "compose", True)
    if name in ("dockerfile", "containerfile") or name.startswith("dockerfile.") or name.endswith(".dockerfile"):
        return ConfigFile(path, "Dockerfile", True)
    if p.suffix in (".tf", ".tfvars", ".hcl") or name.endswith(".tf.json"):
        return ConfigFile(path, "Terraform", True)
    if p.suffix in (".yml", ".yaml"):
        if len(p.parts) >= 3 and p.parts[0] == ".github" and p.parts[1] == "workflows":
            return ConfigFile(path, "workflow", False)  # CI alone is not a deployment
        if dirs & _K8S_DIRS or name.startswith(("values", "kustomization", "deployment", "configmap", "secret")):
            return ConfigFile(path, "Kubernetes/Helm", True)
    if _APP_CONFIG.match(name):
        return ConfigFile(path, "app config", True)
    if p.suffix in (".yml", ".yaml", ".tpl") and dirs & _K8S_DIRS:
        return ConfigFile(path, "Kubernetes/Helm", True)
    if p.suffix in (".yml", ".yaml"):
        return ConfigFile(path, "YAML", False)
    # Documentation counts as saying where a setting comes from (a library's users set it themselves).
    if name.startswith("readme") or (p.suffix in (".md", ".mdx", ".rst") and dirs & {"docs", "doc"}):
        return ConfigFile(path, "README" if name.startswith("readme") else "docs", False)
    return None


def _flat_keys(value: Any, prefix: str = "") -> list[str]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            out.append(key)
            out += _flat_keys(v, key)
    return out


@dataclass
class Haystack:
    """The text of every configuration file, and the dotted keys of the YAML ones."""

    files: list[ConfigFile]
    texts: dict[str, str]
    keys: dict[str, set[str]]

    def where(self, read: Read) -> list[str]:
        """The configuration files that provide this read's setting (empty: none does)."""
        found = []
        names = [read.name]
        if read.kind == "key":
            # Spring's relaxed binding: a.b-c is also the environment variable A_BC.
            names.append(re.sub(r"[.\[\]]+", "_", read.name.replace("-", "")).strip("_").upper())
        flags = re.IGNORECASE if read.kind in ("field", "key") else 0
        patterns = [re.compile(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", flags) for n in names]
        for f in self.files:
            text = self.texts.get(f.path, "")
            if any(p.search(text) for p in patterns) or (read.kind == "key" and read.name in self.keys.get(f.path, ())):
                found.append(f.path)
        return found


def gather(paths: Sequence[str], read: Any, notes: list[str]) -> Haystack | None:
    """Read the configuration files among `paths` with `read` (RepoTree.read), within the caps."""
    files = [c for p in paths if (c := config_kind(p)) is not None]
    if not any(c.deploys for c in files):
        return None
    if len(files) > MAX_CONFIG_FILES:
        notes.append(f"Settings check: {len(files)} configuration files; the first {MAX_CONFIG_FILES} were read.")
        files = files[:MAX_CONFIG_FILES]
    texts: dict[str, str] = {}
    keys: dict[str, set[str]] = {}
    total = 0
    got: Mapping[str, bytes | None] = read([f.path for f in files])
    for f in files:
        data = got.get(f.path)
        if data is None or len(data) > MAX_CONFIG_FILE_BYTES or total + len(data) > MAX_CONFIG_BYTES:
            continue
        total += len(data)
        text = data.decode("utf-8", "replace")
        texts[f.path] = text
        if f.path.endswith((".yml", ".yaml")) and f.kind == "app config":
            # Not YAML we read: its text is still searched.
            with contextlib.suppress(boundedyaml.YamlRejected, ValueError):
                keys[f.path] = set(_flat_keys(boundedyaml.load(text, max_bytes=MAX_CONFIG_FILE_BYTES,
                                                               max_nodes=100_000)))
    return Haystack(files, texts, keys)


def _where_to(files: list[ConfigFile]) -> str:
    kinds: dict[str, list[str]] = {}
    for f in files:
        if f.deploys:
            kinds.setdefault(f.kind, []).append(f.path)
    parts = [f"{kind} ({', '.join(ps[:2])}{', ...' if len(ps) > 2 else ''})" for kind, ps in kinds.items()]
    return "; ".join(parts[:4])


MAX_SEARCH_BYTES = 200_000_000


def known_elsewhere(change: ChangeView, names: set[str], notes: list[str]) -> set[str]:
    """The names the repository already mentions outside this change: another module reading the same
    setting, a script exporting it, a doc. Such a setting is not new to whoever deploys the code. Searched
    in every file the change leaves alone at head, and in the base version of each file it changes."""
    if not names or change.head_tree is None:
        return set()
    patterns = {n: re.compile(rb"(?<![A-Za-z0-9_])" + re.escape(n.encode()) + rb"(?![A-Za-z0-9_])") for n in names}
    changed = set(change.diffs) | {d.old_path for d in change.diffs.values() if d.old_path}
    sizes = change.head_tree.sizes()
    paths = [p for p, size in sizes.items() if p not in changed and size <= MAX_CONFIG_FILE_BYTES]
    found: set[str] = set()
    total = 0

    def search(blobs: Mapping[str, bytes | None]) -> None:
        for data in blobs.values():
            if data and b"\0" not in data[:8192]:
                found.update(n for n, pat in patterns.items() if n not in found and pat.search(data))

    for i in range(0, len(paths), 500):
        batch = paths[i : i + 500]
        total += sum(sizes[p] for p in batch)
        if total > MAX_SEARCH_BYTES:
            notes.append(f"Settings check: searched the first {MAX_SEARCH_BYTES // 1_000_000} MB of the repository "
                         "for other mentions of the new settings.")
            break
        search(change.head_tree.read(batch))
        if found == names:
            return found
    search(change.read_base(sorted(p for p in changed if p in change.diffs)))
    return found


def declared_in_change(change: ChangeView, names: set[str], reading: set[str]) -> set[str]:
    """The names another file of the change mentions other than by reading them: a controller that sets
    the variable on the pods it starts, an env schema that declares it with its default. The change then
    says where the setting comes from; only a read with no other word about it is unprovided."""
    others = sorted(p for p, d in change.diffs.items() if d.status != "deleted" and not d.is_binary
                    and p not in reading and not is_not_deployed(p))
    if not names or not others:
        return set()
    patterns = {n: re.compile(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])") for n in names}
    found: set[str] = set()
    for path, data in change.read_head(others).items():
        if data is None or len(data) > MAX_CONFIG_FILE_BYTES:
            continue
        text = data.decode("utf-8", "replace")
        read_lines = {(r.name, r.line) for r in reads(path, text, frozenset(range(1, text.count("\n") + 2)))}
        for n, pat in patterns.items():
            for m in pat.finditer(text):
                if (n, text.count("\n", 0, m.start()) + 1) not in read_lines:
                    found.add(n)
                    break
    return found


class UnprovidedSettingsAnalyzer:
    name = "unprovided-settings"

    def analyze(self, change: ChangeView) -> Analysis:
        out = Analysis()
        section = change.section("new_settings")
        if section.get("enabled") is not True:  # opt-in (policy.py DEFAULTS)
            return out
        # A read with a default works without its setting; on real history such reads were optional knobs
        # (flags that default off, overrides, exporter toggles) far more often than forgotten settings.
        with_defaults = section.get("report_defaulted") is True
        code = [p for p in change.targets if is_code(p) and not is_not_deployed(p)]
        if not code:
            return out
        heads = change.read_head(code)
        bases = change.read_base(code)
        found: list[tuple[str, Read, str]] = []
        for path in code:
            data = heads.get(path)
            if data is None:
                continue
            base_text = (bases.get(path) or b"").decode("utf-8", "replace")
            text = data.decode("utf-8", "replace")
            lines = text.splitlines()
            for r in reads(path, text, change.diffs[path].added_lines):
                # Read in the base of this file already: moved or reformatted, not new.
                if r.name not in base_text and (with_defaults or not r.has_default):
                    found.append((path, r, lines[r.line - 1].strip() if r.line <= len(lines) else r.how))
        if not found:
            return out
        if change.head_tree is None:
            out.notes.append(f"Settings check: {len(found)} new setting read(s) not checked against the "
                             "repository's configuration (its files could not be listed here).")
            return out
        try:
            hay = gather(change.head_tree.paths(), change.head_tree.read, out.notes)
        except TreeUnavailable as exc:
            out.notes.append(f"Settings check: not done ({exc}).")
            return out
        if hay is None:
            return out  # no deployment configuration at all: nowhere the setting should have gone
        where_to = _where_to(hay.files)
        unprovided = [(path, r, line_text) for path, r, line_text in found if not hay.where(r)]
        try:
            names = {r.name for _, r, _ in unprovided}
            known = known_elsewhere(change, names, out.notes)
            known |= declared_in_change(change, names - known, {path for path, _, _ in unprovided})
        except TreeUnavailable as exc:
            out.notes.append(f"Settings check: not done ({exc}).")
            return out
        for path, r, line_text in unprovided:
            if r.name in known:
                continue
            what = "configuration key" if r.kind == "key" else "setting"
            consequence = ("it falls back to its default there, which may not be what production needs"
                           if r.has_default else "without it the code fails, or runs with the value empty")
            message = (f"`{r.how}` reads the {what} `{r.name}`, which no configuration in this repository "
                       f"provides: {consequence}. Add it where the deployment is configured: {where_to}.")
            out.findings.append(Finding(
                rule_id=RULE_ID, concern=CONCERN, severity=Severity.INFO if r.has_default else Severity.WARNING,
                path=path, start_line=r.line, end_line=r.line, message=message, code=line_text,
                confidence="MEDIUM", extra={"setting": f"{r.kind}:{r.name}"}))
        return out
