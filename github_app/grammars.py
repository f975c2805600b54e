"""The tree-sitter grammars prodready parses with itself (JS/TS, Go, Java), in one table for the
removed-guards analyzer and the fix check. Pinned in constraints.txt like every other dependency."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

GRAMMARS: dict[str, tuple[str, Callable[[], object]]] = {
    ".js": ("js", tree_sitter_javascript.language), ".jsx": ("js", tree_sitter_javascript.language),
    ".mjs": ("js", tree_sitter_javascript.language), ".cjs": ("js", tree_sitter_javascript.language),
    ".ts": ("js", tree_sitter_typescript.language_typescript), ".tsx": ("js", tree_sitter_typescript.language_tsx),
    ".mts": ("js", tree_sitter_typescript.language_typescript),
    ".cts": ("js", tree_sitter_typescript.language_typescript),
    ".go": ("go", tree_sitter_go.language), ".java": ("java", tree_sitter_java.language),
}
"""Suffix -> (family, grammar). TypeScript shares the JavaScript family: its rules read the same nodes."""


@cache
def language(suffix: str) -> Language:
    return Language(GRAMMARS[suffix][1]())


def parse(suffix: str, data: bytes) -> Node:
    """The syntax tree of `data`; `root.has_error` says whether it parsed in full."""
    return Parser(language(suffix)).parse(data).root_node
