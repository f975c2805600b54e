"""Which changed paths are dependency manifests or lock files: by name alone, with no parser imported,
so a review can tell whether the dependency analyzer has anything to do before loading it."""

from __future__ import annotations

from pathlib import PurePosixPath

LOCK_FILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "poetry.lock",
    "Pipfile.lock", "uv.lock", "pdm.lock", "go.sum", "gradle.lockfile",
})


def manifest_kind(path: str) -> str | None:
    p = PurePosixPath(path)
    name = p.name
    if name.startswith("requirements") and name.endswith((".txt", ".in")):
        return "requirements"
    if "requirements" in p.parent.parts and name.endswith((".txt", ".in")):
        return "requirements"
    if name == "pyproject.toml":
        return "pyproject"
    if name == "package.json":
        return "package.json"
    if name == "go.mod":
        return "go.mod"
    if name == "pom.xml":
        return "pom"
    if name == "Dockerfile" or name.endswith(".Dockerfile") or name.startswith("Dockerfile."):
        return "dockerfile"
    if len(p.parts) >= 3 and p.parts[0] == ".github" and p.parts[1] == "workflows" and name.endswith(
            (".yml", ".yaml")):
        return "workflow"
    return None


def is_lock_file(path: str) -> bool:
    return PurePosixPath(path).name in LOCK_FILES
