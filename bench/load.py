"""Webhook acknowledgement latency under load, against one real receiver process on loopback.

    .venv/bin/python bench/load.py [--rates 50,100,200,400] [--seconds 5] [--backends sqlite,sqlite-week,redis]

For each backend it starts `prodready serve --no-worker` (no worker: only receiving is measured) and sends
signed pull_request.opened deliveries at a fixed rate (open loop: request i is due at i/rate s, and its
latency is measured from when it was due, so a receiver that falls behind shows it). Every delivery is new
and queues a job; a 2 s warm-up at 50/s comes first and is not reported. The load generator shares
the machine with the receiver, and the 1-minute load average before each rate is recorded beside it
(other work on the machine shows there). `sqlite-week` starts with a delivery table holding a week of history (500,000 rows).
Prints p50/p99/max per rate and writes bench/results/load.json. Target: p99 under 25 ms at 200/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from github_app.events import sign  # noqa: E402
from github_app.queue import SqliteQueue  # noqa: E402
from github_app.sandbox import generate_app_key  # noqa: E402

SECRET = "load-secret"
WEEK_ROWS = 500_000
TARGET_P99_MS = 25.0
SAMPLE = json.loads((ROOT / "webhooks" / "pull_request.opened.json").read_text())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prefill_week(path: Path) -> None:
    queue = SqliteQueue(path)
    conn = queue._conn()
    now = time.time()
    step = 7 * 24 * 3600 / WEEK_ROWS  # one delivery every 1.2 s for a week
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO deliveries(id, received_at) VALUES (?, ?)",
                     ((f"old-{i}", now - 7 * 24 * 3600 + i * step) for i in range(WEEK_ROWS)))
    conn.execute("COMMIT")
    conn.close()


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                             "--appendfsync", "everysec", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def start_receiver(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "github_app.cli", "serve", "--no-worker"], cwd=ROOT,
                            env={**env, "PORT": str(port), "LOG_LEVEL": "WARNING"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the receiver did not start")


def bodies(n: int) -> list[tuple[bytes, str]]:
    out = []
    for i in range(n):
        payload = json.loads(json.dumps(SAMPLE))
        payload["number"] = payload["pull_request"]["number"] = 10_000 + i
        payload["pull_request"]["head"]["sha"] = uuid.uuid4().hex + "00000000"
        body = json.dumps(payload).encode()
        out.append((body, sign(SECRET, body)))
    return out


async def blast(url: str, rate: int, seconds: float) -> dict[str, Any]:
    n = int(rate * seconds)
    prepared = bodies(n)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=512)
    async with httpx.AsyncClient(base_url=url, timeout=15.0, limits=limits) as client:
        start = time.perf_counter() + 0.2

        async def one(i: int) -> None:
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            body, sig = prepared[i]
            try:
                resp = await client.post("/webhooks", content=body, headers={
                    "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": str(uuid.uuid4()),
                    "X-Hub-Signature-256": sig, "Content-Type": "application/json"})
                status = resp.status_code
            except httpx.HTTPError:
                status = 0
            latencies.append((time.perf_counter() - due) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(one(i) for i in range(n)))
        elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {"rate": rate, "sent": n, "achieved_per_s": round(n / elapsed, 1), "p50_ms": pct(0.50),
            "p99_ms": pct(0.99), "max_ms": round(latencies[-1], 1), "statuses": statuses}


def run_backend(backend: str, rates: list[int], seconds: float, workdir: Path) -> list[dict[str, Any]]:
    private, _ = generate_app_key()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRODREADY_")}
    env.update({"APP_ID": "1", "PRIVATE_KEY": private, "WEBHOOK_SECRET": SECRET, "GITHUB_API_URL": "http://127.0.0.1:9",
                "PRODREADY_DATA_DIR": str(workdir / "data")})
    redis_proc = None
    if backend == "redis":
        redis_proc, url = start_redis(workdir)
        env["PRODREADY_QUEUE_URL"] = url
    elif backend == "sqlite-week":
        prefill_week(workdir / "data" / "queue.sqlite3")
    port = free_port()
    proc = start_receiver(env, port)
    results = []
    try:
        asyncio.run(blast(f"http://127.0.0.1:{port}", 50, 2.0))  # warm-up, not reported: first connections
        time.sleep(1.0)
        for rate in rates:
            load_before = os.getloadavg()[0]
            got = asyncio.run(blast(f"http://127.0.0.1:{port}", rate, seconds))
            got["backend"] = backend
            got["loadavg_1m_before"] = round(load_before, 2)
            results.append(got)
            ok = "ok" if got["p99_ms"] < TARGET_P99_MS else "over target"
            print(f"{backend:12s} {rate:4d}/s  sent {got['sent']:5d}  achieved {got['achieved_per_s']:7.1f}/s  "
                  f"p50 {got['p50_ms']:7.1f} ms  p99 {got['p99_ms']:8.1f} ms  max {got['max_ms']:8.1f} ms  "
                  f"{got['statuses']}  load {load_before:.1f}  {ok}", flush=True)
            time.sleep(1.0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--backends", default="sqlite,sqlite-week,redis")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]
    results: list[dict[str, Any]] = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix=f"load-{backend}-") as tmp:
            results += run_backend(backend, rates, args.seconds, Path(tmp))
    saturation = {}
    for backend in args.backends.split(","):
        over = [r["rate"] for r in results if r["backend"] == backend
                and (r["p99_ms"] >= TARGET_P99_MS or r["achieved_per_s"] < 0.95 * r["rate"])]
        saturation[backend] = min(over) if over else None
        print(f"{backend}: first rate over the 25 ms p99 target or falling behind: {saturation[backend]}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                    "cpus": os.cpu_count(), "seconds_per_rate": args.seconds,
                                    "target_p99_ms": TARGET_P99_MS, "saturation": saturation,
                                    "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
