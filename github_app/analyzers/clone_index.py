"""The repository's code fingerprints, on disk: built once per tree, shared by every review of it.

Content-addressed: fingerprints are stored per file content (a SHA-256 of the bytes), and a tree is a
list of (path, content). A new base SHA (main moved on) re-tokenises only the files whose bytes are
new, so the cost of a review is its own added lines plus reading the tree, not lexing the repository
again. One SQLite file (WAL: worker threads and processes share it) under the data directory; the
newest MAX_TREES trees are kept.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from github_app.analyzers.tokens import grams, language, tokens, winnow
from github_app.generated import generated_reason
from github_app.repotree import RepoTree

MAX_TREES = 30
PRUNE_SLACK = 10
READ_BATCH = 500
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, digest BLOB UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS grams (hash INTEGER NOT NULL, blob INTEGER NOT NULL, pos INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS grams_hash ON grams(hash);
CREATE INDEX IF NOT EXISTS grams_blob ON grams(blob);
CREATE TABLE IF NOT EXISTS trees (key TEXT NOT NULL, path TEXT NOT NULL, blob INTEGER NOT NULL,
                                  PRIMARY KEY (key, path));
CREATE INDEX IF NOT EXISTS trees_blob ON trees(blob);
CREATE TABLE IF NOT EXISTS built (key TEXT PRIMARY KEY, at REAL NOT NULL, files INTEGER NOT NULL,
                                  left_out INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Built:
    files: int
    """Code files indexed."""
    new_files: int
    """Of those, files whose content was not indexed before (lexed this time)."""
    left_out: int
    """Code files left out: too large, binary, generated, or unreadable."""
    seconds: float
    reused: bool
    """The tree was indexed already: nothing was read."""


class CloneIndex:
    def __init__(self, path: Path | None) -> None:
        """`path`: the SQLite file (created); None: in memory, for one review."""
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path) if path else ":memory:", timeout=BUSY_TIMEOUT_S,
                                     isolation_level=None, check_same_thread=False)
        if path is not None:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")  # a cache: a lost tail is rebuilt
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> CloneIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, key: str) -> bool:
        return self._conn.execute("SELECT 1 FROM built WHERE key = ?", (key,)).fetchone() is not None

    def ensure(self, tree: RepoTree, *, max_file_bytes: int, skip: Iterable[str] = ()) -> Built:
        """Index every code file of `tree` (unless done already); raises TreeUnavailable."""
        started = time.monotonic()
        row = self._conn.execute("SELECT files, left_out FROM built WHERE key = ?", (tree.key,)).fetchone()
        if row is not None:
            return Built(int(row[0]), 0, int(row[1]), time.monotonic() - started, reused=True)
        sizes = tree.sizes()
        skipped = set(skip)
        wanted = [p for p in tree.paths() if language(p) and p not in skipped]
        fits = [p for p in wanted if sizes.get(p, 0) <= max_file_bytes]
        left_out = len(wanted) - len(fits)
        files = new = 0
        for i in range(0, len(fits), READ_BATCH):
            batch = fits[i : i + READ_BATCH]
            rows: list[tuple[str, str, int]] = []
            for path, data in tree.read(batch).items():
                # Generator output is not code anyone should call instead of copying.
                if data is None or b"\0" in data[:8192] or generated_reason(path, data) is not None:
                    left_out += 1
                    continue
                blob, lexed = self._blob(path, data)
                new += lexed
                files += 1
                rows.append((tree.key, path, blob))
            self._conn.executemany("INSERT OR REPLACE INTO trees VALUES (?, ?, ?)", rows)
        self._conn.execute("INSERT OR REPLACE INTO built VALUES (?, ?, ?, ?)", (tree.key, time.time(), files, left_out))
        self._prune()
        return Built(files, new, left_out, time.monotonic() - started, reused=False)

    def _blob(self, path: str, data: bytes) -> tuple[int, bool]:
        digest = hashlib.sha256(language(path).encode() + b"\0" + data).digest()  # type: ignore[union-attr]
        row = self._conn.execute("SELECT id FROM blobs WHERE digest = ?", (digest,)).fetchone()
        if row is not None:
            return int(row[0]), False
        toks = tokens(path, data.decode("utf-8", "replace"))
        hashes = grams(toks)
        self._conn.execute("BEGIN")
        try:
            cur = self._conn.execute("INSERT OR IGNORE INTO blobs (digest) VALUES (?)", (digest,))
            if cur.rowcount == 0:  # another process indexed the same content meanwhile
                self._conn.execute("COMMIT")
                return int(self._conn.execute("SELECT id FROM blobs WHERE digest = ?", (digest,)).fetchone()[0]), False
            blob = int(cur.lastrowid or 0)
            self._conn.executemany("INSERT INTO grams VALUES (?, ?, ?)",
                                   [(hashes[pos], blob, pos) for pos in winnow(hashes)])
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        return blob, True

    def _prune(self) -> None:
        # Down to MAX_TREES once there are PRUNE_SLACK more: the orphan sweep scans the table, so not every time.
        if int(self._conn.execute("SELECT COUNT(*) FROM built").fetchone()[0]) <= MAX_TREES + PRUNE_SLACK:
            return
        old = [str(r[0]) for r in self._conn.execute("SELECT key FROM built ORDER BY at DESC LIMIT -1 OFFSET ?",
                                                     (MAX_TREES,))]
        self._conn.execute("BEGIN")
        for key in old:
            self._conn.execute("DELETE FROM trees WHERE key = ?", (key,))
            self._conn.execute("DELETE FROM built WHERE key = ?", (key,))
        self._conn.execute("DELETE FROM grams WHERE blob NOT IN (SELECT blob FROM trees)")
        self._conn.execute("DELETE FROM blobs WHERE id NOT IN (SELECT blob FROM trees)")
        self._conn.execute("COMMIT")

    def lookup(self, key: str, hashes: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
        """For each hash found in the tree `key`: the (path, token position) of its kept fingerprints."""
        out: dict[int, list[tuple[str, int]]] = {}
        unique = sorted(set(hashes))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, path, pos in self._conn.execute(
                    f"SELECT g.hash, t.path, g.pos FROM grams g JOIN trees t ON t.blob = g.blob "  # noqa: S608 -- only ?s
                    f"WHERE t.key = ? AND g.hash IN ({marks})", (key, *chunk)):
                out.setdefault(int(h), []).append((str(path), int(pos)))
        return out

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
