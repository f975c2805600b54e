"""`prodready worker`: the worker loop as a process, with its probes on --metrics-port and a clean SIGTERM."""

from __future__ import annotations

import os
import signal
import threading
import time

from github_app import logs, metrics
from github_app import settings as settings_mod
from github_app.pipeline import Deps
from github_app.queue import queue_for
from github_app.worker import Health, work

JOIN_SLACK_S = 5.0


def default_concurrency() -> int:
    """One review at a time per core: a review is mostly Semgrep, one process on one core."""
    return max(os.cpu_count() or 1, 1)


def run_worker(metrics_port: int | None, concurrency: int | None = None) -> int:
    cfg = settings_mod.from_env()
    logs.configure(cfg.log_level, cfg.log_format)
    deps = Deps.from_settings(cfg)
    queue = queue_for(cfg)
    stop = threading.Event()
    health = Health()
    # SIGTERM (what orchestrators send) and Ctrl-C: stop claiming, finish or hand back the job, exit 0.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    n = concurrency or default_concurrency()
    # N loops in one process, each claiming and running one job at a time: every job has its own
    # temporary folder and its own Semgrep process (pipeline.review_pr), so they share nothing but the
    # queue, the GitHub client's connection pool and the per-installation mutation pacing.
    loops = [threading.Thread(target=work, args=(queue, deps, stop), name=f"prodready-worker-{i}",
                              kwargs={"lease_s": cfg.lease_s, "shutdown_s": cfg.shutdown_s, "health": health})
             for i in range(n)]
    for loop in loops:
        loop.start()
    logs.get().info("worker.concurrency", loops=n)
    metrics.WORKER_UP.set(1)
    server = None
    if metrics_port is not None:
        from github_app.httpthread import ThreadedServer
        from github_app.probes import worker_app

        server = ThreadedServer(worker_app(queue, health, loops), host=cfg.host, port=metrics_port)
        server.start()
        logs.get().info("worker.probes", host=cfg.host, port=server.port)
    while all(loop.is_alive() for loop in loops) and not stop.is_set():
        stop.wait(0.5)
    if stop.is_set():
        logs.get().info("worker.stopping", shutdown_s=cfg.shutdown_s)
    died = not stop.is_set()
    stop.set()  # one loop died: the others stop too, and the process exits 1 for its supervisor
    deadline = time.monotonic() + cfg.shutdown_s + JOIN_SLACK_S
    for loop in loops:
        loop.join(timeout=max(deadline - time.monotonic(), 0.0))
    metrics.WORKER_UP.set(0)
    if server is not None:
        server.stop()
    if died:
        logs.get().error("worker.loop_died")
        return 1
    return 0
