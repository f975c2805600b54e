"""The analyzers every review runs beside the Semgrep scan, in one place for the CLI and the App."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from github_app.analyzers import Analysis, Analyzer, ChangeView
from github_app.datasources import SourceConfig
from github_app.deps.kinds import is_lock_file, manifest_kind


@dataclass
class OnDemand:
    """An analyzer whose module is imported the first time a change needs it.

    Most changes touch no manifest, and the change-aware analyzers are opt-in: importing their modules
    (parsers, tokenizers, SQLite, the registry client) up front cost a local review a quarter of a
    second, as much as the Semgrep scan it sits beside.
    """

    name: str
    module: str
    cls: str
    needed: Callable[[ChangeView], bool]
    kwargs: dict[str, Any] = field(default_factory=dict)
    _loaded: Analyzer | None = None

    def analyze(self, change: ChangeView) -> Analysis:
        if not self.needed(change):
            return Analysis()
        if self._loaded is None:
            self._loaded = getattr(importlib.import_module(self.module), self.cls)(**self.kwargs)
        return self._loaded.analyze(change)


def _switched_on(section: str) -> Callable[[ChangeView], bool]:
    return lambda change: change.section(section).get("enabled") is True  # opt-in (policy.py DEFAULTS)


def _touches_dependencies(change: ChangeView) -> bool:
    if change.section("dependencies").get("enabled") is False:
        return False
    return any(manifest_kind(p) or is_lock_file(p) for p in change.diffs)


def default_analyzers(sources: SourceConfig) -> tuple[Analyzer, ...]:
    """Each analyzer reads its own policy switch from the change's policy, so all are listed here."""
    # The clone index lives beside the dependency lookup cache (the data directory, or ~/.cache/prodready).
    index_dir = sources.cache_dir.parent if sources.cache_dir is not None else None
    pkg = "github_app.analyzers"
    return (
        OnDemand("dependencies", f"{pkg}.dependencies", "DependencyAnalyzer", _touches_dependencies,
                 {"config": sources}),
        OnDemand("unprovided-settings", f"{pkg}.unprovided", "UnprovidedSettingsAnalyzer",
                 _switched_on("new_settings")),
        OnDemand("clones", f"{pkg}.clones", "CloneAnalyzer", _switched_on("clones"), {"cache_dir": index_dir}),
        OnDemand("removed-guards", f"{pkg}.removed_guards", "RemovedGuardsAnalyzer", _switched_on("removed_guards")),
    )
