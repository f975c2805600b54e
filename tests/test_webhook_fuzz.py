"""Fuzz POST /webhooks (hypothesis): mutated sample deliveries and headers never get a 5xx, never log a
traceback, and never queue a job unless the delivery is signed and valid."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from structlog.testing import capture_logs

from github_app.events import ROUTES, sign
from github_app.httpthread import ThreadedServer
from github_app.queue import SqliteQueue
from github_app.server import create_app
from github_app.settings import Secret, Settings

SECRET = "fuzz-secret"
SAMPLES = {p.name: json.loads(p.read_text()) for p in sorted((Path(__file__).parents[1] / "webhooks").glob("*.json"))
           if tuple(p.name.split(".")[:2]) in ROUTES}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)
# Leading or trailing white space is stripped by every HTTP stack (httpx refuses to send it), so it is not
# a header value a receiver can be sent.
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xff), max_size=80).map(
    lambda t: t.strip(" \t"))


class Client(httpx.Client):
    queue: SqliteQueue


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The real receiver over HTTP on loopback, with a real SQLite queue and no worker."""
    queue = SqliteQueue(tmp_path_factory.mktemp("fuzz") / "q.sqlite3")
    cfg = Settings(app_id=1, private_key=Secret("unused"), webhook_secret=Secret(SECRET))
    server = ThreadedServer(create_app(cfg, queue, None, embedded_worker=False))
    server.start()
    try:
        with Client(base_url=server.url, timeout=10) as c:
            c.queue = queue
            yield c
    finally:
        server.stop()


# The fields routing reads: mutations aim at them half of the time, anywhere in the payload otherwise.
ROUTED_FIELDS = [("action",), ("number",), ("pull_request",), ("pull_request", "number"), ("pull_request", "head"),
                 ("pull_request", "head", "sha"), ("pull_request", "state"), ("repository",),
                 ("repository", "full_name"), ("installation",), ("installation", "id"), ("sender",),
                 ("check_run",), ("check_run", "pull_requests"), ("check_suite", "pull_requests"),
                 ("check_run", "head_sha"), ("issue",), ("issue", "number"), ("issue", "pull_request"),
                 ("comment",), ("comment", "body"), ("changes",)]


def _aim(data: st.DataObject, payload: dict[str, Any]) -> None:
    path = data.draw(st.sampled_from(ROUTED_FIELDS), label="field")
    node: Any = payload
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        if data.draw(st.booleans(), label="delete field"):
            node.pop(path[-1], None)
        else:
            node[path[-1]] = data.draw(json_values, label="field value")


def _mutate(data: st.DataObject, payload: Any) -> None:
    if data.draw(st.booleans(), label="aimed"):
        _aim(data, payload)
        return
    node = payload
    for _ in range(data.draw(st.integers(0, 4), label="depth")):
        keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        child = node[data.draw(st.sampled_from(keys))]
        if not isinstance(child, dict | list) or not child:
            break
        node = child
    keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
    op = data.draw(st.sampled_from(["replace", "delete", "add"]), label="op")
    if op == "add" or not keys:
        if isinstance(node, dict):
            node[data.draw(st.text(max_size=8))] = data.draw(json_values)
        else:
            node.append(data.draw(json_values))
        return
    key = data.draw(st.sampled_from(keys), label="key")
    if op == "delete":
        del node[key]
    else:
        node[key] = data.draw(json_values, label="value")


def _jobs(queue: SqliteQueue) -> int:
    return sum(queue.counts().values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_deliveries_never_crash_or_queue_unsigned_work(client: Any, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SAMPLES)), label="sample")
    event = name.split(".")[0]
    payload = copy.deepcopy(SAMPLES[name])
    for _ in range(data.draw(st.integers(0, 3), label="mutations")):
        _mutate(data, payload)
    body = json.dumps(payload).encode()
    shape = data.draw(st.sampled_from(["json"] * 6 + ["bytes", "cut", "deep"]), label="body")
    if shape == "bytes":
        body = data.draw(st.binary(max_size=200))
    elif shape == "cut":
        body = body[:data.draw(st.integers(0, len(body)))]
    elif shape == "deep":
        depth = data.draw(st.integers(50, 5000), label="nesting")
        body = b'{"action": "opened", "x": ' + b"[" * depth + b"]" * depth + b"}"
    signing = data.draw(st.sampled_from(["valid", "absent", "garbage", "other-body", "other-secret"]), label="sig")
    headers: dict[str, Any] = {"Content-Type": "application/json"}
    if signing == "valid":
        headers["X-Hub-Signature-256"] = sign(SECRET, body)
    elif signing == "garbage":
        headers["X-Hub-Signature-256"] = (data.draw(st.sampled_from(["", "sha256="])) +
                                          data.draw(header_text)).encode("latin-1")
    elif signing == "other-body":
        headers["X-Hub-Signature-256"] = sign(SECRET, body + b"x")
    elif signing == "other-secret":
        headers["X-Hub-Signature-256"] = sign("not-it", body)
    headers["X-GitHub-Event"] = (event if data.draw(st.booleans(), label="right event")
                                 else data.draw(header_text)).encode("latin-1")
    headers["X-GitHub-Delivery"] = (str(uuid.uuid4()) if data.draw(st.booleans(), label="good guid")
                                    else data.draw(header_text)).encode("latin-1")

    before = _jobs(client.queue)
    with capture_logs() as logged:
        resp = client.post("/webhooks", content=body, headers=headers)
    after = _jobs(client.queue)

    assert resp.status_code < 500, resp.text
    assert not [e for e in logged if e.get("exc_info") or e.get("log_level") in ("error", "critical")], logged
    detail = resp.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail
    if signing != "valid":
        assert resp.status_code == 401
    if resp.status_code != 202 or resp.json()["outcome"] != "queued":
        assert after == before, f"{resp.status_code} {resp.json()} yet a job was queued"
