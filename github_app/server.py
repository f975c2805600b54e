"""The webhook receiver: verify, route, dedupe, enqueue, answer 202. The work happens in a worker."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from github_app import inbound, logs, metrics, probes
from github_app.bodies import Slots, acquire, read_signed
from github_app.events import MAX_PAYLOAD_BYTES, ROUTES, route
from github_app.pipeline import Deps
from github_app.queue import Queue
from github_app.settings import Settings
from github_app.worker import QUEUE_ERRORS, Health, work

# Bodies held at once (bodies.Slots): 64 of up to 1 MiB, 2 larger (up to 25 MB each): at most ~114 MB.
SMALL_BODY_BYTES = 1024 * 1024
SMALL_BODY_SLOTS = 64
LARGE_BODY_SLOTS = 2
BODY_SLOT_WAIT_S = 5.0  # then 503: well inside GitHub's 10 s


def _answer(status: int, event: str, outcome: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    # Label by routed event names only: a hostile sender must not mint a new time series per request.
    known = event if event in {e for e, _ in ROUTES} else "other"
    metrics.DELIVERIES.labels(known, outcome).inc()
    return JSONResponse({"outcome": outcome, "detail": detail, **extra}, status_code=status, headers=headers)


def create_app(settings: Settings, queue: Queue, deps: Deps | None = None, *, embedded_worker: bool = True,
               max_payload: int = MAX_PAYLOAD_BYTES) -> Starlette:
    log = logs.get()
    secret = settings.webhook_secret.get()

    slots = Slots(small_bytes=SMALL_BODY_BYTES, small_slots=SMALL_BODY_SLOTS, large_slots=LARGE_BODY_SLOTS)
    inbound.warm_up(ROUTES)

    async def webhooks(request: Request) -> Response:
        event = request.headers.get("x-github-event", "")
        delivery = request.headers.get("x-github-delivery", "")
        signature = request.headers.get("x-hub-signature-256")
        # Judged before a byte of the body is read: an unsigned flood costs nothing.
        if not inbound.signature_header_ok(signature):
            log.warning("webhook.bad_signature", gh_event=event[:60], delivery=delivery[:60], why="malformed header")
            return _answer(401, event, "bad_signature", "missing or invalid X-Hub-Signature-256")
        assert signature is not None
        slot = slots.for_request(request)
        if not await acquire(slot, BODY_SLOT_WAIT_S):
            log.warning("webhook.busy", gh_event=event[:60], delivery=delivery[:60])
            return _answer(503, event, "busy", "too many deliveries in flight; retry", headers={"Retry-After": "5"})
        try:
            signer = inbound.Signer(secret)
            body = await read_signed(request, max_payload, signer.update)
        finally:
            slot.release()
        if body is None:
            log.warning("webhook.too_large", gh_event=event[:60], delivery=delivery[:60])
            return _answer(413, event, "too_large", "payload over 25 MB")
        if not signer.matches(signature):
            log.warning("webhook.bad_signature", gh_event=event[:60], delivery=delivery[:60])
            return _answer(401, event, "bad_signature", "missing or invalid X-Hub-Signature-256")
        if not event or not delivery:
            return _answer(400, event, "bad_request", "missing X-GitHub-Event or X-GitHub-Delivery")
        if not inbound.delivery_ok(delivery):
            return _answer(400, event, "bad_request", "X-GitHub-Delivery is not a delivery id")
        try:
            payload = inbound.parse_json(body)
        except inbound.Rejected as exc:
            log.warning("webhook.bad_json", gh_event=event, delivery=delivery, reason=str(exc))
            return _answer(400, event, "bad_json", str(exc))
        try:
            if (event, payload.get("action")) in ROUTES:
                inbound.validate_payload(event, payload)
            routed = route(event, payload, delivery, bot_login=settings.bot_login)
            for job in routed.jobs:
                problem = inbound.repo_name_problem(job.repo)
                if problem:
                    raise inbound.Rejected(problem)
        except inbound.Rejected as exc:
            log.warning("webhook.bad_payload", gh_event=event, delivery=delivery, reason=str(exc))
            return _answer(400, event, "bad_payload", str(exc))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # A route githubkit has no model for met a payload it did not expect.
            log.warning("webhook.bad_payload", gh_event=event, delivery=delivery, error=repr(exc)[:200])
            return _answer(400, event, "bad_payload", f"payload lacks or mistypes a field: {repr(exc)[:120]}")
        if routed.outcome != "queued":
            log.info("webhook.not_queued", gh_event=event, delivery=delivery, reason=routed.reason)
            return _answer(202, event, routed.outcome, routed.reason)
        # The queue is blocking I/O (SQLite waits on its lock, Redis on the network): keep it off the event loop.
        try:
            queued = await run_in_threadpool(queue.accept, delivery, routed.jobs)
        except QUEUE_ERRORS as exc:
            # Nothing was remembered: GitHub's redelivery of this id will be accepted.
            log.error("webhook.queue_unavailable", gh_event=event, delivery=delivery, error=str(exc)[:300],
                      error_type=type(exc).__name__)
            return _answer(503, event, "queue_unavailable", "the job queue is unreachable; redeliver later")
        if queued is None:
            log.info("webhook.duplicate", gh_event=event, delivery=delivery)
            return _answer(202, event, "duplicate", "delivery already accepted")
        for job, fresh in zip(routed.jobs, queued, strict=True):
            log.info("webhook.queued" if fresh else "webhook.collapsed", gh_event=event, delivery=delivery,
                     repo=job.repo, pr=job.pr_number, head_sha=job.head_sha)
        return _answer(202, event, "queued", routed.reason, jobs=sum(queued))

    health = Health()
    worker_thread: list[threading.Thread] = []

    async def healthz(_: Request) -> Response:
        if worker_thread and not worker_thread[0].is_alive():
            return JSONResponse({"status": "embedded worker stopped"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        return await probes.readyz(queue, health if worker_thread else None)

    async def metrics_endpoint(_: Request) -> Response:
        return await probes.scrape(queue)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = threading.Event()
        if embedded_worker and deps is not None:
            thread = threading.Thread(target=work, args=(queue, deps, stop), name="prodready-worker", daemon=True,
                                      kwargs={"lease_s": settings.lease_s, "shutdown_s": settings.shutdown_s,
                                              "health": health})
            worker_thread.append(thread)
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if worker_thread:
                # The worker finishes its job or hands it back within shutdown_s.
                worker_thread[0].join(timeout=settings.shutdown_s + 5)
                worker_thread.clear()

    return Starlette(
        routes=[
            Route("/webhooks", webhooks, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
