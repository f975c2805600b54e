"""The fault suite: real processes on loopback under injected faults; nothing lost, doubled or stuck.

See tests/e2e/faults.py for the scenario; bench/faults.py runs the same and saves the counts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e.faults import run_scenario

PRS = 50
RECOVER_WITHIN_S = 60.0


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["redis", "sqlite"])
def test_nothing_is_lost_doubled_or_stuck_under_faults(mode: str, tmp_path: Path) -> None:
    if mode == "redis" and shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (CI installs it)")
    counts = run_scenario(tmp_path, mode, PRS)
    line = json.dumps(counts.as_dict())
    print(f"fault suite counts: {line}")
    (tmp_path / "counts.json").write_text(line)
    assert counts.killed, counts.problems
    assert (counts.lost, counts.doubled, counts.stuck, counts.wrong_comments) == (0, 0, 0, 0), counts.problems
    assert counts.recover_s is not None and counts.recover_s <= RECOVER_WITHIN_S, counts.as_dict()
    assert counts.faults_injected > 0 and counts.duplicate_sends > 0
    assert not counts.problems, counts.problems
