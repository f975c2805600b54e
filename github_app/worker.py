"""The worker loop: claim a job, run it, complete or retry it with backoff. Errors stop here.

While a job runs, the loop renews its lease every third of the lease, so the lease can be short and a
killed worker's job is claimed again within seconds. When asked to stop, the loop claims nothing more,
gives the running job `shutdown_s` to finish and otherwise hands it back at once. Queue errors (a Redis
restart, a network blip, SQLite busy) are logged and retried with backoff; they never end the loop.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import redis

from github_app import logs, mergequeue, metrics
from github_app.failclosed import Attempt
from github_app.github import ConfigurationError, RateLimited
from github_app.pipeline import Deps, run_job
from github_app.queue import LEASE_S, MAX_ATTEMPTS, Claimed, Queue

POLL_S = 0.5
BACKOFF_BASE_S = 30.0
BACKOFF_MAX_S = 900.0
SHUTDOWN_S = 20.0
QUEUE_BACKOFF_BASE_S = 0.5
QUEUE_BACKOFF_MAX_S = 10.0
# What a queue backend raises when it is unreachable or busy; anything else is a bug and is raised.
QUEUE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, redis.RedisError, OSError)

T = TypeVar("T")


@dataclass
class Health:
    """What the worker's /healthz and /readyz report; written by the loop, read by the HTTP thread."""

    queue_ok: bool = True
    queue_error: str = ""
    running: bool = False
    last_loop: float = field(default_factory=time.monotonic)

    def queue_down(self, exc: BaseException) -> None:
        self.queue_ok, self.queue_error = False, f"{type(exc).__name__}: {exc}"[:300]

    def queue_up(self) -> None:
        self.queue_ok, self.queue_error = True, ""


def backoff_s(attempts: int) -> float:
    return float(min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S))


def queue_backoff_s(failures: int) -> float:
    return float(min(QUEUE_BACKOFF_BASE_S * 2 ** max(failures - 1, 0), QUEUE_BACKOFF_MAX_S))


@dataclass
class _Ran:
    outcome: str = ""
    error: BaseException | None = None


def _attempt(queue: Queue, claimed: Claimed, backoff: Callable[[int], float]) -> Attempt:
    # The review reports its own failure on the check (retrying or given up), so it is told which try this is.
    return Attempt(claimed.attempts, getattr(queue, "max_attempts", MAX_ATTEMPTS), backoff(claimed.attempts))


def _execute(claimed: Claimed, deps: Deps, attempt: Attempt) -> _Ran:
    try:
        job = claimed.job
        return _Ran(mergequeue.run_group(job, deps) if job.base_ref else run_job(job, deps, attempt))
    except Exception as exc:  # noqa: BLE001 - the worker loop is the edge: _settle logs and retries it
        return _Ran(error=exc)


def _settle(queue: Queue, claimed: Claimed, ran: _Ran, attempt: Attempt) -> str:
    log = logs.get().bind(delivery=claimed.job.delivery_id, repo=claimed.job.repo, pr=claimed.job.pr_number,
                          head_sha=claimed.job.head_sha, attempt=claimed.attempts)
    exc = ran.error
    if isinstance(exc, ConfigurationError):
        # Wrong APP_ID, key or installation: said once, and not retried (it cannot get better by itself).
        queue.fail(claimed.id, error=str(exc))
        metrics.JOBS.labels("dead").inc()
        log.error("job.configuration_error", error=str(exc), will_retry=False)
        return "configuration_error"
    if isinstance(exc, RateLimited):
        alive = queue.retry(claimed.id, delay_s=exc.retry_after_s + 1, error=str(exc))
        metrics.JOBS.labels("rate_limited").inc()
        log.warning("job.rate_limited", retry_in_s=int(exc.retry_after_s), will_retry=alive)
        return "rate_limited"
    if exc is not None:
        delay = attempt.backoff_s
        alive = queue.retry(claimed.id, delay_s=delay, error=f"{type(exc).__name__}: {exc}")
        metrics.JOBS.labels("failed" if alive else "dead").inc()
        log.error("job.failed", error=str(exc), error_type=type(exc).__name__, retry_in_s=delay, will_retry=alive,
                  exc_info=exc)
        return "failed"
    queue.complete(claimed.id)
    metrics.JOBS.labels(ran.outcome).inc()
    return ran.outcome


def handle(queue: Queue, claimed: Claimed, deps: Deps, *, backoff: Callable[[int], float] = backoff_s) -> str:
    """Run a claimed job in this thread, without lease renewal (tests and one-off drains)."""
    attempt = _attempt(queue, claimed, backoff)
    return _settle(queue, claimed, _execute(claimed, deps, attempt), attempt)


def run_once(queue: Queue, deps: Deps, *, backoff: Callable[[int], float] = backoff_s) -> str | None:
    claimed = queue.claim()
    return handle(queue, claimed, deps, backoff=backoff) if claimed else None


def _queue_call(fn: Callable[[], T], what: str, stop: threading.Event, health: Health, *,
                give_up_at: float | None = None) -> T | None:
    """fn() retried with backoff while the queue is unreachable; None once stopped or past give_up_at."""
    failures = 0
    while True:
        try:
            got = fn()
            if failures:
                logs.get().info("worker.queue_recovered", op=what, failures=failures)
            health.queue_up()
            return got
        except QUEUE_ERRORS as exc:
            failures += 1
            health.queue_down(exc)
            delay = queue_backoff_s(failures)
            metrics.QUEUE_ERRORS.labels(what).inc()
            logs.get().warning("worker.queue_error", op=what, error=str(exc)[:300], error_type=type(exc).__name__,
                               failures=failures, retry_in_s=delay)
            if give_up_at is not None and time.monotonic() + delay > give_up_at:
                return None
            if stop.wait(delay) and give_up_at is None:
                return None


def run_leased(queue: Queue, claimed: Claimed, deps: Deps, stop: threading.Event, *, lease_s: float = LEASE_S,
               shutdown_s: float = SHUTDOWN_S, health: Health | None = None) -> str:
    """Run the job in its own thread while this one renews the lease; hand it back if stopping takes too long."""
    health = health or Health()
    ran = _Ran()
    attempt = _attempt(queue, claimed, backoff_s)

    def execute() -> None:
        got = _execute(claimed, deps, attempt)
        ran.outcome, ran.error = got.outcome, got.error

    job = threading.Thread(target=execute, name=f"prodready-job-{claimed.id}", daemon=True)
    job.start()
    log = logs.get().bind(delivery=claimed.job.delivery_id, repo=claimed.job.repo, pr=claimed.job.pr_number)
    every = max(lease_s / 3, 0.05)
    stopping_since: float | None = None
    renewed_at = time.monotonic()
    while job.is_alive():
        job.join(timeout=min(every, 0.25))
        now = time.monotonic()
        health.last_loop = now
        if not job.is_alive():
            break
        if stop.is_set():
            stopping_since = stopping_since or now
            if now - stopping_since >= shutdown_s:
                # The process is going away; the job thread dies with it. Another worker takes it now.
                never = threading.Event()
                _queue_call(lambda: queue.release(claimed), "release", never, health, give_up_at=now + 2.0)
                metrics.JOBS.labels("handed_back").inc()
                log.warning("job.handed_back", after_s=round(now - stopping_since, 1))
                return "handed_back"
        if now - renewed_at >= every:
            renewed_at = now
            try:
                if not queue.renew(claimed, lease_s=lease_s):
                    log.warning("job.lease_lost")  # it ran past its lease and was re-claimed elsewhere
                health.queue_up()
            except QUEUE_ERRORS as exc:  # keep working: the next renewal may get through
                health.queue_down(exc)
                metrics.QUEUE_ERRORS.labels("renew").inc()
                log.warning("worker.queue_error", op="renew", error=str(exc)[:300], error_type=type(exc).__name__)
    never = threading.Event()
    # The review is done; settling it must not be dropped for a blip, but a dead queue only costs a re-run.
    outcome = _queue_call(lambda: _settle(queue, claimed, ran, attempt), "settle", never, health,
                          give_up_at=time.monotonic() + max(lease_s, 5.0))
    return outcome or "unsettled"


def work(queue: Queue, deps: Deps, stop: threading.Event, poll_s: float = POLL_S, *, lease_s: float = LEASE_S,
         shutdown_s: float = SHUTDOWN_S, health: Health | None = None) -> None:
    health = health or Health()
    health.running = True
    log = logs.get()
    log.info("worker.started", lease_s=lease_s, shutdown_s=shutdown_s)
    try:
        while not stop.is_set():
            health.last_loop = time.monotonic()
            claimed: Any = _queue_call(lambda: queue.claim(lease_s=lease_s), "claim", stop, health)
            if claimed is None:
                stop.wait(poll_s)
                continue
            try:
                run_leased(queue, claimed, deps, stop, lease_s=lease_s, shutdown_s=shutdown_s, health=health)
            except Exception as exc:  # a bug in settling one job must not end the loop
                log.error("worker.job_crashed", error=str(exc)[:300], error_type=type(exc).__name__,
                          exc_info=exc)
                stop.wait(poll_s)
    finally:
        health.running = False
        log.info("worker.stopped")
