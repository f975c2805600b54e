"""Duplicated code: added blocks that repeat code already in the repository, or another added block.

Agents paste a near-copy of an existing function instead of calling it; the copies then drift apart.
A block is reported when at least `min_lines` lines and `min_tokens` tokens of it match, after names
and literals are normalised (tokens.py), code that the PR leaves in place, or another block the PR adds.
The repository's fingerprints come from a disk index built once per tree (clone_index.py), the base's
as a rule; the files the PR changes are left out of it and fingerprinted on the fly at head, since
their base versions are what the PR changes.
Findings (concern `maintainability`, INFO unless policy raises it) sit on the block's first line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from github_app.analyzers import Analysis, ChangeView
from github_app.analyzers.clone_index import CloneIndex
from github_app.analyzers.setting_reads import is_test_path
from github_app.analyzers.tokens import GUARANTEED, WINDOW, K, Tok, grams, language, tokens
from github_app.findings import Finding, Severity
from github_app.generated import generated_reason
from github_app.repotree import LazyTree, RepoTree, TreeUnavailable
from github_app.scan import MAX_FILE_BYTES as SCAN_MAX_FILE_BYTES

RULE_ID = "duplicated-code"
CONCERN = "maintainability"
DEFAULTS: dict[str, Any] = {"enabled": False, "min_lines": 8, "min_tokens": 60, "max_repo_mb": 200,
                            "severity": "INFO"}
MAX_FILE_BYTES = SCAN_MAX_FILE_BYTES
MIN_DISTINCT = 10
MAX_CANDIDATES = 12
PERIODIC = 0.7
IDIOM_FILES = 4
# Documentation examples stand alone, each a full copy by design; database migrations are generated from
# one template and never edited after they ship.
EXAMPLE_DIRS = frozenset({"docs", "doc", "docs_src", "examples", "example", "samples", "sample", "demo", "demos",
                          "tutorial", "tutorials", "cookbook", "migrations", "alembic"})
"""A match of fewer distinct tokens is a table or a run of look-alike statements, not copied logic."""


@dataclass(frozen=True)
class Block:
    path: str
    start: int
    end: int
    """Token positions [start, end) in the head file: a run of tokens on added lines."""


@dataclass(frozen=True)
class Match:
    path: str
    start: int
    end: int
    """Token positions [start, end) in the head file that repeat code elsewhere."""
    other: str
    other_lines: tuple[int, int]
    within_pr: bool


def blocks(toks: list[Tok], added: frozenset[int], min_tokens: int) -> list[tuple[int, int]]:
    """Runs of tokens that sit on added lines, of at least min_tokens tokens. Pure."""
    out, start = [], None
    for i, t in enumerate([*toks, Tok("", -1)]):
        if t.line in added:
            start = i if start is None else start
        elif start is not None:
            if i - start >= min_tokens:
                out.append((start, i))
            start = None
    return out


def _periodic(span_grams: list[int]) -> bool:
    """A run of look-alike statements (a parameter list, a table, the same call on each line) repeats its
    own K-grams; copied logic hardly does. Such a span matches any other run of its kind: not a copy."""
    return len(set(span_grams)) < PERIODIC * len(span_grams)


def is_example_path(path: str) -> bool:
    """Documentation examples and migrations: copies by design (EXAMPLE_DIRS)."""
    return bool({part.lower() for part in PurePosixPath(path).parts[:-1]} & EXAMPLE_DIRS)


def _lines(toks: list[Tok], start: int, end: int) -> int:
    return len({t.line for t in toks[start:end]})


def extend(a: list[Tok], i: int, b: list[Tok], j: int, lo: int, hi: int) -> tuple[int, int]:
    """The longest run around a[i] == b[j] (one K-gram hit) within a[lo:hi]; returns a's [start, end). Pure."""
    s, t = i, j
    while s > lo and t > 0 and a[s - 1].text == b[t - 1].text:
        s, t = s - 1, t - 1
    e, f = i, j
    while e < hi and f < len(b) and a[e].text == b[f].text:
        e, f = e + 1, f + 1
    return s, e


def settings_of(change: ChangeView) -> dict[str, Any]:
    return {**DEFAULTS, **change.section("clones")}


class CloneAnalyzer:
    name = "clones"

    def __init__(self, cache_dir: Path | None = None) -> None:
        """`cache_dir`: where the base index lives between reviews; None: built in memory for each review."""
        self._index_path = cache_dir / "clone-index.sqlite3" if cache_dir is not None else None

    def analyze(self, change: ChangeView) -> Analysis:
        out = Analysis()
        cfg = settings_of(change)
        if cfg["enabled"] is not True:
            return out
        min_tokens = max(int(cfg["min_tokens"]), GUARANTEED)
        min_lines = max(int(cfg["min_lines"]), 2)
        severity = Severity.parse(str(cfg["severity"]))
        changed = {p for p, d in change.diffs.items()} | {d.old_path for d in change.diffs.values() if d.old_path}
        local_paths = sorted(p for p, d in change.diffs.items() if d.status != "deleted" and not d.is_binary
                             and language(p))
        heads = change.read_head(local_paths) if local_paths else {}
        local: dict[str, list[Tok]] = {}
        lines: dict[str, list[str]] = {}
        for path in local_paths:
            data = heads.get(path)
            if data is None:
                continue
            if len(data) > MAX_FILE_BYTES or b"\0" in data[:8192]:
                continue  # the scan skips these with their reason (same cap): one line per file, not two
            if generated_reason(path, data) is not None:
                continue  # generator output: not code to call instead of copying, nor a copy to report
            text = data.decode("utf-8", "replace")
            local[path] = tokens(path, text)
            lines[path] = text.splitlines()
        todo = [Block(p, s, e) for p in sorted(local)
                if p in change.targets and not is_test_path(p) and not is_example_path(p)
                for s, e in blocks(local[p], change.diffs[p].added_lines, min_tokens)]
        if not todo:
            return out
        local_grams: dict[int, list[tuple[str, int]]] = {}
        for path, toks in local.items():
            for pos, h in enumerate(grams(toks)):
                local_grams.setdefault(h, []).append((path, pos))
        base_hits, tree = self._base_hits(change, todo, local, cfg, out)
        base_toks: dict[str, list[Tok]] = {}
        found: list[Match] = []
        for block in todo:
            found += self._matches(block, local, local_grams, base_hits, base_toks, tree, change, changed,
                                   min_tokens, min_lines)
        out.findings += self._findings(found, local, lines, severity)
        return out

    # -- the repository index ---------------------------------------------------------------------

    def _tree(self, change: ChangeView, index: CloneIndex) -> RepoTree | None:
        """The tree to compare with: outside the PR's changed files, base and head hold the same code. The
        base's, unless only the head's is at hand already (its index built, or its archive downloaded in
        the App while the base's is not), since fetching a tree costs the App requests."""
        base, head = change.base_tree, change.head_tree
        if base is None or index.has(base.key):
            return base or head
        if head is not None and (index.has(head.key) or (isinstance(head, LazyTree) and head.built
                                                         and not (isinstance(base, LazyTree) and base.built))):
            return head
        return base

    def _base_hits(self, change: ChangeView, todo: list[Block], local: Mapping[str, list[Tok]],
                   cfg: Mapping[str, Any], out: Analysis) -> tuple[dict[int, list[tuple[str, int]]], RepoTree | None]:
        hashes = [h for b in todo for h in grams(local[b.path][b.start : b.end])]
        try:
            with CloneIndex(self._index_path) as index:
                tree = self._tree(change, index)
                if tree is None:
                    out.notes.append("Duplicated code: compared with the PR's own files only (no repository "
                                     "tree here).")
                    return {}, None
                # An index built already answers without the tree (in the App: no archive download).
                if not index.has(tree.key):
                    total = sum(tree.sizes().values())
                    if total > int(cfg["max_repo_mb"]) * 1_000_000:
                        out.notes.append(f"Duplicated code: the repository ({total / 1e6:.0f} MB) is over "
                                         f"clones.max_repo_mb ({cfg['max_repo_mb']} MB), so it was not indexed; "
                                         "added code was compared with the PR's own files only.")
                        return {}, None
                    index.ensure(tree, max_file_bytes=MAX_FILE_BYTES)
                return index.lookup(tree.key, hashes), tree
        except TreeUnavailable as exc:
            out.notes.append(f"Duplicated code: compared with the PR's own files only; the repository could not "
                             f"be read ({exc}).")
            return {}, None

    # -- matching ---------------------------------------------------------------------------------

    def _matches(self, block: Block, local: Mapping[str, list[Tok]], local_grams: Mapping[int, list[tuple[str, int]]],
                 base_hits: Mapping[int, list[tuple[str, int]]], base_toks: dict[str, list[Tok]],
                 tree: RepoTree | None, change: ChangeView, changed: set[str], min_tokens: int,
                 min_lines: int) -> list[Match]:
        head = local[block.path]
        hashes = grams(head[block.start : block.end])
        # A copy of min_tokens tokens shares every one of its K-grams with the PR's own files, and at least
        # one of every WINDOW of them with the winnowed base index; all on one diagonal (pos - i). Counting
        # hits per diagonal first means only real candidates get their file read and lexed.
        need = {"head": min_tokens - K + 1, "base": max((min_tokens - K + 1) // WINDOW, 1)}
        hits: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        for k, h in enumerate(hashes):
            i = block.start + k
            for p, pos in local_grams.get(h, ()):
                if not (p == block.path and block.start - K < pos < block.end):  # not the block itself
                    hits[("head", p, pos - i)].append(i)
            for p, pos in base_hits.get(h, ()):
                if p not in changed:
                    hits[("base", p, pos - i)].append(i)
        verified: list[Match] = []
        ranked = [(key, at) for key, at in sorted(hits.items(), key=lambda kv: (-len(kv[1]), kv[0]))
                  if len(at) >= need[key[0]]]
        # Boilerplate shared by hundreds of files (imports, an app's setup) would have each of them lexed:
        # the best-supported candidates are where the longest match is.
        for (side, other, diag), at in ranked[:MAX_CANDIDATES]:
            toks = local[other] if side == "head" else self._base_file(tree, other, base_toks)
            i = at[0]
            pos = i + diag
            if not 0 <= pos < len(toks) or toks[pos].text != head[i].text:
                continue
            s, e = extend(head, i, toks, pos, block.start, block.end)
            o_s, o_e = pos - (i - s), pos + (e - i)
            if other == block.path and side == "head" and o_s < block.end and block.start < o_e:
                continue  # overlaps itself: a repetitive block, not a copy
            if e - s < min_tokens or _lines(head, s, e) < min_lines or _lines(toks, o_s, o_e) < min_lines:
                continue
            span_grams = hashes[s - block.start : e - block.start - K + 1]
            if len({t.text for t in head[s:e]}) < MIN_DISTINCT or _periodic(span_grams):
                continue
            added = change.diffs[other].added_lines if side == "head" and other in change.diffs else frozenset()
            within = bool(added) and all(t.line in added for t in toks[o_s:o_e])
            if within and (other, toks[o_s].line) > (block.path, head[s].line):
                continue  # two added copies: the later one carries the finding
            # The same stretch in many files is the codebase's idiom (a span-start if/else, a help-keys method),
            # not a copy one function could replace.
            sharing = {p for (_, p, _), at2 in ranked if any(s <= i2 < e for i2 in at2)}
            if len(sharing) >= IDIOM_FILES:
                continue
            verified.append(Match(block.path, s, e, other, (toks[o_s].line, toks[o_e - 1].line), within))
        # Each stretch of the block is reported once, with its longest match.
        found: list[Match] = []
        for m in sorted(verified, key=lambda m: (-(m.end - m.start), m.other)):
            if all(m.end <= f.start or f.end <= m.start for f in found):
                found.append(m)
        return sorted(found, key=lambda m: m.start)

    def _base_file(self, tree: RepoTree | None, path: str, cache: dict[str, list[Tok]]) -> list[Tok]:
        if path not in cache:
            data = tree.read([path]).get(path) if tree is not None else None
            cache[path] = tokens(path, data.decode("utf-8", "replace")) if data else []
        return cache[path]

    def _findings(self, found: list[Match], local: Mapping[str, list[Tok]], lines: Mapping[str, list[str]],
                  severity: Severity) -> list[Finding]:
        out = []
        for m in found:
            head = local[m.path]
            first, last = head[m.start].line, head[m.end - 1].line
            where = f"{m.other}:{m.other_lines[0]}-{m.other_lines[1]}"
            origin = "another block this PR adds" if m.within_pr else "code already in the repository"
            message = (f"Lines {first}-{last} are the same code as {where} ({origin}), token for token once names "
                       "and literals are set aside: call or extract it instead of keeping two copies that will "
                       "drift apart.")
            out.append(Finding(rule_id=RULE_ID, concern=CONCERN, severity=severity, path=m.path, start_line=first,
                               end_line=first, message=message, code=lines[m.path][first - 1].strip(),
                               confidence="MEDIUM", extra={"other": where, "lines": f"{first}-{last}"}))
        return out
