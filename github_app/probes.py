"""/healthz, /readyz and /metrics, shared by `serve` and by `worker --metrics-port`."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from github_app import logs, metrics
from github_app.queue import Queue
from github_app.worker import QUEUE_ERRORS, Health


async def readyz(queue: Queue, health: Health | None) -> Response:
    ok = await run_in_threadpool(queue.ping)
    body: dict[str, object] = {"status": "ok" if ok else "queue unreachable"}
    if health is not None and not health.queue_ok:
        # The worker's own view: it is retrying the queue with backoff.
        ok = False
        body = {"status": "queue unreachable", "error": health.queue_error}
    return JSONResponse(body, status_code=200 if ok else 503)


def _read_queue(queue: Queue) -> None:
    for state, count in queue.counts().items():
        metrics.QUEUE_JOBS.labels(state).set(count)
    metrics.QUEUE_OLDEST_AGE.set(queue.oldest_age_s())


async def scrape(queue: Queue) -> Response:
    try:
        await run_in_threadpool(_read_queue, queue)
    except QUEUE_ERRORS as exc:  # the rest is still worth serving; /readyz reports it
        logs.get().warning("metrics.queue_unreadable", error=str(exc))
    return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)


def worker_app(queue: Queue, health: Health, threads: Sequence[threading.Thread]) -> Starlette:
    """The probes of a `prodready worker` process, served on --metrics-port; unhealthy if a loop has died."""

    async def healthz(_: Request) -> Response:
        if not all(t.is_alive() for t in threads):
            return JSONResponse({"status": "worker loop stopped"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def readyz_endpoint(_: Request) -> Response:
        return await readyz(queue, health)

    async def metrics_endpoint(_: Request) -> Response:
        return await scrape(queue)

    return Starlette(routes=[
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz_endpoint, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ])
