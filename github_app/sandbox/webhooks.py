"""Signed webhook deliveries, sent in order from one background thread.

The API call that caused an event returns first; the delivery follows, as on
GitHub. Each attempt has a timeout and failed attempts are retried a bounded
number of times with the same X-GitHub-Delivery GUID (a redelivery on GitHub
reuses it too, so the receiver's dedupe gets exercised).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import uuid
from typing import Any

import httpx

from github_app.sandbox.records import Delivery
from github_app.sandbox.state import SandboxState

log = logging.getLogger(__name__)

# GitHub gives a receiver 10 s to answer (webhooks best-practices doc).
DELIVERY_TIMEOUT = 10.0
MAX_ATTEMPTS = 3
RETRY_BACKOFF = (0.2, 1.0)  # seconds before attempt 2 and 3
USER_AGENT = "GitHub-Hookshot/sandbox"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Deliverer:
    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._idle = threading.Condition()
        self._pending = 0

    def enqueue(self, event: str, payload: dict[str, Any]) -> Delivery:
        with self._state.lock:
            delivery = Delivery(
                guid=str(uuid.uuid4()),
                event=event,
                action=payload.get("action") if isinstance(payload.get("action"), str) else None,
                payload=payload,
                url=self._state.webhook_url,
            )
            registered = self._state.manifests.apps.get(payload.get("hook", {}).get("app_id", -1)) \
                if event == "ping" else None
            if registered is not None:  # a new App's ping goes to its own hook, signed with its secret
                delivery.url = registered.manifest["hook_attributes"]["url"]
                delivery.secret, delivery.target_id = registered.webhook_secret, registered.id
            self._state.deliveries.append(delivery)
        if delivery.url is None:
            return delivery  # record only
        with self._idle:
            self._pending += 1
        self._ensure_thread()
        self._queue.put(delivery)
        return delivery

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued delivery has finished (for tests); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=DELIVERY_TIMEOUT * MAX_ATTEMPTS + 5)
            self._thread = None

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=DELIVERY_TIMEOUT) as client:
            while True:
                delivery = self._queue.get()
                if delivery is None:
                    return
                try:
                    self._deliver(client, delivery)
                finally:
                    with self._idle:
                        self._pending -= 1
                        self._idle.notify_all()

    def _deliver(self, client: httpx.Client, delivery: Delivery) -> None:
        body = json.dumps(delivery.payload).encode()
        headers = {
            "X-GitHub-Event": delivery.event,
            "X-GitHub-Delivery": delivery.guid,
            "X-GitHub-Hook-ID": "1",
            "X-GitHub-Hook-Installation-Target-Type": "integration",
            "X-GitHub-Hook-Installation-Target-ID": str(delivery.target_id or self._state.app.id),
            "X-Hub-Signature-256": signature(delivery.secret or self._state.webhook_secret, body),
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
        }
        assert delivery.url is not None
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                time.sleep(RETRY_BACKOFF[min(attempt - 1, len(RETRY_BACKOFF) - 1)])
            status: int | None = None
            error: str | None = None
            try:
                status = client.post(delivery.url, content=body, headers=headers).status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            with self._state.lock:
                delivery.attempts = attempt + 1
                delivery.status_code = status
                delivery.error = error
                delivery.delivered_at = self._state.now()
            if status is not None and status < 500:
                return  # 2xx done; 4xx is the receiver's verdict, GitHub does not retry it
            log.warning("webhook %s %s attempt %d failed: %s", delivery.event, delivery.guid,
                        attempt + 1, error or status)
