"""Peak memory of one Semgrep scan of a YAML alias bomb, unbounded vs under prodready's limits.

    .venv/bin/python bench/semgrep_memory.py            # both, one after the other, in one run
    .venv/bin/python bench/semgrep_memory.py --levels 9

Each scan runs in a fresh child interpreter, which reports the peak RSS of its own children (Semgrep and
its engine) from getrusage(RUSAGE_CHILDREN); the parent prints both and their ratio. Semgrep is offline.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from github_app import proc
from github_app.scan import OFFLINE_ENV, RULES_DIR, ScanLimits, semgrep_command

WALL_LIMIT_S = 300.0


def bomb(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def one(mode: str, levels: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "ci.yml").write_text(bomb(levels))
        limits = ScanLimits(jobs=2)
        cmd = semgrep_command(["ci.yml"], [RULES_DIR], limits=limits, engine="experimental")
        memory: int | None = limits.max_address_space_bytes
        if mode == "unbounded":  # what prodready ran before issue 10: no memory limits, no threshold
            at = cmd.index("--max-memory")
            del cmd[at:at + 2]
            cmd[cmd.index("--timeout-threshold") + 1] = "0"
            memory = None
        started = time.monotonic()
        done = proc.run(cmd, cwd=root, env=OFFLINE_ENV, timeout=WALL_LIMIT_S, check=False, max_memory_bytes=memory)
        seconds = time.monotonic() - started
        data = json.loads(done.stdout or b"{}")
        kinds = sorted({str(e.get("type")) for e in data.get("errors", [])})
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps({"mode": mode, "peak_rss_mb": round(peak_kb / 1024), "seconds": round(seconds, 1),
                          "errors": kinds}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--levels", type=int, default=11, help="alias levels: 9**levels values once expanded")
    parser.add_argument("--one", choices=["bounded", "unbounded"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.levels)
        return 0
    got = {}
    for mode in ("unbounded", "bounded"):
        done = proc.run([sys.executable, __file__, "--one", mode, "--levels", str(args.levels)],
                        timeout=WALL_LIMIT_S + 30)
        got[mode] = json.loads(done.text)
        print(done.text.strip())
    print(f"peak RSS bounded/unbounded: {got['bounded']['peak_rss_mb'] / got['unbounded']['peak_rss_mb']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
