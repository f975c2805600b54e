"""Generated files are not reviewed by default: nobody edits them, so a finding there has no fix.

Pure: a path, its head bytes and the repository's `.gitattributes` in, a reason (or None) out.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pathspec
from pathspec.pattern import Pattern

GITATTRIBUTES = ".gitattributes"

# Names that code generators give their output (protobuf/gRPC stubs, minified bundles).
_GENERATED_NAMES = ("*.pb.go", "*.pb.gw.go", "*_pb2.py", "*_pb2_grpc.py", "*_pb2.pyi", "*.min.js", "*.min.mjs",
                    "*.min.css", "*.bundle.js")
# The conventions generators write into the file itself: Go's "Code generated ... DO NOT EDIT."
# (https://go.dev/s/generatedcode) and the "@generated" marker used by Meta's and others' tools.
_HEADER = re.compile(rb"Code generated\b.*\bDO NOT EDIT|@generated\b")
_HEADER_BYTES = 2048
# A minified bundle: one enormous line rather than source a person wrote.
_BUNDLE_SUFFIXES = (".js", ".mjs", ".cjs", ".css")
_MINIFIED_LINE = 2000


def linguist_generated(gitattributes: str) -> pathspec.PathSpec[Pattern] | None:
    """The paths `.gitattributes` marks `linguist-generated` (a later `-linguist-generated` wins)."""
    patterns: list[str] = []
    for line in gitattributes.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        pattern, attrs = parts[0], parts[1:]
        for attr in attrs:
            if attr in ("linguist-generated", "linguist-generated=true"):
                patterns.append(pattern)
            elif attr in ("-linguist-generated", "linguist-generated=false", "!linguist-generated"):
                patterns.append("!" + pattern)
    return pathspec.PathSpec.from_lines("gitignore", patterns) if patterns else None


def generated_reason(path: str, head: bytes, marked: pathspec.PathSpec[Pattern] | None = None) -> str | None:
    if marked is not None and marked.match_file(path):
        return "generated (linguist-generated in .gitattributes)"
    name = PurePosixPath(path).name
    for pattern in _GENERATED_NAMES:
        if PurePosixPath(name).match(pattern):
            return f"generated ({pattern} is generator output)"
    if _HEADER.search(head[:_HEADER_BYTES]):
        return "generated (its header says so)"
    if name.endswith(_BUNDLE_SUFFIXES) and any(len(line) > _MINIFIED_LINE for line in head.splitlines()[:20]):
        return "generated (a minified bundle)"
    return None
