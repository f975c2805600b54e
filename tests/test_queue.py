"""One contract for every queue backend: SqliteQueue, and RedisQueue on a real redis-server."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from github_app.events import Job
from github_app.queue import DELIVERY_TTL_S, DONE_TTL_S, Queue, SqliteQueue

MAX_ATTEMPTS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (CI installs it); the RedisQueue contract was not run")
    import redis

    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {port} did not answer PING")
            time.sleep(0.05)
        client.close()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# The contract tests below claim several jobs of one installation at once; the cap has its own tests.
UNCAPPED = 100


@pytest.fixture(params=["sqlite", "redis"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Queue:
    if request.param == "sqlite":
        return SqliteQueue(tmp_path / "q.sqlite3", max_attempts=MAX_ATTEMPTS, max_per_installation=UNCAPPED)
    from github_app.redis_queue import RedisQueue

    url: str = request.getfixturevalue("redis_url")
    # A fresh key prefix per test: the tests share one server.
    return RedisQueue(url, prefix=f"t{uuid.uuid4().hex[:8]}", max_attempts=MAX_ATTEMPTS,
                      max_per_installation=UNCAPPED)


def _job(head: str = "a" * 40, pr: int = 7, delivery: str = "d1") -> Job:
    return Job(installation_id=1, repo="acme/api", pr_number=pr, head_sha=head, delivery_id=delivery,
               reason="pull_request.opened")


def test_ping(queue: Queue) -> None:
    assert queue.ping()


def test_enqueue_collapses_on_the_same_key(queue: Queue) -> None:
    assert queue.enqueue(_job(delivery="d1"))
    assert not queue.enqueue(_job(delivery="d2")), "same repo, PR and head: collapses"
    assert queue.enqueue(_job(head="b" * 40)), "another head is another job"
    assert queue.enqueue(_job(pr=8))
    claimed = [queue.claim(), queue.claim(), queue.claim()]
    assert all(c is not None for c in claimed)
    assert queue.claim() is None
    assert sorted((c.job.pr_number, c.job.head_sha[0]) for c in claimed if c) == [(7, "a"), (7, "b"), (8, "a")]
    kept = [c.job.delivery_id for c in claimed if c and c.job.pr_number == 7 and c.job.head_sha[0] == "a"]
    assert kept == ["d1"], "the first delivery's job is the one kept"


def test_a_running_job_does_not_collapse_a_new_one(queue: Queue) -> None:
    assert queue.enqueue(_job())
    assert queue.claim() is not None
    assert queue.enqueue(_job(delivery="d2")), "the pending one is being worked on: queue another"


def test_claim_and_complete(queue: Queue) -> None:
    job = _job()
    assert queue.enqueue(job)
    claimed = queue.claim()
    assert claimed is not None
    assert (claimed.job, claimed.attempts) == (job, 1)
    assert queue.claim() is None, "a claimed job is leased, not handed out twice"
    queue.complete(claimed.id)
    assert queue.claim() is None


def test_delayed_job_is_not_claimed_early(queue: Queue) -> None:
    assert queue.enqueue(_job(), delay_s=60)
    assert queue.claim() is None


def test_retry_until_the_attempt_cap_then_dead(queue: Queue) -> None:
    assert queue.enqueue(_job())
    first = queue.claim()
    assert first is not None and first.attempts == 1
    assert queue.retry(first.id, delay_s=0, error="boom") is True
    second = queue.claim()
    assert second is not None and (second.id, second.attempts) == (first.id, 2)
    assert queue.retry(second.id, delay_s=0, error="boom again") is False, "attempts used up: dead"
    assert queue.claim() is None


def test_fail_makes_a_job_dead_at_once_and_it_is_not_claimed_even_after_its_lease(queue: Queue) -> None:
    assert queue.enqueue(_job())
    claimed = queue.claim(lease_s=0.0)
    assert claimed is not None and claimed.attempts == 1
    queue.fail(claimed.id, error="APP_ID is wrong")
    time.sleep(0.05)
    assert queue.claim() is None
    assert queue.counts().get("running", 0) == 0 and queue.counts().get("queued", 0) == 0


def test_retry_waits_for_its_delay(queue: Queue) -> None:
    assert queue.enqueue(_job())
    claimed = queue.claim()
    assert claimed is not None
    assert queue.retry(claimed.id, delay_s=60, error="later")
    assert queue.claim() is None


def test_a_job_whose_lease_expired_is_claimed_again(queue: Queue) -> None:
    assert queue.enqueue(_job())
    first = queue.claim(lease_s=0.2)
    assert first is not None
    assert queue.claim(lease_s=0.2) is None, "the lease still holds"
    time.sleep(0.3)
    again = queue.claim()
    assert again is not None
    assert (again.id, again.job, again.attempts) == (first.id, first.job, 2)
    queue.complete(again.id)
    assert queue.claim() is None


def test_remember_delivery_dedupes(queue: Queue) -> None:
    assert queue.remember_delivery("guid-1") is True
    assert queue.remember_delivery("guid-1") is False
    assert queue.remember_delivery("guid-2") is True


def test_sqlite_drops_finished_jobs_after_their_ttl(tmp_path: Path) -> None:
    queue = SqliteQueue(tmp_path / "q.sqlite3", prune_every_s=0)
    for head in ("a", "b"):
        assert queue.enqueue(_job(head=head * 40))
        claimed = queue.claim()
        assert claimed is not None
        queue.complete(claimed.id)
        if head == "a":  # the first one finished long ago
            queue._conn().execute("UPDATE jobs SET available_at = available_at - ?", (DONE_TTL_S + 1,))
    assert queue.counts() == {"done": 1}


def test_accept_remembers_the_delivery_with_its_jobs(queue: Queue) -> None:
    assert queue.accept("guid-1", [_job(), _job(delivery="x")]) == [True, False], "the second collapses"
    assert queue.accept("guid-1", [_job(head="b" * 40)]) is None, "a repeated delivery queues nothing"
    assert queue.accept("guid-2", []) == []
    claimed = queue.claim()
    assert claimed is not None and claimed.job == _job()
    assert queue.claim() is None


class _Unserialisable(Job):
    def to_json(self) -> str:
        raise RuntimeError("the enqueue fails")


def test_a_failed_enqueue_forgets_the_delivery(queue: Queue) -> None:
    bad = _Unserialisable(1, "acme/api", 7, "a" * 40, "guid-1", "pull_request.opened")
    with pytest.raises(RuntimeError):
        queue.accept("guid-1", [_job(head="c" * 40), bad])
    assert queue.claim() is None, "nothing half-done: the first job was not queued either"
    assert queue.accept("guid-1", [_job()]) == [True], "GitHub's redelivery is accepted, not a duplicate"


def test_sqlite_enqueue_failure_inside_the_transaction_forgets_the_delivery(tmp_path: Path) -> None:
    class Failing(SqliteQueue):
        def _insert(self, conn: Any, job: Job, now: float, delay_s: float) -> bool:
            super()._insert(conn, job, now, delay_s)
            raise sqlite3.OperationalError("database is locked")

    failing = Failing(tmp_path / "q.sqlite3")
    with pytest.raises(sqlite3.OperationalError):
        failing.accept("guid-1", [_job()])
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    assert queue.claim() is None
    assert queue.accept("guid-1", [_job()]) == [True]


def test_renewing_the_lease_keeps_a_long_job_ours(queue: Queue) -> None:
    assert queue.enqueue(_job())
    first = queue.claim(lease_s=0.3)
    assert first is not None
    for _ in range(4):  # 0.6 s of work, twice the lease
        time.sleep(0.15)
        assert queue.renew(first, lease_s=0.3)
    assert queue.claim(lease_s=0.3) is None, "the renewed lease still holds"
    time.sleep(0.4)
    again = queue.claim()
    assert again is not None and again.attempts == 2
    assert not queue.renew(first, lease_s=0.3), "the first claim lost the job: it may not renew it"
    assert queue.renew(again, lease_s=0.3)


def test_release_hands_the_job_back_at_once_without_using_an_attempt(queue: Queue) -> None:
    assert queue.enqueue(_job())
    first = queue.claim(lease_s=300)
    assert first is not None
    queue.release(first)
    again = queue.claim()
    assert again is not None and (again.id, again.attempts) == (first.id, 1)
    queue.release(first)  # a stale hand-back of a job someone else holds changes nothing
    assert queue.renew(again)


def test_oldest_age_counts_ready_jobs_only(queue: Queue) -> None:
    assert queue.oldest_age_s() == 0.0
    assert queue.enqueue(_job(), delay_s=60)
    assert queue.oldest_age_s() == 0.0, "a delayed job is not waiting yet"
    assert queue.enqueue(_job(pr=9))
    time.sleep(0.2)
    assert 0.2 <= queue.oldest_age_s() < 5


def test_sqlite_prunes_deliveries_by_index_at_most_once_a_minute(tmp_path: Path) -> None:
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    conn = queue._conn()
    old = time.time() - DELIVERY_TTL_S - 10
    conn.executemany("INSERT INTO deliveries(id, received_at) VALUES (?, ?)", [(f"old{i}", old) for i in range(50)])
    plan = " ".join(str(r[-1]) for r in conn.execute(
        "EXPLAIN QUERY PLAN DELETE FROM deliveries WHERE received_at < ?", (old,)))
    assert "deliveries_age" in plan, plan
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    for i in range(5):
        assert queue.accept(f"new{i}", []) == []
    deletes = [s for s in statements if s.startswith("DELETE FROM deliveries")]
    assert len(deletes) == 1, "one prune for five deliveries within a minute"
    assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 5


def test_an_orphaned_job_is_claimed_before_a_backlog(queue: Queue) -> None:
    assert queue.enqueue(_job(pr=1))
    orphan = queue.claim(lease_s=0.2)  # its worker dies
    assert orphan is not None
    for pr in range(2, 6):
        assert queue.enqueue(_job(pr=pr))
    time.sleep(0.3)
    again = queue.claim()
    assert again is not None and again.id == orphan.id, "not after the four queued behind it"


def _push(head: str, at: str, pr: int = 7) -> Job:
    return Job(1, "acme/api", pr, head, f"d-{head[:4]}", "pull_request.synchronize", pushed_at=at)


def _drain(queue: Queue) -> list[str]:
    heads = []
    while (claimed := queue.claim()) is not None:
        heads.append(claimed.job.head_sha[:1])
        queue.complete(claimed.id)
    return heads


@pytest.mark.parametrize("through", ["accept", "enqueue"])
def test_a_newer_push_supersedes_the_prs_queued_jobs_for_older_heads(queue: Queue, through: str) -> None:
    def add(job: Job) -> None:
        if through == "accept":
            assert queue.accept(job.delivery_id, [job]) == [True]
        else:
            assert queue.enqueue(job)

    add(_push("a" * 40, "2026-12-03T10:00:00Z"))
    add(_push("c" * 40, "2026-12-03T10:00:00Z", pr=8))  # another PR: untouched
    rerun = Job(1, "acme/api", 7, "d" * 40, "d-rerun", "check_run.rerequested")
    add(rerun)  # not a push: neither supersedes nor is superseded
    add(_push("b" * 40, "2026-12-03T10:05:00Z"))
    assert sorted(_drain(queue)) == ["b", "c", "d"]  # the new "b", PR 8's "c", the rerun's "d"; not "a"


def test_a_late_delivery_of_an_older_push_supersedes_nothing(queue: Queue) -> None:
    queue.enqueue(_push("b" * 40, "2026-12-03T10:05:00Z"))
    queue.enqueue(_push("a" * 40, "2026-12-03T10:00:00Z"))  # delivered out of order
    assert sorted(_drain(queue)) == ["a", "b"]  # the worker finds "a" stale; "b" is still reviewed


def test_a_running_job_is_not_superseded(queue: Queue) -> None:
    queue.enqueue(_push("a" * 40, "2026-12-03T10:00:00Z"))
    running = queue.claim()
    assert running is not None
    queue.enqueue(_push("b" * 40, "2026-12-03T10:05:00Z"))
    assert queue.renew(running)  # still ours: a review under way finishes (the worker checks the head)
    queue.complete(running.id)
    assert _drain(queue) == ["b"]


@pytest.fixture(params=["sqlite", "redis"])
def capped(request: pytest.FixtureRequest, tmp_path: Path) -> Queue:
    """A queue with the App's default cap of two running jobs per installation."""
    if request.param == "sqlite":
        return SqliteQueue(tmp_path / "q.sqlite3", max_attempts=MAX_ATTEMPTS)
    from github_app.redis_queue import RedisQueue

    return RedisQueue(request.getfixturevalue("redis_url"), prefix=f"t{uuid.uuid4().hex[:8]}",
                      max_attempts=MAX_ATTEMPTS)


def _of(inst: int, pr: int) -> Job:
    return Job(inst, f"org{inst}/api", pr, "a" * 40, f"d{inst}-{pr}", "pull_request.opened")


def test_a_burst_from_one_installation_does_not_starve_another(capped: Queue) -> None:
    for pr in range(1, 201):
        capped.enqueue(_of(1, pr))  # installation 1 opens 200 PRs first
    for pr in range(1, 6):
        capped.enqueue(_of(2, pr))  # then installation 2 opens 5
    order: list[int] = []
    while (c := capped.claim()) is not None and len(order) < 12:
        order.append(c.job.installation_id)
        capped.complete(c.id)
    # Turns alternate while both have work: installation 2's five are all claimed among the first eleven.
    assert order[:10] == [1, 2] * 5 or order[:10] == [2, 1] * 5, order
    assert order[10:] == [1, 1]


def test_an_installation_at_its_cap_waits_while_others_run(capped: Queue) -> None:
    for pr in range(1, 5):
        capped.enqueue(_of(1, pr))
    first, second = capped.claim(), capped.claim()
    assert first is not None and second is not None
    assert capped.claim() is None, "two running for installation 1: its third job waits"
    capped.enqueue(_of(2, 1))
    other = capped.claim()
    assert other is not None and other.job.installation_id == 2
    capped.complete(first.id)
    third = capped.claim()
    assert third is not None and third.job.installation_id == 1
    capped.retry(second.id, delay_s=0, error="boom")  # a retried job frees its slot and is ready again
    fourth = capped.claim()
    assert fourth is not None and fourth.job.installation_id == 1


def test_an_orphan_of_a_capped_installation_is_claimed_again(capped: Queue) -> None:
    for pr in range(1, 4):
        capped.enqueue(_of(1, pr))
    dead = capped.claim(lease_s=0.2)  # its worker dies
    alive = capped.claim(lease_s=30)
    assert dead is not None and alive is not None
    time.sleep(0.3)
    again = capped.claim()
    assert again is not None and again.id == dead.id


def test_the_default_budget_keeps_reviews_under_githubs_limits() -> None:
    from github_app.queue import DEFAULT_BUDGET, READS_PER_REVIEW, WRITES_PER_REVIEW, Budget

    assert DEFAULT_BUDGET.per_minute * WRITES_PER_REVIEW <= 80
    assert DEFAULT_BUDGET.per_hour * WRITES_PER_REVIEW <= 500 and DEFAULT_BUDGET.per_hour * READS_PER_REVIEW <= 5000
    assert Budget.from_limits(writes_per_minute=1) == Budget(1, DEFAULT_BUDGET.per_hour)  # never 0


def test_settings_give_the_queue_its_cap_and_the_budget_of_their_limits(tmp_path: Path) -> None:
    from github_app.queue import UNLIMITED, Budget, queue_for
    from github_app.sandbox import generate_app_key
    from github_app.settings import Secret, Settings

    cfg = Settings(app_id=1, private_key=Secret(generate_app_key()[0]), webhook_secret=Secret("s"),
                   queue_url=f"sqlite:///{tmp_path / 'q.sqlite3'}", max_jobs_per_installation=5,
                   writes_per_minute=30, writes_per_hour=0, reads_per_hour=300)
    q = queue_for(cfg)
    assert isinstance(q, SqliteQueue)
    assert (q.max_per_installation, q.budget) == (5, Budget(10, 10))  # reads bind the hour: 300 / 30
    off = Budget.from_limits(0, 0, 0)  # a GHES with rate limiting off
    assert off == Budget(UNLIMITED, UNLIMITED)
    q = SqliteQueue(tmp_path / "off.sqlite3", max_per_installation=UNCAPPED, budget=off)
    for pr in range(1, 41):
        q.enqueue(_of(1, pr))
    n = 0
    while (c := q.claim()) is not None:
        q.complete(c.id)
        n += 1
    assert n == 40


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
@pytest.mark.parametrize("budget", [(3, 100), (100, 3)], ids=["per-minute", "per-hour"])
def test_an_installation_over_its_budget_waits_in_the_queue_while_others_go_on(
        backend: str, budget: tuple[int, int], request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from github_app.queue import Budget

    limits = Budget(*budget)
    if backend == "sqlite":
        q: Queue = SqliteQueue(tmp_path / "q.sqlite3", max_per_installation=UNCAPPED, budget=limits)
    else:
        from github_app.redis_queue import RedisQueue

        q = RedisQueue(request.getfixturevalue("redis_url"), prefix=f"t{uuid.uuid4().hex[:8]}",
                       max_per_installation=UNCAPPED, budget=limits)
    for pr in range(1, 7):
        q.enqueue(_of(1, pr))
    for pr in range(1, 3):
        q.enqueue(_of(2, pr))
    claimed = []
    while (c := q.claim()) is not None:
        claimed.append(c.job.installation_id)
        q.complete(c.id)
    assert sorted(claimed) == [1, 1, 1, 2, 2], "installation 1 spent its 3 claims; installation 2 still ran"
    assert q.counts().get("queued") == 3  # waiting in the queue, not dropped, not sleeping in a worker
