"""Dependency review over real manifest changes: what it finds, how much is right, what a lookup costs.

    python bench/deps.py fetch [--mirrors DIR]   # manifests before/after each change -> bench/out/deps/
    python bench/deps.py scan                    # the analyzer over them, cold then warm cache
    python bench/deps.py report                  # per kind: findings, triaged right; cost per lookup

bench/deps_corpus.tsv names each change as repo@sha and the manifest it changes; the repositories
are bare mirrors fetched with the search tool's `fetch` (DIR/<owner>+<name>/repo). Only the
manifests' texts are copied, under the git-ignored bench/out/. The triage verdicts (TP / FP per
finding, with a reason) are in bench/triage/deps/verdicts.tsv.

Lookups go to the real PyPI JSON API and npm registry (this machine reaches both directly), and to
the Go module proxy, Maven Central and OSV at their public URLs, which this machine cannot reach:
those come out as "not checked: ... unreachable", and the report counts them.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from github_app.analyzers import ChangeView  # noqa: E402
from github_app.analyzers.dependencies import DependencyAnalyzer  # noqa: E402
from github_app.datasources import DataSources, SourceConfig  # noqa: E402
from github_app.diff import parse_diff  # noqa: E402
from github_app.policy import load_policy  # noqa: E402

CORPUS = ROOT / "bench" / "deps_corpus.tsv"
OUT = ROOT / "bench" / "out" / "deps"
TRIAGE = ROOT / "bench" / "triage" / "deps" / "verdicts.tsv"  # a folder: precision.py reads triage/*.tsv
FINDINGS = ROOT / "bench" / "results" / "deps-findings.tsv"
COST = ROOT / "bench" / "results" / "deps-cost.json"
KINDS = ("deps-no-such-package", "deps-no-such-version", "deps-lookalike-name", "deps-new-package",
         "deps-license-denied", "deps-license-unknown", "deps-known-vulnerability")


def corpus() -> list[tuple[str, str, str]]:
    lines = [ln for ln in CORPUS.read_text().splitlines() if ln and not ln.startswith("#")]
    return [(r[0], r[1], r[2]) for r in csv.reader(lines[1:], delimiter="\t")]


def _slot(repo: str, sha: str) -> Path:
    return OUT / "changes" / f"{repo.replace('/', '+')}@{sha[:12]}"


def cmd_fetch(args: argparse.Namespace) -> int:
    mirrors = Path(args.mirrors)
    missing = 0
    for repo, sha, manifest in corpus():
        git_dir = mirrors / repo.replace("/", "+") / "repo"
        slot = _slot(repo, sha)
        slot.mkdir(parents=True, exist_ok=True)

        def git(*a: str, git_dir: Path = git_dir) -> subprocess.CompletedProcess[bytes]:
            return subprocess.run(["git", "--git-dir", str(git_dir), *a], capture_output=True, timeout=60)

        diff = git("diff", "--no-color", "-U3", "--src-prefix=a/", "--dst-prefix=b/", f"{sha}^", sha, "--", manifest)
        head = git("show", f"{sha}:{manifest}")
        base = git("show", f"{sha}^:{manifest}")
        if diff.returncode != 0 or head.returncode != 0:
            print(f"{repo}@{sha[:12]}: not in {git_dir} (fetch it with the search tool's fetch)", file=sys.stderr)
            missing += 1
            continue
        (slot / "diff").write_bytes(diff.stdout)
        (slot / "head").write_bytes(head.stdout)
        if base.returncode == 0:
            (slot / "base").write_bytes(base.stdout)
        (slot / "manifest").write_text(manifest)
    print(f"fetched {len(corpus()) - missing} of {len(corpus())} changes into {OUT / 'changes'}")
    return 1 if missing else 0


def _scan_once(sources: DataSources) -> tuple[list[dict[str, str]], list[str], int, float]:
    policy = load_policy([])
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    deps = 0
    started = time.monotonic()
    for repo, sha, _ in corpus():
        slot = _slot(repo, sha)
        if not (slot / "head").exists():
            continue
        manifest = (slot / "manifest").read_text()
        head = (slot / "head").read_bytes()
        base = (slot / "base").read_bytes() if (slot / "base").exists() else None
        diffs = parse_diff((slot / "diff").read_text(errors="replace"))
        view = ChangeView(diffs, (manifest,), lambda ps, h=head: {p: h for p in ps},  # type: ignore[misc]
                          lambda ps, b=base: {p: b for p in ps}, policy)  # type: ignore[misc]
        result = DependencyAnalyzer(sources=sources).analyze(view)
        for n in result.notes:
            if n.startswith("Dependency review:"):
                deps += int(n.split()[2])
        notes += [f"{repo}@{sha[:12]} {manifest}: {n}" for n in result.notes]
        notes += [f"{repo}@{sha[:12]} {manifest}: skipped {s.reason}" for s in result.skipped]
        for f in result.findings:
            rows.append({"repo": repo, "sha": sha[:12], "manifest": manifest, "line": str(f.start_line),
                         "rule": f.rule_id, "severity": f.severity.name, "message": f.message})
    return rows, notes, deps, time.monotonic() - started


def cmd_scan(args: argparse.Namespace) -> int:
    cache = OUT / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    config = SourceConfig(cache_dir=cache)
    runs = {}
    for label in ("cold", "warm"):
        with DataSources(config) as sources:
            rows, notes, deps, seconds = _scan_once(sources)
            reached = seconds - sources.unreachable_seconds
            runs[label] = {"seconds": round(seconds, 3), "dependencies": deps, "http_requests": sources.requests,
                           "ms_per_dependency": round(1000 * seconds / max(deps, 1), 2),
                           "seconds_on_unreachable_sources": round(sources.unreachable_seconds, 3),
                           "ms_per_dependency_without_them": round(1000 * reached / max(deps, 1), 2)}
    FINDINGS.parent.mkdir(parents=True, exist_ok=True)
    with FINDINGS.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["repo", "sha", "manifest", "line", "rule", "severity", "message"],
                           delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    COST.write_text(json.dumps({"runs": runs, "notes": notes}, indent=1) + "\n")
    print(json.dumps(runs, indent=1))
    print(f"{len(rows)} findings -> {FINDINGS.relative_to(ROOT)}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    with FINDINGS.open() as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    verdicts: dict[tuple[str, str, str, str, str], str] = {}
    if TRIAGE.exists():
        with TRIAGE.open() as f:
            for t in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
                verdicts[(t["repo"], t["sha"], t["manifest"], t["line"], t["rule"])] = t["verdict"]
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    for r in rows:
        total[r["rule"]] += 1
        v = verdicts.get((r["repo"], r["sha"], r["manifest"], r["line"], r["rule"]))
        if v:
            judged[r["rule"]] += 1
            right[r["rule"]] += v == "TP"
    cost = json.loads(COST.read_text())
    print(f"{len(corpus())} manifest changes from {len({c[0] for c in corpus()})} repositories")
    print(f"{'kind':28} {'findings':>8} {'triaged':>8} {'right':>6}")
    for kind in KINDS:
        print(f"{kind:28} {total[kind]:>8} {judged[kind]:>8} {right[kind]:>6}")
    not_checked = Counter(n.split(": ", 1)[1].split(" unreachable")[0].removeprefix("Not checked: ")
                          for n in cost["notes"] if ": Not checked:" in n)
    print("changes with a source not checked:", dict(not_checked) or "none")
    for label, run in cost["runs"].items():
        print(f"{label} cache: {run['dependencies']} dependencies, {run['http_requests']} HTTP requests, "
              f"{run['seconds']} s, {run['ms_per_dependency']} ms per dependency; "
              f"{run['seconds_on_unreachable_sources']} s of it waiting on unreachable sources, "
              f"{run['ms_per_dependency_without_them']} ms per dependency without that")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch")
    f.add_argument("--mirrors", default="/work/.mirror")
    f.set_defaults(func=cmd_fetch)
    sub.add_parser("scan").set_defaults(func=cmd_scan)
    sub.add_parser("report").set_defaults(func=cmd_report)
    args = parser.parse_args()
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
