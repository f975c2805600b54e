"""The webhook receiver: verify, route, dedupe, enqueue, answer 202. The work happens in a worker."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from github_app import logs, metrics
from github_app.bodies import read_limited
from github_app.events import MAX_PAYLOAD_BYTES, route, verify_signature
from github_app.pipeline import Deps
from github_app.queue import Queue
from github_app.settings import Settings
from github_app.worker import work


def _answer(status: int, event: str, outcome: str, detail: str, **extra: Any) -> JSONResponse:
    metrics.DELIVERIES.labels(event or "-", outcome).inc()
    return JSONResponse({"outcome": outcome, "detail": detail, **extra}, status_code=status)


def create_app(settings: Settings, queue: Queue, deps: Deps | None = None, *, embedded_worker: bool = True,
               max_payload: int = MAX_PAYLOAD_BYTES) -> Starlette:
    log = logs.get()
    secret = settings.webhook_secret.get()

    async def webhooks(request: Request) -> Response:
        event = request.headers.get("x-github-event", "")
        delivery = request.headers.get("x-github-delivery", "")
        body = await read_limited(request, max_payload)
        if body is None:
            log.warning("webhook.too_large", gh_event=event, delivery=delivery)
            return _answer(413, event, "too_large", "payload over 25 MB")
        if not verify_signature(secret, body, request.headers.get("x-hub-signature-256")):
            log.warning("webhook.bad_signature", gh_event=event, delivery=delivery)
            return _answer(401, event, "bad_signature", "missing or invalid X-Hub-Signature-256")
        if not event or not delivery:
            return _answer(400, event, "bad_request", "missing X-GitHub-Event or X-GitHub-Delivery")
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            log.warning("webhook.bad_json", gh_event=event, delivery=delivery)
            return _answer(400, event, "bad_json", "body is not a JSON object")
        routed = route(event, payload, delivery, bot_login=settings.bot_login)
        if routed.outcome != "queued":
            log.info("webhook.not_queued", gh_event=event, delivery=delivery, reason=routed.reason)
            return _answer(202, event, routed.outcome, routed.reason)
        # The queue is blocking I/O (SQLite waits on its lock, Redis on the network): keep it off the event loop.
        if not await run_in_threadpool(queue.remember_delivery, delivery):
            log.info("webhook.duplicate", gh_event=event, delivery=delivery)
            return _answer(202, event, "duplicate", "delivery already accepted")
        queued = [await run_in_threadpool(queue.enqueue, job) for job in routed.jobs]
        for job, fresh in zip(routed.jobs, queued, strict=True):
            log.info("webhook.queued" if fresh else "webhook.collapsed", gh_event=event, delivery=delivery,
                     repo=job.repo, pr=job.pr_number, head_sha=job.head_sha)
        return _answer(202, event, "queued", routed.reason, jobs=sum(queued))

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        ok = await run_in_threadpool(queue.ping)
        return JSONResponse({"status": "ok" if ok else "queue unreachable"}, status_code=200 if ok else 503)

    async def metrics_endpoint(_: Request) -> Response:
        try:
            for state, count in (await run_in_threadpool(queue.counts)).items():
                metrics.QUEUE_JOBS.labels(state).set(count)
        except (sqlite3.Error, redis.RedisError) as exc:  # the rest is still worth serving; /readyz reports it
            log.warning("metrics.queue_unreadable", error=str(exc))
        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if embedded_worker and deps is not None:
            thread = threading.Thread(target=work, args=(queue, deps, stop), name="prodready-worker", daemon=True)
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread is not None:
                thread.join(timeout=30)

    return Starlette(
        routes=[
            Route("/webhooks", webhooks, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
