"""Requests and wall time to review one PR of 20, 200, 1,000 and 3,000 changed files, against the sandbox.

    .venv/bin/python bench/requests.py [--sizes 20,200,1000,3000] [--latency-ms 100] [--out bench/results/requests.json]

Each size is reviewed twice in one run, in a fresh repository each time: "per-file" reads every file with
its own contents request (the App before issue 15: Deps.archive_min_files=0) and "archive" reads a side
from the repository archive once the read is large enough (the default). The sandbox adds --latency-ms to
every API request, as GitHub's ~100 ms would. Requests are counted by the App's own transport (every
request: token, retries and the archive download included); the target is ceil(files / 100) + 15.
Every tenth file gains a call without a timeout, so the base side is read too (filter: new).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from githubkit import GitHub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandboxed import sandboxed, save_results  # noqa: E402
from github_app import metrics  # noqa: E402
from github_app.events import Job  # noqa: E402
from github_app.pipeline import Deps, run_job  # noqa: E402

APP_ID = 9100
BASE_FILE = "".join(f"def handler_{{i}}_{n}(x):\n    return x + {n}\n\n" for n in range(12))


def _requests_so_far() -> float:
    return sum(s.value for m in metrics.GITHUB_REQUESTS.collect() for s in m.samples if s.name.endswith("_total"))


def _files(n: int, *, head: bool) -> dict[str, str]:
    out = {}
    for i in range(n):
        text = BASE_FILE.replace("{i}", str(i))
        if head:
            text += f"\n\ndef added_{i}(x):\n    return x * {i}\n"
            if i % 10 == 0:
                text = "import requests\n\n" + text + f"\n\ndef fetch_{i}(url):\n    return requests.get(url).json()\n"
        out[f"src/pkg{i // 200}/mod_{i}.py"] = text
    return out


def review_once(http: httpx.Client, app_gh: GitHub[Any], deps: Deps, n: int, archive_min_files: int) -> dict[str, Any]:
    name = f"bench-{n}-{uuid.uuid4().hex[:6]}"
    made = http.post("/_sandbox/repos", json={"owner": "acme", "name": name, "files": _files(n, head=False)})
    made.raise_for_status()
    inst = int(made.json()["installation_id"])
    http.post(f"/_sandbox/repos/acme/{name}/commits", json={
        "branch": "feature", "base": "main", "message": "change every file", "files": _files(n, head=True),
        "author": {"name": "Bench", "email": "bench@example.com", "login": "bench"}}).raise_for_status()
    gh = app_gh.with_auth(app_gh.auth.as_installation(inst))
    pr = gh.rest.pulls.create("acme", name, data={"title": "bench", "head": "feature", "base": "main",
                                                   "body": "A benchmark PR."},
                              headers={"X-Sandbox-User": "bench"}).parsed_data
    number, head_sha = pr.number, pr.head.sha
    job = Job(installation_id=inst, repo=f"acme/{name}", pr_number=number, head_sha=head_sha,
              delivery_id=str(uuid.uuid4()), reason="opened")
    bench_deps = Deps(app=deps.app, bot_login=deps.bot_login, analyzers=deps.analyzers,
                      archive_min_files=archive_min_files)
    before_log = len(http.get("/_sandbox/requests").json())
    before = _requests_so_far()
    started = time.monotonic()
    outcome = run_job(job, bench_deps)
    wall = time.monotonic() - started
    made_requests = int(_requests_so_far() - before)
    log = http.get("/_sandbox/requests").json()[before_log:]
    downloads = sum(1 for r in log if r["path"].startswith("/_codeload/"))
    return {"files": n, "mode": "archive" if archive_min_files else "per-file", "outcome": outcome,
            "requests": made_requests, "archive_downloads": downloads, "wall_s": round(wall, 2),
            "target": math.ceil(n / 100) + 15}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200,1000,3000")
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--modes", default="per-file,archive")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "requests.json")
    args = parser.parse_args()
    results = []
    with sandboxed(APP_ID, "bench-requests-") as env:
        env.http.put("/_sandbox/latency", json={"ms": args.latency_ms}).raise_for_status()
        for n in (int(s) for s in args.sizes.split(",")):
            for mode in args.modes.split(","):
                min_files = 0 if mode == "per-file" else env.deps.archive_min_files
                got = review_once(env.http, env.app_gh, env.deps, n, min_files)
                results.append(got)
                ok = "meets" if got["requests"] <= got["target"] else "MISSES"
                print(f"{n:5d} files {got['mode']:9s} {got['requests']:5d} requests "
                      f"({got['archive_downloads']} archive downloads) {got['wall_s']:7.1f} s  "
                      f"{ok} the target of {got['target']}  [{got['outcome']}]", flush=True)
    save_results(args.out, results, latency_ms=args.latency_ms)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
