"""The scanner against real Semgrep (offline), on files written by the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from github_app.findings import redact_secret
from github_app.scan import (
    MAX_JOBS,
    RULES_DIR,
    ScanError,
    ScanLimits,
    engine_from_env,
    jobs_from_env,
    parse_results,
    precheck,
    scan,
    semgrep_command,
)
from github_app.settings import ConfigError


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())


def test_real_semgrep_finds_and_builds_fix(tmp_path: Path, fixture_rules: Path) -> None:
    write(tmp_path, {"svc one.py": "import requests\n\ndef f():\n    return requests.get('http://x')\n"})
    result = scan(tmp_path, ["svc one.py"], [fixture_rules])
    assert [(f.rule_id, f.start_line, f.concern) for f in result.findings] == [
        ("t-requests-no-timeout", 4, "resilience")
    ]
    f = result.findings[0]
    assert f.code == "    return requests.get('http://x')"
    assert f.fix == "    return requests.get('http://x', timeout=10)"
    assert result.errors == []


def test_experimental_and_default_engines_agree(tmp_path: Path, fixture_rules: Path) -> None:
    write(tmp_path, {"a.py": "import requests\nprint(1)\nrequests.post('u')\nrequests.post('u', timeout=3)\n"})
    fast = scan(tmp_path, ["a.py"], [fixture_rules], engine="experimental")
    slow = scan(tmp_path, ["a.py"], [fixture_rules], engine="default")
    key = [(f.rule_id, f.start_line) for f in fast.findings]
    assert key == [(f.rule_id, f.start_line) for f in slow.findings]
    assert len(key) == 2


def test_skips_are_reported_not_hidden(tmp_path: Path, fixture_rules: Path) -> None:
    write(tmp_path, {
        "bin.py": b"\x00\x01\x02print(1)",
        "big.py": "print(1)\n" * 200,
        "broken.py": "def f(:\n    print(1)\n)))))\n",
    })
    limits = ScanLimits(max_file_bytes=1000)
    result = scan(tmp_path, ["bin.py", "big.py", "broken.py", "missing.py"], [fixture_rules], limits=limits)
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons["bin.py"] == "binary file"
    assert reasons["big.py"].startswith("larger than")
    assert reasons["missing.py"] == "not present at head"
    assert reasons["broken.py"].startswith("partly unparsed")
    # A partly parsed file is still scanned for what could be parsed.
    assert any(f.path == "broken.py" for f in result.findings)


BAD_RULE = ("rules:\n  - id: bad\n    languages: [python]\n    severity: ERROR\n"
            "    message: m\n    pattern-regex: '(unclosed'\n")


def test_broken_rule_beside_good_ones_is_a_scanner_error(tmp_path: Path, fixture_rules: Path) -> None:
    rules = tmp_path / "rules"
    write(rules, {"bad.yaml": BAD_RULE, "good.yaml": (fixture_rules / "t-print.yaml").read_text()})
    write(tmp_path, {"a.py": "print(1)\n"})
    result = scan(tmp_path, ["a.py"], [rules])
    assert [f.rule_id for f in result.findings] == ["t-print"]
    assert any("bad" in e for e in result.errors), result.errors


def test_only_broken_rules_fail_the_scan(tmp_path: Path) -> None:
    write(tmp_path / "rules", {"bad.yaml": BAD_RULE})
    write(tmp_path, {"a.py": "x = 1\n"})
    with pytest.raises(ScanError, match="invalid regex"):
        scan(tmp_path, ["a.py"], [tmp_path / "rules"])


def test_precheck_keeps_text_files(tmp_path: Path) -> None:
    write(tmp_path, {"ok.py": "x = 1\n"})
    targets, skipped = precheck(tmp_path, ["ok.py"], ScanLimits())
    assert targets == ["ok.py"] and skipped == []


def test_parse_results_maps_semgrep_json(tmp_path: Path) -> None:
    data = {
        "results": [{
            "check_id": "rules.resilience.python.x-rule",
            "path": "a.py",
            "start": {"line": 1, "col": 1, "offset": 0},
            "end": {"line": 1, "col": 6, "offset": 5},
            "extra": {"message": "m  \n  two", "severity": "ERROR",
                      "metadata": {"concern": "resilience", "confidence": "HIGH", "references": ["u"]}},
        }],
        "errors": [{"type": "Timeout", "message": "slow", "path": "b.py", "rule_id": "rules.perf.py.slow-rule"},
                   {"type": "Timeout", "message": "slow", "path": "c.py"}],
        "paths": {"scanned": ["a.py", "b.py", "c.py"]},
    }
    findings, skipped, errors = parse_results(data, tmp_path, {"a.py": "x = 1\n"})
    assert findings[0].rule_id == "x-rule" and findings[0].message == "m two" and findings[0].code == "x = 1"
    assert [(s.path, s.reason) for s in skipped] == [
        ("b.py", "timed out in rule slow-rule; if the file is generated or vendored, add it to review.ignore_paths"),
        ("c.py", "timed out; if the file is generated or vendored, add it to review.ignore_paths"),
    ]
    assert errors == []


def test_secret_values_are_redacted_from_messages(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write(rules, {"s.yaml": "rules:\n  - id: s\n    languages: [python]\n    severity: ERROR\n"
                            "    message: Key $K is committed. Rotate it.\n"
                            "    patterns:\n      - pattern: KEY = \"$K\"\n"
                            "    metadata: {concern: secrets, confidence: HIGH, references: [u]}\n"})
    write(tmp_path, {"a.py": 'KEY = "sk_live_abcdefghijklmnop1234"\n'})
    f = scan(tmp_path, ["a.py"], [rules]).findings[0]
    assert "sk_live_abcdefghijklmnop1234" not in f.message
    assert "sk_l…(redacted)" in f.message


@pytest.mark.parametrize(("message", "code", "expected"), [
    ('Use os.environ["LEDGER_API_KEY"], not sk_live_51Qx7bT2eZvKYlo2.', 'LEDGER_API_KEY = "sk_live_51Qx7bT2eZvKYlo2"',
     'Use os.environ["LEDGER_API_KEY"], not sk_l…(redacted).'),
    ("The password hunter2secret is in config.", "  password: hunter2secret",
     "The password hunt…(redacted) is in config."),
    ('Key "api_key" holds abcd1234efgh5678.', '{"api_key": "abcd1234efgh5678"}',
     'Key "api_key" holds abcd…(redacted).'),
    ("Connection postgres://app:pa55word@db/x leaks.", 'DSN = "postgres://app:pa55word@db/x"',
     "Connection post…(redacted) leaks."),
])
def test_redaction_masks_the_value_and_keeps_the_name(message: str, code: str, expected: str) -> None:
    assert redact_secret(message, code) == expected


def test_semgrep_runs_one_process_per_core_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert jobs_from_env({}) == MAX_JOBS
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert jobs_from_env({}) == 1
    assert jobs_from_env({"PRODREADY_SEMGREP_JOBS": " 3 "}) == 3
    cmd = semgrep_command(["a.py"], [Path("rules")], limits=ScanLimits(jobs=3), engine="experimental")
    assert cmd[cmd.index("--jobs") + 1] == "3"


@pytest.mark.parametrize("raw", ["0", "-1", "many", "65"])
def test_a_bad_jobs_setting_is_named_not_ignored(raw: str) -> None:
    with pytest.raises(ConfigError, match="PRODREADY_SEMGREP_JOBS"):
        jobs_from_env({"PRODREADY_SEMGREP_JOBS": raw})


def test_engine_setting() -> None:
    assert engine_from_env({}) == "experimental"
    assert engine_from_env({"PRODREADY_SEMGREP_ENGINE": "Default"}) == "default"
    with pytest.raises(ConfigError, match="PRODREADY_SEMGREP_ENGINE"):
        engine_from_env({"PRODREADY_SEMGREP_ENGINE": "osemgrep"})


def test_real_rule_fix_becomes_whole_replacement_lines(tmp_path: Path) -> None:
    """A rule from rules/ with a fix-regex: a multi-line call gets its lines rewritten, a no-op fix is dropped."""
    rule = RULES_DIR / "resilience/python/py-requests-no-timeout.yaml"
    write(tmp_path, {"svc.py": (
        "import requests\n"
        "\n"
        "def push(payload):\n"
        "    resp = requests.post(\n"
        "        'https://hooks.example.com/in',\n"
        "        json=payload,\n"
        "    )\n"
        "    return resp\n"
        "\n"
        "def get(url):\n"
        "    return requests.get(url)  # one line\n"
        "\n"
        "def commented(url):\n"
        "    return requests.get(\n"
        "        url,  # a comment leaves no clear insertion point\n"
        "    )\n"
    )})
    result = scan(tmp_path, ["svc.py"], [rule])
    assert result.errors == []
    by_line = {f.start_line: f for f in result.findings}
    assert sorted(by_line) == [4, 11, 14]
    multi = by_line[4]
    assert (multi.rule_id, multi.end_line) == ("py-requests-no-timeout", 7)
    assert multi.fix == (
        "    resp = requests.post(\n"
        "        'https://hooks.example.com/in',\n"
        "        json=payload, timeout=(3.05, 30),\n"
        "    )"
    )
    assert by_line[11].fix == "    return requests.get(url, timeout=(3.05, 30))  # one line"
    # The fix-regex does not match a call with a comment inside; Semgrep then returns the text unchanged.
    assert by_line[14].fix is None


def test_real_dockerfile_rule_fix_extends_the_install_word(tmp_path: Path) -> None:
    """docker-apt-install-recommends matches from `install` on (\\K), so its fix leaves the rest of the RUN as is."""
    rule = RULES_DIR / "infrastructure/dockerfile/docker-apt-install-recommends.yaml"
    write(tmp_path, {"Dockerfile": (
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update \\\n"
        " && apt-get -y install \\\n"
        "      libpq5 \\\n"
        " && rm -rf /var/lib/apt/lists/*\n"
    )})
    result = scan(tmp_path, ["Dockerfile"], [rule])
    assert result.errors == []
    [f] = result.findings
    assert (f.rule_id, f.start_line, f.end_line) == ("docker-apt-install-recommends", 3, 3)
    assert f.fix == " && apt-get -y install --no-install-recommends \\"


def yaml_bomb(levels: int = 11) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_semgrep_runs_under_memory_limits_and_per_file_timeouts() -> None:
    cmd = semgrep_command(["a.py"], [RULES_DIR], limits=ScanLimits(jobs=1), engine="experimental")
    for flag, value in (("--max-memory", "512"), ("--timeout", "10"), ("--timeout-threshold", "3")):
        assert cmd[cmd.index(flag) + 1] == value


def test_a_yaml_bomb_in_a_pr_file_costs_one_skipped_file(tmp_path: Path) -> None:
    # bench/semgrep_memory.py measures the peak RSS: 1.1-2.6 GB unbounded, ~0.8 GB under the limits.
    write(tmp_path, {".github/workflows/ci.yml": yaml_bomb(),
                     "svc/a.py": "import requests\n\ndef f():\n    return requests.get('http://x')\n"})
    result = scan(tmp_path, [".github/workflows/ci.yml", "svc/a.py"], [RULES_DIR], limits=ScanLimits(jobs=2))
    cut = {s.path: (s.reason, s.kind) for s in result.skipped}
    assert cut[".github/workflows/ci.yml"][1] == "timeout", result.skipped
    assert cut[".github/workflows/ci.yml"][0] in ("exceeded the memory limit", "timed out")
    assert "svc/a.py" not in cut
    assert "py-requests-no-timeout" in {f.rule_id for f in result.findings}, "the other file is still reviewed"


def test_a_whole_scan_timeout_reports_every_target_instead_of_failing(tmp_path: Path, fixture_rules: Path) -> None:
    write(tmp_path, {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    result = scan(tmp_path, ["a.py", "b.py"], [fixture_rules], limits=ScanLimits(scan_timeout_s=0.01, jobs=1))
    assert [(s.path, s.kind) for s in result.skipped] == [("a.py", "timeout"), ("b.py", "timeout")]
    assert all("the whole scan timed out after 0.01 s" in s.reason for s in result.skipped)
