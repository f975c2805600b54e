"""The worker loop on real queues: lease heartbeat, hand-back on shutdown, surviving its queue, the process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from github_app import worker
from github_app.events import Job
from github_app.pipeline import Deps
from github_app.queue import SqliteQueue
from github_app.worker import Health, run_leased, work

DEPS = cast(Deps, None)  # run_job is replaced below: the loop never touches GitHub here


def _job(pr: int = 7) -> Job:
    return Job(1, "acme/api", pr, "a" * 40, f"d{pr}", "pull_request.opened")


def _slow_job(monkeypatch: pytest.MonkeyPatch, seconds: float, done: list[int]) -> None:
    def run_job(job: Job, *_: Any) -> str:
        time.sleep(seconds)
        done.append(job.pr_number)
        return "success"

    monkeypatch.setattr(worker, "run_job", run_job)


def test_a_job_longer_than_its_lease_keeps_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    done: list[int] = []
    _slow_job(monkeypatch, 1.2, done)
    assert queue.enqueue(_job())
    claimed = queue.claim(lease_s=0.3)
    assert claimed is not None
    stolen: list[object] = []
    other = SqliteQueue(tmp_path / "q.sqlite3")  # another worker polling all along

    def poll() -> None:
        while not done:
            if (got := other.claim(lease_s=0.3)) is not None:
                stolen.append(got)
            time.sleep(0.05)

    thief = threading.Thread(target=poll)
    thief.start()
    outcome = run_leased(queue, claimed, DEPS, threading.Event(), lease_s=0.3)
    thief.join()
    assert (outcome, done, stolen) == ("success", [7], []), "four leases long, never claimed twice"
    assert queue.counts() == {"done": 1}


def test_loops_sharing_one_queue_run_jobs_at_once_and_each_job_once(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    """--concurrency: N work() loops in one process on one queue (SQLite: a connection per thread)."""
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    spans: list[tuple[int, float, float]] = []
    lock = threading.Lock()

    def run_job(job: Job, *_: Any) -> str:
        started = time.monotonic()
        time.sleep(0.4)
        with lock:
            spans.append((job.pr_number, started, time.monotonic()))
        return "success"

    monkeypatch.setattr(worker, "run_job", run_job)
    for pr in range(1, 7):
        assert queue.enqueue(_job(pr))
    stop = threading.Event()
    loops = [threading.Thread(target=work, args=(queue, DEPS, stop), kwargs={"poll_s": 0.05}) for _ in range(3)]
    for loop in loops:
        loop.start()
    deadline = time.monotonic() + 30
    while len(spans) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for loop in loops:
        loop.join(timeout=10)
    assert sorted(pr for pr, _, _ in spans) == [1, 2, 3, 4, 5, 6]  # each once
    overlapping = sum(1 for _, a0, a1 in spans for _, b0, b1 in spans if a0 < b0 < a1)
    assert overlapping >= 3, spans  # ran side by side, not one after another
    assert queue.counts() == {"done": 6}


def test_a_stopping_worker_hands_its_job_back_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    _slow_job(monkeypatch, 30, [])
    assert queue.enqueue(_job())
    claimed = queue.claim(lease_s=300)
    assert claimed is not None
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    outcome = run_leased(queue, claimed, DEPS, stop, lease_s=300, shutdown_s=0.5)
    assert outcome == "handed_back"
    assert time.monotonic() - started < 3, "within the shutdown grace, not the 300 s lease"
    again = queue.claim()
    assert again is not None and (again.id, again.attempts) == (claimed.id, 1), "the attempt was not used up"


def test_a_job_that_finishes_within_the_grace_is_completed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    done: list[int] = []
    _slow_job(monkeypatch, 0.5, done)
    assert queue.enqueue(_job())
    claimed = queue.claim()
    assert claimed is not None
    stop = threading.Event()
    stop.set()
    assert run_leased(queue, claimed, DEPS, stop, shutdown_s=5) == "success"
    assert done == [7] and queue.counts() == {"done": 1}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (CI installs it)")
        self.binary, self.workdir, self.port = binary, workdir, _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        # appendfsync always: a restarted Redis still has every job (the setting a deployment wants too).
        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_the_worker_survives_a_redis_restart(monkeypatch: pytest.MonkeyPatch, redis_server: RedisServer) -> None:
    from github_app.redis_queue import RedisQueue

    done: list[int] = []
    _slow_job(monkeypatch, 0.05, done)
    queue = RedisQueue(redis_server.url)
    stop, health = threading.Event(), Health()
    loop = threading.Thread(target=work, args=(queue, DEPS, stop), kwargs={"poll_s": 0.05, "health": health})
    loop.start()
    try:
        assert queue.enqueue(_job(1))
        deadline = time.monotonic() + 10
        while done != [1] and time.monotonic() < deadline:
            time.sleep(0.05)
        redis_server.stop()
        deadline = time.monotonic() + 10
        while health.queue_ok and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not health.queue_ok and health.queue_error, "the outage is reported"
        assert loop.is_alive(), "a queue error does not end the loop"
        redis_server.start()
        assert queue.enqueue(_job(2))
        deadline = time.monotonic() + 20
        while done != [1, 2] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert done == [1, 2] and health.queue_ok, "it reconnected and carried on"
    finally:
        stop.set()
        loop.join(timeout=10)


@pytest.mark.slow
def test_worker_process_serves_probes_and_exits_0_on_sigterm(tmp_path: Path) -> None:
    from github_app.sandbox import generate_app_key

    private, _ = generate_app_key()
    port = _free_port()
    env = {**os.environ, "APP_ID": "1", "PRIVATE_KEY": private, "WEBHOOK_SECRET": "s",
           "GITHUB_API_URL": "http://127.0.0.1:9", "PRODREADY_DATA_DIR": str(tmp_path), "PRODREADY_SHUTDOWN_S": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "github_app.cli", "worker", "--metrics-port", str(port),
                             "--concurrency", "3"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            while True:
                try:
                    health = client.get("/healthz")
                    break
                except httpx.TransportError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"the worker's probes never answered: {proc.communicate()[1][-2000:]!r}")
                    time.sleep(0.1)
            ready = client.get("/readyz")
            scraped = client.get("/metrics").text
        assert (health.status_code, ready.status_code) == (200, 200)
        assert "prodready_worker_up 1.0" in scraped and "prodready_queue_oldest_age_seconds" in scraped
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        out, err = proc.communicate()
        assert b"Traceback" not in err
        assert b"\"loops\": 3" in out + err
        assert (out + err).count(b"worker.stopped") == 3
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_serve_with_its_embedded_worker_exits_0_on_sigterm(tmp_path: Path) -> None:
    from github_app.sandbox import generate_app_key

    private, _ = generate_app_key()
    port = _free_port()
    env = {**os.environ, "APP_ID": "1", "PRIVATE_KEY": private, "WEBHOOK_SECRET": "s", "PORT": str(port),
           "GITHUB_API_URL": "http://127.0.0.1:9", "PRODREADY_DATA_DIR": str(tmp_path), "PRODREADY_SHUTDOWN_S": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "github_app.cli", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve never answered: {proc.communicate()[1][-2000:]!r}")
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        err = proc.communicate()[1]
        assert b"Traceback" not in err and b"worker.stopped" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
