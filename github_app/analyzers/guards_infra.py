"""Guards that infrastructure still present lost: Kubernetes workloads, Terraform resources, workflows. Pure.

The same object is matched by identity, not by line: a Kubernetes document by kind and name and a
container by name; a Terraform resource by type and name; a workflow job by id and an action by its
repository. An object deleted whole is not reported (its guards went with it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from github_app.analyzers.guards_py import Removal
from github_app.boundedyaml import expanded_nodes

MAX_YAML_BYTES = 1_000_000
MAX_NODES = 200_000
WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"})
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


@dataclass
class Lined:
    """A YAML value with the line it starts on (1-based)."""

    value: Any
    line: int


def _compose(text: str) -> list[Any]:
    """Every document as plain values where each mapping is a dict of key -> Lined; [] if not YAML."""
    if len(text) > MAX_YAML_BYTES:
        return []
    try:
        docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []

    def conv(node: yaml.Node, depth: int = 0) -> Any:
        if depth > 40:
            return None
        if isinstance(node, yaml.MappingNode):
            return {str(getattr(k, "value", "")): Lined(conv(v, depth + 1), k.start_mark.line + 1)
                    for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [Lined(conv(v, depth + 1), v.start_mark.line + 1) for v in node.value]
        return node.value

    # Aliases are shared nodes that conversion expands: a "billion laughs" file is measured first.
    if any(d is not None and expanded_nodes(d, MAX_NODES) > MAX_NODES for d in docs):
        return []
    return [conv(d) for d in docs if d is not None]


def _get(m: Any, *path: str) -> Lined | None:
    cur: Lined | None = Lined(m, 0)
    for key in path:
        if cur is None or not isinstance(cur.value, dict):
            return None
        cur = cur.value.get(key)
    return cur


def _val(m: Any, *path: str) -> Any:
    got = _get(m, *path)
    return got.value if got is not None else None


# -- Kubernetes --------------------------------------------------------------------------------------


def _workloads(docs: list[Any]) -> dict[tuple[str, str], Any]:
    out = {}
    for d in docs:
        if isinstance(d, dict) and _val(d, "kind") in WORKLOADS and isinstance(_val(d, "metadata", "name"), str):
            out[(str(_val(d, "kind")), str(_val(d, "metadata", "name")))] = d
    return out


def _pod_spec(doc: Any) -> Any:
    kind = _val(doc, "kind")
    if kind == "Pod":
        return _val(doc, "spec")
    if kind == "CronJob":
        return _val(doc, "spec", "jobTemplate", "spec", "template", "spec")
    return _val(doc, "spec", "template", "spec")


def _containers(spec: Any) -> Iterator[tuple[str, Lined]]:
    for key in ("containers", "initContainers"):
        items = _val(spec, key) if isinstance(spec, dict) else None
        for item in items or ():
            if isinstance(item, Lined) and isinstance(item.value, dict) and isinstance(_val(item.value, "name"), str):
                yield str(_val(item.value, "name")), item


def kubernetes(base_text: str, head_text: str) -> list[Removal]:
    base, head = _workloads(_compose(base_text)), _workloads(_compose(head_text))
    out: list[Removal] = []
    for key, h in head.items():
        b = base.get(key)
        if b is None:
            continue
        kind, name = key
        kind_line = h["kind"].line
        b_replicas, h_replicas = _val(b, "spec", "replicas"), _val(h, "spec", "replicas")
        if kind in ("Deployment", "StatefulSet", "ReplicaSet") and isinstance(b_replicas, str) \
                and b_replicas.isdigit() and int(b_replicas) > 1 and (h_replicas is None or h_replicas == "1"):
            line = (_get(h, "spec", "replicas") or h["kind"]).line
            out.append(Removal("replicas", line, line, (_get(b, "spec", "replicas") or b["kind"]).line,
                               f"replicas: {b_replicas}", f"{kind} `{name}` (one pod: no redundancy)"))
        b_spec, h_spec = _pod_spec(b), _pod_spec(h)
        out += _security(b_spec, h_spec, kind_line, f"{kind} `{name}`")
        b_cs = dict(_containers(b_spec))
        for cname, hc in _containers(h_spec):
            bc = b_cs.get(cname)
            if bc is None:
                continue
            where = f"container `{cname}` of {kind} `{name}`"
            for probe in PROBES:
                if _val(bc.value, probe) is not None and _val(hc.value, probe) is None:
                    out.append(Removal("probe", hc.line, hc.line, bc.value[probe].line, probe, where))
            for part in ("limits", "requests"):
                for res in ("memory", "cpu"):
                    if part == "requests" and res == "cpu":
                        continue
                    if _val(bc.value, "resources", part, res) is not None \
                            and _val(hc.value, "resources", part, res) is None:
                        line = bc.value["resources"].line
                        out.append(Removal("resources", hc.line, hc.line, line,
                                           f"resources.{part}.{res}: {_val(bc.value, 'resources', part, res)}", where))
            out += _security(bc.value, hc.value, hc.line, where)
    return out


def _security(b: Any, h: Any, line: int, where: str) -> list[Removal]:
    out: list[Removal] = []
    if not isinstance(b, dict) or not isinstance(h, dict):
        return out
    for key in ("runAsNonRoot", "readOnlyRootFilesystem"):
        bv, hv = _val(b, "securityContext", key), _val(h, "securityContext", key)
        if str(bv).lower() == "true" and str(hv).lower() != "true":
            at = _get(h, "securityContext", key)
            out.append(Removal("security-context", at.line if at else line, at.line if at else line,
                               (_get(b, "securityContext", key) or Lined(None, 0)).line, f"{key}: true", where))
    return out


# -- Terraform ---------------------------------------------------------------------------------------

_RESOURCE = re.compile(r'^\s*resource\s+"(?P<type>[^"]+)"\s+"(?P<name>[^"]+)"\s*\{', re.M)
_ATTR = re.compile(r"^\s*(?P<key>[a-z_][a-z0-9_]*)\s*=\s*(?P<value>.+?)\s*$")
# Attribute -> (what the guard is, values that keep it on). Absent means the provider default (off).
TF_GUARDS: dict[str, tuple[str, frozenset[str]]] = {
    "deletion_protection": ("deletion protection", frozenset({"true"})),
    "storage_encrypted": ("storage encryption", frozenset({"true"})),
    "encrypted": ("encryption", frozenset({"true"})),
    "multi_az": ("multi-AZ", frozenset({"true"})),
    "enable_deletion_protection": ("deletion protection", frozenset({"true"})),
    "prevent_destroy": ("prevent_destroy", frozenset({"true"})),
}
TF_SKIP_SNAPSHOT = "skip_final_snapshot"


def _tf_resources(text: str) -> dict[tuple[str, str], tuple[int, dict[str, tuple[str, int]]]]:
    """(type, name) -> (line of `resource`, its attributes at any depth -> (value, line))."""
    out = {}
    lines = text.splitlines()
    for m in _RESOURCE.finditer(text):
        start = text.count("\n", 0, m.start()) + 1
        depth = 0
        attrs: dict[str, tuple[str, int]] = {}
        for no in range(start, len(lines) + 1):
            line = lines[no - 1]
            code = line.split("#", 1)[0]
            if no > start and (a := _ATTR.match(code)):
                attrs.setdefault(a["key"], (a["value"].strip().strip('"').lower(), no))
            depth += code.count("{") - code.count("}")
            if depth <= 0 and no > start:
                break
        out[(m["type"], m["name"])] = (start, attrs)
    return out


def terraform(base_text: str, head_text: str) -> list[Removal]:
    base, head = _tf_resources(base_text), _tf_resources(head_text)
    out: list[Removal] = []
    for key, (h_line, h_attrs) in head.items():
        if key not in base:
            continue
        _, b_attrs = base[key]
        where = f'resource "{key[0]}" "{key[1]}"'
        for attr, (what, on) in TF_GUARDS.items():
            if attr in b_attrs and b_attrs[attr][0] in on and (attr not in h_attrs or h_attrs[attr][0] not in on):
                line = h_attrs[attr][1] if attr in h_attrs else h_line
                out.append(Removal("terraform", line, line, b_attrs[attr][1], f"{attr} = {b_attrs[attr][0]} ({what})",
                                   where))
        b_ret, h_ret = b_attrs.get("backup_retention_period"), h_attrs.get("backup_retention_period")
        if b_ret and b_ret[0].isdigit() and int(b_ret[0]) > 0 and (h_ret is None or h_ret[0] == "0"):
            line = h_ret[1] if h_ret else h_line
            out.append(Removal("terraform", line, line, b_ret[1], f"backup_retention_period = {b_ret[0]} (backups)",
                               where))
        b_skip, h_skip = b_attrs.get(TF_SKIP_SNAPSHOT), h_attrs.get(TF_SKIP_SNAPSHOT)
        if b_skip and b_skip[0] == "false" and h_skip and h_skip[0] == "true":
            out.append(Removal("terraform", h_skip[1], h_skip[1], b_skip[1], "skip_final_snapshot = false "
                               "(a final snapshot)", where))
    return out


# -- GitHub Actions workflows ------------------------------------------------------------------------

_PINNED = re.compile(r"@[0-9a-f]{40}$")
_RANK = {"none": 0, "read": 1, "write": 2}


def _perm_rank(value: Any) -> dict[str, int] | int | None:
    """A permissions block -> scope ranks, or an int for read-all/write-all; None when absent."""
    if value is None:
        return None
    if isinstance(value, str):
        return {"read-all": 1, "write-all": 2}.get(value, 2)
    if isinstance(value, dict):
        return {k: _RANK.get(str(v.value), 2) for k, v in value.items()}
    return None


def _wider(b: dict[str, int] | int, h: dict[str, int] | int | None) -> str | None:
    """What the head's permissions grant beyond the base's, or None."""
    if h is None:
        return "the repository's default token permissions apply"
    if isinstance(h, int):
        top = max(b.values(), default=0) if isinstance(b, dict) else b
        return "write-all is granted" if h > top and h == 2 else None
    if isinstance(b, dict) and any(h.get(scope, 0) < rank for scope, rank in b.items()):
        return None  # scopes traded (one narrowed, another granted): a deliberate redesign, not a widening
    for scope, rank in h.items():
        was = (b.get(scope, 0) if isinstance(b, dict) else b)
        if rank > was:
            return f"`{scope}: {'write' if rank == 2 else 'read'}` is granted"
    return None


def _uses(job: Any) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for step in _val(job, "steps") or ():
        if isinstance(step, Lined) and isinstance(step.value, dict):
            uses = _get(step.value, "uses")
            if uses is not None and isinstance(uses.value, str) and "@" in uses.value:
                out.setdefault(uses.value.split("@", 1)[0], (uses.value, uses.line))
    return out


def workflow(base_text: str, head_text: str) -> list[Removal]:
    b_docs, h_docs = _compose(base_text), _compose(head_text)
    if not b_docs or not h_docs or not isinstance(b_docs[0], dict) or not isinstance(h_docs[0], dict):
        return []
    b, h = b_docs[0], h_docs[0]
    out: list[Removal] = []
    scopes: list[tuple[str, Any, Any, int]] = [("the workflow", b, h, 1)]
    b_jobs, h_jobs = _val(b, "jobs") or {}, _val(h, "jobs") or {}
    if isinstance(b_jobs, dict) and isinstance(h_jobs, dict):
        scopes += [(f"job `{j}`", b_jobs[j].value, h_jobs[j].value, h_jobs[j].line) for j in h_jobs if j in b_jobs]
    for where, bs, hs, line in scopes:
        if not isinstance(bs, dict) or not isinstance(hs, dict):
            continue
        b_perm = _perm_rank(_val(bs, "permissions"))
        if b_perm is not None and (wider := _wider(b_perm, _perm_rank(_val(hs, "permissions")))):
            at = _get(hs, "permissions")
            out.append(Removal("permissions", at.line if at else line, at.line if at else line,
                               (_get(bs, "permissions") or Lined(None, 0)).line, wider, where))
        if where != "the workflow":
            b_uses = _uses(bs)
            for action, (ref, uline) in _uses(hs).items():
                was = b_uses.get(action)
                if was and _PINNED.search(was[0]) and not _PINNED.search(ref):
                    out.append(Removal("unpinned", uline, uline, was[1], f"the pin `{was[0]}`",
                                       f"`{action}` in {where}"))
    return out
