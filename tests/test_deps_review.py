"""Dependency review end to end through `prodready review`: real git, real Semgrep, real HTTP to the
sandbox's registry and OSV stand-ins on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from github_app.cli import main
from github_app.sandbox import SandboxConfig, SandboxServer, generate_app_key
from tests.conftest import GitRepo


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    _, public = generate_app_key()
    server = SandboxServer(SandboxConfig(data_dir=tmp_path_factory.mktemp("sbx"), app_id=7, app_public_key_pem=public,
                                         webhook_url=None, webhook_secret="s"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def registries(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> str:
    root = sandbox.url + "/_registry"
    for name, sub in (("PYPI", "pypi"), ("NPM", "npm"), ("GOPROXY", "go"), ("MAVEN", "maven"), ("OSV", "osv")):
        monkeypatch.setenv(f"PRODREADY_{name}_URL", f"{root}/{sub}")
    httpx.delete(sandbox.url + "/_sandbox/faults", timeout=5).raise_for_status()
    return root


def review(capsys: pytest.CaptureFixture[str], repo: GitRepo, rules: Path) -> tuple[int, Any]:
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature", "--format", "json",
                 "--rules", str(rules), "--fail-on", "WARNING"])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


def change(git_repo: Callable[[], GitRepo], base: dict[str, str], head: dict[str, str]) -> GitRepo:
    r = git_repo()
    r.commit({"README.md": "x\n", **base}, "init")
    r.git("checkout", "-q", "-b", "feature")
    r.commit(head, "deps")
    return r


def found(data: Any) -> set[tuple[str, str, int]]:
    return {(f["rule_id"], f["path"], f["start_line"]) for f in data["findings"] if f["concern"] == "supply-chain"}


def by_rule(data: Any, rule: str) -> dict[str, Any]:
    return next(f for f in data["findings"] if f["rule_id"] == rule)


REQS_BASE = "flask==3.0.3\nrequests==2.32.3\n"
REQS_HEAD = ("flask==3.0.3\n"
             "requests==2.19.0\n"           # 2: known vulnerability (changed from 2.32.3)
             "stripe-refund-helpers==1.0\n"  # 3: invented
             "reqeusts\n"                    # 4: look-alike (and invented)
             "fresh-helpers>=0.1\n"          # 5: first published days ago
             "gplkit==1.0.0\n"               # 6: GPL-3.0-only
             "nolicense-utils==0.4.0\n"      # 7: no licence
             "yankedlib==1.0.1\n"            # 8: yanked
             "gunicorn==99.0\n"              # 9: no such version
             "acme-billing==2.0\n"           # 10: private
             "mylib @ https://example.invalid/mylib.whl\n")  # 11: a URL


def test_python_requirements_get_all_five_kinds_on_their_lines(
        capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo], fixture_rules: Path,
        registries: str) -> None:
    repo = change(git_repo, {"requirements.txt": REQS_BASE, ".github/prodready.yml":
                             "dependencies:\n  private: ['acme-*']\n"}, {"requirements.txt": REQS_HEAD})
    code, data = review(capsys, repo, fixture_rules)
    assert code == 1
    p = "requirements.txt"
    assert found(data) == {
        ("deps-known-vulnerability", p, 2), ("deps-no-such-package", p, 3), ("deps-no-such-package", p, 4),
        ("deps-lookalike-name", p, 4), ("deps-new-package", p, 5), ("deps-license-denied", p, 6),
        ("deps-license-unknown", p, 7), ("deps-no-such-version", p, 8), ("deps-no-such-version", p, 9)}
    vuln = by_rule(data, "deps-known-vulnerability")
    assert vuln["severity"] == "ERROR" and "GHSA-x84v-xcm2-53pg" in vuln["message"] and "2.20.0" in vuln["message"]
    assert "`requests`" in by_rule(data, "deps-lookalike-name")["message"]
    assert "yanked" in next(f for f in data["findings"] if f["start_line"] == 8)["message"]
    assert by_rule(data, "deps-license-unknown")["severity"] == "INFO"
    # Private names are neither looked up nor called invented; the URL install is a stated skip.
    assert not [f for f in data["findings"] if f["start_line"] == 10]
    assert any("acme-billing" in n and "private" in n for n in data["notes"])
    asked = httpx.get(registries.removesuffix("/_registry") + "/_sandbox/requests", timeout=5).json()
    assert not [r for r in asked if "acme-billing" in r["path"]]  # never looked up publicly
    assert [r for r in asked if r["path"] == "/_registry/pypi/gplkit/json"]
    assert any(s["path"] == p and "line 11" in s["reason"] and "URL" in s["reason"] for s in data["skipped"])


def test_a_pinned_vulnerable_version_gets_a_suggestion_with_the_fix(
        capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo], fixture_rules: Path,
        registries: str) -> None:
    repo = change(git_repo, {"requirements.txt": REQS_BASE}, {"requirements.txt": "flask==3.0.3\nrequests==2.19.0\n"})
    _, data = review(capsys, repo, fixture_rules)
    assert data["findings"][0]["rule_id"] == "deps-known-vulnerability"
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature", "--format", "sarif",
                 "--rules", str(fixture_rules)])
    sarif = json.loads(capsys.readouterr()[0])
    fixes = [r.get("fixes") for r in sarif["runs"][0]["results"] if r["ruleId"] == "deps-known-vulnerability"]
    assert "requests==2.20.0" in json.dumps(fixes), fixes
    assert code == 0  # not AI-authored: the policy's human gate is advisory


def test_npm_go_and_maven_manifests(capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo],
                                    fixture_rules: Path, registries: str) -> None:
    pkg_base = '{\n  "name": "svc",\n  "dependencies": {\n    "express": "^4.18.2"\n  }\n}\n'
    pkg_head = ('{\n  "name": "svc",\n  "dependencies": {\n    "express": "^4.18.2",\n    "lodash": "4.17.20",\n'
                '    "lodahs": "^1.0.0",\n    "@acme/ui": "^3.0.0"\n  },\n  "devDependencies": {\n'
                '    "left-pad": "1.3.0"\n  }\n}\n')
    gomod_base = "module example.com/svc\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n"
    gomod_head = ("module example.com/svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n"
                  "\tgithub.com/gin-gonic/gin v1.9.0\n\tgithub.com/acme/nothere v1.0.0\n)\n")
    pom = ('<?xml version="1.0"?>\n<project>\n  <properties>\n    <log4j.version>2.14.1</log4j.version>\n'
           '  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.apache.logging.log4j</groupId>\n'
           '      <artifactId>log4j-core</artifactId>\n      <version>${log4j.version}</version>\n    </dependency>\n'
           '    <dependency>\n      <groupId>com.google.guava</groupId>\n      <artifactId>guava</artifactId>\n'
           '      <version>31.0-jre</version>\n    </dependency>\n  </dependencies>\n</project>\n')
    repo = change(git_repo, {"web/package.json": pkg_base, "go.mod": gomod_base,
                             ".github/prodready.yml": "dependencies:\n  private: ['@acme/*']\n"},
                  {"web/package.json": pkg_head, "go.mod": gomod_head, "java/pom.xml": pom})
    _, data = review(capsys, repo, fixture_rules)
    assert found(data) == {
        ("deps-known-vulnerability", "web/package.json", 5), ("deps-no-such-package", "web/package.json", 6),
        ("deps-lookalike-name", "web/package.json", 6),  # left-pad (10) is WTFPL, an SPDX licence: fine
        ("deps-known-vulnerability", "go.mod", 7), ("deps-no-such-package", "go.mod", 8),
        # log4j's version comes from a property: the finding is on the line that sets it.
        ("deps-known-vulnerability", "java/pom.xml", 4), ("deps-no-such-version", "java/pom.xml", 15)}
    assert "`lodash`" in next(f for f in data["findings"] if f["rule_id"] == "deps-lookalike-name")["message"]
    log4j = next(f for f in data["findings"] if f["path"] == "java/pom.xml" and f["start_line"] == 4)
    assert log4j["severity"] == "ERROR" and "2.15.0" in log4j["message"]
    gin = next(f for f in data["findings"] if f["path"] == "go.mod" and f["start_line"] == 7)
    assert gin["severity"] == "WARNING" and "v1.9.1" in gin["message"]
    assert any("Go modules are not checked" in n for n in data["notes"])


def test_pyproject_dockerfile_and_workflow_install_lines(
        capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo], fixture_rules: Path,
        registries: str) -> None:
    pyproject = ('[project]\nname = "svc"\nversion = "1"\ndependencies = [\n  "flask>=3",\n  "pyyaml==5.3",\n]\n\n'
                 '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2.19"\n')
    docker = "FROM python:3.12\nRUN pip install --no-cache-dir \\\n    gunicorn==22.0.0 gplkit==1.0.0\n"
    workflow = ("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
                "          npm install -g lodash@4.17.20\n          echo done\n")
    repo = change(git_repo, {}, {"pyproject.toml": pyproject, "Dockerfile": docker,
                                 ".github/workflows/ci.yml": workflow})
    _, data = review(capsys, repo, fixture_rules)
    got = found(data)
    assert ("deps-known-vulnerability", "pyproject.toml", 6) in got  # PyYAML 5.3
    assert ("deps-known-vulnerability", "pyproject.toml", 11) in got  # ^2.19: the lowest allowed is 2.19.0
    assert ("deps-license-denied", "Dockerfile", 2) in got
    assert ("deps-known-vulnerability", ".github/workflows/ci.yml", 7) in got
    assert not [f for f in got if f[0] == "deps-known-vulnerability" and f[2] == 5]  # flask>=3 is clean


def test_offline_mode_says_so_and_still_checks_names(
        capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo], fixture_rules: Path,
        registries: str) -> None:
    policy = "dependencies:\n  offline: true\n"
    repo = change(git_repo, {"requirements.txt": REQS_BASE, ".github/prodready.yml": policy},
                  {"requirements.txt": REQS_BASE + "reqeusts==1.0\n"})
    _, data = review(capsys, repo, fixture_rules)
    assert found(data) == {("deps-lookalike-name", "requirements.txt", 3)}
    assert any("dependencies.offline: true" in n for n in data["notes"])


@pytest.mark.parametrize("status", [500, 429])
def test_an_unreachable_source_is_said_not_passed(
        capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo], fixture_rules: Path,
        registries: str, sandbox: SandboxServer, status: int) -> None:
    httpx.post(sandbox.url + "/_sandbox/faults", json={
        "kind": "server" if status == 500 else "secondary", "status": status,
        "path_regex": "^/_registry/osv/", "count": 10}, timeout=5).raise_for_status()
    repo = change(git_repo, {"requirements.txt": REQS_BASE}, {"requirements.txt": "flask==3.0.3\nrequests==2.19.0\n"})
    _, data = review(capsys, repo, fixture_rules)
    assert found(data) == set()
    assert any(n.startswith("Not checked: OSV unreachable") and f"HTTP {status}" in n and "requests" in n
               for n in data["notes"]), data["notes"]


def test_nothing_listening_and_a_broken_manifest(
        capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo], fixture_rules: Path) -> None:
    # The autouse fixture points every source at a port nothing listens on.
    repo = change(git_repo, {"requirements.txt": REQS_BASE, "package.json": "{}\n"},
                  {"requirements.txt": REQS_BASE + "httpx==0.27.0\n", "package.json": '{\n  "dependencies": {\n'})
    _, data = review(capsys, repo, fixture_rules)
    assert found(data) == set()
    assert any(n.startswith("Not checked: PyPI unreachable") and "httpx" in n for n in data["notes"])
    assert any(s["path"] == "package.json" and "does not parse" in s["reason"] and "line 3" in s["reason"]
               for s in data["skipped"]), data["skipped"]


def test_lock_file_only_changes_are_counted(capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo],
                                            fixture_rules: Path) -> None:
    repo = change(git_repo, {"poetry.lock": "# lock\n"}, {"poetry.lock": "# lock\n[[package]]\nname = \"x\"\n"})
    _, data = review(capsys, repo, fixture_rules)
    assert any("Lock files changed (poetry.lock)" in n for n in data["notes"])
    assert found(data) == set()
