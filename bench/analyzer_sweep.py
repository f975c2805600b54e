"""The change-aware analyzers over real commit history, for their precision on more findings than the agent PRs give.

    .venv/bin/python bench/analyzer_sweep.py --repo /work/.mirror/<owner>+<name>/repo [--repo ...] \\
        [--commits 200] [--out bench/out/analyzer_sweep.jsonl]

For each repository (a git directory; the library's `fetch` gives bare mirrors), the newest --commits
non-merge commits that change 1-60 files are each reviewed as sha^..sha by the removed-guards, clones and
settings analyzers only (not Semgrep), exactly as `prodready review` runs them, and only findings on the
change are kept (the review's filter). Every finding is one JSON line with repo@sha, so a person can triage
a sample (bench/triage/analyzers/verdicts.tsv; `bench/analyzer_sweep.py report` counts them). The commits are
people's and agents' alike: this measures whether a finding is right, not who wrote the code.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.analyzers_cost import git  # noqa: E402
from github_app.analyzers import ChangeView, run_analyzers  # noqa: E402
from github_app.analyzers.clones import CloneAnalyzer  # noqa: E402
from github_app.analyzers.removed_guards import RemovedGuardsAnalyzer  # noqa: E402
from github_app.analyzers.unprovided import UnprovidedSettingsAnalyzer  # noqa: E402
from github_app.diff import parse_diff  # noqa: E402
from github_app.filtering import FilterMode, filter_findings  # noqa: E402
from github_app.generated import generated_reason  # noqa: E402
from github_app.policy import Layer, load_policy  # noqa: E402
from github_app.repotree import GitTree  # noqa: E402
from github_app.review import select_targets  # noqa: E402

OUT = ROOT / "bench" / "out" / "analyzer_sweep.jsonl"
VERDICTS = ROOT / "bench" / "triage" / "analyzers" / "verdicts.tsv"
ANALYZER_OF = {"setting-not-provided": "unprovided-settings", "duplicated-code": "clones"}
# The analyzers were tuned on these repositories' findings; the others' are the check set.
TUNE_REPOS = frozenset({"Aider-AI/aider", "All-Hands-AI/OpenHands", "anthropics/claude-code-action",
                        "browser-use/browser-use", "charmbracelet/crush", "fastapi/fastapi", "getsentry/sentry-python"})
TSV_HEADER = ("set", "change", "location", "rule_id", "verdict", "reason")


# The analyzers are opt-in (policy.py DEFAULTS); the sweep measures them, so it switches them on.
POLICY = load_policy([Layer("bench/analyzer_sweep.py", "removed_guards: {enabled: true}\n"
                            "new_settings: {enabled: true}\nclones: {enabled: true}\n")])
assert not POLICY.problems, POLICY.problems


def set_of(repo: str) -> str:
    return "tune" if repo in TUNE_REPOS else "check"


def commits(repo: Path, n: int) -> list[str]:
    """The newest n non-merge commits that change 1-60 files; a commit whose objects the mirror lacks is
    passed over (the library's snapshots can be partial)."""
    out = []
    for sha in git(repo, "rev-list", "--no-merges", "-n", str(n * 3), "HEAD").split():
        try:
            changed = git(repo, "diff-tree", "--no-commit-id", "--name-only", "-r", sha).split("\n")
        except subprocess.CalledProcessError:
            continue
        if 1 <= len([c for c in changed if c]) <= 60:
            out.append(sha)
        if len(out) == n:
            break
    return out


ANALYZERS = ("removed-guards", "clones", "unprovided-settings")


def sweep(repo: Path, n: int, index_dir: Path, only: frozenset[str] = frozenset(ANALYZERS)) -> list[dict[str, Any]]:
    name = repo.parent.name.replace("+", "/")
    found = []
    analyzers = [a for a in (RemovedGuardsAnalyzer(), CloneAnalyzer(index_dir), UnprovidedSettingsAnalyzer())
                 if a.name in only]
    for sha in commits(repo, n):
        try:
            base = git(repo, "rev-parse", f"{sha}^").strip()
            diffs = parse_diff(git(repo, "diff", "-M", base, sha))
        except (subprocess.CalledProcessError, ValueError) as exc:
            print(f"{name}@{sha[:12]}: skipped ({str(exc).splitlines()[0][:100]})", file=sys.stderr)
            continue
        targets, _ = select_targets(diffs, [])
        head_tree, base_tree = GitTree(repo, sha), GitTree(repo, base)
        # As review_change does: generator output is not reviewed (no .gitattributes markings here).
        heads = head_tree.read(targets)
        targets = [p for p in targets if generated_reason(p, heads.get(p) or b"") is None]
        view = ChangeView(diffs, tuple(targets), head_tree.read, base_tree.read, POLICY,
                          base_tree=base_tree, head_tree=head_tree)
        got = run_analyzers(analyzers, view)
        for err in got.errors:
            print(f"{name}@{sha[:12]}: {err}", file=sys.stderr)
        for placed in filter_findings(got.findings, diffs, FilterMode.ADDED).kept:
            f = placed.finding
            found.append({"repo": name, "sha": sha, "path": f.path, "line": f.start_line, "rule_id": f.rule_id,
                          "concern": f.concern, "severity": f.severity.name, "message": f.message})
    return found


def report() -> int:
    rows = list(csv.DictReader(VERDICTS.open(), delimiter="\t"))
    if rows and tuple(rows[0]) != TSV_HEADER:
        raise SystemExit(f"{VERDICTS}: the header must be {' '.join(TSV_HEADER)}")
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        for key in (ANALYZER_OF.get(r["rule_id"], "removed-guards"), f"- {r['rule_id']}"):
            counts[(r["set"], key)][r["verdict"]] += 1
    for which in ("tune", "check"):
        print(f"\n{which} set\n\n| analyzer / rule | triaged | TP | FP | precision |\n|---|---:|---:|---:|---:|")
        keys = sorted({k for st, k in counts if st == which},
                      key=lambda k: (ANALYZER_OF.get(k[2:], "removed-guards") if k.startswith("- ") else k,
                                     k.startswith("- "), k))
        for key in keys:
            c = counts[(which, key)]
            n = c["TP"] + c["FP"]
            print(f"| {key} | {n} | {c['TP']} | {c['FP']} | {c['TP'] / n:.0%} |" if n else f"| {key} | 0 | 0 | 0 | n/a |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("sweep", "report", "sample"), default="sweep")
    parser.add_argument("--repo", type=Path, action="append", default=[])
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--skip", action="append", default=[], help="owner+name of a repository to leave out")
    parser.add_argument("--per-rule", type=int, default=25, help="sample: findings per rule to triage")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--analyzer", action="append", choices=ANALYZERS, default=[],
                        help="sweep only this analyzer (repeatable; default: all three)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.command == "report":
        return report()
    if args.command == "sample":
        rows = [json.loads(line) for line in args.out.read_text().splitlines()]
        by = defaultdict(list)
        for r in rows:
            by[r["rule_id"]].append(r)
        rng = random.Random(args.seed)
        for rule in sorted(by):
            for which in ("tune", "check"):
                pool = [r for r in by[rule] if set_of(r["repo"]) == which]
                for r in sorted(rng.sample(pool, min(args.per_rule, len(pool))),
                                key=lambda r: (r["repo"], r["sha"], r["path"], r["line"])):
                    print(json.dumps({"set": which, **r}))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sweep-") as tmp, args.out.open("a") as out:
        for repo in args.repo:
            if repo.parent.name in args.skip:
                continue
            rows = sweep(repo, args.commits, Path(tmp) / repo.parent.name, frozenset(args.analyzer or ANALYZERS))
            for r in rows:
                out.write(json.dumps(r) + "\n")
            out.flush()
            counts = Counter(r["rule_id"] for r in rows)
            print(f"{repo.parent.name}: {len(rows)} findings {dict(counts)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
