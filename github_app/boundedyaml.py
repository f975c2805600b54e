"""YAML from untrusted repositories, with bounds: size, nesting and alias expansion. Pure.

PyYAML's safe_load is safe from code execution but not from a "billion laughs": aliases are
shared while loading, so the load itself is quick, and everything that walks the result afterwards
(schema validation, deep copies, hashing, Semgrep's own parser) expands them and runs out of time
or memory. The composed node graph is measured before anything is constructed from it.
"""

from __future__ import annotations

from typing import Any

import yaml


class YamlRejected(ValueError):
    """The text is not YAML we accept; the message says why, in one line."""


def expanded_nodes(root: yaml.Node, limit: int) -> int:
    """How many nodes the document has once every alias is expanded, counting up to `limit` + 1.

    Each distinct node is measured once (aliases make the graph a DAG), so the cost is linear in the
    text even when the expansion is astronomically large. A node that contains itself is rejected."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            size[key] = min(total, limit + 1)
            continue
        if key in size:
            continue
        if key in on_path:
            raise YamlRejected("an alias refers to a node that contains it (a recursive structure)")
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise YamlRejected("an alias refers to a node that contains it (a recursive structure)")
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load(text: str, *, max_bytes: int, max_nodes: int) -> Any:
    """Parse one YAML document within the bounds; raise YamlRejected (over a bound) or yaml.YAMLError."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise YamlRejected(f"{size:,} bytes, over the {max_bytes:,}-byte limit")
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlRejected("nested too deeply") from None
        if node is None:
            return None
        expanded = expanded_nodes(node, max_nodes)
        if expanded > max_nodes:
            raise YamlRejected(f"expands to more than {max_nodes:,} values through anchors and aliases "
                               "(a YAML alias bomb?)")
        try:
            return loader.construct_document(node)
        except RecursionError:
            raise YamlRejected("nested too deeply") from None
    finally:
        loader.dispose()
