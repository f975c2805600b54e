from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from github_app.authorship import Authorship
from github_app.findings import Finding, Severity
from github_app.policy import (
    DEFAULTS,
    DEFAULTS_SOURCE,
    POLICY_CHANGE_NOTE,
    SCHEMA_PATH,
    Layer,
    apply_rule_settings,
    check_extra_rules,
    decide,
    default_policy,
    load_policy,
    should_review,
    signals_from,
    touches_policy,
    validate_text,
)

ORG = "acme/.github@main:.github/prodready.yml"
REPO = "acme/api@main:.github/prodready.yml"


def finding(
    rule_id: str = "r1", concern: str = "resilience", severity: Severity = Severity.WARNING
) -> Finding:
    return Finding(rule_id, concern, severity, "a.py", 1, 1, "m")


def test_the_schema_is_valid_2020_12_and_the_defaults_obey_it() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(DEFAULTS)


def test_the_schema_ships_as_package_data() -> None:
    assert SCHEMA_PATH.parent.name == "github_app" and SCHEMA_PATH.suffix == ".json"


def test_defaults_alone() -> None:
    p = default_policy()
    assert p.sources == (DEFAULTS_SOURCE,) and p.problems == ()
    assert p.gate(True) is Severity.WARNING and p.gate(False) is None
    assert p.max_inline_comments == 25 and p.filter_mode == "new"
    assert p.require_reason_for(True) is True and p.require_reason_for(False) is False
    assert p.on_error == "failure" and p.partial("caps") == "judge" and p.partial("timeouts") == "failure"
    assert len(p.sha256) == 64 and p.sha256 == default_policy().sha256


def test_layers_apply_in_order_and_are_named() -> None:
    org = Layer(ORG, "gate: {ai: ERROR, human: WARNING}\nmax_inline_comments: 10\n")
    repo = Layer(REPO, "gate: {ai: INFO}\n")
    p = load_policy([org, repo])
    assert p.sources == (DEFAULTS_SOURCE, ORG, REPO)
    assert p.gate(True) is Severity.INFO  # the repo's value wins
    assert p.gate(False) is Severity.WARNING  # the org's sibling key stays
    assert p.max_inline_comments == 10
    assert p.problems == ()


def test_absent_and_empty_layers_are_skipped_without_a_problem() -> None:
    p = load_policy([Layer(ORG, None), Layer(REPO, "# nothing set yet\n")])
    assert p.sources == (DEFAULTS_SOURCE,) and p.problems == ()


def test_the_hash_follows_the_effective_settings_not_the_text() -> None:
    a = load_policy([Layer(REPO, "gate: {ai: ERROR}\n")])
    b = load_policy([Layer(REPO, "# same setting, other text\ngate:\n  ai: ERROR\n")])
    c = load_policy([Layer(REPO, "gate: {ai: INFO}\n")])
    assert a.sha256 == b.sha256 != c.sha256


# (repo layer text, problem must contain, key path, effective value that applies instead)
INVALID: list[tuple[str, str, tuple[str, ...], Any]] = [
    (
        "gate: {ai: sometimes}\n",
        'gate.ai: "sometimes" is not one of ERROR, WARNING, INFO, NONE; using "WARNING"',
        ("gate", "ai"),
        "WARNING",
    ),
    (
        "max_inline_comment: 3\n",
        "max_inline_comment: unknown key (did you mean 'max_inline_comments'?); ignored",
        ("max_inline_comments",),
        25,
    ),
    (
        "max_inline_comments: -1\n",
        "max_inline_comments: -1 is less than the minimum of 0; using 25",
        ("max_inline_comments",),
        25,
    ),
    (
        "review: {drafts: 'yes'}\n",
        'review.drafts: "yes" is not of type boolean; using false',
        ("review", "drafts"),
        False,
    ),
    (
        "review: {authors: humans}\n",
        'review.authors: "humans" is not one of all, ai-only; using "all"',
        ("review", "authors"),
        "all",
    ),
    (
        "review: {ignore_paths: [vendor/, 3]}\n",
        "review.ignore_paths: item 2 (3) is invalid",
        ("review", "ignore_paths"),
        [],
    ),
    (
        "concerns: {resilence: {enabled: false}}\n",
        "concerns.resilence: unknown concern (did you mean 'resilience'?)",
        ("concerns", "resilience"),
        None,
    ),
    (
        "rules: {r1: {severity: HIGH}}\n",
        'rules.r1.severity: "HIGH" is not one of ERROR, WARNING, INFO; using the rules\' own severity',
        ("rules", "r1"),
        {},
    ),
    (
        "rules: {r1: {enabeld: false}}\n",
        "rules.r1.enabeld: unknown key (did you mean 'enabled'?)",
        ("rules", "r1"),
        {},
    ),
    (
        "names: {auth_decorators: ['not an identifier']}\n",
        "names.auth_decorators: item 1",
        ("names", "auth_decorators"),
        [],
    ),
    (
        "authorship: {bots: devin}\n",
        'authorship.bots: "devin" is not of type array; using []',
        ("authorship", "bots"),
        [],
    ),
    (
        "authorship: {assisted: yes}\n",
        'authorship.assisted: true is not one of ignore, ai; using "ignore"',
        ("authorship", "assisted"),
        "ignore",
    ),
    (
        "filter: everything\n",
        'filter: "everything" is not one of new, added, diff_context, file, nofilter; using "new"',
        ("filter",),
        "new",
    ),
]


@pytest.mark.parametrize(("text", "problem", "path", "value"), INVALID, ids=[t for t, *_ in INVALID])
def test_an_invalid_key_is_named_dropped_and_what_applies_is_said(
    text: str, problem: str, path: tuple[str, ...], value: Any
) -> None:
    p = load_policy([Layer(REPO, text)])
    assert len(p.problems) == 1, p.problems
    assert p.problems[0].startswith(f"{REPO}: ")
    assert problem in p.problems[0]
    node: Any = p.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    assert node == value
    assert REPO in p.sources  # the rest of the layer still applies


def test_only_the_offending_key_is_dropped_not_its_siblings() -> None:
    p = load_policy([Layer(REPO, "gate: {ai: sometimes, human: ERROR}\nmax_inline_comments: 5\n")])
    assert p.gate(True) is Severity.WARNING and p.gate(False) is Severity.ERROR and p.max_inline_comments == 5


def test_a_bad_repo_key_falls_back_to_the_org_value_and_says_so() -> None:
    p = load_policy([Layer(ORG, "gate: {ai: ERROR}\n"), Layer(REPO, "gate: {ai: blocker}\n")])
    assert p.gate(True) is Severity.ERROR
    assert p.problems == (
        f'{REPO}: gate.ai: "blocker" is not one of ERROR, WARNING, INFO, NONE; using "ERROR"',
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("gate: [ai\n", "not valid YAML at line"),
        ("- gate\n- ai\n", "the top level must be a mapping of settings, not list"),
        ("just text\n", "the top level must be a mapping of settings, not str"),
    ],
)
def test_an_unusable_file_is_ignored_whole_and_says_what_applies(text: str, problem: str) -> None:
    p = load_policy([Layer(ORG, "gate: {ai: ERROR}\n"), Layer(REPO, text)])
    assert p.gate(True) is Severity.ERROR
    assert len(p.problems) == 1
    assert p.problems[0].startswith(f"{REPO}: {problem}")
    assert f"using the settings of the layers below it ({DEFAULTS_SOURCE}, {ORG})" in p.problems[0]
    assert REPO not in p.sources


def test_validate_text_reports_one_line_per_problem() -> None:
    assert validate_text("gate: {ai: ERROR}\n", "p.yml") == []
    lines = validate_text("gate: {ai: x}\nfoo: 1\n", "p.yml")
    assert len(lines) == 2 and all(line.startswith("p.yml: ") for line in lines)


def test_every_documented_key_validates() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "policy.md").read_text()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    p = load_policy([Layer("docs/policy.md", example)])
    assert p.problems == ()
    documented = load_policy([Layer("docs", example)]).data
    example_keys = yaml.safe_load(example)
    assert set(example_keys) == set(DEFAULTS)
    for section in ("review", "gate", "extra_rules", "authorship", "suppressions", "partial", "dependencies"):
        assert set(example_keys[section]) == set(DEFAULTS[section]), section
    assert documented["names"]["auth_decorators"]


AI = Authorship(True, "Claude Code", "commit abc trailer")
HUMAN = Authorship(False)

# (policy, authorship, draft, base, reviewed?, reason contains)
SHOULD: list[tuple[str, Authorship, bool, str, bool, str]] = [
    ("", HUMAN, False, "main", True, "all PRs"),
    ("", AI, False, "main", True, "AI-authored (commit abc trailer)"),
    ("", HUMAN, True, "main", False, "review.drafts"),
    ("review: {drafts: true}", HUMAN, True, "main", True, ""),
    ("review: {authors: ai-only}", HUMAN, False, "main", False, "review.authors"),
    ("review: {authors: ai-only}", AI, False, "main", True, "AI-authored"),
    ("review: {base_branches: [main, 'release/*']}", HUMAN, False, "release/1.2", True, ""),
    ("review: {base_branches: [main, 'release/*']}", HUMAN, False, "develop", False, "review.base_branches"),
]


@pytest.mark.parametrize(("text", "auth", "draft", "base", "expected", "reason"), SHOULD)
def test_should_review(
    text: str, auth: Authorship, draft: bool, base: str, expected: bool, reason: str
) -> None:
    policy = load_policy([Layer(REPO, text)])
    ok, why = should_review(policy, authorship=auth, draft=draft, base_branch=base)
    assert ok is expected and reason in why


def test_gate_per_authorship() -> None:
    p = load_policy([Layer(REPO, "gate: {ai: error, human: INFO}\n")])
    assert p.gate(True) is Severity.ERROR and p.gate(False) is Severity.INFO
    assert decide([finding(severity=Severity.WARNING)], p.gate(True)).conclusion == "neutral"
    assert decide([finding(severity=Severity.WARNING)], p.gate(False)).conclusion == "failure"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [("r1", Severity.WARNING), ("r2", Severity.ERROR), ("s1", Severity.INFO)]),
        ("concerns: {resilience: {enabled: false}}", [("s1", Severity.INFO)]),
        ("rules: {r2: {enabled: false}}", [("r1", Severity.WARNING), ("s1", Severity.INFO)]),
        (
            "concerns: {resilience: {severity: INFO}}",
            [("r1", Severity.INFO), ("r2", Severity.INFO), ("s1", Severity.INFO)],
        ),
        # A rule's own setting beats its concern's.
        (
            "concerns: {resilience: {enabled: false}}\nrules: {r2: {enabled: true, severity: warning}}",
            [("r2", Severity.WARNING), ("s1", Severity.INFO)],
        ),
    ],
)
def test_rule_and_concern_settings(text: str, expected: list[tuple[str, Severity]]) -> None:
    findings = [
        finding("r1"),
        finding("r2", severity=Severity.ERROR),
        finding("s1", "secrets", Severity.INFO),
    ]
    out = apply_rule_settings(load_policy([Layer(REPO, text)]), findings)
    assert [(f.rule_id, f.severity) for f in out] == expected


def test_signals_come_from_policy() -> None:
    p = load_policy(
        [
            Layer(
                REPO,
                "authorship: {bots: [acme-agent], labels: [ai], branch_prefixes: [agent/], "
                "trailers: ['X-Agent:'], emails: [bot@acme.dev], builtin: false}\n",
            )
        ]
    )
    s = signals_from(p)
    assert (s.bots, s.labels, s.branch_prefixes, s.trailers, s.emails, s.builtin) == (
        ("acme-agent",),
        ("ai",),
        ("agent/",),
        ("X-Agent:",),
        ("bot@acme.dev",),
        False,
    )


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ([".github/prodready.yml"], True),
        (["src/a.py", ".prodready/rules/own.yaml"], True),
        ([".prodready"], True),
        ([".github/workflows/ci.yml", "prodready.yml", ".github/prodready.yml.bak"], False),
        (["docs/.prodready/x"], False),
    ],
)
def test_touches_policy(paths: list[str], expected: bool) -> None:
    assert touches_policy(paths) is expected
    assert "takes effect only after merge" in POLICY_CHANGE_NOTE


GOOD_RULE = """rules:
  - id: acme-no-raw-sql
    languages: [python]
    severity: WARNING
    message: Raw SQL. It bypasses the query builder. Use db.query().
    pattern: cursor.execute(...)
    metadata: {concern: performance, confidence: MEDIUM, references: []}
"""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD_RULE, None),
        (GOOD_RULE.replace("concern: performance", "concern: style"), "metadata.concern must be one of"),
        (
            GOOD_RULE.replace("    message: Raw SQL. It bypasses the query builder. Use db.query().\n", ""),
            "missing message",
        ),
        (GOOD_RULE.replace("severity: WARNING", "severity: LOUD"), "severity must be ERROR, WARNING or INFO"),
        (GOOD_RULE.replace("    pattern: cursor.execute(...)\n", ""), "no pattern"),
        (GOOD_RULE.replace("acme-no-raw-sql", "prodready-x"), "reserved"),
        (GOOD_RULE.replace("acme-no-raw-sql", "builtin-rule"), "already used"),
        ("rules: [\n", "not valid YAML"),
        ("id: x\n", "not a Semgrep rule file"),
    ],
)
def test_extra_rules_are_checked_and_bad_files_reported(text: str, problem: str | None) -> None:
    good, problems = check_extra_rules({".prodready/rules/acme.yaml": text}, builtin_ids={"builtin-rule"})
    if problem is None:
        assert good == {".prodready/rules/acme.yaml": text} and problems == []
    else:
        assert good == {}
        assert len(problems) >= 1 and problems[0].startswith(".prodready/rules/acme.yaml: ")
        assert problem in problems[0] and problems[0].endswith("file not used")


def test_names_feed_exemptions() -> None:
    p = load_policy([Layer(REPO, "names: {auth_decorators: [login_required, auth.require_user]}\n")])
    assert p.exemptions("py-flask-route-no-auth", "access-control") == {
        "auth_decorators": ("login_required", "auth.require_user")
    }
    assert p.exemptions("py-requests-no-timeout", "resilience") == {}
    # Nothing listed: no exemption, even for access-control.
    assert default_policy().exemptions("py-flask-route-no-auth", "access-control") == {}
    custom = load_policy(
        [
            Layer(
                REPO,
                "names: {internal_clients: [TimeoutSession]}\n"
                "rules: {py-requests-no-timeout: {exempt_if_uses: [internal_clients]}}\n",
            )
        ]
    )
    assert custom.exemptions("py-requests-no-timeout", "resilience") == {
        "internal_clients": ("TimeoutSession",)
    }


def test_assisted_commits_are_ignored_by_default_and_policy_can_count_them() -> None:
    assert signals_from(default_policy()).assisted == "ignore"
    assert signals_from(load_policy([Layer(REPO, "authorship: {assisted: ai}\n")])).assisted == "ai"


def test_the_default_licence_deny_list_is_the_one_the_checks_use() -> None:
    from github_app.deps.checks import DEFAULT_DENY

    assert tuple(DEFAULTS["dependencies"]["licenses"]["deny"]) == DEFAULT_DENY


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: a few hundred bytes that expand to 9**levels strings."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (billion_laughs(), "rejected: expands to more than 50,000 values through anchors and aliases"),
        ("gate: &g {ai: ERROR, x: *g}\n", "rejected: an alias refers to a node that contains it"),
        ("names: {a: [" + ", ".join(["x"] * 100_000) + "]}\n", "rejected: 300,013 bytes, over the 262,144-byte"),
        ("[" * 3000 + "]" * 3000 + "\n", "rejected: nested too deeply"),
    ],
    ids=["alias-bomb", "recursive-alias", "oversized", "deep"],
)
def test_a_hostile_policy_file_is_rejected_quickly_and_the_layers_below_apply(text: str, problem: str) -> None:
    started = time.monotonic()
    p = load_policy([Layer(ORG, "gate: {ai: ERROR}\n"), Layer(REPO, text)])
    # Not a timed assertion of speed: before the bound, this load did not finish at all (see the issue).
    assert time.monotonic() - started < 30
    assert p.gate(True) is Severity.ERROR, "the organisation's layer still applies"
    assert len(p.problems) == 1 and p.problems[0].startswith(f"{REPO}: {problem}"), p.problems
    assert "the whole file was ignored" in p.problems[0]


def test_a_small_policy_with_ordinary_anchors_still_loads() -> None:
    text = "authorship: {bots: &bots [acme-agent], labels: [agent]}\nnames: {auth_decorators: [login_required]}\n"
    p = load_policy([Layer(REPO, text)])
    assert p.problems == () and p.data["authorship"]["bots"] == ["acme-agent"]


def test_an_alias_bomb_rule_file_is_not_handed_to_semgrep() -> None:
    good, problems = check_extra_rules({".prodready/rules/bomb.yaml": "rules: []\n" + billion_laughs(),
                                        ".prodready/rules/acme.yaml": GOOD_RULE})
    assert good == {".prodready/rules/acme.yaml": GOOD_RULE}
    assert problems == [".prodready/rules/bomb.yaml: rejected: expands to more than 200,000 values through "
                        "anchors and aliases (a YAML alias bomb?); file not used"]


@pytest.mark.parametrize(
    ("text", "ai", "human"),
    [
        ("suppressions: {require_reason: false}\n", False, False),
        ("suppressions: {require_reason: true}\n", True, True),
        ("suppressions: {require_reason: {human: true}}\n", True, True),
        ("suppressions: {require_reason: {ai: false}}\n", False, False),
    ],
)
def test_require_reason_is_per_authorship_and_a_boolean_sets_both(text: str, ai: bool, human: bool) -> None:
    p = load_policy([Layer(REPO, text)])
    assert p.problems == ()
    assert (p.require_reason_for(True), p.require_reason_for(False)) == (ai, human)


def test_on_error_and_partial_are_validated() -> None:
    p = load_policy([Layer(REPO, "on_error: neutral\npartial: {timeouts: judge, caps: maybe}\n")])
    assert p.on_error == "neutral" and p.partial("timeouts") == "judge" and p.partial("caps") == "judge"
    assert p.problems == (f'{REPO}: partial.caps: "maybe" is not one of failure, neutral, judge; using "judge"',)
