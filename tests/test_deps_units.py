"""The pure parts of dependency review (manifests, names, licences, versions) and the data sources'
cache and retries, over a mock transport."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stamina

from github_app.datasources import DataSources, SourceConfig, SourceConfigError, SourceUnavailable
from github_app.deps.checks import DepPolicy, license_verdict
from github_app.deps.lookalike import likely_intended
from github_app.deps.manifests import ManifestError, parse
from github_app.deps.registry import matching, pypi_info


def names(path: str, text: str) -> list[tuple[str, str, int, str | None]]:
    return [(d.name, d.spec, d.line, d.pinned) for d in parse(path, text).deps]


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("requirements.txt", "# c\nflask==3.0.3  # web\nrequests>=2,<3 \\\n  --hash=sha256:00\n-r dev.txt\n",
     [("flask", "==3.0.3", 2, "3.0.3"), ("requests", "<3,>=2", 3, None)]),
    ("requirements/base.in", "Django~=5.0\n", [("Django", "~=5.0", 1, None)]),
    ("pyproject.toml", '[project]\nname="x"\ndependencies = ["httpx>=0.27", "rich==13.0"]\n'
                       '[project.optional-dependencies]\ndev = [\n  "pytest",\n]\n',
     [("httpx", ">=0.27", 3, None), ("rich", "==13.0", 3, "13.0"), ("pytest", "", 6, None)]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "0.110.0"\n'
                       'sqlalchemy = {version = "^2.0", extras = ["asyncio"]}\n',
     [("fastapi", "0.110.0", 3, "0.110.0"), ("sqlalchemy", "^2.0", 4, None)]),
    ("package.json", '{\n "dependencies": {"a": "1.2.3"},\n "devDependencies": {\n  "b": "~2.0.0",\n'
                     '  "c": "npm:d@^1.0.0"\n }\n}\n',
     [("a", "1.2.3", 2, "1.2.3"), ("b", "~2.0.0", 4, None), ("d", "^1.0.0", 5, None)]),
    ("go.mod", "module m\n\ngo 1.22\n\nrequire (\n\ta v1.0.0 // indirect\n)\nrequire b v0.1.0\nreplace a => ./a\n",
     [("a", "v1.0.0", 6, "v1.0.0"), ("b", "v0.1.0", 8, "v0.1.0")]),
    ("Dockerfile", "FROM python\nRUN apt-get update && pip install -U --no-cache-dir \\\n  'uvicorn[standard]==0.30.1' "
                   "-r req.txt && npm i -g pnpm@9\n",
     [("uvicorn", "==0.30.1", 2, "0.30.1"), ("pnpm", "9", 2, "9")]),
])
def test_manifests_declare_their_dependencies_on_their_lines(path: str, text: str,
                                                            expected: list[tuple[str, str, int, str | None]]) -> None:
    assert names(path, text) == expected


def test_requirements_report_includes_and_urls() -> None:
    parsed = parse("svc/requirements.txt", "-r base.txt\n-e ./lib\nx @ https://h/x.whl\n./local.tar.gz\n")
    assert parsed.deps == () and parsed.includes == ("svc/base.txt",)
    assert [line for line, _ in parsed.not_looked_up] == [2, 3, 4]


@pytest.mark.parametrize(("path", "text", "where"), [
    ("requirements.txt", "flask==3.0.3\nthis is not a requirement!\n", "line 2"),
    ("package.json", '{\n  "dependencies": {\n    "a": \n', "line 4"),
    ("pyproject.toml", "[project\n", "line 1"),
    ("go.mod", "module m\nrequire (\n a v1\n", "not closed"),
    ("pom.xml", "<project>\n<dependencies>\n</project>\n", "line 3"),
    ("pom.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><project>&a;</project>', "refused"),
    (".github/workflows/ci.yml", "jobs:\n  a: [\n", "line 3"),
])
def test_a_manifest_that_does_not_parse_says_where(path: str, text: str, where: str) -> None:
    with pytest.raises(ManifestError, match=where):
        parse(path, text)


@pytest.mark.parametrize(("eco", "name", "intended"), [
    ("PyPI", "reqeusts", "requests"), ("PyPI", "python_dateutil", None), ("PyPI", "requests", None),
    ("npm", "lodahs", "lodash"), ("npm", "types-node", "@types/node"), ("PyPI", "six", None),
    ("PyPI", "a-name-nobody-uses-xyz", None),
])
def test_lookalike_names(eco: str, name: str, intended: str | None) -> None:
    assert likely_intended(eco, name) == intended


@pytest.mark.parametrize(("expr", "verdict"), [
    ("MIT", "ok"), ("GPL-3.0-only", "denied"), ("MIT OR GPL-3.0-only", "ok"), ("MIT AND AGPL-3.0-or-later", "denied"),
    (None, "unknown"), ("Apache 2.0", "unknown"), ("LGPL-2.1-or-later", "ok"),
])
def test_licence_expressions_are_evaluated(expr: str | None, verdict: str) -> None:
    assert license_verdict(expr, DepPolicy())[0] == verdict


def test_an_allow_list_admits_only_what_it_names() -> None:
    policy = DepPolicy(allow=("MIT", "Apache-*"), deny=())
    assert [license_verdict(e, policy)[0] for e in ("MIT", "Apache-2.0", "BSD-3-Clause")] == ["ok", "ok", "denied"]


@pytest.mark.parametrize(("scheme", "spec", "expected"), [
    ("pep440", ">=2.20,<2.32", ["2.20.0", "2.31.0"]), ("poetry", "^2.19", ["2.19.0", "2.20.0", "2.31.0", "2.32.3"]),
    ("poetry", "~2.19", ["2.19.0"]), ("npm", "^2.20.0", ["2.20.0", "2.31.0", "2.32.3"]), ("npm", "2.31.0", ["2.31.0"]),
])
def test_ranges_match_the_ecosystems_rules(scheme: str, spec: str, expected: list[str]) -> None:
    assert matching("PyPI" if scheme != "npm" else "npm", scheme, spec,
                    ["2.19.0", "2.20.0", "2.31.0", "2.32.3", "3.0.0a1"]) == expected


def test_pypi_licence_prefers_spdx_then_classifiers() -> None:
    doc = {"info": {"license": "BSD", "classifiers": ["License :: OSI Approved :: MIT License"]}, "releases": {}}
    assert pypi_info(json.dumps(doc)).license == "MIT"
    doc["info"] = {"license_expression": "Apache-2.0 OR MIT", "license": "whatever"}
    assert pypi_info(json.dumps(doc)).license == "Apache-2.0 OR MIT"


# -- data sources -----------------------------------------------------------------------------------


@pytest.fixture
def no_waits() -> Iterator[None]:
    with stamina.set_testing(True, attempts=3):
        yield


def sources(handler: object, tmp_path: Path, ttl: float = 3600.0) -> DataSources:
    return DataSources(SourceConfig(cache_dir=tmp_path / "cache", ttl_s=ttl),
                       transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def test_answers_are_cached_and_a_404_is_a_missing_package(tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(str(req.url))
        return httpx.Response(404 if "nope" in str(req.url) else 200, json={"info": {}, "releases": {}})

    with sources(handler, tmp_path) as s:
        assert s.pypi("flask").status == 200 and s.pypi("nope").status == 404
    with sources(handler, tmp_path) as s:
        assert s.pypi("flask").cached and s.pypi("nope").cached
    assert seen == ["https://pypi.org/pypi/flask/json", "https://pypi.org/pypi/nope/json"]
    with sources(handler, tmp_path, ttl=0) as s:  # expired: asked again
        assert not s.pypi("flask").cached


def test_5xx_and_429_are_retried_a_bounded_number_of_times(tmp_path: Path, no_waits: None) -> None:
    calls = 0

    def handler(req: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503 if calls < 3 else 200, text="{}")

    with sources(handler, tmp_path) as s:
        assert s.npm("@scope/pkg").status == 200
    assert calls == 3
    with sources(lambda req: httpx.Response(429), tmp_path) as s, pytest.raises(SourceUnavailable,
                                                                                  match="HTTP 429 after 3"):
        s.npm("other")
        # ... and a source that failed is not asked again in the same review
    with sources(lambda req: httpx.Response(500), tmp_path) as s:
        with pytest.raises(SourceUnavailable):
            s.pypi("a")
        with pytest.raises(SourceUnavailable):
            s.pypi("b")
        assert s.requests == 3


def test_garbage_from_osv_is_unavailable_not_a_clean_bill(tmp_path: Path) -> None:
    with sources(lambda req: httpx.Response(200, text="<html>"), tmp_path) as s, \
            pytest.raises(SourceUnavailable, match="not JSON"):
        s.osv_querybatch([{"package": {"ecosystem": "PyPI", "name": "x"}, "version": "1"}])


def test_mirror_settings_are_validated() -> None:
    cfg = SourceConfig.from_env({"PRODREADY_PYPI_URL": "https://nexus.acme/repository/pypi/pypi/"}, Path("/d"))
    assert cfg.url("pypi") == "https://nexus.acme/repository/pypi/pypi" and cfg.cache_dir == Path("/d/deps-cache")
    with pytest.raises(SourceConfigError, match="PRODREADY_NPM_URL"):
        SourceConfig.from_env({"PRODREADY_NPM_URL": "ftp://x"})


# -- the analyzer over a mock registry ----------------------------------------------------------------

def _view(head: str, base: str | None = None, path: str = "requirements.txt") -> object:
    from github_app.analyzers import ChangeView
    from github_app.diff import parse_diff
    from github_app.policy import load_policy

    added = "".join(f"+{line}\n" for line in head.splitlines())
    diff = (f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
            f"@@ -0,0 +1,{len(head.splitlines())} @@\n{added}")
    return ChangeView(parse_diff(diff), (path,), lambda ps: {p: head.encode() for p in ps},
                      lambda ps: {p: base.encode() if base else None for p in ps}, load_policy([]))


def test_a_registry_answering_garbage_is_not_checked_and_said(tmp_path: Path) -> None:
    from github_app.analyzers.dependencies import DependencyAnalyzer

    with sources(lambda req: httpx.Response(200, text="<html>maintenance</html>"), tmp_path) as s:
        out = DependencyAnalyzer(sources=s).analyze(_view("flask==3.0.3\n"))  # type: ignore[arg-type]
    assert out.findings == []
    assert any(n.startswith("Not checked: PyPI") and "garbage answer" in n and "flask" in n for n in out.notes)


def test_one_failing_analyzer_is_an_error_and_the_others_still_run() -> None:
    from github_app.analyzers import Analysis, run_analyzers

    class Broken:
        name = "broken"

        def analyze(self, change: object) -> Analysis:
            raise RuntimeError("boom")

    class Fine:
        name = "fine"

        def analyze(self, change: object) -> Analysis:
            return Analysis(notes=["fine ran"])

    out = run_analyzers([Broken(), Fine()], _view("x\n"))  # type: ignore[list-item,arg-type]
    assert out.errors == ["broken analyzer failed: RuntimeError: boom"] and out.notes == ["fine ran"]
