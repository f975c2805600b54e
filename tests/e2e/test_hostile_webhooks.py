"""Hostile and broken deliveries against the real receiver on loopback: 4xx with a reason, never 5xx."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from github_app.events import Job, sign
from github_app.httpthread import ThreadedServer
from github_app.queue import Claimed, SqliteQueue
from github_app.server import create_app
from tests.e2e.conftest import SECRET, Env

SAMPLE = Path(__file__).resolve().parents[2] / "webhooks" / "pull_request.opened.json"


@pytest.fixture(autouse=True)
def empty_queue(manual_env: Env) -> Iterator[None]:
    manual_env.drain()
    yield
    assert manual_env.queue.claim() is None, "a hostile delivery left a job behind"


def _payload() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text())
    return data


def test_non_ascii_and_malformed_signature_headers_are_401(manual_env: Env) -> None:
    body = json.dumps(_payload()).encode()
    for bad in ("sha256=" + "é" * 64, "sha256=\xff", "sha256=" + "z" * 64, "sha256= " + "0" * 64):
        resp = manual_env.app_http.post("/webhooks", content=body, headers={
            "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": bad.encode("latin-1")})
        assert resp.status_code == 401, (bad, resp.text)
        assert resp.json()["outcome"] == "bad_signature"


@pytest.mark.parametrize(("field", "value"), [("number", "x"), ("pull_request", "a string"), ("repository", [1])])
def test_wrong_typed_fields_are_400_with_a_one_line_reason(manual_env: Env, field: str, value: Any) -> None:
    resp = manual_env.post_webhook("pull_request", {**_payload(), field: value})
    assert resp.status_code == 400, resp.text
    detail = resp.json()["detail"]
    assert resp.json()["outcome"] == "bad_payload" and field in detail and "\n" not in detail


def test_json_nested_1000_deep_is_400(manual_env: Env) -> None:
    body = b'{"action": "opened", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    resp = manual_env.post_webhook("pull_request", body)
    assert resp.status_code == 400 and "nested deeper" in resp.json()["detail"], resp.text


@pytest.mark.parametrize("name", ["acme/..", "acme", "../../etc/passwd", "acme/a b", "acme/api/extra"])
def test_unusable_repository_names_are_not_queued(manual_env: Env, name: str) -> None:
    payload = _payload()
    payload["repository"]["full_name"] = name
    resp = manual_env.post_webhook("pull_request", payload)
    assert resp.status_code == 400 and "repository name" in resp.json()["detail"], resp.text


def test_a_queue_failure_is_503_and_the_redelivery_is_accepted(manual_env: Env, tmp_path: Path) -> None:
    class FlakyQueue(SqliteQueue):
        fail = True

        def _insert(self, conn: Any, job: Job, now: float, delay_s: float) -> bool:
            if self.fail:
                raise sqlite3.OperationalError("database is locked")
            return super()._insert(conn, job, now, delay_s)

    queue = FlakyQueue(tmp_path / "q.sqlite3")
    server = ThreadedServer(create_app(manual_env.settings, queue, None, embedded_worker=False))
    server.start()
    body = json.dumps(_payload()).encode()
    headers = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "guid-flaky",
               "X-Hub-Signature-256": sign(SECRET, body)}
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            first = client.post("/webhooks", content=body, headers=headers)
            FlakyQueue.fail = False
            again = client.post("/webhooks", content=body, headers=headers)
    finally:
        server.stop()
    assert first.status_code == 503 and first.json()["outcome"] == "queue_unavailable", first.text
    assert again.status_code == 202 and again.json()["outcome"] == "queued", "the redelivery is not a duplicate"
    assert queue.claim() is not None


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_serve_healthz_turns_unhealthy_when_its_worker_thread_dies(manual_env: Env, tmp_path: Path) -> None:
    died = threading.Event()

    class DeadlyQueue(SqliteQueue):
        def claim(self, *, lease_s: float = 30.0) -> Claimed | None:
            died.set()
            raise SystemExit("the worker thread ends")  # not an Exception: nothing in the loop catches it

    server = ThreadedServer(create_app(manual_env.settings, DeadlyQueue(tmp_path / "q.sqlite3"), manual_env.deps,
                                       embedded_worker=True), health_path="/readyz")
    server.start()
    try:
        assert died.wait(10)
        with httpx.Client(base_url=server.url, timeout=10) as client:
            deadline = time.monotonic() + 10
            while (resp := client.get("/healthz")).status_code == 200 and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        server.stop()
    assert resp.status_code == 503 and "worker" in resp.json()["status"]


def test_metrics_report_the_oldest_job_age(manual_env: Env) -> None:
    resp = manual_env.app_http.get("/metrics")
    assert resp.status_code == 200
    assert "prodready_queue_oldest_age_seconds" in resp.text


def test_github_requests_and_rate_limit_headroom_are_metered(env: Env) -> None:
    from tests.e2e.conftest import unique

    repo = env.make_repo({"README.md": "hi\n"})
    branch = unique("feature")
    env.push(repo, branch, {"svc/ping.py": "X = 1\n"})
    pr = env.open_pr(repo, branch)
    env.completed_run(repo, pr.head.sha)
    text = env.app_http.get("/metrics").text
    gets = [line for line in text.splitlines()
            if line.startswith('prodready_github_requests_total{method="GET",status="200"}')]
    assert gets and float(gets[0].split()[-1]) > 0, text
    assert 'prodready_github_rate_limit_remaining{resource="core"}' in text
