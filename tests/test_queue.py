"""One contract for every queue backend: SqliteQueue, and RedisQueue on a real redis-server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from github_app.events import Job
from github_app.queue import DONE_TTL_S, Queue, SqliteQueue

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


@pytest.fixture(params=["sqlite", "redis"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Queue:
    if request.param == "sqlite":
        return SqliteQueue(tmp_path / "q.sqlite3", max_attempts=MAX_ATTEMPTS)
    from github_app.redis_queue import RedisQueue

    url: str = request.getfixturevalue("redis_url")
    # A fresh key prefix per test: the tests share one server.
    return RedisQueue(url, prefix=f"t{uuid.uuid4().hex[:8]}", max_attempts=MAX_ATTEMPTS)


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
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    for head in ("a", "b"):
        assert queue.enqueue(_job(head=head * 40))
        claimed = queue.claim()
        assert claimed is not None
        queue.complete(claimed.id)
        if head == "a":  # the first one finished long ago
            queue._conn().execute("UPDATE jobs SET available_at = available_at - ?", (DONE_TTL_S + 1,))
    assert queue.counts() == {"done": 1}
