"""The change-aware analyzers' cost, as a ratio to the Semgrep scan of the same change, on real repositories.

    .venv/bin/python bench/analyzers_cost.py --repo /work/.mirror/fastapi+fastapi/repo \\
        [--commit SHA] [--index-repo /work/.mirror/spring-projects+spring-boot/repo] [--out bench/results/...]

For --repo (a git directory; a bare mirror from the library's `fetch` will do): a real commit that changes
15-30 code files (the newest such, unless --commit), reviewed as `prodready review` would, once with the
Semgrep scan alone and once per analyzer over the same change (removed guards, clones, settings). The clone analyzer is timed cold (its index
of the base built in this run) and warm (the index on disk). For --index-repo: the clone index built for
its HEAD tree (files, seconds, size on disk), then for HEAD's parent, which re-lexes only changed files.
Ratios are of times measured in this one run; the repositories are not committed, only repo@sha.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandboxed import save_results  # noqa: E402
from github_app.analyzers import ChangeView, run_analyzers  # noqa: E402
from github_app.analyzers.clone_index import CloneIndex  # noqa: E402
from github_app.analyzers.clones import CloneAnalyzer  # noqa: E402
from github_app.analyzers.removed_guards import RemovedGuardsAnalyzer  # noqa: E402
from github_app.analyzers.tokens import language  # noqa: E402
from github_app.analyzers.unprovided import UnprovidedSettingsAnalyzer  # noqa: E402
from github_app.diff import parse_diff  # noqa: E402
from github_app.policy import default_policy  # noqa: E402
from github_app.repotree import GitTree  # noqa: E402
from github_app.review import Change, review_change, select_targets  # noqa: E402


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          timeout=300).stdout


def pick_commit(repo: Path, lo: int = 15, hi: int = 30) -> str:
    """The newest non-merge commit that changes lo..hi code files."""
    sha, count = "", 0
    for line in git(repo, "log", "--no-merges", "-n", "3000", "--format=@%H", "--name-only").splitlines():
        if line.startswith("@"):
            if lo <= count <= hi:
                return sha
            sha, count = line[1:], 0
        elif line and language(line):
            count += 1
    raise SystemExit(f"no commit in {repo} changes {lo}-{hi} code files")


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def change_cost(repo: Path, sha: str, tmp: Path) -> dict[str, Any]:
    base = git(repo, "rev-parse", f"{sha}^").strip()
    diff = git(repo, "diff", "-M", base, sha)
    head_tree, base_tree = GitTree(repo, sha), GitTree(repo, base)
    policy = default_policy()
    change = Change(diff_text=diff, read_head=head_tree.read, policy=policy, read_base=base_tree.read,
                    base_tree=base_tree, head_tree=head_tree)
    scan_s, result = timed(lambda: review_change(change, analyzers=()))
    diffs = parse_diff(diff)
    targets, _ = select_targets(diffs, [])
    view = ChangeView(diffs, tuple(targets), head_tree.read, base_tree.read, policy, base_tree=base_tree,
                      head_tree=head_tree)
    index_dir = tmp / f"index-{sha[:8]}"
    clones_cold_s, cold = timed(lambda: run_analyzers([CloneAnalyzer(index_dir)], view))
    clones_warm_s, warm = timed(lambda: run_analyzers([CloneAnalyzer(index_dir)], view))
    settings_s, unprovided = timed(lambda: run_analyzers([UnprovidedSettingsAnalyzer()], view))
    guards_s, guards = timed(lambda: run_analyzers([RemovedGuardsAnalyzer()], view))
    code_files = sum(1 for p in base_tree.paths() if language(p))
    return {
        "repo": str(repo), "commit": sha, "changed_files": len(diffs), "code_files_in_repo": code_files,
        "scan_s": round(scan_s, 2), "scan_findings": len(result.findings),
        "clones_cold_s": round(clones_cold_s, 2), "clones_warm_s": round(clones_warm_s, 2),
        "unprovided_settings_s": round(settings_s, 3), "removed_guards_s": round(guards_s, 3),
        "ratio_cold": round((clones_cold_s + settings_s + guards_s) / scan_s, 2),
        "ratio_warm": round((clones_warm_s + settings_s + guards_s) / scan_s, 2),
        "clone_findings": len(cold.findings), "clone_findings_warm": len(warm.findings),
        "setting_findings": len(unprovided.findings), "guard_findings": len(guards.findings),
        "errors": cold.errors + unprovided.errors + guards.errors,
    }


def index_cost(repo: Path, tmp: Path) -> dict[str, Any]:
    head = git(repo, "rev-parse", "HEAD").strip()
    parent = git(repo, "rev-parse", "HEAD^").strip()
    path = tmp / "index-big" / "clone-index.sqlite3"
    with CloneIndex(path) as index:
        first_s, first = timed(lambda: index.ensure(GitTree(repo, head), max_file_bytes=1_000_000))
        second_s, second = timed(lambda: index.ensure(GitTree(repo, parent), max_file_bytes=1_000_000))
        size = index.size_bytes()
    return {"repo": str(repo), "commit": head, "files_in_tree": len(GitTree(repo, head).paths()),
            "code_files_indexed": first.files, "left_out": first.left_out, "build_s": round(first_s, 1),
            "size_mb": round(size / 1e6, 1), "parent_build_s": round(second_s, 1),
            "parent_new_files": second.new_files}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, action="append", required=True)
    parser.add_argument("--commit", action="append", default=[])
    parser.add_argument("--index-repo", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "analyzers_cost.json")
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-analyzers-") as tmp_:
        tmp = Path(tmp_)
        for i, repo in enumerate(args.repo):
            sha = args.commit[i] if i < len(args.commit) else pick_commit(repo)
            row = change_cost(repo, sha, tmp)
            results.append({"kind": "change", **row})
            print(f"{repo.parent.name}@{sha[:12]}: {row['changed_files']} files changed, {row['code_files_in_repo']} "
                  f"code files in the repo; scan {row['scan_s']} s; clones cold {row['clones_cold_s']} s, warm "
                  f"{row['clones_warm_s']} s; settings {row['unprovided_settings_s']} s; removed guards "
                  f"{row['removed_guards_s']} s; all three / the scan "
                  f"{row['ratio_cold']} cold, {row['ratio_warm']} warm", flush=True)
        if args.index_repo is not None:
            row = index_cost(args.index_repo, tmp)
            results.append({"kind": "index", **row})
            print(f"index of {args.index_repo.parent.name}@{row['commit'][:12]}: {row['code_files_indexed']} code "
                  f"files of {row['files_in_tree']} in {row['build_s']} s, {row['size_mb']} MB; its parent "
                  f"{row['parent_build_s']} s ({row['parent_new_files']} files lexed again)", flush=True)
    save_results(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
