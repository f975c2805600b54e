"""The GitHub Action: action.yml's steps run as the runner would, on repositories built here.

The review step is action/review.sh, run with the variables a pull_request job has; the gate step is
action.yml's own `run:` line. prodready is the one in this venv (PRODREADY_BIN): installing it from a
wheel outside the checkout is tests/test_wheel.py's job."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import GitRepo

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
SCRIPT = ROOT / "action" / "review.sh"
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif-2.1.0-subset.json"
OLD = "import requests\n\n\ndef old():\n    return requests.get('http://a', timeout=5)\n"
NEW = OLD + "\n\ndef new():\n    return requests.get('http://b')\n"
AI = "Add new()\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line)


def run_review_step(work: Path, tmp: Path, *, install: bool = False,
                    **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    runner = tmp / "runner"
    runner.mkdir(exist_ok=True)
    summary, out = runner / "summary.md", runner / "output"
    summary.write_text("")
    out.write_text("")
    step = ACTION["runs"]["steps"][0]
    # The step's env with its ${{ inputs.x }} filled in from the inputs' defaults and the test's values.
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    env = {k: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(v))
           for k, v in step["env"].items()}
    env |= {"PATH": os.environ["PATH"], "HOME": str(tmp), "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(out),
            "RUNNER_TEMP": str(runner), "GITHUB_ACTION_PATH": str(ROOT)}
    if not install:
        env["PRODREADY_BIN"] = str(Path(sys.executable).parent / "prodready")
    command = step["run"].replace('"$GITHUB_ACTION_PATH/action/review.sh"', str(SCRIPT))
    done = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    return done, outputs(out), summary.read_text()


def gate(exit_code: str | None) -> int:
    step = ACTION["runs"]["steps"][-1]
    env = {"PATH": os.environ["PATH"]} | ({"PRODREADY_EXIT": exit_code} if exit_code is not None else {})
    return subprocess.run(["bash", "-c", step["run"]], env=env, timeout=30).returncode


@pytest.fixture
def pr_checkout(git_repo: Callable[[], GitRepo], tmp_path: Path) -> Callable[..., Path]:
    origin = git_repo()
    origin.commit({"svc.py": OLD}, "init")
    origin.git("checkout", "-q", "-b", "feature")
    origin.commit({"svc.py": NEW}, AI)
    origin.git("checkout", "-q", "main")

    def checkout(*args: str) -> Path:
        dest = tmp_path / f"checkout{len(list(tmp_path.glob('checkout*')))}"
        subprocess.run(["git", "clone", "-q", *args, "--branch", "feature", f"file://{origin.root}", str(dest)],
                       check=True, capture_output=True, timeout=60)
        return dest

    return checkout


def test_the_review_step_writes_the_summary_outputs_and_sarif(pr_checkout: Callable[..., Path],
                                                               tmp_path: Path) -> None:
    done, out, summary = run_review_step(pr_checkout(), tmp_path, **{"upload-sarif": "true"})
    assert done.returncode == 0, done.stderr  # the step itself passes; the gate step fails the job
    assert out["exit-code"] == "1"
    assert summary.startswith("## prodready\n\n````text\n")
    assert "py-requests-no-timeout" in summary and "svc.py" in summary
    sarif: dict[str, Any] = json.loads(Path(out["sarif-file"]).read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"]] == [9]
    assert gate(out["exit-code"]) == 1


def test_fail_on_none_passes_the_gate(pr_checkout: Callable[..., Path], tmp_path: Path) -> None:
    done, out, summary = run_review_step(pr_checkout(), tmp_path, **{"fail-on": "none"})
    assert done.returncode == 0 and out["exit-code"] == "0" and "sarif-file" not in out
    assert "py-requests-no-timeout" in summary
    assert gate(out["exit-code"]) == 0


def test_a_shallow_checkout_fails_with_the_fix_in_the_summary(pr_checkout: Callable[..., Path],
                                                              tmp_path: Path) -> None:
    done, out, summary = run_review_step(pr_checkout("--depth", "1"), tmp_path)
    assert out["exit-code"] == "2"
    assert "fetch the base: `fetch-depth: 0` in actions/checkout, or `git fetch origin main`" in summary
    assert "fetch-depth: 0" in done.stderr
    assert gate(out["exit-code"]) == 2


def test_a_broken_review_step_fails_the_gate_closed() -> None:
    assert gate(None) == 2


def test_action_yml_pins_actions_and_keeps_inputs_out_of_commands() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        if "run" in step:
            assert "${{" not in step["run"], "expressions in run: are a script-injection path; use env"
    upload = next(s for s in ACTION["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert "always()" in upload["if"]  # a blocked review still reaches code scanning
    assert os.access(SCRIPT, os.X_OK)


@pytest.mark.slow
def test_the_review_step_installs_prodready_itself(pr_checkout: Callable[..., Path], tmp_path: Path) -> None:
    # As on a runner: no prodready yet; the step makes a venv in RUNNER_TEMP and installs the Action's
    # own checkout under constraints.txt.
    done, out, summary = run_review_step(pr_checkout(), tmp_path, install=True)
    assert out["exit-code"] == "1", done.stdout[-2000:] + done.stderr[-2000:]
    assert (tmp_path / "runner" / "prodready-venv" / "bin" / "prodready").exists()
    assert "py-requests-no-timeout" in summary
