"""The fault scenario of tests/e2e/test_faults.py, run on its own: prints and saves the counts.

    .venv/bin/python bench/faults.py [--prs 50] [--mode redis|sqlite|both] [--out bench/results/faults.json]

Real processes on loopback (sandbox, receivers, workers, redis-server); see tests/e2e/faults.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.faults import run_scenario  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prs", type=int, default=50)
    parser.add_argument("--sqlite-prs", type=int, default=None, help="PRs in SQLite mode (default: --prs)")
    parser.add_argument("--mode", choices=("redis", "sqlite", "both"), default="both")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "faults.json")
    parser.add_argument("--keep", type=Path, default=None, help="run in this folder and keep its logs")
    args = parser.parse_args()
    modes = ["redis", "sqlite"] if args.mode == "both" else [args.mode]
    results = []
    for mode in modes:
        prs = args.prs if mode == "redis" else (args.sqlite_prs or args.prs)
        if args.keep:
            counts = run_scenario(args.keep / mode, mode, prs)
        else:
            with tempfile.TemporaryDirectory(prefix=f"faults-{mode}-") as tmp:
                counts = run_scenario(Path(tmp), mode, prs)
        results.append(counts.as_dict())
        print(f"{mode:6s} prs={counts.prs} lost={counts.lost} doubled={counts.doubled} stuck={counts.stuck} "
              f"wrong_comments={counts.wrong_comments} recover_s={counts.recover_s} killed={counts.killed!r} "
              f"redelivered={counts.redelivered} duplicate_sends={counts.duplicate_sends} "
              f"faults={counts.faults_injected} wall_s={counts.wall_s}")
        for problem in counts.problems[:20]:
            print(f"    {problem}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                    "results": results}, indent=2) + "\n")
    print(f"saved {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if all(not (r["lost"] or r["doubled"] or r["stuck"]) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
