"""Throughput: reviews completed per minute for typical 20-file PRs, by how many reviews run at once.

    .venv/bin/python bench/throughput.py [--loops 1,2,4] [--prs 24] [--out bench/results/throughput.json]

Real reviews against the sandbox on loopback (no added latency), from 8 installations so neither the
per-installation cap (2 running) nor the budget is what limits. Each `--loops` value runs that many worker
loops in this one process on one SQLite queue: `prodready worker --concurrency N` is N loops in one process,
and W workers of concurrency C claim like W*C loops (a review is mostly its Semgrep child process, so the
GIL is not what they share; the two cores are). Reports reviews a minute and the ratio to one loop, measured in
one run.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fairness import open_prs  # noqa: E402
from bench.sandboxed import sandboxed, save_results  # noqa: E402
from github_app import worker  # noqa: E402
from github_app.queue import SqliteQueue  # noqa: E402

APP_ID = 9300
INSTALLATIONS = 8


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", default="1,2,4")
    parser.add_argument("--prs", type=int, default=24, help="PRs per run, spread over 8 installations")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "throughput.json")
    args = parser.parse_args()
    results = []
    with sandboxed(APP_ID, "bench-throughput-", mutation_interval_s=0.05, timeout_s=60.0) as env:
        for loops in (int(x) for x in args.loops.split(",")):
            jobs = [job for k in range(INSTALLATIONS)
                    for job in open_prs(env.http, env.app_gh, f"org{loops}x{k}", args.prs // INSTALLATIONS,
                                        width=args.files)]
            queue = SqliteQueue(env.tmp / f"q{loops}.sqlite3")
            for job in jobs:
                queue.enqueue(job)
            stop = threading.Event()
            threads = [threading.Thread(target=worker.work, args=(queue, env.deps, stop), kwargs={"poll_s": 0.05})
                       for _ in range(loops)]
            started = time.monotonic()
            for t in threads:
                t.start()
            while queue.counts().get("done", 0) < len(jobs):
                time.sleep(0.1)
            wall = time.monotonic() - started
            stop.set()
            for t in threads:
                t.join(timeout=60)
            per_minute = len(jobs) / wall * 60
            results.append({"loops": loops, "reviews": len(jobs), "files_per_pr": args.files,
                            "wall_s": round(wall, 1), "reviews_per_minute": round(per_minute, 1)})
            base = results[0]["reviews_per_minute"]
            print(f"{loops} loop(s): {len(jobs)} reviews of {args.files}-file PRs in {wall:.1f} s = "
                  f"{per_minute:.1f} a minute ({per_minute / base:.2f}x one loop)", flush=True)
    save_results(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
