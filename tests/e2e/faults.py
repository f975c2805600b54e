"""The fault scenario: real processes on loopback, faults injected, then count what was lost or doubled.

Used by tests/e2e/test_faults.py (asserts the counts are zero) and bench/faults.py (prints and saves them).

Redis mode: the sandbox, two receivers (`prodready serve --no-worker`) and three `prodready worker`s on one
redis-server. SQLite mode: the sandbox and one `prodready serve` (embedded worker, the default SQLite
queue). In both, the sandbox answers a share of requests with 502 and secondary-limit 403; some deliveries
go to both receivers (or twice); one worker (or the serve process) is SIGKILLed mid-review; in Redis mode
Redis is restarted once, in SQLite mode the killed serve is started again. Deliveries that failed while a
receiver was down are redelivered afterwards, as an operator does from the App's settings page.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from github_app.events import sign
from github_app.render import CHECK_NAME, FINGERPRINT_RE
from github_app.sandbox import generate_app_key

SECRET = "fault-suite-secret"
# githubkit caches installation tokens per app id, not per host: each scenario's sandbox gets its own id.
_APP_IDS = itertools.count(9100)
LEASE_S = 5
AI_TRAILER = "Co-authored-by: Claude <noreply@anthropic.com>"
CLIENT_PY = ("import requests\n\n\ndef fetch_status(url: str) -> int:\n"
             "    resp = requests.get(url)\n    return resp.status_code\n")
WAIT_S = 300.0
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Counts:
    mode: str
    prs: int
    lost: int = 0
    """PRs without a completed prodready check run on their head."""
    doubled: int = 0
    """PRs with more than one completed run on their head, or a comment posted twice."""
    stuck: int = 0
    """PRs with a prodready run still queued or in progress."""
    wrong_comments: int = 0
    """PRs whose comments differ from the fault-free baseline's."""
    recover_s: float | None = None
    """Seconds from the SIGKILL to the completed check run of the job the killed process held."""
    killed: str = ""
    redelivered: int = 0
    duplicate_sends: int = 0
    faults_injected: int = 0
    wall_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Proc:
    def __init__(self, name: str, args: list[str], env: dict[str, str], logdir: Path) -> None:
        self.name, self.args, self.env = name, args, env
        self.log = logdir / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        out = self.log.open("ab")
        self.popen = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        out.close()

    def kill(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)

    def lines(self) -> list[dict[str, Any]]:
        out = []
        for raw in self.log.read_text(errors="replace").splitlines():
            if raw.startswith("{"):
                try:
                    out.append(json.loads(raw))
                except ValueError:
                    continue
        return out


def wait_http(url: str, proc: Proc, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if proc.popen is not None and proc.popen.poll() is not None:
                raise RuntimeError(f"{proc.name} exited during start-up: {proc.log.read_text()[-2000:]}")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"{proc.name} did not answer {url} within {timeout:g} s")


class Redis:
    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.port = free_port()
        self.args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                     "--appendfsync", "always", "--dir", str(workdir)]
        workdir.mkdir(parents=True, exist_ok=True)
        self.proc = Proc("redis", self.args, dict(os.environ), workdir)
        self.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def wait(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while True:
            try:
                if client.ping():
                    client.close()
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def restart(self) -> None:
        self.proc.stop()  # SIGTERM: Redis flushes its append-only file; jobs survive
        time.sleep(1.0)
        self.proc.start()
        self.wait()


class Scenario:
    def __init__(self, workdir: Path, mode: str, prs: int) -> None:
        self.workdir, self.mode, self.n = workdir, mode, prs
        self.app_id = next(_APP_IDS)
        self.logdir = workdir / "logs"
        self.logdir.mkdir(parents=True, exist_ok=True)
        self.private, _ = generate_app_key()
        key_path = workdir / "app.pem"
        key_path.write_text(self.private)
        self.procs: list[Proc] = []
        self.redis: Redis | None = None
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PRODREADY_", "GITHUB_"))}
        self.sandbox_port = free_port()
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}"
        sandbox = Proc("sandbox", [sys.executable, "-m", "github_app.cli", "sandbox", "--port", str(self.sandbox_port),
                                   "--data-dir", str(workdir / "sandbox"), "--app-id", str(self.app_id),
                                   "--public-key-path", str(key_path)],
                       {**base_env, "WEBHOOK_SECRET": SECRET}, self.logdir)
        self.procs.append(sandbox)
        wait_http(self.sandbox_url + "/_sandbox/health", sandbox)
        self.env = {**base_env, "APP_ID": str(self.app_id), "PRIVATE_KEY": self.private, "WEBHOOK_SECRET": SECRET,
                    "GITHUB_API_URL": self.sandbox_url, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO",
                    "PRODREADY_LEASE_S": str(LEASE_S), "PRODREADY_SHUTDOWN_S": "5", "PRODREADY_SEMGREP_JOBS": "1",
                    "PRODREADY_DATA_DIR": str(workdir / "app")}
        self.receivers: list[tuple[Proc, str]] = []
        self.workers: list[Proc] = []
        if mode == "redis":
            self.redis = Redis(workdir / "redis")
            self.procs.append(self.redis.proc)
            self.env["PRODREADY_QUEUE_URL"] = self.redis.url
            for i in range(2):
                self.receivers.append(self._serve(f"receiver{i}", no_worker=True))
            for i in range(3):
                port = free_port()
                w = Proc(f"worker{i}", [sys.executable, "-m", "github_app.cli", "worker", "--metrics-port", str(port)],
                         self.env, self.logdir)
                self.procs.append(w)
                wait_http(f"http://127.0.0.1:{port}/healthz", w)
                self.workers.append(w)
        else:
            self.receivers.append(self._serve("serve", no_worker=False))
            self.workers.append(self.receivers[0][0])
        self.http = httpx.Client(base_url=self.sandbox_url, timeout=30.0)
        self.http.post("/_sandbox/webhook", json={"url": self.receivers[0][1] + "/webhooks"}).raise_for_status()

    def _serve(self, name: str, *, no_worker: bool) -> tuple[Proc, str]:
        port = free_port()
        args = [sys.executable, "-m", "github_app.cli", "serve"] + (["--no-worker"] if no_worker else [])
        proc = Proc(name, args, {**self.env, "PORT": str(port)}, self.logdir)
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/healthz", proc)
        return proc, url

    def close(self) -> None:
        self.http.close()
        for proc in reversed(self.procs):
            proc.stop()

    # -- GitHub side -----------------------------------------------------------------------------

    def _gh(self) -> Any:
        from githubkit import AppAuthStrategy, GitHub

        from github_app.github import TIMEOUT

        return GitHub(AppAuthStrategy(app_id=self.app_id, private_key=self.private), base_url=self.sandbox_url + "/",
                      timeout=TIMEOUT, http_cache=False, auto_retry=False)

    def make_repo(self) -> tuple[str, int]:
        resp = self.http.post("/_sandbox/repos", json={"owner": "acme", "name": f"svc-{uuid.uuid4().hex[:6]}",
                                                       "files": {"README.md": "# svc\n"}})
        resp.raise_for_status()
        return str(resp.json()["full_name"]), int(resp.json()["installation_id"])

    def open_pr(self, repo: str, gh: Any, i: int) -> tuple[int, str]:
        branch = f"agent/change-{i}"
        resp = self.http.post(f"/_sandbox/repos/{repo}/commits", json={
            "branch": branch, "base": "main", "message": f"Add a status client ({i})\n\n{AI_TRAILER}\n",
            "files": {"svc/client.py": CLIENT_PY},
            "author": {"name": "Agent", "email": "agent@example.com", "login": "hana-human"}})
        resp.raise_for_status()
        owner, name = repo.split("/")
        pr = gh.rest.pulls.create(owner, name, data={"title": f"Change {i}", "head": branch, "base": "main",
                                                     "body": "Please review."},
                                  headers={"X-Sandbox-User": "hana-human"}).parsed_data
        return int(pr.number), str(pr.head.sha)

    def runs(self, gh: Any, repo: str, sha: str) -> list[Any]:
        owner, name = repo.split("/")
        got = gh.rest.checks.list_for_ref(owner, name, sha, check_name=CHECK_NAME, filter_="all")
        return list(got.parsed_data.check_runs)

    def fingerprints(self, gh: Any, repo: str, number: int) -> list[str]:
        owner, name = repo.split("/")
        comments = gh.rest.paginate(gh.rest.pulls.list_review_comments, owner=owner, repo=name, pull_number=number,
                                    per_page=100)
        return sorted(fp for c in comments for fp in FINGERPRINT_RE.findall(c.body))

    def add_faults(self, repo: str, numbers: list[int]) -> int:
        """A share of the PRs meet a 502 or a secondary-limit 403 (retry-after 1 s) on one of their requests."""
        faults: list[dict[str, Any]] = []
        for k, n in enumerate(numbers):
            if k % 3 == 0:
                faults.append({"kind": "server", "status": 502, "path_regex": rf"^/repos/{repo}/pulls/{n}/files$"})
            if k % 4 == 1:
                faults.append({"kind": "secondary", "status": 403, "retry_after": 1, "method": "GET",
                               "path_regex": rf"^/repos/{repo}/pulls/{n}$"})
            if k % 5 == 2:
                faults.append({"kind": "server", "status": 502, "method": "POST",
                               "path_regex": rf"^/repos/{repo}/pulls/{n}/reviews$"})
            if k % 7 == 3:
                faults.append({"kind": "secondary", "status": 403, "retry_after": 1, "method": "POST",
                               "path_regex": rf"^/repos/{repo}/check-runs$"})
        for fault in faults:
            self.http.post("/_sandbox/faults", json={**fault, "count": 1}).raise_for_status()
        return len(faults)

    def faults_left(self) -> int:
        return sum(int(f["remaining"]) for f in self.http.get("/_sandbox/faults").json())

    def send(self, url: str, event: str, payload: dict[str, Any], guid: str) -> int:
        body = json.dumps(payload).encode()
        try:
            resp = httpx.post(url + "/webhooks", content=body, timeout=15, headers={
                "X-GitHub-Event": event, "X-GitHub-Delivery": guid, "X-Hub-Signature-256": sign(SECRET, body),
                "Content-Type": "application/json"})
        except httpx.TransportError:
            return 0
        return resp.status_code

    # -- the run ---------------------------------------------------------------------------------

    def job_in_flight(self) -> tuple[Proc, int] | None:
        """A worker process that logged review.started for a PR it has not completed yet."""
        for proc in self.workers:
            open_: dict[int, bool] = {}
            for line in proc.lines():
                if line.get("event") == "review.started":
                    open_[int(line["pr"])] = True
                elif line.get("event") in ("review.completed", "job.failed", "review.failed"):
                    open_.pop(int(line.get("pr", -1)), None)
            if open_:
                return proc, next(iter(open_))
        return None

    def run(self) -> Counts:
        started = time.monotonic()
        counts = Counts(self.mode, self.n)
        app_gh = self._gh()
        repo, installation_id = self.make_repo()
        gh = app_gh.with_auth(app_gh.auth.as_installation(installation_id))
        # A fault-free baseline: what every PR's comments should be.
        number, sha = self.open_pr(repo, gh, 0)
        self._wait_completed(gh, repo, sha, 120)
        baseline = self.fingerprints(gh, repo, number)
        if not baseline:
            counts.problems.append("the baseline PR got no comments")
        added = self.add_faults(repo, [number + i for i in range(1, self.n + 1)])
        prs: dict[int, str] = {}
        for i in range(1, self.n + 1):
            got, sha = self.open_pr(repo, gh, i)
            prs[got] = sha
        killed_pr: int | None = None
        kill_at = 0.0
        deadline = time.monotonic() + 120
        while killed_pr is None and time.monotonic() < deadline:
            found = self.job_in_flight()
            if found is None:
                time.sleep(0.2)
                continue
            victim, killed_pr = found
            victim.kill()
            kill_at = time.monotonic()
            counts.killed = f"{victim.name} (SIGKILL while reviewing PR #{killed_pr})"
            if self.mode == "redis":
                assert self.redis is not None
                self.redis.restart()
            else:
                time.sleep(2.0)  # deliveries sent meanwhile fail, as with a crashed server
                victim.start()
                wait_http(self.receivers[0][1] + "/healthz", victim)
        # Some deliveries twice: to the other receiver, or again to the same one.
        deliveries = self.http.get("/_sandbox/deliveries").json()
        opened = [d for d in deliveries if d["event"] == "pull_request" and d["action"] == "opened"]
        for d in opened[::5]:
            target = self.receivers[-1][1]
            self.send(target, "pull_request", d["payload"], d["guid"])
            counts.duplicate_sends += 1
        # The operator's redelivery of what failed while a receiver (or Redis) was down.
        for d in deliveries:
            if not (d.get("status_code") and 200 <= int(d["status_code"]) < 300):
                status = self.send(self.receivers[0][1], d["event"], d["payload"], d["guid"])
                counts.redelivered += 1
                if not 200 <= status < 300:
                    counts.problems.append(f"redelivery of {d['guid']} got {status}")
        deadline = time.monotonic() + WAIT_S
        pending = dict(prs)
        while pending and time.monotonic() < deadline:
            for number, sha in list(pending.items()):
                done = [r for r in self.runs(gh, repo, sha) if r.status == "completed"]
                if done:
                    del pending[number]
                    if number == killed_pr:
                        counts.recover_s = round(time.monotonic() - kill_at, 1)
            time.sleep(0.5)
        time.sleep(LEASE_S + 2)  # anything still running (a retry, a doubled job) shows up now
        counts.faults_injected = added - self.faults_left()
        for number, sha in prs.items():
            runs = self.runs(gh, repo, sha)
            done = [r for r in runs if r.status == "completed"]
            if not done:
                counts.lost += 1
                counts.problems.append(f"PR #{number}: no completed run ({[r.status for r in runs]})")
            if len(done) > 1:
                counts.doubled += 1
                counts.problems.append(f"PR #{number}: {len(done)} completed runs "
                                       f"({[r.conclusion for r in done]})")
            if any(r.status != "completed" for r in runs):
                counts.stuck += 1
                counts.problems.append(f"PR #{number}: a run is still {[r.status for r in runs]}")
            fps = self.fingerprints(gh, repo, number)
            if any(n > 1 for n in Counter(fps).values()):
                counts.doubled += 1
                counts.problems.append(f"PR #{number}: a comment was posted twice")
            elif done and fps != baseline:
                counts.wrong_comments += 1
                counts.problems.append(f"PR #{number}: {len(fps)} comments, expected {len(baseline)}")
        tracebacks = [p.name for p in self.procs if p.name != "redis" and "Traceback" in p.log.read_text(
            errors="replace")]
        if tracebacks:
            counts.problems.append(f"tracebacks in the logs of {tracebacks}")
        counts.wall_s = round(time.monotonic() - started, 1)
        return counts

    def _wait_completed(self, gh: Any, repo: str, sha: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(r.status == "completed" for r in self.runs(gh, repo, sha)):
                return
            time.sleep(0.3)
        raise RuntimeError(f"the baseline review did not complete in {timeout:g} s; logs in {self.logdir}")


def run_scenario(workdir: Path, mode: str, prs: int) -> Counts:
    scenario = Scenario(workdir, mode, prs)
    try:
        return scenario.run()
    finally:
        scenario.close()
