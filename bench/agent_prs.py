#!/usr/bin/env python3
"""Benchmark of real agent-written changes (issue 9).

Subcommands (see bench/README.md):
  fetch   check the snapshots under /work/.mirror and extract each change's files into bench/corpus/agent_prs/<id>/
  scan    run `prodready review` on each change; write bench/out/agent_prs/<id>.json and findings.jsonl
  report  merge bench/triage/agent-prs/verdicts.tsv into bench/results/agent-prs.md; `--check` exits 1 below the targets
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "agent_prs.toml"
CORPUS = BENCH / "corpus" / "agent_prs"
OUT = BENCH / "out" / "agent_prs"
TRIAGE = BENCH / "triage" / "agent-prs" / "verdicts.tsv"
RESULT_MD = BENCH / "results" / "agent-prs.md"
MIRROR = Path(os.environ.get("PRODREADY_MIRROR", "/work/.mirror"))
PRODREADY = ROOT / ".venv" / "bin" / "prodready"

GIT_TIMEOUT_S = 120
REVIEW_TIMEOUT_S = 600
# The targets.
TARGET_BLOCKING_PRECISION = 0.90
TARGET_PRECISION = 0.85
TARGET_COVERAGE = 0.60

VERDICTS = ("TP", "FP", "TP-pre-existing")
TSV_HEADER = ("kind", "change", "location", "rule_id", "concern", "blocking", "verdict", "reason")
CONCERNS = ("secrets", "resilience", "error-handling", "observability", "access-control", "performance",
            "infrastructure", "supply-chain", "cost", "maintainability")


class BenchError(Exception):
    """A problem the user can fix; printed as one line."""


@dataclass(frozen=True)
class Item:
    id: str
    repo: str
    sha: str
    agent: str
    evidence: str
    set: str
    batch: int = 1


# Changes added after the draw (`batch = 2`) all belong to the check set and take no part in the draw.
LATER_BATCHES = (2,)


def load_items(path: Path = DATA) -> list[Item]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    items = [Item(c["id"], c["repo"], c["sha"], c["agent"], c["evidence"], c["set"], int(c.get("batch", 1)))
             for c in data["change"]]
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise BenchError(f"{path.name}: duplicate change ids")
    unknown = sorted({i.batch for i in items} - {1, *LATER_BATCHES})
    if unknown:
        raise BenchError(f"{path.name}: unknown batch {', '.join(map(str, unknown))}")
    later = [i for i in items if i.batch in LATER_BATCHES]
    not_check = [i.id for i in later if i.set != "check"]
    if not_check:
        raise BenchError(f"{path.name}: changes of a later batch must have set = \"check\": {', '.join(not_check)}")
    # The seeded draw covers the original entries only, in file order, so later batches cannot shift it.
    original = [i for i in items if i.batch == 1]
    drawn = set(check_draw([i.id for i in original], int(data["check_seed"])))
    wrong = [i.id for i in original if (i.set == "check") != (i.id in drawn)]
    if wrong:
        raise BenchError(f"{path.name}: `set` disagrees with the seeded draw for {', '.join(wrong)}")
    return items


def check_draw(ids: Sequence[str], seed: int) -> list[str]:
    """The check set: a quarter of the changes, drawn with the recorded seed (file order matters)."""
    return random.Random(seed).sample(list(ids), len(ids) // 4)


# --- fetch -------------------------------------------------------------------------------------------------

def git(git_dir: Path, *args: str, input_bytes: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], input=input_bytes, capture_output=True,
                          timeout=GIT_TIMEOUT_S, env=env)
    if proc.returncode != 0:
        raise BenchError(f"git {' '.join(args[:2])}: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return proc.stdout


def mirror_git_dir(repo: str) -> Path:
    base = MIRROR / repo.replace("/", "+") / "repo"
    for cand in (base / ".git", base):
        if (cand / "HEAD").is_file():
            return cand
    raise BenchError(f"no snapshot of {repo} under {MIRROR}: bring it with the search tool's "
                     f"fetch(\"github:{repo}\") and run fetch again")


def changed_paths(src: Path, sha: str) -> list[tuple[str, str | None, str | None]]:
    """(status, base path, head path) of every file the commit changes against its first parent."""
    out = git(src, "diff-tree", "-r", "-z", "--no-commit-id", "-M", "--name-status", f"{sha}^", sha).decode()
    parts = out.split("\0")
    rows: list[tuple[str, str | None, str | None]] = []
    i = 0
    while i < len(parts) - 1:
        status = parts[i]
        if status.startswith(("R", "C")):
            rows.append((status[0], parts[i + 1], parts[i + 2]))
            i += 3
        else:
            path = parts[i + 1]
            rows.append((status, None if status == "A" else path, None if status == "D" else path))
            i += 2
    return rows


def build_change(item: Item, dest: Path) -> str:
    src = mirror_git_dir(item.repo)
    header = git(src, "show", "-s", "--format=%an <%ae>%n%cn <%ce>%n%B", item.sha).decode("utf-8", "replace")
    if item.evidence.removeprefix("Author: ").removeprefix("Committer: ") not in header:
        raise BenchError(f"{item.id}: the evidence line is not in {item.repo}@{item.sha[:12]}")
    marker = dest / ".git" / "prodready-agent-pr"
    if marker.is_file() and marker.read_text() == item.sha:
        return "present"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    work = dest / ".git"
    subprocess.run(["git", "init", "-q", str(dest)], check=True, timeout=GIT_TIMEOUT_S)
    env = {**os.environ, "GIT_AUTHOR_NAME": "base", "GIT_AUTHOR_EMAIL": "base@example.invalid",
           "GIT_COMMITTER_NAME": "base", "GIT_COMMITTER_EMAIL": "base@example.invalid"}
    rows = changed_paths(src, item.sha)
    for side, rev in (("base", f"{item.sha}^"), ("head", item.sha)):
        for p in dest.iterdir():
            if p.name != ".git":
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        for _, base_path, head_path in rows:
            path = base_path if side == "base" else head_path
            if path is None:
                continue
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(git(src, "cat-file", "blob", f"{rev}:{path}"))
        git(work, f"--work-tree={dest}", "add", "-A", env=env)
        if side == "base":
            git(work, f"--work-tree={dest}", "commit", "-q", "--allow-empty", "-m", "base", env=env)
            git(work, "tag", "base")
        else:
            # The head commit keeps the agent's author and message, so authorship signals are seen as on GitHub.
            meta = git(src, "show", "-s", "--format=%an%x00%ae%x00%cn%x00%ce%x00%B", item.sha).decode("utf-8", "replace")
            an, ae, cn, ce, msg = meta.split("\0", 4)
            env2 = {**env, "GIT_AUTHOR_NAME": an, "GIT_AUTHOR_EMAIL": ae, "GIT_COMMITTER_NAME": cn,
                    "GIT_COMMITTER_EMAIL": ce}
            git(work, f"--work-tree={dest}", "commit", "-q", "--allow-empty", "-F", "-", input_bytes=msg.encode(),
                env=env2)
            git(work, "tag", "head")
    marker.write_text(item.sha)
    return "fetched"


def cmd_fetch(args: argparse.Namespace) -> int:
    items = select(load_items(), args.only)
    failed = 0
    for item in items:
        try:
            status = build_change(item, CORPUS / item.id)
        except (BenchError, subprocess.TimeoutExpired, OSError) as exc:
            status = f"FAILED {exc}"
            failed += 1
        print(f"{item.id}\t{item.repo}@{item.sha[:12]}\t{status}")
    return 1 if failed else 0


def select(items: list[Item], only: Sequence[str] | None) -> list[Item]:
    if not only:
        return items
    chosen = [i for i in items if i.id in only]
    unknown = set(only) - {i.id for i in chosen}
    if unknown:
        raise BenchError(f"unknown change id: {', '.join(sorted(unknown))}")
    return chosen


# --- scan --------------------------------------------------------------------------------------------------

def review(item: Item, rules: Path) -> tuple[Item, str]:
    repo = CORPUS / item.id
    if not (repo / ".git" / "prodready-agent-pr").is_file():
        return item, "FAILED not fetched (run fetch first)"
    cmd = [str(PRODREADY), "review", "--repo", str(repo), "--base", "base", "--head", "head",
           "--format", "json", "--rules", str(rules),
           # A review cut short (a file Semgrep could not parse) still reports what it found; its skips say so.
           "--allow-partial"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=REVIEW_TIMEOUT_S, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return item, f"FAILED timed out after {REVIEW_TIMEOUT_S} s"
    if proc.returncode not in (0, 1):
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return item, f"FAILED exit {proc.returncode}: {last}"
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return item, "FAILED prodready printed no JSON"
    (OUT / f"{item.id}.json").write_text(json.dumps(result, indent=1))
    errors = f", {len(result['errors'])} scanner errors" if result["errors"] else ""
    return item, f"{len(result['findings'])} findings, {len(result['skipped'])} skipped{errors}"


def cmd_scan(args: argparse.Namespace) -> int:
    items = select(load_items(), args.only)
    OUT.mkdir(parents=True, exist_ok=True)
    failed = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for item, status in pool.map(lambda i: review(i, args.rules), items):
            failed += status.startswith("FAILED")
            print(f"{item.id}\t{status}", flush=True)
    # findings.jsonl: every finding of every scanned change, and ready-to-fill TSV rows for the untriaged ones.
    known = {(r.change, r.location, r.rule_id) for r in read_tsv(TRIAGE)} if TRIAGE.is_file() else set()
    rows = []
    with (OUT / "findings.jsonl").open("w") as fh:
        for item in load_items():
            path = OUT / f"{item.id}.json"
            if not path.is_file():
                continue
            for f in json.loads(path.read_text())["findings"]:
                fh.write(json.dumps({"change": item.id, **f}) + "\n")
                loc = f"{f['path']}:{f['start_line']}"
                if (item.id, loc, f["rule_id"]) not in known:
                    rows.append("\t".join(("finding", item.id, loc, f["rule_id"], f["concern"],
                                           "yes" if f["blocking"] else "no", "?", f["message"][:80])))
    (OUT / "untriaged.tsv").write_text("".join(r + "\n" for r in rows))
    print(f"{len(rows)} findings without a verdict: {OUT / 'untriaged.tsv'}")
    return 1 if failed else 0


# --- report ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    kind: str  # finding | problem | reviewed
    change: str
    location: str
    rule_id: str  # for a problem: the rule whose finding catches it, or "-"
    concern: str
    blocking: bool
    verdict: str
    reason: str


def read_tsv(path: Path) -> list[Row]:
    rows: list[Row] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != TSV_HEADER:
        raise BenchError(f"{path}: the first line must be the header {' '.join(TSV_HEADER)}")
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(TSV_HEADER):
            raise BenchError(f"{path}:{n}: expected {len(TSV_HEADER)} tab-separated cells, got {len(cells)}")
        kind, change, location, rule_id, concern, blocking, verdict, reason = cells
        if kind not in ("finding", "problem", "reviewed"):
            raise BenchError(f"{path}:{n}: kind must be finding, problem or reviewed, not {kind!r}")
        if kind == "finding" and verdict not in VERDICTS:
            raise BenchError(f"{path}:{n}: verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
        if kind != "reviewed" and concern not in CONCERNS:
            raise BenchError(f"{path}:{n}: unknown concern {concern!r}")
        if not reason.strip():
            raise BenchError(f"{path}:{n}: a reason is required")
        rows.append(Row(kind, change, location, rule_id, concern, blocking == "yes", verdict, reason))
    return rows


def language(location: str) -> str:
    path = location.rsplit(":", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if path.endswith(".py"):
        return "python"
    if path.endswith((".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")):
        return "js/ts"
    if path.endswith(".go"):
        return "go"
    if name.startswith(("Dockerfile", "Containerfile")) or name.endswith((".Dockerfile", ".tf", ".sh")) \
            or ".github/" in path or "helm/" in path or name.endswith((".yml", ".yaml")):
        return "infrastructure"
    return "other"


@dataclass
class Tally:
    findings: int = 0
    tp: int = 0
    pre: int = 0
    blocking: int = 0
    blocking_tp: int = 0
    problems: int = 0
    caught: int = 0

    def add_finding(self, r: Row) -> None:
        self.findings += 1
        self.tp += r.verdict == "TP"
        self.pre += r.verdict == "TP-pre-existing"
        if r.blocking:
            self.blocking += 1
            self.blocking_tp += r.verdict == "TP"

    def add_problem(self, r: Row) -> None:
        self.problems += 1
        self.caught += r.rule_id != "-"

    # A pre-existing finding is right about the code but wrong about the change, so it does not count as TP.
    @property
    def precision(self) -> float | None:
        return self.tp / self.findings if self.findings else None

    @property
    def blocking_precision(self) -> float | None:
        return self.blocking_tp / self.blocking if self.blocking else None

    @property
    def coverage(self) -> float | None:
        return self.caught / self.problems if self.problems else None


def tally(rows: Iterable[Row], key: str) -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for r in rows:
        if r.kind == "reviewed":
            continue
        k = {"language": language(r.location), "concern": r.concern, "all": "all"}[key]
        (out[k].add_finding if r.kind == "finding" else out[k].add_problem)(r)
    return dict(out)


def pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f} %"


def meets_targets(t: Tally) -> list[str]:
    """The targets this tally misses (a figure with nothing to measure counts as missed)."""
    missed = []
    for name, value, target in (("blocking precision", t.blocking_precision, TARGET_BLOCKING_PRECISION),
                                ("precision", t.precision, TARGET_PRECISION),
                                ("coverage", t.coverage, TARGET_COVERAGE)):
        if value is None or value < target:
            missed.append(f"{name} {pct(value)} < {pct(target)}")
    return missed


def table(title: str, groups: dict[str, Tally]) -> list[str]:
    lines = [f"| {title} | findings | TP | pre-existing | precision | blocking | blocking TP | blocking precision "
             "| problems | caught | coverage |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for k in sorted(groups, key=lambda g: (g == "all", g)):
        t = groups[k]
        lines.append(f"| {k} | {t.findings} | {t.tp} | {t.pre} | {pct(t.precision)} | {t.blocking} | "
                     f"{t.blocking_tp} | {pct(t.blocking_precision)} | {t.problems} | {t.caught} | {pct(t.coverage)} |")
    return lines


def render_report(rows: list[Row], items: list[Item]) -> tuple[str, dict[str, list[str]]]:
    sets = {i.id: i.set for i in items}
    unknown = sorted({r.change for r in rows} - set(sets))
    if unknown:
        raise BenchError(f"triage names changes not in {DATA.name}: {', '.join(unknown)}")
    reviewed = {r.change for r in rows if r.kind == "reviewed"}
    md = ["# Agent-written changes: precision and coverage", "",
          "Generated by `bench/agent_prs.py report` from bench/triage/agent-prs/verdicts.tsv (see bench/README.md).", "",
          "Precision counts TP only: a TP-pre-existing finding is right about the code but not about the change.",
          "Coverage: problems a strict reviewer raised on the diff that a prodready finding catches, "
          "over all problems raised.", ""]
    by_agent: dict[str, int] = defaultdict(int)
    for i in items:
        by_agent[i.agent] += 1
    md += [f"{len(items)} changes from {len({i.repo for i in items})} repositories by {len(by_agent)} agents: "
           + ", ".join(f"{a} {n}" for a, n in sorted(by_agent.items(), key=lambda kv: (-kv[1], kv[0]))) + ".", ""]
    missed: dict[str, list[str]] = {}
    for set_name in ("tune", "check"):
        ids = [i.id for i in items if i.set == set_name]
        done = [i for i in ids if i in reviewed]
        srows = [r for r in rows if sets[r.change] == set_name and r.change in reviewed]
        overall = tally(srows, "all").get("all", Tally())
        missed[set_name] = meets_targets(overall)
        md += [f"## {set_name} set: {len(done)} of {len(ids)} changes triaged", ""]
        md += ["Targets (blocking precision >= 90 %, precision >= 85 %, coverage >= 60 %): "
               + ("met" if not missed[set_name] else "missed: " + "; ".join(missed[set_name])), ""]
        md += table("language", {**tally(srows, "language"), "all": overall}) + [""]
        md += table("concern", {**tally(srows, "concern"), "all": overall}) + [""]
        misses = [r for r in srows if r.kind == "problem" and r.rule_id == "-"]
        md += [f"### Misses ({len(misses)})", ""]
        md += [f"- `{r.change}` {r.location} [{r.concern}]: {r.reason}" for r in misses] + [""]
        fps = [r for r in srows if r.kind == "finding" and r.verdict != "TP"]
        md += [f"### Wrong findings ({len(fps)})", ""]
        md += [f"- `{r.change}` {r.location} {r.rule_id} ({r.verdict}): {r.reason}" for r in fps] + [""]
    return "\n".join(md) + "\n", missed


def stale_and_untriaged(rows: list[Row]) -> tuple[list[str], list[str]]:
    """Compare verdicts with the last scan: findings with no verdict, and verdicts on findings no longer made."""
    path = OUT / "findings.jsonl"
    if not path.is_file():
        return [], []
    made = set()
    for line in path.read_text().splitlines():
        f = json.loads(line)
        made.add((f["change"], f"{f['path']}:{f['start_line']}", f["rule_id"]))
    judged = {(r.change, r.location, r.rule_id) for r in rows if r.kind == "finding"}
    return sorted(" ".join(k) for k in made - judged), sorted(" ".join(k) for k in judged - made)


def cmd_report(args: argparse.Namespace) -> int:
    rows = read_tsv(TRIAGE)
    items = load_items()
    md, missed = render_report(rows, items)
    untriaged, stale = stale_and_untriaged(rows)
    if untriaged or stale:
        md += "## Scan and triage disagree\n\n" + "".join(f"- untriaged: {u}\n" for u in untriaged) \
              + "".join(f"- stale verdict: {s}\n" for s in stale)
    RESULT_MD.parent.mkdir(parents=True, exist_ok=True)
    RESULT_MD.write_text(md)
    print(md)
    if args.check and (missed["tune"] or missed["check"]):
        print("targets missed: tune: " + ("; ".join(missed["tune"]) or "met") + " | check: "
              + ("; ".join(missed["check"]) or "met"), file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="agent_prs.py", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="extract each change from its snapshot into bench/corpus/agent_prs/")
    f.add_argument("--only", action="append", metavar="ID")
    s = sub.add_parser("scan", help="run prodready review on each change")
    s.add_argument("--only", action="append", metavar="ID")
    s.add_argument("--rules", type=Path, default=ROOT / "rules")
    s.add_argument("--jobs", type=int, default=2)
    r = sub.add_parser("report", help="bench/triage/agent-prs/verdicts.tsv -> bench/results/agent-prs.md")
    r.add_argument("--check", action="store_true", help="exit 1 when a target is missed on either set")
    args = ap.parse_args(argv)
    try:
        return int({"fetch": cmd_fetch, "scan": cmd_scan, "report": cmd_report}[args.cmd](args))
    except BenchError as exc:
        print(f"agent_prs: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
