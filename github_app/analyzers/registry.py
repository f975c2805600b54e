"""The analyzers every review runs beside the Semgrep scan, in one place for the CLI and the App."""

from __future__ import annotations

from github_app.analyzers import Analyzer
from github_app.analyzers.clones import CloneAnalyzer
from github_app.analyzers.dependencies import DependencyAnalyzer
from github_app.analyzers.removed_guards import RemovedGuardsAnalyzer
from github_app.analyzers.unprovided import UnprovidedSettingsAnalyzer
from github_app.datasources import SourceConfig


def default_analyzers(sources: SourceConfig) -> tuple[Analyzer, ...]:
    """Each analyzer reads its own policy switch from the change's policy, so all are listed here."""
    # The clone index lives beside the dependency lookup cache (the data directory, or ~/.cache/prodready).
    index_dir = sources.cache_dir.parent if sources.cache_dir is not None else None
    return (DependencyAnalyzer(sources), UnprovidedSettingsAnalyzer(), CloneAnalyzer(index_dir),
            RemovedGuardsAnalyzer())
