from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from github_app.cli import main
from github_app.export import FORMATS, collect, export_instructions, file_languages, instruction, sentences
from github_app.policy import Layer, default_policy, load_policy
from github_app.scan import RULES_DIR
from tests.conftest import GitRepo

RULE = """rules:
  - id: {id}
    languages: [{lang}]
    severity: {severity}
    message: >-
      {message}
    pattern: x(...)
    metadata: {{concern: {concern}, confidence: HIGH, references: []}}
"""

RULES = {
    "resilience/python/py-requests-no-timeout.yaml": dict(
        id="py-requests-no-timeout",
        lang="python",
        severity="ERROR",
        concern="resilience",
        message="$CALL() is called without a timeout. requests waits forever by default, so a dead server "
        "hangs this worker. Pass timeout=(connect, read), e.g. timeout=(3.05, 30).",
    ),
    "secrets/generic/secret-slack-token.yaml": dict(
        id="secret-slack-token",
        lang="generic",
        severity="ERROR",
        concern="secrets",
        message="A Slack token ($TOKEN) is committed here. Anyone with the code can post as the app. "
        "Revoke it and load it from the environment.",
    ),
    "observability/go/go-fmt-print.yaml": dict(
        id="go-fmt-print",
        lang="go",
        severity="INFO",
        concern="observability",
        message="fmt.$FUNC writes to stdout from a handler. Stdout lines have no level. "
        "Use the service's logger.",
    ),
}


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    for rel, fields in RULES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(RULE.format(**fields))
    return root


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two. Three.", ["One.", "Two.", "Three."]),
        ("Pass a timeout, e.g. Timeout(3). Done.", ["Pass a timeout, e.g. Timeout(3).", "Done."]),
        ("A key (ASIA. STS keys) leaks. Rotate it.", ["A key (ASIA. STS keys) leaks.", "Rotate it."]),
        (
            "Use `for (x of y) { await f(). }` instead. Why.",
            ["Use `for (x of y) { await f(). }` instead.", "Why."],
        ),
        ("It hangs. requests waits forever. Fix it.", ["It hangs.", "requests waits forever.", "Fix it."]),
        ("A key is passed as …=... here. It leaks. Fix.", ["A key is passed as …=... here.", "It leaks.", "Fix."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("message", "do", "why"),
    [
        ("What is wrong. Why it matters. What to do.", "What to do.", "Why it matters."),
        ("What is wrong. What to do.", "What to do.", "What is wrong."),
        ("Only one sentence.", "Only one sentence.", ""),
        ("A token ($TOKEN) is here. Anyone can use $TOKEN. Revoke it.", "Revoke it.", "Anyone can use …."),
        ("", "", ""),
    ],
)
def test_instruction_is_the_fix_and_the_reason(message: str, do: str, why: str) -> None:
    assert instruction(message) == (do, why)


def test_rules_are_grouped_by_concern_one_line_each(rules_dir: Path) -> None:
    text = export_instructions(default_policy(), rules_dir, "agents-md")
    assert text.index("## Secrets") < text.index("## Resilience") < text.index("## Observability")
    line = next(x for x in text.splitlines() if "`py-requests-no-timeout`" in x)
    assert line == (
        "- `py-requests-no-timeout` (python, blocks merge): Pass timeout=(connect, read), "
        "e.g. timeout=(3.05, 30). Why: requests waits forever by default, so a dead server hangs "
        "this worker."
    )
    assert "- `secret-slack-token` (any file, blocks merge): Revoke it" in text
    assert "- `go-fmt-print` (go): Use the service's logger." in text  # INFO: below the AI gate
    assert "$" not in text


def test_disabled_rules_and_concerns_are_left_out(rules_dir: Path) -> None:
    policy = load_policy(
        [Layer("repo", "concerns: {secrets: {enabled: false}}\nrules: {go-fmt-print: {enabled: false}}\n")]
    )
    text = export_instructions(policy, rules_dir, "agents-md")
    assert "secret-slack-token" not in text and "## Secrets" not in text
    assert "go-fmt-print" not in text and "## Observability" not in text
    assert "py-requests-no-timeout" in text


def test_severity_overrides_and_gate_decide_what_blocks(rules_dir: Path) -> None:
    policy = load_policy([Layer("repo", "gate: {ai: ERROR}\nrules: {go-fmt-print: {severity: ERROR}}\n")])
    text = export_instructions(policy, rules_dir, "agents-md")
    assert "- `go-fmt-print` (go, blocks merge)" in text
    assert "ERROR and above block the merge" in text


def test_policy_context_is_stated(rules_dir: Path) -> None:
    policy = load_policy(
        [
            Layer(
                "repo",
                "names: {auth_decorators: [login_required]}\n"
                "review: {ignore_paths: ['vendor/**']}\n"
                "suppressions: {require_reason: true}\n",
            )
        ]
    )
    text = export_instructions(policy, rules_dir, "copilot-instructions")
    assert "`login_required`" in text and "`vendor/**`" in text
    assert "the reason is required" in text and "prodready-suppression-without-reason" in text
    assert policy.sha256[:16] in text


def test_extra_rules_from_the_repository_are_included_when_valid(rules_dir: Path) -> None:
    extra = {
        ".prodready/rules/acme.yaml": RULE.format(
            id="acme-no-raw-sql",
            lang="python",
            severity="WARNING",
            concern="performance",
            message="Raw SQL. It skips the pool. Use db.query().",
        ),
        ".prodready/rules/broken.yaml": "rules: [\n",
    }
    text = export_instructions(default_policy(), rules_dir, "agents-md", extra_rules=extra)
    assert "- `acme-no-raw-sql` (python, blocks merge): Use db.query(). Why: It skips the pool." in text
    off = load_policy([Layer("repo", "extra_rules: {enabled: false}\n")])
    assert "acme-no-raw-sql" not in export_instructions(off, rules_dir, "agents-md", extra_rules=extra)


@pytest.mark.parametrize(("path", "languages"), [
    ("app/web.py", {"python"}), ("src/x.tsx", {"typescript"}), ("Dockerfile", {"dockerfile"}),
    ("deploy/Dockerfile.prod", {"dockerfile"}), ("infra/main.tf", {"hcl"}), (".github/workflows/ci.yml", {"yaml"}),
    ("README.md", set()), ("package.json", {"json"}),
])
def test_file_languages(path: str, languages: set[str]) -> None:
    assert file_languages(path) == languages


def test_only_rules_for_the_repositorys_files_are_listed(rules_dir: Path) -> None:
    text = export_instructions(default_policy(), rules_dir, "agents-md", repo_files=["app/web.py", "README.md"],
                               ref="0123456789abcdef")
    assert "`py-requests-no-timeout`" in text and "`secret-slack-token`" in text  # any-file rules stay
    assert "go-fmt-print" not in text
    assert ("- Listed: the rules for the files in this repository at 0123456789ab (python); 1 rules for other "
            "languages and file kinds are left out.") in text
    with_go = export_instructions(default_policy(), rules_dir, "agents-md", repo_files=["cmd/main.go"])
    assert "go-fmt-print" in with_go and "py-requests-no-timeout" not in with_go


def test_a_rule_limited_to_some_paths_is_listed_only_when_such_a_file_exists(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    (root / "supply-chain").mkdir(parents=True)
    (root / "supply-chain" / "manifest-reqs.yaml").write_text(RULE.format(
        id="manifest-reqs", lang="regex", severity="WARNING", concern="supply-chain",
        message="A requirement is unpinned. Builds drift. Pin it.").replace(
        "    pattern: x(...)\n", "    pattern-regex: x\n    paths: {include: ['*requirements*.txt']}\n"))
    assert "manifest-reqs" in export_instructions(default_policy(), root, "agents-md",
                                                  repo_files=["requirements/base-requirements.txt"])
    assert "manifest-reqs" not in export_instructions(default_policy(), root, "agents-md", repo_files=["a.py"])


def test_provider_key_formats_share_one_line(rules_dir: Path) -> None:
    aws = RULES["secrets/generic/secret-slack-token.yaml"] | {"id": "secret-aws-key"}
    (rules_dir / "secrets" / "generic" / "secret-aws-key.yaml").write_text(RULE.format(**aws))
    text = export_instructions(default_policy(), rules_dir, "agents-md")
    assert ("- Provider keys and tokens, 2 formats (any file, blocks merge): `secret-aws-key`, "
            "`secret-slack-token`. Never commit a credential") in text
    assert "- `secret-slack-token`" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format(rules_dir: Path, fmt: str) -> None:
    text = export_instructions(default_policy(), rules_dir, fmt)
    assert text.endswith("\n") and "# Production readiness" in text
    if fmt == "cursor-rules":
        assert text.startswith("---\ndescription: ") and "\nalwaysApply: true\n---\n" in text
    else:
        assert text.startswith("# ")


def test_unknown_format_is_refused(rules_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export_instructions(default_policy(), rules_dir, "windsurf-rules")


def test_the_shipped_rules_all_render() -> None:
    lines = collect(default_policy(), RULES_DIR)
    assert lines, "no rules found"
    metavariable = re.compile(r"\$[A-Z_]")
    for line in lines:
        assert line.do and not metavariable.search(line.do + line.why), line.rule_id


@pytest.fixture
def repo(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({".github/prodready.yml": "concerns: {secrets: {enabled: false}}\n", "a.py": "x = 1\n"}, "init")
    return r


def test_cli_export_reads_the_policy_at_the_ref(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, rules_dir: Path
) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit({".github/prodready.yml": "gate: {ai: ERROR}\n"}, "change policy")
    assert (
        main(
            [
                "policy",
                "export",
                "--format",
                "agents-md",
                "--repo",
                str(repo.root),
                "--ref",
                first,
                "--rules",
                str(rules_dir),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "## Secrets" not in out and "WARNING and above" in out
    assert (
        main(
            ["policy", "export", "--format", "agents-md", "--repo", str(repo.root), "--rules", str(rules_dir)]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "## Secrets" in out and "ERROR and above" in out
    assert "go-fmt-print" not in out and "1 rules for other languages" in out  # the repository has no Go
    argv = ["policy", "export", "--format", "agents-md", "--repo", str(repo.root), "--rules", str(rules_dir)]
    assert main([*argv, "--languages", "all"]) == 0
    out = capsys.readouterr().out
    assert "go-fmt-print" in out and "left out" not in out


@pytest.mark.parametrize(
    ("text", "code", "out"),
    [
        ("gate: {ai: ERROR}\n", 0, "valid (effective policy sha256 "),
        ("gate: {ai: x}\nfoo: 1\n", 2, 'gate.ai: "x" is not one of'),
        ("gate: [\n", 2, "not valid YAML"),
    ],
)
def test_cli_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, code: int, out: str
) -> None:
    path = tmp_path / "prodready.yml"
    path.write_text(text)
    assert main(["policy", "validate", str(path)]) == code
    printed = capsys.readouterr().out
    assert out in printed
    if code:
        assert all(line.startswith(f"{path}: ") for line in printed.splitlines())


def test_cli_validate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["policy", "validate", str(tmp_path / "nope.yml")]) == 2
    assert "cannot read" in capsys.readouterr().err
