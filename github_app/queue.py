"""The job queue behind one small interface. SQLite embedded; another backend for scale-out.

Delivery is at least once: a claimed job holds a lease; a worker that dies lets the lease run
out and another worker claims the job again. Jobs for the same (repo, PR, head) collapse while
one is pending.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from github_app.events import Job

LEASE_S = 300.0
MAX_ATTEMPTS = 5
DELIVERY_TTL_S = 7 * 24 * 3600  # GitHub lets a delivery be redelivered for 3 days (7 on GHES)
DONE_TTL_S = 7 * 24 * 3600  # finished and dead jobs are kept this long for inspection, then dropped


@dataclass(frozen=True)
class Claimed:
    id: int
    job: Job
    attempts: int


class Queue(Protocol):
    def remember_delivery(self, delivery_id: str) -> bool:
        """True the first time a delivery id is seen, False for a repeat."""
        ...

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        """True if queued, False if it collapsed into a pending job for the same key."""
        ...

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None: ...

    def complete(self, job_id: int) -> None: ...

    def retry(self, job_id: int, *, delay_s: float, error: str) -> bool:
        """Requeue after delay_s; False when attempts are used up (the job is dead)."""
        ...

    def fail(self, job_id: int, *, error: str) -> None:
        """The job is dead at once: retrying cannot help (a configuration error)."""
        ...

    def ping(self) -> bool: ...

    def counts(self) -> dict[str, int]: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,             -- queued | running | done | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at REAL NOT NULL,
    lease_until REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs(state, available_at);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs(key, state);
CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, received_at REAL NOT NULL);
"""


class SqliteQueue:
    def __init__(self, path: Path, *, max_attempts: int = MAX_ATTEMPTS) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_attempts = max_attempts
        self._local = threading.local()
        with self._conn() as conn:
            conn.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # WAL lets the server enqueue while a worker in another process claims.
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    def remember_delivery(self, delivery_id: str) -> bool:
        conn = self._conn()
        now = time.time()
        conn.execute("DELETE FROM deliveries WHERE received_at < ?", (now - DELIVERY_TTL_S,))
        cur = conn.execute("INSERT OR IGNORE INTO deliveries(id, received_at) VALUES (?, ?)", (delivery_id, now))
        return cur.rowcount == 1

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            pending = conn.execute(
                "SELECT 1 FROM jobs WHERE key = ? AND state = 'queued' LIMIT 1", (job.key,)
            ).fetchone()
            if pending:
                conn.execute("COMMIT")
                return False
            conn.execute(
                "INSERT INTO jobs(key, payload, state, available_at, created_at) VALUES (?, ?, 'queued', ?, ?)",
                (job.key, job.to_json(), now + delay_s, now),
            )
            conn.execute("COMMIT")
            return True
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None:
        conn = self._conn()
        now = time.time()
        row = conn.execute(
            """UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?
               WHERE id = (SELECT id FROM jobs
                           WHERE (state = 'queued' AND available_at <= ?)
                              OR (state = 'running' AND lease_until < ?)
                           ORDER BY available_at, id LIMIT 1)
               RETURNING id, payload, attempts""",
            (now + lease_s, now, now),
        ).fetchone()
        if row is None:
            return None
        return Claimed(int(row[0]), Job.from_json(row[1]), int(row[2]))

    def complete(self, job_id: int) -> None:
        conn = self._conn()
        now = time.time()
        conn.execute("UPDATE jobs SET state = 'done', lease_until = 0, available_at = ? WHERE id = ?",
                     (now, job_id))
        # Finished jobs would otherwise pile up for as long as the App runs.
        conn.execute("DELETE FROM jobs WHERE state IN ('done', 'dead') AND available_at < ?", (now - DONE_TTL_S,))

    def retry(self, job_id: int, *, delay_s: float, error: str) -> bool:
        conn = self._conn()
        row = conn.execute("SELECT attempts FROM jobs WHERE id = ?", (job_id,)).fetchone()
        alive = row is not None and int(row[0]) < self.max_attempts
        conn.execute(
            "UPDATE jobs SET state = ?, available_at = ?, lease_until = 0, last_error = ? WHERE id = ?",
            ("queued" if alive else "dead", time.time() + delay_s, error[:500], job_id),
        )
        return alive

    def fail(self, job_id: int, *, error: str) -> None:
        self._conn().execute("UPDATE jobs SET state = 'dead', available_at = ?, lease_until = 0, last_error = ? "
                             "WHERE id = ?", (time.time(), error[:500], job_id))

    def ping(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def counts(self) -> dict[str, int]:
        rows = self._conn().execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        return {str(s): int(n) for s, n in rows}


def open_queue(url: str) -> Queue:
    if url.startswith("sqlite:///"):
        return SqliteQueue(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("redis://", "rediss://")):
        from github_app.redis_queue import RedisQueue

        return RedisQueue(url)
    raise ValueError(f"unsupported queue URL scheme: {url.split(':', 1)[0]}")
