"""Throughput: reviews completed per minute for typical 20-file PRs, by workers and --concurrency.

    .venv/bin/python bench/throughput.py [--workers 1,2,4] [--concurrency 1,2] [--prs 48]
                                         [--mutation-interval-ms 50] [--out bench/results/throughput.json]

Real processes on loopback, as deployed: the sandbox (`prodready sandbox`), redis-server, and W
`prodready worker --concurrency C` processes on one Redis queue, for each W and C. The PRs come from 16
installations, so neither the per-installation cap (2 running) nor the budget is what limits, and the jobs
are enqueued only once every worker answers /healthz (start-up is not counted). Completion is read from the
workers' own /metrics (prodready_jobs_total, prodready_review_duration_seconds). The write spacing is 50 ms
by default, not GitHub's 1 s: with 1 s it is GitHub's pacing that is measured, not this machine; pass
--mutation-interval-ms 1000 to see that. Reports reviews a minute and the ratio to 1 worker of concurrency 1,
measured in one run, and each worker process's peak resident memory (its Semgrep children are not in it).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from githubkit import AppAuthStrategy, GitHub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fairness import open_prs  # noqa: E402
from bench.sandboxed import save_results  # noqa: E402
from github_app.redis_queue import RedisQueue  # noqa: E402
from github_app.sandbox import generate_app_key  # noqa: E402
from tests.e2e.faults import Proc, Redis, free_port, wait_http  # noqa: E402

APP_ID = 9300
INSTALLATIONS = 16
SECRET = "bench-throughput-secret"
# Outcomes of a job that runs again; any other outcome (a check-run conclusion, superseded, dead) is its end.
RETRIED = ("failed", "rate_limited", "handed_back")
_SAMPLE = re.compile(r'^(prodready_jobs_total\{outcome="(?P<outcome>\w+)"\}|prodready_review_duration_seconds_'
                     r'(?P<stat>sum|count)(\{[^}]*\})?) (?P<value>[0-9.e+]+)$', re.M)


def scrape(ports: list[int]) -> tuple[dict[str, float], float, float]:
    """Jobs by outcome, and the review durations' sum and count, over every worker's /metrics."""
    outcomes: dict[str, float] = {}
    total = count = 0.0
    with httpx.Client(timeout=5.0) as client:
        for port in ports:
            for m in _SAMPLE.finditer(client.get(f"http://127.0.0.1:{port}/metrics").text):
                value = float(m["value"])
                if m["outcome"]:
                    outcomes[m["outcome"]] = outcomes.get(m["outcome"], 0.0) + value
                elif m["stat"] == "sum":
                    total += value
                else:
                    count += value
    return outcomes, total, count


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_one(workers: int, concurrency: int, args: argparse.Namespace, env: dict[str, str], http: httpx.Client,
            app_gh: GitHub[Any], redis_url: str, logdir: Path) -> dict[str, Any]:
    tag = f"w{workers}c{concurrency}"
    jobs = [job for k in range(INSTALLATIONS)
            for job in open_prs(http, app_gh, f"org-{tag}-{k}", args.prs // INSTALLATIONS, width=args.files)]
    procs, ports = [], []
    for i in range(workers):
        port = free_port()
        procs.append(Proc(f"{tag}-worker{i}", [sys.executable, "-m", "github_app.cli", "worker", "--concurrency",
                                               str(concurrency), "--metrics-port", str(port)],
                          {**env, "PRODREADY_DATA_DIR": str(logdir / tag / str(i))}, logdir))
        ports.append(port)
    try:
        for proc, port in zip(procs, ports, strict=True):
            wait_http(f"http://127.0.0.1:{port}/healthz", proc)
        queue = RedisQueue(redis_url)  # the prefix the workers use
        started = time.monotonic()
        for job in jobs:
            queue.enqueue(job)
        deadline = started + args.timeout_s
        while True:
            outcomes, dur_sum, dur_count = scrape(ports)
            if sum(v for k, v in outcomes.items() if k not in RETRIED) >= len(jobs):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{tag}: {outcomes} of {len(jobs)} jobs after {args.timeout_s:g} s")
            time.sleep(0.1)
        wall = time.monotonic() - started
        rss = [peak_rss_mb(p.popen.pid) for p in procs if p.popen is not None]
    finally:
        for proc in procs:
            proc.stop()
    if any(outcomes.get(k) for k in ("dead", *RETRIED)):
        raise RuntimeError(f"{tag}: jobs ended {outcomes}, not all reviewed at the first try; see {logdir}")
    return {"workers": workers, "concurrency": concurrency, "reviews": len(jobs), "files_per_pr": args.files,
            "wall_s": round(wall, 1), "reviews_per_minute": round(len(jobs) / wall * 60, 1),
            "mean_review_s": round(dur_sum / dur_count, 2) if dur_count else None,
            "worker_peak_rss_mb": round(max(rss), 1) if rss else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", default="1,2")
    parser.add_argument("--prs", type=int, default=48, help=f"PRs per run, spread over {INSTALLATIONS} installations")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--mutation-interval-ms", type=int, default=50)
    parser.add_argument("--timeout-s", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "throughput.json")
    args = parser.parse_args()
    private, _ = generate_app_key()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp_:
        tmp = Path(tmp_)
        logdir = tmp / "logs"
        logdir.mkdir()
        (tmp / "app.pem").write_text(private)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PRODREADY_", "GITHUB_"))}
        sport = free_port()
        url = f"http://127.0.0.1:{sport}"
        sandbox = Proc("sandbox", [sys.executable, "-m", "github_app.cli", "sandbox", "--port", str(sport),
                                   "--data-dir", str(tmp / "sandbox"), "--app-id", str(APP_ID),
                                   "--public-key-path", str(tmp / "app.pem")],
                       {**base, "WEBHOOK_SECRET": SECRET}, logdir)
        redis = None
        try:
            wait_http(url + "/_sandbox/health", sandbox)
            redis = Redis(tmp / "redis")
            registry = f"{url}/_registry"
            env = {**base, "APP_ID": str(APP_ID), "PRIVATE_KEY": private, "WEBHOOK_SECRET": SECRET,
                   "GITHUB_API_URL": url, "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
                   "PRODREADY_QUEUE_URL": redis.url,
                   "PRODREADY_MUTATION_INTERVAL_MS": str(args.mutation_interval_ms),
                   # Nothing reaches the internet: every dependency source is the sandbox's stand-in.
                   "PRODREADY_PYPI_URL": f"{registry}/pypi", "PRODREADY_NPM_URL": f"{registry}/npm",
                   "PRODREADY_GOPROXY_URL": f"{registry}/go", "PRODREADY_MAVEN_URL": f"{registry}/maven",
                   "PRODREADY_OSV_URL": f"{registry}/osv"}
            app_gh: GitHub[Any] = GitHub(AppAuthStrategy(app_id=APP_ID, private_key=private), base_url=url + "/",
                                         http_cache=False, auto_retry=False)
            with httpx.Client(base_url=url, timeout=60.0) as http:
                for w in (int(x) for x in args.workers.split(",")):
                    for c in (int(x) for x in args.concurrency.split(",")):
                        row = run_one(w, c, args, env, http, app_gh, redis.url, logdir)
                        results.append(row)
                        ratio = row["reviews_per_minute"] / results[0]["reviews_per_minute"]
                        print(f"{w} worker(s) x concurrency {c}: {row['reviews']} reviews in {row['wall_s']} s = "
                              f"{row['reviews_per_minute']} a minute ({ratio:.2f}x the first), mean review "
                              f"{row['mean_review_s']} s, worker peak RSS {row['worker_peak_rss_mb']} MB", flush=True)
        finally:
            if redis is not None:
                redis.proc.stop()
            sandbox.stop()
    save_results(args.out, results, mutation_interval_ms=args.mutation_interval_ms, installations=INSTALLATIONS,
                 machine=f"{os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
