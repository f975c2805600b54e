"""File shapes Semgrep does not recognise by name, and the name to scan them under.

Semgrep picks a file's language from its name: it takes `Dockerfile` and `*.dockerfile`, but not
`Dockerfile.prod`, `build/Dockerfile.dev` or `Containerfile`, so those were never checked. The
review writes such a file into its scan tree under a name Semgrep knows and maps findings back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

_SCAN_SUFFIX = ".dockerfile"


def is_dockerfile(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return (name in ("dockerfile", "containerfile") or name.startswith(("dockerfile.", "containerfile."))
            or name.endswith(".dockerfile"))


def scan_name(path: str) -> str:
    """The path to write `path` to in the scan tree (itself when Semgrep already knows its shape)."""
    name = PurePosixPath(path).name
    if is_dockerfile(path) and name != "Dockerfile" and not name.lower().endswith(_SCAN_SUFFIX):
        return path + _SCAN_SUFFIX
    return path


def scan_names(paths: Iterable[str]) -> dict[str, str]:
    """scan name -> real path, for every path (a scan name never collides with a real one it is not)."""
    out: dict[str, str] = {}
    real = set(paths)
    for p in real:
        alias = scan_name(p)
        out[alias if alias not in real or alias == p else p] = p
    return out


def real_path(aliases: Mapping[str, str], scanned: str) -> str:
    return aliases.get(scanned, scanned)
