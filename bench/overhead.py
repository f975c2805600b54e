"""prodready review vs a bare Semgrep run over the same 20 files with the same rules.

Reports wall-time ratios measured in one run (the machine is shared and noisy, so the runs are
interleaved and the median is used), and the default-vs-experimental Semgrep front end comparison
behind the engine choice. Not a test: run it with `make bench` or `python bench/overhead.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
BIN = Path(sys.executable).parent
# An installed prodready runs from byte-compiled modules (pip compiles them); a shell that sets
# PYTHONDONTWRITEBYTECODE would make every run recompile the sources and charge that to the review.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.update({"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"})


def pick_files(n: int) -> list[tuple[str, Path]]:
    """Real source files: Python from installed packages, plus other languages from the rule tests."""
    site = Path(sysconfig.get_paths()["purelib"])
    python = sorted(p for pkg in ("httpx", "starlette", "uvicorn", "jsonschema", "structlog")
                    for p in (site / pkg).rglob("*.py") if 2_000 < p.stat().st_size < 60_000)
    others = sorted(p for p in RULES.rglob("*") if p.suffix in {".js", ".ts", ".go", ".java", ".tf", ".dockerfile"}
                    or p.name.endswith(".test.yaml"))
    chosen = python[: n - min(6, len(others))] + others[: min(6, len(others))]
    return [(f"src/{i:02d}_{p.name}", p) for i, p in enumerate(chosen[:n])]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def build_repo(tmp: Path, files: list[tuple[str, Path]], *, modified: bool = False, name: str = "repo") -> Path:
    """The 20 files added on an empty base; or, `modified`, every line of every file changed (the base
    has trailing blanks on each line), so every finding is on a changed line and pre-existing: the
    worst case for filter: new's base-side scan."""
    repo = tmp / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    if modified:
        for rel, src in files:
            dest = repo / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = src.read_text(errors="replace")
            dest.write_text("".join(line + "  \n" for line in text.splitlines()))
        git(repo, "add", "-A")
    git(repo, "-c", "user.email=b@example.com", "-c", "user.name=bench", "commit", "-q", "--allow-empty", "-m", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    for rel, src in files:
        dest = repo / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=b@example.com", "-c", "user.name=bench", "commit", "-q", "-m", "twenty files")
    return repo


def timed(cmd: list[str], cwd: Path) -> tuple[float, bytes]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    try:
        json.loads(done.stdout)
    except ValueError:
        # Semgrep exits 2 when a rule has an error but still writes its JSON; only no JSON is fatal.
        sys.exit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, done.stdout


def semgrep_cmd(engine: str, targets: list[str]) -> list[str]:
    cmd = [str(BIN / "semgrep"), "scan"] + (["--experimental"] if engine == "experimental" else [])
    return cmd + ["--json", "--metrics=off", "--disable-version-check", "--no-git-ignore", "--config", str(RULES),
                  "--", *targets]


def result_keys(stdout: bytes) -> list[tuple[str, str, int]]:
    data = json.loads(stdout)
    return sorted((r["check_id"].rsplit(".", 1)[-1], r["path"], r["start"]["line"]) for r in data["results"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    # The ratio compares two half-second runs, so it takes many runs for a stable median; the default
    # front end only backs the engine choice and takes ~10 s a run, so it runs fewer times.
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--default-runs", type=int, default=2)
    args = parser.parse_args()
    files = pick_files(args.files)
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_repo(Path(tmp), files)
        repo_mod = build_repo(Path(tmp), files, modified=True, name="repo-modified")
        targets = [rel for rel, _ in files]
        lines = sum(len((repo / t).read_text(errors="replace").splitlines()) for t in targets)
        review = [str(BIN / "prodready"), "review", "--repo", str(repo), "--base", "main", "--format", "json",
                  "--fail-on", "none"]
        from github_app.scan import ScanLimits, semgrep_command

        review_mod = [*review[:3], str(repo_mod), *review[4:]]
        same_flags = semgrep_command(targets, [RULES], limits=ScanLimits(), engine="experimental")
        times: dict[str, list[float]] = {"review": [], "experimental": [], "default": [], "same_flags": [],
                                         "review_modified": []}
        outputs: dict[str, bytes] = {}
        timed(review, repo)  # warm the file cache once; not counted
        for i in range(max(args.runs, args.default_runs)):
            for name in ("experimental", "same_flags", "review", "review_modified", "default"):
                if i >= (args.default_runs if name == "default" else args.runs):
                    continue
                cmd = {"review": review, "same_flags": same_flags, "review_modified": review_mod}.get(name) \
                    or semgrep_cmd(name, targets)
                elapsed, out = timed(cmd, repo_mod if name == "review_modified" else repo)
                times[name].append(elapsed)
                outputs[name] = out
        med = {k: statistics.median(v) for k, v in times.items()}
        same = result_keys(outputs["experimental"]) == result_keys(outputs["default"])
        review_findings = len(json.loads(outputs["review"])["findings"])
        print(f"change: {len(targets)} files, {lines} lines; rules: {RULES}; "
              f"runs: {args.runs} (default front end: {args.default_runs}), medians")
        print(f"semgrep default front end     : {med['default']:.2f} s")
        print(f"semgrep --experimental        : {med['experimental']:.2f} s "
              f"(default/experimental = {med['default'] / med['experimental']:.1f}x; same findings: {same})")
        print(f"prodready review (experimental): {med['review']:.2f} s, {review_findings} findings on changed lines")
        print(f"semgrep with prodready's flags : {med['same_flags']:.2f} s")
        overhead = med["review"] / med["experimental"] - 1
        own = med["review"] / med["same_flags"] - 1
        print(f"overhead of prodready review over the bare scan: {overhead:+.0%} (target: at most +30%)")
        print(f"overhead over the same Semgrep command (git, diff, filter, render): {own:+.0%}")
        mod = json.loads(outputs["review_modified"])
        worst = med["review_modified"] / med["experimental"] - 1
        print(f"prodready review, every line modified : {med['review_modified']:.2f} s, "
              f"{mod['preexisting']} findings pre-existing, {len(mod['findings'])} new")
        print(f"overhead with filter: new's base-side scan (worst case: every file has findings on changed "
              f"lines): {worst:+.0%} (target: at most +30%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
