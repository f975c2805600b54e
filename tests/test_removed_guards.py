"""Removed guards: code still present that lost its timeout, log, raise, auth check, bound or protection."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from github_app.analyzers.guards_infra import kubernetes, terraform, workflow
from github_app.analyzers.guards_py import removals
from github_app.analyzers.removed_guards import RemovedGuardsAnalyzer, _finding
from github_app.diff import parse_diff
from github_app.filtering import FilterMode, filter_findings
from tests.conftest import GitRepo, git_change

CLIENT = '''import logging

import requests

log = logging.getLogger(__name__)


def fetch(url):
    try:
        resp = requests.get(url, timeout=10)
    except requests.RequestException:
        log.exception("fetch failed: %s", url)
        raise
    return resp.json()
'''


def _kinds(base: str, head: str, auth: tuple[str, ...] = ()) -> list[tuple[str, int, str]]:
    return [(r.kind, r.line, r.what) for r in removals(base, head, auth)]


def test_a_removed_timeout_is_reported_on_the_call_with_its_base_line() -> None:
    head = CLIENT.replace("requests.get(url, timeout=10)", "requests.get(url)")
    assert _kinds(CLIENT, head) == [("timeout", 10, "timeout=10")]


def test_a_swallowed_error_loses_its_raise_and_its_log() -> None:
    head = CLIENT.replace('        log.exception("fetch failed: %s", url)\n        raise\n', "        return None\n")
    assert _kinds(CLIENT, head) == [("error-log", 11, "`log.exception(...)`"), ("raise", 11, "raise")]
    # Logged and carried on (best-effort): a choice in plain sight, not a swallow.
    assert _kinds(CLIENT, CLIENT.replace("        raise\n", "        return None\n")) == []


@pytest.mark.parametrize("head", [
    # Reformatted and moved below another function: the same call in the same function.
    "import logging\n\nimport requests\n\nlog = logging.getLogger(__name__)\n\n\ndef other():\n    pass\n\n\n"
    "def fetch(url):\n    try:\n        resp = requests.get(\n            url,\n            timeout=10,\n        )\n"
    "    except requests.RequestException:\n        log.exception('fetch failed: %s', url)\n        raise\n"
    "    return resp.json()\n",
    # A renamed variable hides nothing and changes nothing.
    CLIENT.replace("resp", "response"),
    # The guard moved to a session default: another call target, not a removal.
    CLIENT.replace("requests.get(url, timeout=10)", "SESSION.get(url)"),
    # Deleted together with the code it guarded.
    CLIENT.replace("    try:\n        resp = requests.get(url, timeout=10)\n    except requests.RequestException:\n"
                   '        log.exception("fetch failed: %s", url)\n        raise\n    return resp.json()\n',
                   "    return None\n"),
    # The timeout now comes through **kwargs.
    CLIENT.replace("requests.get(url, timeout=10)", "requests.get(url, **OPTS)"),
], ids=["reformatted-and-moved", "renamed-variable", "session-default", "deleted-with-its-guard", "kwargs"])
def test_near_misses_are_not_reported(head: str) -> None:
    assert _kinds(CLIENT, head) == []


# Near misses seen on real history: each was reported before and was not a removal.
REAL_NEAR_MISSES = {
    # The log moved into a helper the handler now calls (it may log, or push the error on).
    "log-moved-into-helper": CLIENT.replace('        log.exception("fetch failed: %s", url)\n        raise\n',
                                            "        report_failure(url)\n        return None\n"),
    # The error is kept and raised once the request settles.
    "raise-deferred": CLIENT.replace('        log.exception("fetch failed: %s", url)\n        raise\n',
                                     "        failure = exc\n").replace("except requests.RequestException:",
                                                                       "except requests.RequestException as exc:"),
    # The timeout now travels in a parameter object the call gained.
    "timeout-in-params": CLIENT.replace("requests.get(url, timeout=10)",
                                        "requests.get(url, params=Params(timeout=10))"),
}


@pytest.mark.parametrize("head", REAL_NEAR_MISSES.values(), ids=REAL_NEAR_MISSES.keys())
def test_guards_moved_into_a_helper_deferred_or_carried_are_not_reported(head: str) -> None:
    assert _kinds(CLIENT, head) == []


def test_a_timeout_counts_only_on_calls_that_wait_on_another_system() -> None:
    base = ("def start(self, timeout):\n    ctx = JobContext(name='x', timeout=timeout)\n"
            "    return self.redis.blpop('q', timeout=timeout)\n")
    head = base.replace(", timeout=timeout)", ")")
    # The context object is not a call that waits; the Redis call is (its receiver names the system).
    assert _kinds(base, head) == [("timeout", 3, "timeout=timeout")]


def test_a_handler_added_beside_one_removed_is_not_paired_with_it() -> None:
    base = ("def close(self):\n    try:\n        self.flush()\n    except Exception:\n"
            "        log.error('flush failed')\n")
    # The flush and its handler went; a best-effort close with a silent handler came in.
    head = "def close(self):\n    try:\n        self.ws.close()\n    except Exception:\n        pass\n"
    assert _kinds(base, head) == []
    # The same try body losing its log is still reported.
    assert _kinds(base, base.replace("log.error('flush failed')", "pass")) == \
        [("error-log", 4, "`log.error(...)`")]


def test_auth_decorators_and_dependencies_removed_from_a_route() -> None:
    base = ('@app.get("/admin", dependencies=[Depends(verify_token)])\n@login_required\n@audited\n'
            "def admin(user=Depends(get_current_user)):\n    return 1\n")
    head = '@app.get("/admin")\n@audited\ndef admin(user=None):\n    return 1\n'
    assert _kinds(base, head) == [("auth", 3, "@login_required"), ("auth", 3, "Depends(get_current_user)"),
                                  ("auth", 3, "Depends(verify_token)")]
    # The policy's own auth decorators count too.
    assert _kinds("@acme_guard\ndef f():\n    pass\n", "def f():\n    pass\n", ("acme_guard",)) == \
        [("auth", 1, "@acme_guard")]
    assert _kinds("@audited\ndef f():\n    pass\n", "def f():\n    pass\n") == []


def test_a_retry_loses_its_bound_and_tls_verification_is_switched_off() -> None:
    base = ("@retry(stop=stop_after_attempt(3), wait=wait_exponential())\ndef call():\n"
            "    return httpx.get(URL, verify=CA_BUNDLE, timeout=5)\n")
    head = "@retry\ndef call():\n    return httpx.get(URL, verify=False, timeout=5)\n"
    assert _kinds(base, head) == [("retry-bound", 1, "stop=stop_after_attempt(3)"),
                                  ("retry-bound", 1, "wait=wait_exponential()"), ("tls", 3, "verify=CA_BUNDLE")]


def test_a_side_that_does_not_parse_gives_nothing() -> None:
    assert removals(CLIENT, "def (:\n") == [] and removals("def (:\n", CLIENT) == []


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: acme/api:1.2
          resources:
            limits:
              memory: 512Mi
              cpu: "1"
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
          securityContext:
            readOnlyRootFilesystem: true
"""


def test_kubernetes_guards_removed_from_a_workload_that_remains() -> None:
    head = (DEPLOY.replace("  replicas: 3\n", "  replicas: 1\n").replace("        runAsNonRoot: true\n",
                                                                          "        runAsNonRoot: false\n")
            .replace("          readinessProbe:\n            httpGet: {path: /healthz, port: 8080}\n", "")
            .replace("            limits:\n              memory: 512Mi\n              cpu: \"1\"\n",
                     "            requests:\n              memory: 256Mi\n"))
    got = sorted((r.kind, r.what) for r in kubernetes(DEPLOY, head))
    assert got == [("probe", "readinessProbe"), ("replicas", "replicas: 3"),
                   ("resources", "resources.limits.cpu: 1"), ("resources", "resources.limits.memory: 512Mi"),
                   ("security-context", "runAsNonRoot: true")]
    # Renaming the image or reordering keys removes nothing; deleting the Deployment is not reported.
    assert kubernetes(DEPLOY, DEPLOY.replace("acme/api:1.2", "acme/api:1.3")) == []
    assert kubernetes(DEPLOY, "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n") == []


def test_terraform_protections_removed_from_a_resource_that_remains() -> None:
    base = ('resource "aws_db_instance" "main" {\n  engine = "postgres"\n  deletion_protection = true\n'
            '  storage_encrypted = true\n  multi_az = true\n  backup_retention_period = 7\n'
            '  skip_final_snapshot = false\n}\n')
    head = ('resource "aws_db_instance" "main" {\n  engine = "postgres"\n  deletion_protection = false\n'
            '  backup_retention_period = 0\n  skip_final_snapshot = true\n}\n')
    got = sorted((r.what.split(" ")[0], r.line) for r in terraform(base, head))
    assert got == [("backup_retention_period", 4), ("deletion_protection", 3), ("multi_az", 1),
                   ("skip_final_snapshot", 5), ("storage_encrypted", 1)]
    assert terraform(base, base.replace("postgres", "mysql")) == []


def test_workflow_permissions_widened_and_an_action_unpinned() -> None:
    sha = "b4ffde65f46336ab88eb53be808477a3936bae11"
    base = (f"on: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
            f"    steps:\n      - uses: actions/checkout@{sha}\n      - run: make\n")
    head = ("on: push\npermissions: write-all\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - run: make\n")
    got = sorted((r.kind, r.line) for r in workflow(base, head))
    assert got == [("permissions", 2), ("unpinned", 7)]
    # The comment says what the token gained; nothing was "removed".
    widened = next(r for r in workflow(base, head) if r.kind == "permissions")
    assert _finding(".github/workflows/ci.yml", widened, head.splitlines()).message.startswith(
        "The `permissions:` of the workflow are wider than in the base (base line 2): write-all is granted now;")
    assert workflow(base, base.replace("make", "make test")) == []
    # Trading scopes (contents narrowed, id-token granted for OIDC) is a redesign, not a widening.
    traded = base.replace("  contents: read\n", "  contents: none\n  id-token: write\n")
    assert workflow(base, traded) == []


def test_in_a_review_a_removal_on_an_unchanged_line_is_kept_and_commented(git_repo: Callable[[], GitRepo]) -> None:
    repo = git_repo()
    route = ("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/admin')\n@login_required\n"
             "def admin():\n    return 'ok'\n")
    base = repo.commit({"app/routes.py": route, "app/client.py": CLIENT})
    head = repo.commit({"app/routes.py": route.replace("@login_required\n", ""),
                        "app/client.py": CLIENT.replace(", timeout=10", "")})
    change = git_change(repo, base, head)
    got = RemovedGuardsAnalyzer().analyze(change)
    assert sorted((f.rule_id, f.path, f.start_line) for f in got.findings) == [
        ("removed-auth-check", "app/routes.py", 7), ("removed-timeout", "app/client.py", 10)]
    auth = next(f for f in got.findings if f.rule_id == "removed-auth-check")
    assert auth.message.startswith("`@login_required` was removed from `admin` (base line 7)")
    diffs = parse_diff(repo.git("diff", f"{base}..{head}"))
    kept = filter_findings(got.findings, diffs, FilterMode.ADDED).kept
    # The def line is unchanged, but it is in the hunk that removed the decorator: commented there.
    assert sorted((p.finding.rule_id, p.anchor) for p in kept) == [("removed-auth-check", 7),
                                                                  ("removed-timeout", 10)]
    off = RemovedGuardsAnalyzer().analyze(git_change(repo, base, head, "removed_guards:\n  enabled: false\n"))
    assert off.findings == []


def test_js_go_and_java_files_are_compared_through_tree_sitter(git_repo: Callable[[], GitRepo]) -> None:
    repo = git_repo()
    ts = "export async function load(url: string) {\n  return axios.get(url, { timeout: 5000 });\n}\n"
    base = repo.commit({"web/a.ts": ts})
    head = repo.commit({"web/a.ts": ts.replace(", { timeout: 5000 }", "")})
    got = RemovedGuardsAnalyzer().analyze(git_change(repo, base, head))
    assert [(f.rule_id, f.start_line) for f in got.findings] == [("removed-timeout", 2)]
    assert got.notes == []


def test_the_change_aware_analyzers_are_opt_in(git_repo: Callable[[], GitRepo]) -> None:
    import dataclasses

    from github_app.analyzers.clones import CloneAnalyzer
    from github_app.analyzers.unprovided import UnprovidedSettingsAnalyzer
    from github_app.policy import default_policy

    repo = git_repo()
    base = repo.commit({"app/client.py": CLIENT, "compose.yaml": "services: {app: {image: x}}\n"})
    untimed = CLIENT.replace(", timeout=10", "")
    head = repo.commit({"app/client.py": untimed + "\nKEY = __import__('os').environ['K']\n"})
    on = git_change(repo, base, head)
    assert RemovedGuardsAnalyzer().analyze(on).findings  # on when the policy says so
    off = dataclasses.replace(on, policy=default_policy())
    for analyzer in (RemovedGuardsAnalyzer(), CloneAnalyzer(None), UnprovidedSettingsAnalyzer()):
        assert analyzer.analyze(off).findings == [], analyzer.name
