"""Is a suggested fix safe to offer? The fixed file must still parse, or the suggestion is dropped.

Pure helpers: applying a finding's fix to the file's bytes, naming the language a path is parsed as,
Python's own parser, tree-sitter's for JS/TS, Go and Java, and reading Semgrep's parse errors. scan.py
runs Semgrep's parsers (one extra, match-nothing run) only for what those cannot judge: other languages,
and files the grammar does not parse in full even before the fix.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from github_app import grammars
from github_app.findings import Finding

_BY_SUFFIX = {
    ".py": "python", ".pyi": "python",
    ".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js",
    ".ts": "ts", ".tsx": "ts", ".mts": "ts", ".cts": "ts",
    ".go": "go", ".java": "java",
    ".tf": "hcl", ".hcl": "hcl",
    ".yaml": "yaml", ".yml": "yaml", ".json": "json",
}

# A rule that needs the file parsed but matches nothing: `$X` has no literal for Semgrep to prefilter
# on (a pattern with an identifier lets it skip parsing files that lack it), and the regex never holds.
PARSE_ONLY_RULE = """rules:
  - id: prodready-fixcheck-{lang}
    languages: [{lang}]
    severity: INFO
    message: parse check
    patterns:
      - pattern: $X
      - metavariable-regex: {{metavariable: $X, regex: '\\A\\b\\z'}}
"""


def language_of(path: str) -> str | None:
    name = PurePosixPath(path).name
    lowered = name.lower()
    if lowered in ("dockerfile", "containerfile") or lowered.startswith(("dockerfile.", "containerfile.")) \
            or lowered.endswith(".dockerfile"):
        return "dockerfile"
    return _BY_SUFFIX.get(PurePosixPath(lowered).suffix)


def apply_fix(raw: bytes, finding: Finding) -> bytes | None:
    """The file with lines start_line..end_line replaced by the finding's fix (None: out of range)."""
    if finding.fix is None:
        return None
    lines = raw.splitlines(keepends=True)
    first, last = finding.start_line, finding.end_line
    if not 1 <= first <= last <= len(lines):
        return None
    tail = lines[last - 1]
    ending = tail[len(tail.rstrip(b"\r\n")):]
    return b"".join(lines[: first - 1]) + finding.fix.encode() + ending + b"".join(lines[last:])


def python_parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def tree_parses(path: str, original: bytes, fixed: bytes) -> bool | None:
    """Does the fixed file still parse with the language's tree-sitter grammar? None: no grammar for
    it, or the grammar already fails on the original (a construct it lacks), so Semgrep must judge."""
    suffix = PurePosixPath(path.lower()).suffix
    if suffix not in grammars.GRAMMARS or grammars.parse(suffix, original).has_error:
        return None
    return not grammars.parse(suffix, fixed).has_error


def parse_error_paths(data: Mapping[str, Any]) -> set[str]:
    """Paths Semgrep could not parse in full, from its JSON output."""
    bad: set[str] = set()
    for e in data.get("errors", []) or []:
        if e.get("path"):
            bad.add(str(e["path"]))
    for s in data.get("paths", {}).get("skipped", []) or []:
        if "parser" in str(s.get("reason", "")) or "error" in str(s.get("reason", "")):
            bad.add(str(s.get("path")))
    return bad
