"""Fairness: installation A opens 200 PRs, then installation B opens 5; how long B waits for its first review.

    .venv/bin/python bench/fairness.py [--a 200] [--b 5] [--loops 2] [--out bench/results/fairness.json]

Real reviews against the sandbox on loopback, with `--loops` worker loops on one SQLite queue, run twice:
"fifo" claims in arrival order with no cap (the App before issue 15) and "round-robin" is the default
scheduler (turns across installations, at most PRODREADY_MAX_JOBS_PER_INSTALLATION=2 running for one).
Reports B's wait from its enqueue to its first review starting and to its last review completing, next to
the median duration of one review; the target is B's first review starting within one review's duration.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from githubkit import GitHub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandboxed import sandboxed, save_results  # noqa: E402
from github_app import worker  # noqa: E402
from github_app.events import Job  # noqa: E402
from github_app.pipeline import Deps  # noqa: E402
from github_app.queue import SqliteQueue  # noqa: E402

APP_ID = 9200
CLIENT = "import requests\n\n\ndef get(url):\n    return requests.get(url, timeout=5).json()\n"


def open_prs(http: httpx.Client, app_gh: GitHub[Any], owner: str, n: int, *, width: int = 2) -> list[Job]:
    """n PRs on a new repository of `owner` (its own installation), each changing `width` files."""
    name = f"svc-{uuid.uuid4().hex[:6]}"
    made = http.post("/_sandbox/repos", json={"owner": owner, "name": name, "files": {"app/client.py": CLIENT}})
    made.raise_for_status()
    inst = int(made.json()["installation_id"])
    gh = app_gh.with_auth(app_gh.auth.as_installation(inst))
    jobs = []
    for i in range(n):
        http.post(f"/_sandbox/repos/{owner}/{name}/commits", json={
            "branch": f"f{i}", "base": "main", "message": f"change {i}",
            "files": {**{f"app/p{i}_m{k}.py": CLIENT.replace("timeout=5", f"timeout={k + 5}")
                         for k in range(width - 1)},
                      "app/client.py": CLIENT + f"\n\nVERSION = {i}\n"},
            "author": {"name": "Bench", "email": "bench@example.com", "login": "bench"}}).raise_for_status()
        pr = gh.rest.pulls.create(owner, name, data={"title": f"change {i}", "head": f"f{i}", "base": "main"},
                                  headers={"X-Sandbox-User": "bench"}).parsed_data
        jobs.append(Job(inst, f"{owner}/{name}", pr.number, pr.head.sha, str(uuid.uuid4()), "pull_request.opened"))
    return jobs


def run_mode(fair: bool, args: argparse.Namespace, http: httpx.Client, app_gh: GitHub[Any], deps: Deps,
             tmp: Path) -> dict[str, Any]:
    a_jobs = open_prs(http, app_gh, "org-a", args.a)
    b_jobs = open_prs(http, app_gh, "org-b", args.b)
    queue = SqliteQueue(tmp / f"q-{fair}.sqlite3", max_per_installation=2 if fair else 10_000, fair=fair)
    starts: dict[str, float] = {}
    ends: dict[str, float] = {}
    durations: list[float] = []
    lock = threading.Lock()
    real = worker.run_job

    def timed(job: Job, *rest: Any) -> str:
        t0 = time.monotonic()
        with lock:
            starts.setdefault(job.delivery_id, t0)
        try:
            return real(job, *rest)
        finally:
            with lock:
                ends[job.delivery_id] = time.monotonic()
                durations.append(ends[job.delivery_id] - t0)

    worker.run_job = timed  # type: ignore[assignment]
    for job in a_jobs:
        queue.enqueue(job)
    b_arrived = time.monotonic()
    for job in b_jobs:
        queue.enqueue(job)
    stop = threading.Event()
    loops = [threading.Thread(target=worker.work, args=(queue, deps, stop), kwargs={"poll_s": 0.05})
             for _ in range(args.loops)]
    for loop in loops:
        loop.start()
    b_ids = {j.delivery_id for j in b_jobs}
    try:
        while not b_ids <= set(ends):
            time.sleep(0.2)
    finally:
        stop.set()
        for loop in loops:
            loop.join(timeout=120)
        worker.run_job = real  # type: ignore[assignment]
    first_start = min(starts[i] for i in b_ids) - b_arrived
    last_end = max(ends[i] for i in b_ids) - b_arrived
    median = statistics.median(durations)
    return {"mode": "round-robin" if fair else "fifo", "a_prs": args.a, "b_prs": args.b, "loops": args.loops,
            "b_first_review_start_s": round(first_start, 2), "b_all_reviews_done_s": round(last_end, 2),
            "median_review_s": round(median, 2), "a_reviews_before_b_done": sum(1 for i, t in ends.items()
                                                                 if i not in b_ids and t <= last_end + b_arrived),
            "meets_target": first_start <= median}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=int, default=200)
    parser.add_argument("--b", type=int, default=5)
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--modes", default="round-robin,fifo")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fairness.json")
    args = parser.parse_args()
    results = []
    # The sandbox has no secondary limits: GitHub's 1 s between mutations would only slow both modes.
    with sandboxed(APP_ID, "bench-fairness-", mutation_interval_s=0.05, timeout_s=60.0) as env:
        for mode in args.modes.split(","):
            got = run_mode(mode == "round-robin", args, env.http, env.app_gh, env.deps, env.tmp)
            results.append(got)
            print(f"{got['mode']:11s} B's first review started after {got['b_first_review_start_s']:7.1f} s, "
                  f"all {args.b} done after {got['b_all_reviews_done_s']:7.1f} s "
                  f"({got['a_reviews_before_b_done']} of A's reviews finished before); one review takes "
                  f"{got['median_review_s']:.1f} s (median): "
                  f"{'meets' if got['meets_target'] else 'MISSES'} the target", flush=True)
    save_results(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
