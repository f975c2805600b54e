"""Is a name one edit or a common confusion away from a much more popular package? Pure, offline.

The popular names ship in github_app/data/popular/ (how they were made: its README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from packaging.utils import canonicalize_name

FILES = {"PyPI": "pypi.txt", "npm": "npm.txt", "Go": "go.txt", "Maven": "maven.txt"}
MIN_EDIT_LEN = 5
"""Below this length one edit reaches too many real, unrelated names (six/sip, ws/wd)."""
_SEPARATORS = str.maketrans("", "", "-_./@:")


@dataclass(frozen=True)
class Popular:
    rank: dict[str, int]
    """normalised name -> rank (0 = most popular; unranked lists keep file order)."""
    original: dict[str, str]
    squashed: dict[str, str]
    """name without separators or scope punctuation -> the most popular normalised name with that form."""
    deletes: dict[str, list[str]]
    """every one-character deletion of a popular name -> the names it came from (symmetric-delete index)."""


def normalise(ecosystem: str, name: str) -> str:
    return canonicalize_name(name) if ecosystem == "PyPI" else name.lower()


@cache
def popular(ecosystem: str) -> Popular:
    text = resources.files("github_app").joinpath("data/popular", FILES[ecosystem]).read_text(encoding="utf-8")
    rank: dict[str, int] = {}
    original: dict[str, str] = {}
    for i, raw in enumerate(n.strip() for n in text.splitlines()):
        if raw:
            key = normalise(ecosystem, raw)
            rank.setdefault(key, i)
            original.setdefault(key, raw)
    squashed: dict[str, str] = {}
    deletes: dict[str, list[str]] = {}
    for key in rank:
        squashed.setdefault(key.translate(_SEPARATORS), key)
        if len(key) >= MIN_EDIT_LEN:
            for i in range(len(key)):
                deletes.setdefault(key[:i] + key[i + 1:], []).append(key)
    return Popular(rank, original, squashed, deletes)


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1: one insertion, deletion, substitution or adjacent swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def likely_intended(ecosystem: str, name: str) -> str | None:
    """The popular package this name is probably a mistake for, or None."""
    if ecosystem not in FILES:
        return None
    pop = popular(ecosystem)
    key = normalise(ecosystem, name)
    if key in pop.rank:
        return None
    candidates: set[str] = set()
    squashed = pop.squashed.get(key.translate(_SEPARATORS))
    if squashed is not None:
        candidates.add(squashed)
    if len(key) >= MIN_EDIT_LEN:
        probes = {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}
        for probe in probes:
            candidates.update(c for c in pop.deletes.get(probe, ()) if _within_one_edit(c, key))
            if probe in pop.rank and _within_one_edit(probe, key) and len(probe) >= MIN_EDIT_LEN:
                candidates.add(probe)
    if not candidates:
        return None
    best = min(candidates, key=lambda c: pop.rank[c])
    return pop.original[best]
