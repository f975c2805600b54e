from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from github_app.cli import main
from github_app.diff import FileDiff
from github_app.findings import Finding, Severity
from github_app.policy import Layer, default_policy, load_policy
from github_app.suppressions import (
    WITHOUT_REASON_CONCERN,
    WITHOUT_REASON_RULE,
    SuppressionSummary,
    apply_suppressions,
    parse_line,
)
from tests.conftest import GitRepo

RID = "py-requests-no-timeout"


# (line, kind, rule ids, reason, standalone) or None
PARSE: list[tuple[str, tuple[str, tuple[str, ...], str, bool] | None]] = [
    (
        "r = requests.get(u)  # prodready: ignore[py-requests-no-timeout] SDK sets one",
        ("prodready", (RID,), "SDK sets one", False),
    ),
    ("# prodready: ignore[a, b] both fine here", ("prodready", ("a", "b"), "both fine here", True)),
    ("    // prodready: ignore[go-x]: vendored", ("prodready", ("go-x",), "vendored", True)),
    ("/* prodready: ignore[x] reason */", ("prodready", ("x",), "reason", True)),
    ("<!-- prodready: ignore[x] -->", ("prodready", ("x",), "", True)),
    ("x = 1  # PRODREADY: Ignore[x] why", ("prodready", ("x",), "why", False)),
    ("r = requests.get(u)  # nosemgrep", ("nosemgrep", (), "", False)),
    (
        "# nosemgrep: py-requests-no-timeout -- the session has an adapter",
        ("nosemgrep", (RID,), "the session has an adapter", True),
    ),
    (
        "# nosemgrep: rules.resilience.python.a, b",
        ("nosemgrep", ("rules.resilience.python.a", "b"), "", True),
    ),
    ("// nosem", ("nosemgrep", (), "", True)),
    # Not suppressions.
    ('msg = "prodready: ignore[x] in a string"', None),
    ('help = "use nosemgrep to silence"', None),
    ("# prodready: ignore x (no brackets)", None),
    ("# the nosemgrepper tool", None),
    ("plain code", None),
]


@pytest.mark.parametrize(("line", "expected"), PARSE, ids=[p[0] for p in PARSE])
def test_parse_line(line: str, expected: tuple[str, tuple[str, ...], str, bool] | None) -> None:
    s = parse_line("a.py", 7, line)
    if expected is None:
        assert s is None
    else:
        assert s is not None and (s.kind, s.rule_ids, s.reason, s.standalone) == expected and s.line == 7


def fd(path: str, added: set[int]) -> FileDiff:
    return FileDiff(path, None, "modified", False, frozenset(added), frozenset(added), ((1, 100),))


def finding(
    start: int, end: int | None = None, rule: str = RID, concern: str = "resilience", path: str = "a.py"
) -> Finding:
    return Finding(rule, concern, Severity.ERROR, path, start, end or start, "m")


SRC_ONE = """import requests
# prodready: ignore[py-requests-no-timeout] the session adapter sets a timeout
r = requests.get(u)
s = requests.get(u)  # nosemgrep
t = requests.get(u)  # prodready: ignore[other-rule] not this one
v = requests.get(u)
"""

SRC_MULTI = """import requests
resp = requests.post(
    url,
    json=body,
)  # nosemgrep: py-requests-no-timeout -- retried by the caller with its own deadline
x = 1  # nosemgrep
y = requests.get(u)
"""

SRC_DECORATED = """from flask import app

# prodready: ignore[py-flask-route-no-auth] public health check
@app.route("/healthz")
@cache(60)
def healthz():
    return "ok"
"""

LONG_BODY = (
    "\n".join(["def handler():"] + [f"    x{i} = {i}" for i in range(30)] + ["    y = 1  # nosemgrep"]) + "\n"
)

# (source, finding, suppressed?)
COVER: list[tuple[str, str, Finding, bool]] = [
    ("comment line above", SRC_ONE, finding(3), True),
    ("same line, bare nosemgrep", SRC_ONE, finding(4), True),
    ("same line, other rule named", SRC_ONE, finding(5), False),
    ("no comment", SRC_ONE, finding(6), False),
    ("same line, this rule named", SRC_ONE, finding(5, rule="other-rule"), True),
    ("multi-line statement, comment on its last line", SRC_MULTI, finding(2, 5), True),
    ("multi-line statement, other rule", SRC_MULTI, finding(2, 5, rule="x"), False),
    ("a trailing comment does not reach the next statement", SRC_MULTI, finding(7), False),
    ("above the decorators", SRC_DECORATED, finding(6, 7, "py-flask-route-no-auth", "access-control"), True),
    (
        "finding that includes its decorators",
        SRC_DECORATED,
        finding(4, 7, "py-flask-route-no-auth", "access-control"),
        True,
    ),
    ("deep inside a long block", LONG_BODY, finding(1, 32, "route"), False),
]


@pytest.mark.parametrize(("src", "f", "expected"), [c[1:] for c in COVER], ids=[c[0] for c in COVER])
def test_which_findings_a_comment_covers(src: str, f: Finding, expected: bool) -> None:
    out, summary = apply_suppressions([f], {"a.py": src}, {}, default_policy())
    assert (out[0].suppressed_by is not None) is expected
    assert len(summary.suppressed) == int(expected)


def test_trailing_comment_on_the_line_above_is_not_a_standalone_suppression() -> None:
    # Line 5 carries a prodready comment for 'other-rule'; a finding of that rule on line 6 is not covered.
    out, _ = apply_suppressions([finding(6, rule="other-rule")], {"a.py": SRC_ONE}, {}, default_policy())
    assert out[0].suppressed_by is None


def test_qualified_nosemgrep_ids_match_the_short_rule_id() -> None:
    src = "# nosemgrep: rules.resilience.python.py-requests-no-timeout\nr = requests.get(u)\n"
    out, _ = apply_suppressions([finding(2)], {"a.py": src}, {}, default_policy())
    assert out[0].suppressed_by == "nosemgrep: rules.resilience.python.py-requests-no-timeout (line 1)"


def test_added_suppressions_are_counted_from_the_diff() -> None:
    _, summary = apply_suppressions([], {"a.py": SRC_ONE}, {"a.py": fd("a.py", {4, 5, 6})}, default_policy())
    assert [s.line for s in summary.added] == [4, 5]  # line 2 is older than the change
    assert summary.sentence() == (
        "Suppressions: this change adds 2 suppression comments; "
        "0 findings in the changed files suppressed inline"
    )


def test_require_reason_turns_a_bare_suppression_into_a_finding() -> None:
    policy = load_policy([Layer("repo", "suppressions: {require_reason: true}\n")])
    out, summary = apply_suppressions([finding(4)], {"a.py": SRC_ONE}, {}, policy)
    extra = [f for f in out if f.rule_id == WITHOUT_REASON_RULE]
    assert [(f.path, f.start_line, f.concern, f.severity) for f in extra] == [
        ("a.py", 4, WITHOUT_REASON_CONCERN, Severity.WARNING)
    ]
    assert "suppressions.require_reason" in extra[0].message and extra[0].suppressed_by is None
    # The bare suppression still suppresses: the missing reason is reported on its own.
    assert out[0].suppressed_by is not None and summary.without_reason == 1


def test_without_require_reason_a_bare_suppression_is_fine() -> None:
    out, summary = apply_suppressions([finding(4)], {"a.py": SRC_ONE}, {}, default_policy())
    assert [f.rule_id for f in out] == [RID] and summary.without_reason == 0


def test_by_default_an_ai_authored_pr_must_give_a_reason_and_a_person_need_not() -> None:
    out, summary = apply_suppressions([finding(4)], {"a.py": SRC_ONE}, {}, default_policy(), ai=True)
    assert [f.rule_id for f in out] == [RID, WITHOUT_REASON_RULE] and summary.without_reason == 1
    relaxed = load_policy([Layer("repo", "suppressions: {require_reason: {ai: false}}\n")])
    out, summary = apply_suppressions([finding(4)], {"a.py": SRC_ONE}, {}, relaxed, ai=True)
    assert [f.rule_id for f in out] == [RID] and summary.without_reason == 0


ROUTE = """@app.route("/admin")
@auth.login_required
def admin():
    return render()
"""


@pytest.mark.parametrize(
    ("names", "start", "exempt"),
    [
        ("[login_required]", 3, True),  # the finding starts at def: decorators above count
        ("[login_required]", 1, True),
        ("[auth.login_required]", 3, True),
        ("[require_user]", 3, False),
        ("[login]", 3, False),  # whole identifiers only
        ("[]", 3, False),
    ],
)
def test_auth_decorators_from_policy_exempt_access_control_findings(
    names: str, start: int, exempt: bool
) -> None:
    policy = load_policy([Layer("repo", f"names: {{auth_decorators: {names}}}\n")])
    f = finding(start, 4, "py-flask-route-no-auth", "access-control", "views.py")
    out, summary = apply_suppressions([f], {"views.py": ROUTE}, {}, policy)
    assert (out[0].suppressed_by is not None) is exempt
    assert len(summary.exempted) == int(exempt) and summary.suppressed == ()
    if exempt:
        assert out[0].suppressed_by is not None and out[0].suppressed_by.startswith(
            "policy names.auth_decorators"
        )


def test_names_do_not_exempt_other_concerns_by_default() -> None:
    policy = load_policy([Layer("repo", "names: {auth_decorators: [login_required]}\n")])
    out, _ = apply_suppressions([finding(3, 4)], {"a.py": ROUTE}, {}, policy)
    assert out[0].suppressed_by is None


def test_summary_json_shape() -> None:
    data = SuppressionSummary().as_json()
    assert data == {
        "suppressed": 0,
        "exempted": 0,
        "added": 0,
        "without_reason": 0,
        "findings": [],
        "added_comments": [],
    }
    assert SuppressionSummary().sentence() is None


OLD = "import requests\n\n\ndef old():\n    return requests.get('http://a')\n"


@pytest.fixture
def repo(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({"svc.py": OLD}, "init")
    r.git("checkout", "-q", "-b", "feature")
    return r


def review(capsys: pytest.CaptureFixture[str], repo: GitRepo, rules: Path) -> tuple[int, dict[str, object]]:
    code = main(
        [
            "review",
            "--repo",
            str(repo.root),
            "--base",
            "main",
            "--head",
            "feature",
            "--format",
            "json",
            "--rules",
            str(rules),
        ]
    )
    out, _ = capsys.readouterr()
    data: dict[str, object] = json.loads(out)
    return code, data


def test_review_sees_counts_and_honours_nosemgrep(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path
) -> None:
    new = (
        "\n\ndef a():\n    return requests.get('http://b')  # nosemgrep: t-requests-no-timeout -- tested\n"
        "\n\ndef b():\n    return requests.get('http://c')\n"
    )
    repo.commit({"svc.py": OLD + new}, "add a() and b()\n\nCo-authored-by: Claude <noreply@anthropic.com>")
    code, data = review(capsys, repo, fixture_rules)
    findings = data["findings"]
    assert isinstance(findings, list)
    assert [f["start_line"] for f in findings] == [13]  # a() is suppressed, b() is not
    sup = data["suppressions"]
    assert isinstance(sup, dict)
    assert sup["added"] == 1 and sup["suppressed"] == 1
    assert code == 1


def test_review_of_a_policy_change_says_it_applies_after_merge(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path
) -> None:
    repo.git("checkout", "-q", "main")
    repo.commit({".github/prodready.yml": "gate: {human: ERROR}\n"}, "policy")
    repo.git("checkout", "-q", "-b", "weaken")
    repo.commit(
        {
            ".github/prodready.yml": "gate: {human: none}\n",
            "svc.py": OLD + "\n\ndef n():\n    return requests.get('http://b')\n",
        },
        "weaken the gate",
    )
    code = main(
        [
            "review",
            "--repo",
            str(repo.root),
            "--base",
            "main",
            "--head",
            "weaken",
            "--format",
            "json",
            "--rules",
            str(fixture_rules),
        ]
    )
    data = json.loads(capsys.readouterr()[0])
    assert any("takes effect only after merge" in n for n in data["notes"])
    assert code == 1 and data["gate"] == "ERROR"  # judged by the base branch's policy, not the PR's
