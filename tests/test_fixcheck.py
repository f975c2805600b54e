"""Suggested fixes are cut from the right bytes and offered only when the fixed file still parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from github_app.findings import Finding, Severity
from github_app.fixcheck import apply_fix, language_of, parse_error_paths, python_parses, tree_parses
from github_app.scan import RULES_DIR, scan

PY_RULE = RULES_DIR / "resilience/python/py-requests-no-timeout.yaml"
GO_RULE = RULES_DIR / "access-control/go/go-tls-insecure-skip-verify.yaml"
JS_RULE = RULES_DIR / "access-control/javascript/js-tls-verification-disabled.yaml"


def write(root: Path, name: str, data: bytes) -> None:
    (root / name).write_bytes(data)


@pytest.mark.parametrize("before", [
    "MSG = 'café 🚀 déjà'\n",           # emoji and accents on an earlier line
    "TITLE = '中文标题 日本語のテキスト'\n",  # CJK: three bytes a character
    "# 🚀🚀🚀\r\nX = 1\r\n",                 # CRLF line endings before the finding
])
def test_python_fix_after_non_ascii_text_lands_on_the_call(tmp_path: Path, before: str) -> None:
    src = "import requests\n" + before + "\ndef f(url):\n    note = '✓'; return requests.get(url)\n"
    write(tmp_path, "svc.py", src.encode())
    [f] = scan(tmp_path, ["svc.py"], [PY_RULE]).findings
    assert f.code == "    note = '✓'; return requests.get(url)"
    assert f.fix == "    note = '✓'; return requests.get(url, timeout=(3.05, 30))"
    fixed = apply_fix((tmp_path / "svc.py").read_bytes(), f)
    assert fixed is not None and python_parses(fixed)
    assert fixed.decode().endswith("requests.get(url, timeout=(3.05, 30))\n")


def test_go_fix_after_emoji_is_exact(tmp_path: Path) -> None:
    src = (
        'package main\n\nimport "crypto/tls"\n\n'
        'var banner = "🚀 launch 中文"\n\n'
        'func cfg() *tls.Config {\n\treturn &tls.Config{InsecureSkipVerify: true} // ✓\n}\n'
    )
    write(tmp_path, "tls.go", src.encode())
    [f] = scan(tmp_path, ["tls.go"], [GO_RULE]).findings
    assert f.fix == "\treturn &tls.Config{InsecureSkipVerify: false} // ✓"


def test_js_fix_with_crlf_and_cjk_is_exact(tmp_path: Path) -> None:
    src = ("const t = '日本語';\r\nconst https = require('https');\r\n"
           "const a = new https.Agent({ rejectUnauthorized: false });\r\n")
    write(tmp_path, "agent.js", src.encode())
    [f] = scan(tmp_path, ["agent.js"], [JS_RULE]).findings
    assert f.fix == "const a = new https.Agent({ rejectUnauthorized: true });"


BREAKING_RULE = """rules:
  - id: t-breaks-{lang}
    languages: [{lang}]
    severity: WARNING
    message: a rule whose fix leaves the code unparsable
    pattern: {pattern}
    fix: {fix}
    metadata: {{concern: resilience}}
"""


@pytest.mark.parametrize(("lang", "name", "src", "pattern", "good", "bad"), [
    ("python", "a.py", "import requests\nrequests.get(u)\n", "requests.get($U)",
     "requests.get($U, timeout=5)", "requests.get($U, timeout="),
    ("js", "a.js", "const r = fetch(u);\n", "fetch($U)", "fetch($U, {})", "fetch($U, {"),
    ("go", "a.go", "package main\n\nfunc f() {\n\tcall(u)\n}\n", "call($U)", "call($U, 5)", "call($U) {{ if"),
])
def test_a_fix_that_breaks_the_parse_is_dropped(tmp_path: Path, lang: str, name: str, src: str,
                                                pattern: str, good: str, bad: str) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for kind, fix in (("good", good), ("bad", bad)):
        rule = BREAKING_RULE.format(lang=lang, pattern=f"'{pattern}'", fix=f"'{fix}'").replace(
            f"t-breaks-{lang}", f"t-{kind}-{lang}")
        (rules / f"{kind}.yaml").write_text(rule)
    code = tmp_path / "code"
    code.mkdir()
    write(code, name, src.encode())
    result = scan(code, [name], [rules])
    fixes = {f.rule_id: f.fix for f in result.findings}
    assert set(fixes) == {f"t-good-{lang}", f"t-bad-{lang}"}
    assert fixes[f"t-good-{lang}"] is not None
    assert fixes[f"t-bad-{lang}"] is None


def test_language_of_file_shapes() -> None:
    assert language_of("svc/app.py") == "python"
    assert language_of("web/x.tsx") == "ts"
    assert language_of("Dockerfile") == "dockerfile"
    assert language_of("build/Dockerfile.prod") == "dockerfile"
    assert language_of("api.Dockerfile") == "dockerfile"
    assert language_of("Containerfile") == "dockerfile"
    assert language_of("deploy/k8s.yml") == "yaml"
    assert language_of("main.tf") == "hcl"
    assert language_of("README") is None


def _finding(start: int, end: int, fix: str | None) -> Finding:
    return Finding("r", "resilience", Severity.WARNING, "a.py", start, end, "m", fix=fix)


def test_apply_fix_keeps_line_endings_and_refuses_out_of_range() -> None:
    raw = b"a = 1\r\nb = 2\r\nc = 3"
    assert apply_fix(raw, _finding(2, 2, "b = 3")) == b"a = 1\r\nb = 3\r\nc = 3"
    assert apply_fix(raw, _finding(3, 3, "c = 4")) == b"a = 1\r\nb = 2\r\nc = 4"
    assert apply_fix(raw, _finding(3, 4, "x")) is None
    assert apply_fix(raw, _finding(1, 1, None)) is None


def test_python_parses_and_parse_error_paths() -> None:
    assert python_parses(b"x = (1,\n 2)\n")
    assert not python_parses(b"x = (1,\n")
    assert not python_parses(b"x = 1\0\n")
    data = {"errors": [{"path": "0/a.go"}], "paths": {"skipped": [
        {"path": "1/b.js", "reason": "analysis_failed_parser_or_internal_error"},
        {"path": "2/c.js", "reason": "excluded_by_config"}]}}
    assert parse_error_paths(data) == {"0/a.go", "1/b.js"}


def test_tree_sitter_judges_js_ts_go_java_fixes_and_defers_what_it_cannot() -> None:
    # These languages are judged in-process; only None sends a file to the extra Semgrep parse run.
    assert tree_parses("a.js", b"fetch(u);\n", b"fetch(u, {});\n") is True
    assert tree_parses("a.ts", b"let x: number = f(u);\n", b"let x: number = f(u, {);\n") is False
    assert tree_parses("web/A.TSX", b"const a = <div>{f(u)}</div>;\n", b"const a = <div>{f(u, 1)}</div>;\n") is True
    assert tree_parses("a.go", b"package m\n\nfunc f() { g(u) }\n", b"package m\n\nfunc f() { g(u }\n") is False
    assert tree_parses("A.java", b"class A { void f() { g(u); } }\n", b"class A { void f() { g(u, 5); } }\n") is True
    # No grammar here (HCL), or the grammar already fails on the original: Semgrep decides.
    assert tree_parses("main.tf", b"a = 1\n", b"a = 2\n") is None
    assert tree_parses("a.js", b"fetch(u, {\n", b"fetch(u, {})\n") is None
