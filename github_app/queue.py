"""The job queue behind one small interface. SQLite embedded; another backend for scale-out.

Delivery is at least once: a claimed job holds a lease; a worker that dies lets the lease run
out and another worker claims the job again. Jobs for the same (repo, PR, head) collapse while
one is pending.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from github_app import logs
from github_app.events import Job

if TYPE_CHECKING:
    from github_app.settings import Settings

# A running job renews its lease every LEASE_S / 3 (worker.py), so a killed worker's job is claimed
# again within LEASE_S; PRODREADY_LEASE_S sets it.
LEASE_S = 30.0
MAX_ATTEMPTS = 5
DELIVERY_TTL_S = 7 * 24 * 3600  # GitHub lets a delivery be redelivered for 3 days (7 on GHES)
DONE_TTL_S = 7 * 24 * 3600  # finished and dead jobs are kept this long for inspection, then dropped
PRUNE_EVERY_S = 60.0  # old deliveries and jobs are deleted at most this often, by an indexed range
# Running jobs one installation may have at once (PRODREADY_MAX_JOBS_PER_INSTALLATION): a burst from one
# organisation cannot take every worker, nor send GitHub many concurrent requests for one installation.
MAX_JOBS_PER_INSTALLATION = 2
# GitHub's secondary limit on content-creating requests (github-api-facts.md §6: 80 a minute, 500 an hour)
# and the primary 5,000 requests an hour of an installation token. A review makes about 3 such requests
# (the check run's creation and completion, the review) and about 30 reads (bench/requests.py: 16-45), so
# each installation may have this many jobs claimed per minute and per hour; a job over it waits queued.
WRITES_PER_REVIEW = 3
READS_PER_REVIEW = 30
UNLIMITED = 2**31 - 1  # a budget no installation reaches: the server enforces no such limit


@dataclass(frozen=True)
class Budget:
    per_minute: int
    per_hour: int

    @classmethod
    def from_limits(cls, writes_per_minute: int = 80, writes_per_hour: int = 500,
                    reads_per_hour: int = 5000) -> Budget:
        """The claims a minute and an hour that keep a review's requests under these limits; 0: no limit."""
        def claims(limit: int, per_review: int) -> int:
            return UNLIMITED if limit == 0 else max(limit // per_review, 1)

        return cls(claims(writes_per_minute, WRITES_PER_REVIEW),
                   min(claims(writes_per_hour, WRITES_PER_REVIEW), claims(reads_per_hour, READS_PER_REVIEW)))


DEFAULT_BUDGET = Budget.from_limits()


@dataclass(frozen=True)
class Claimed:
    id: int
    job: Job
    attempts: int
    claim: int = 0
    """Which claim of the job this is: only the current holder may renew or release it."""


class Queue(Protocol):
    def remember_delivery(self, delivery_id: str) -> bool:
        """True the first time a delivery id is seen, False for a repeat."""
        ...

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        """True if queued, False if it collapsed into a pending job for the same key."""
        ...

    def accept(self, delivery_id: str, jobs: Sequence[Job]) -> list[bool] | None:
        """Remember the delivery and enqueue its jobs in one transaction: None for a repeated delivery,
        else enqueue()'s answer per job. If it raises, nothing was remembered, so a redelivery is new."""
        ...

    def renew(self, claimed: Claimed, *, lease_s: float = LEASE_S) -> bool:
        """Extend the lease of a job this worker still holds; False when it is no longer ours."""
        ...

    def release(self, claimed: Claimed) -> None:
        """Hand a running job back at once (a worker shutting down); the attempt does not count."""
        ...

    def oldest_age_s(self) -> float:
        """Seconds the oldest ready job has waited to be claimed (0 when none waits)."""
        ...

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None:
        """The next job: round-robin across installations, none over its cap of running jobs."""
        ...

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
    state TEXT NOT NULL,             -- queued | running | done | dead | superseded
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at REAL NOT NULL,
    lease_until REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at REAL NOT NULL,
    claims INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs(state, available_at);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs(key, state);
CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, received_at REAL NOT NULL);
-- When each installation last had a job claimed: claims go round-robin, the longest-waiting installation first.
CREATE TABLE IF NOT EXISTS turns (installation INTEGER PRIMARY KEY, claimed_at REAL NOT NULL);
-- Every claim in the last hour, per installation: the budget (Budget) is counted from it.
CREATE TABLE IF NOT EXISTS claim_log (installation INTEGER NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS claim_log_at ON claim_log(installation, at);
CREATE INDEX IF NOT EXISTS deliveries_age ON deliveries(received_at);
"""


class SqliteQueue:
    def __init__(self, path: Path, *, max_attempts: int = MAX_ATTEMPTS, prune_every_s: float = PRUNE_EVERY_S,
                 max_per_installation: int = MAX_JOBS_PER_INSTALLATION, fair: bool = True,
                 budget: Budget = DEFAULT_BUDGET) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_attempts = max_attempts
        self.max_per_installation = max_per_installation
        self.fair = fair
        """False: arrival order, as before the scheduler (bench/fairness.py compares the two)."""
        self.budget = budget
        self._local = threading.local()
        self.prune_every_s = prune_every_s
        self._pruned_at = 0.0
        with self._conn() as conn:
            conn.executescript(SCHEMA)
            # A queue file from an older release lacks the later columns.
            columns = {row[1] for row in conn.execute("PRAGMA table_info(jobs)")}
            for column, kind in (("claims", "INTEGER NOT NULL DEFAULT 0"), ("pr", "TEXT NOT NULL DEFAULT ''"),
                                 ("pushed_at", "TEXT NOT NULL DEFAULT ''"),
                                 ("installation", "INTEGER NOT NULL DEFAULT 0")):
                if column not in columns:
                    conn.execute(f"ALTER TABLE jobs ADD COLUMN {column} {kind}")
            conn.execute("CREATE INDEX IF NOT EXISTS jobs_pr ON jobs(pr, state)")
            conn.execute("CREATE INDEX IF NOT EXISTS jobs_installation ON jobs(installation, state, lease_until)")

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # WAL lets the server enqueue while a worker in another process claims.
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL still survives a killed process (the fault suite's case); it skips the
            # fsync per commit that put the acknowledgement p99 over 25 ms at 200/s (bench/load.py).
            # A power loss can drop the last commits: run Redis with appendonly where that matters.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    def _prune(self, conn: sqlite3.Connection, now: float) -> None:
        """Drop expired deliveries and old finished jobs: indexed range deletes, at most once a minute."""
        if now - self._pruned_at < self.prune_every_s:
            return
        self._pruned_at = now
        conn.execute("DELETE FROM deliveries WHERE received_at < ?", (now - DELIVERY_TTL_S,))
        conn.execute("DELETE FROM claim_log WHERE at < ?", (now - 3600,))
        conn.execute("DELETE FROM jobs WHERE state IN ('done', 'dead', 'superseded') AND available_at < ?",
                     (now - DONE_TTL_S,))

    def remember_delivery(self, delivery_id: str) -> bool:
        return self.accept(delivery_id, []) is not None

    def _insert(self, conn: sqlite3.Connection, job: Job, now: float, delay_s: float) -> bool:
        pending = conn.execute("SELECT 1 FROM jobs WHERE key = ? AND state = 'queued' LIMIT 1", (job.key,)).fetchone()
        if pending:
            return False
        if job.supersedes:
            # A push made these heads old: their reviews would only end "superseded" in the worker.
            cur = conn.execute(
                """UPDATE jobs SET state = 'superseded', available_at = ?, last_error = ?
                   WHERE pr = ? AND state = 'queued' AND pushed_at != '' AND pushed_at < ? AND key != ?""",
                (now, f"superseded by {job.head_sha[:12]}", job.pr_key, job.pushed_at, job.key))
            if cur.rowcount:
                logs.get().info("queue.superseded", pr=job.pr_key, jobs=cur.rowcount, head_sha=job.head_sha)
        conn.execute(
            "INSERT INTO jobs(key, payload, state, available_at, created_at, pr, pushed_at, installation) "
            "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)",
            (job.key, job.to_json(), now + delay_s, now, job.pr_key if job.supersedes else "", job.pushed_at,
             job.installation_id),
        )
        return True

    def accept(self, delivery_id: str, jobs: Sequence[Job]) -> list[bool] | None:
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute("INSERT OR IGNORE INTO deliveries(id, received_at) VALUES (?, ?)", (delivery_id, now))
            fresh = None if cur.rowcount != 1 else [self._insert(conn, job, now, 0.0) for job in jobs]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            self._prune(conn, now)
        except sqlite3.OperationalError as exc:  # busy: the next minute's prune catches up
            logs.get().warning("queue.prune_failed", error=str(exc))
        return fresh

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            fresh = self._insert(conn, job, now, delay_s)
            conn.execute("COMMIT")
            return fresh
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None:
        """The next job round-robin across installations (the one whose turn is oldest first), skipping an
        installation at its cap of running jobs; within one, an orphaned job, then the oldest ready one."""
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(
                """UPDATE jobs SET state = 'running', attempts = attempts + 1, claims = claims + 1, lease_until = ?
                   WHERE id = (SELECT j.id FROM jobs j LEFT JOIN turns t ON t.installation = j.installation
                               WHERE ((j.state = 'queued' AND j.available_at <= ?)
                                      OR (j.state = 'running' AND j.lease_until < ?))
                                 AND (SELECT COUNT(*) FROM jobs r WHERE r.installation = j.installation
                                      AND r.state = 'running' AND r.lease_until >= ?) < ?
                                 AND (SELECT COUNT(*) FROM claim_log c WHERE c.installation = j.installation
                                      AND c.at > ?) < ?
                                 AND (SELECT COUNT(*) FROM claim_log c WHERE c.installation = j.installation
                                      AND c.at > ?) < ?
                               ORDER BY CASE WHEN ? THEN COALESCE(t.claimed_at, 0) ELSE 0 END,
                                        j.available_at, j.id LIMIT 1)
                   RETURNING id, payload, attempts, claims, installation""",
                (now + lease_s, now, now, now, self.max_per_installation, now - 60, self.budget.per_minute,
                 now - 3600, self.budget.per_hour, int(self.fair)),
            ).fetchone()
            if row is not None:
                conn.execute("INSERT OR REPLACE INTO turns(installation, claimed_at) VALUES (?, ?)", (row[4], now))
                conn.execute("INSERT INTO claim_log(installation, at) VALUES (?, ?)", (row[4], now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if row is None:
            return None
        return Claimed(int(row[0]), Job.from_json(row[1]), int(row[2]), int(row[3]))

    def complete(self, job_id: int) -> None:
        conn = self._conn()
        now = time.time()
        conn.execute("UPDATE jobs SET state = 'done', lease_until = 0, available_at = ? WHERE id = ?",
                     (now, job_id))
        # Finished jobs would otherwise pile up for as long as the App runs.
        self._prune(conn, now)

    def retry(self, job_id: int, *, delay_s: float, error: str) -> bool:
        conn = self._conn()
        row = conn.execute("SELECT attempts FROM jobs WHERE id = ?", (job_id,)).fetchone()
        alive = row is not None and int(row[0]) < self.max_attempts
        conn.execute(
            "UPDATE jobs SET state = ?, available_at = ?, lease_until = 0, last_error = ? WHERE id = ?",
            ("queued" if alive else "dead", time.time() + delay_s, error[:500], job_id),
        )
        return alive

    def renew(self, claimed: Claimed, *, lease_s: float = LEASE_S) -> bool:
        cur = self._conn().execute(
            "UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'running' AND claims = ?",
            (time.time() + lease_s, claimed.id, claimed.claim))
        return cur.rowcount == 1

    def release(self, claimed: Claimed) -> None:
        self._conn().execute(
            """UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), available_at = ?, lease_until = 0
               WHERE id = ? AND state = 'running' AND claims = ?""",
            (time.time(), claimed.id, claimed.claim))

    def oldest_age_s(self) -> float:
        now = time.time()
        row = self._conn().execute(
            "SELECT MIN(available_at) FROM jobs WHERE state = 'queued' AND available_at <= ?", (now,)).fetchone()
        return max(0.0, now - float(row[0])) if row and row[0] is not None else 0.0

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


def queue_for(cfg: Settings) -> Queue:
    """The queue the settings name, with their per-installation cap and the budget their limits give."""
    return open_queue(cfg.queue_url, max_per_installation=cfg.max_jobs_per_installation,
                      budget=Budget.from_limits(cfg.writes_per_minute, cfg.writes_per_hour, cfg.reads_per_hour))


def open_queue(url: str, *, max_per_installation: int = MAX_JOBS_PER_INSTALLATION,
               budget: Budget = DEFAULT_BUDGET) -> Queue:
    if url.startswith("sqlite:///"):
        return SqliteQueue(Path(url.removeprefix("sqlite:///")), max_per_installation=max_per_installation,
                           budget=budget)
    if url.startswith(("redis://", "rediss://")):
        from github_app.redis_queue import RedisQueue

        return RedisQueue(url, max_per_installation=max_per_installation, budget=budget)
    raise ValueError(f"unsupported queue URL scheme: {url.split(':', 1)[0]}")
