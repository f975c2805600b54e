"""The dependency analyzer: what the change's manifests add or change, checked against registries and OSV.

Findings sit on the manifest line that declares the dependency (concern `supply-chain`). What could
not be checked (a source unreachable, lookups turned off, private names, URL or path installs) is
said in the summary, never passed over in silence.
"""

from __future__ import annotations

import contextlib
import fnmatch
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from github_app.analyzers import Analysis, ChangeView
from github_app.datasources import SOURCE_TITLES, DataSources, SourceConfig, SourceUnavailable
from github_app.deps import checks
from github_app.deps.kinds import is_lock_file, manifest_kind
from github_app.deps.lookalike import likely_intended
from github_app.deps.manifests import Dep, ManifestError, Parsed, parse
from github_app.deps.registry import (
    PackageInfo,
    RegistryAnswerError,
    go_info,
    maven_info,
    npm_info,
    pypi_info,
    sort_key,
)
from github_app.findings import Finding, Severity
from github_app.scan import Skipped

SOURCE_OF = {"PyPI": "pypi", "npm": "npm", "Go": "goproxy", "Maven": "maven"}


def dep_policy(data: Mapping[str, Any]) -> tuple[checks.DepPolicy, dict[str, Any]]:
    """The `dependencies` policy section -> the checks' settings, and the raw section."""
    section: dict[str, Any] = dict(data.get("dependencies") or {})
    lic = section.get("licenses") or {}

    def sev(value: Any, default: Severity | None) -> Severity | None:
        if value is None:
            return default
        return None if str(value).lower() == "none" else Severity.parse(str(value))

    return checks.DepPolicy(
        min_age_days=int(section.get("min_age_days", 30)),
        allow=tuple(str(x) for x in lic.get("allow") or ()),
        deny=tuple(str(x) for x in lic.get("deny", checks.DEFAULT_DENY) or ()),
        denied_severity=sev(lic.get("denied_severity"), Severity.WARNING),
        unknown_severity=sev(lic.get("unknown_severity"), Severity.INFO),
    ), section


@dataclass
class Lookup:
    """What one review learnt from the sources, so each package is asked for once."""

    infos: dict[tuple[str, str], PackageInfo] = field(default_factory=dict)
    unreachable: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """source -> (reason, names not checked)."""

    def miss(self, source: str, reason: str, name: str) -> None:
        _, names = self.unreachable.setdefault(source, (reason, []))
        if name not in names:
            names.append(name)


class DependencyAnalyzer:
    name = "dependencies"

    def __init__(self, config: SourceConfig | None = None, *, sources: DataSources | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._config = config or SourceConfig()
        self._sources = sources
        self._clock = clock

    def analyze(self, change: ChangeView) -> Analysis:
        data = change.policy.data if change.policy is not None else {}
        policy, section = dep_policy(data)
        out = Analysis()
        if section.get("enabled") is False:
            return out
        locks = sorted(p for p, fd in change.diffs.items() if is_lock_file(p) and fd.status != "deleted")
        if locks:
            out.notes.append(f"Lock files changed ({', '.join(locks[:5])}{' and more' if len(locks) > 5 else ''}): "
                             "counted here, not reviewed dependency by dependency.")
        new, line_texts = self._added(change, out)
        if not new:
            return out
        private = [str(p) for p in section.get("private") or ()]
        is_private = [d for _, d in new if any(fnmatch.fnmatchcase(d.name, p) for p in private)]
        if is_private:
            names = sorted({d.name for d in is_private})
            out.notes.append(f"{len(is_private)} private dependenc{'y' if len(is_private) == 1 else 'ies'} "
                             f"(dependencies.private) not looked up publicly: {', '.join(names[:10])}.")
        public = [(p, d) for p, d in new if d not in is_private]
        for path, dep in public:
            out.findings += checks.lookalike(dep, likely_intended(dep.ecosystem, dep.name), path,
                                             line_texts[(path, dep.line)])
        if section.get("offline"):
            if public:
                out.notes.append(f"Dependency lookups are off (dependencies.offline: true): {len(public)} added or "
                                 "changed dependencies were not checked against their registries or OSV "
                                 "(existence, versions, age, licence, vulnerabilities); look-alike names were.")
            return out
        own = self._sources is None
        sources = self._sources or DataSources(self._config)
        try:
            self._check(sources, public, line_texts, policy, out)
        finally:
            if own:
                sources.close()
        out.notes.insert(0, f"Dependency review: {len(new)} added or changed dependenc"
                            f"{'y' if len(new) == 1 else 'ies'} in {len({p for p, _ in new})} manifest(s).")
        return out

    # -- which dependencies the change adds or changes ----------------------------------------------

    def _added(self, change: ChangeView, out: Analysis) -> tuple[list[tuple[str, Dep]], dict[tuple[str, int], str]]:
        kinds = {p: k for p in change.targets if (k := manifest_kind(p))}
        heads = change.read_head(sorted(kinds)) if kinds else {}
        parsed: dict[str, Parsed] = {}
        for path in sorted(kinds):
            got = self._parse(path, heads.get(path), kinds[path], out)
            if got is not None:
                parsed[path] = got
        # Files pulled in with -r from a requirements file are requirements too, whatever their name.
        extra = sorted({inc for p in parsed.values() for inc in p.includes if inc in change.targets} - set(kinds))
        if extra:
            more = change.read_head(extra)
            for path in extra:
                kinds[path] = "requirements"
                if (got := self._parse(path, more.get(path), "requirements", out)) is not None:
                    parsed[path] = got
        bases = change.read_base(sorted(parsed)) if parsed else {}
        new: list[tuple[str, Dep]] = []
        texts: dict[tuple[str, int], str] = {}
        for path, head in parsed.items():
            fd = change.diffs[path]
            base_specs: dict[tuple[str, str], str] = {}
            raw = bases.get(path)
            if raw is not None:
                # A base that does not parse leaves base_specs empty: all the head declares on changed lines is new.
                with contextlib.suppress(ManifestError):
                    base_specs = {d.key: d.spec for d in parse(path, raw.decode("utf-8", "replace"), kinds[path]).deps}
            lines = (heads.get(path) or (b"")).decode("utf-8", "replace").splitlines()
            if path in extra:
                lines = (more.get(path) or b"").decode("utf-8", "replace").splitlines()
            for dep in head.deps:
                if dep.line in fd.added_lines and base_specs.get(dep.key) != dep.spec:
                    new.append((path, dep))
                    texts[(path, dep.line)] = lines[dep.line - 1] if 0 < dep.line <= len(lines) else ""
            for line, reason in head.not_looked_up:
                if line in fd.added_lines:
                    out.skipped.append(Skipped(path, f"line {line}: {reason}"))
        return new, texts

    @staticmethod
    def _parse(path: str, data: bytes | None, kind: str, out: Analysis) -> Parsed | None:
        if data is None:
            out.skipped.append(Skipped(path, "could not read the head version of this manifest"))
            return None
        try:
            return parse(path, data.decode("utf-8", "replace"), kind)
        except ManifestError as exc:
            out.skipped.append(Skipped(path, f"manifest does not parse: {exc}; its dependencies were not reviewed"))
            return None

    # -- lookups and checks ---------------------------------------------------------------------------

    def _check(self, sources: DataSources, deps: list[tuple[str, Dep]], texts: dict[tuple[str, int], str],
               policy: checks.DepPolicy, out: Analysis) -> None:
        lookup = Lookup()
        now = self._clock()
        to_query: list[tuple[str, Dep, str]] = []
        no_licence: set[str] = set()
        for path, dep in deps:
            info = self._info(sources, dep, lookup)
            if info is None:
                continue
            text = texts[(path, dep.line)]
            found = checks.existence(dep, info, path, text)
            out.findings += found
            if not info.exists:
                continue
            if not info.license_known or not info.dates_known:
                no_licence.add(dep.ecosystem)
            out.findings += checks.age(dep, info, now, policy.min_age_days, path, text)
            out.findings += checks.licence(dep, info, policy, path, text)
            if not found:
                to_query += [(path, dep, v) for v in checks.versions_to_check(dep, info)]
        if "Go" in no_licence:
            out.notes.append("Licences of Go modules are not checked: the module proxy carries no licence data.")
        if "Maven" in no_licence:
            out.notes.append("Licences and ages of Maven artifacts are not checked: Maven metadata carries "
                             "neither.")
        if to_query:
            out.findings += self._vulns(sources, to_query, texts, lookup)
        for source, (reason, names) in sorted(lookup.unreachable.items()):
            out.notes.append(f"Not checked: {SOURCE_TITLES[source]} unreachable ({reason}); "
                             f"{len(names)} dependenc{'y' if len(names) == 1 else 'ies'} not checked there: "
                             f"{', '.join(names[:10])}{' ...' if len(names) > 10 else ''}.")

    def _info(self, sources: DataSources, dep: Dep, lookup: Lookup) -> PackageInfo | None:
        key = dep.key
        if key in lookup.infos:
            return self._with_version(sources, dep, lookup.infos[key], lookup)
        source = SOURCE_OF[dep.ecosystem]
        if source in lookup.unreachable and sources.is_down(source):
            lookup.miss(source, lookup.unreachable[source][0], dep.name)
            return None
        try:
            info = fetch_info(sources, dep)
        except SourceUnavailable as exc:
            lookup.miss(source, exc.reason, dep.name)
            return None
        except RegistryAnswerError as exc:
            lookup.miss(source, f"garbage answer: {exc}", dep.name)
            return None
        lookup.infos[key] = info
        return self._with_version(sources, dep, info, lookup)

    @staticmethod
    def _with_version(sources: DataSources, dep: Dep, info: PackageInfo, lookup: Lookup) -> PackageInfo:
        # Go pseudo-versions and old tags are not in @v/list; the proxy still serves their .info.
        if dep.ecosystem != "Go" or not info.exists or dep.pinned is None or dep.pinned in info.releases:
            return info
        try:
            answer = sources.go_info(dep.name, dep.pinned)
        except SourceUnavailable as exc:
            lookup.miss("goproxy", exc.reason, dep.name)
            return info
        if answer.status != 200:
            return info
        merged = go_info("", {dep.pinned: answer.text})
        return PackageInfo(True, {**info.releases, **merged.releases}, None, license_known=False)

    def _vulns(self, sources: DataSources, queries: list[tuple[str, Dep, str]], texts: dict[tuple[str, int], str],
               lookup: Lookup) -> list[Finding]:
        batch = [{"package": {"ecosystem": d.ecosystem, "name": d.name}, "version": v}
                 for _, d, v in queries]
        try:
            ids = sources.osv_querybatch(batch)
            records: dict[str, dict[str, Any]] = {}
            for vid in sorted({i for found in ids for i in found}):
                records[vid] = sources.osv_vuln(vid)
        except SourceUnavailable as exc:
            for _, d, _ in queries:
                lookup.miss("osv", exc.reason, d.name)
            return []
        per_dep: dict[tuple[str, int], tuple[str, Dep, dict[str, list[dict[str, Any]]]]] = {}
        for (path, dep, version), found in zip(queries, ids, strict=True):
            entry = per_dep.setdefault((path, dep.line), (path, dep, defaultdict(list)))
            entry[2][version] = [records[i] for i in found]
        out: list[Finding] = []
        for path, dep, by_version in per_dep.values():
            ordered = dict(sorted(by_version.items(), key=lambda kv: sort_key(dep.ecosystem, kv[0])))
            out += checks.vulnerabilities(dep, ordered, path, texts[(path, dep.line)])
        return out


def fetch_info(sources: DataSources, dep: Dep) -> PackageInfo:
    """Ask the dependency's registry about it. Raises SourceUnavailable or RegistryAnswerError."""
    if dep.ecosystem == "PyPI":
        answer = sources.pypi(dep.name)
        return pypi_info(answer.text) if answer.status == 200 else PackageInfo(False)
    if dep.ecosystem == "npm":
        answer = sources.npm(dep.name)
        return npm_info(answer.text) if answer.status == 200 else PackageInfo(False)
    if dep.ecosystem == "Go":
        answer = sources.go_list(dep.name)
        if answer.status != 200:
            return PackageInfo(False)
        listed = [v.strip() for v in answer.text.splitlines() if v.strip()]
        infos: dict[str, str] = {}
        if listed:
            # The earliest listed version's date is the module's first release, for the age check.
            first = min(listed, key=lambda v: sort_key("Go", v))
            got = sources.go_info(dep.name, first)
            if got.status == 200:
                infos[first] = got.text
        elif dep.pinned:
            got = sources.go_info(dep.name, dep.pinned)
            if got.status != 200:
                return PackageInfo(False)
            infos[dep.pinned] = got.text
        return go_info(answer.text, infos)
    group, _, artifact = dep.name.partition(":")
    answer = sources.maven_metadata(group, artifact)
    return maven_info(answer.text) if answer.status == 200 else PackageInfo(False)
