"""Settings nothing provides: a new read of an env var or config key that no deployment config has."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from github_app.analyzers.setting_reads import is_test_path, reads
from github_app.analyzers.unprovided import UnprovidedSettingsAnalyzer, config_kind
from github_app.findings import Severity
from tests.conftest import GitRepo, git_change

BASE_APP = "import os\n\nDB = os.environ['DATABASE_URL']\n"
COMPOSE = "services:\n  app:\n    image: app\n    environment:\n      DATABASE_URL: postgres://db\n"


# Most tests look at reads with defaults too (INFO), which the policy reports only when asked.
DEFAULTED = "new_settings:\n  report_defaulted: true\n"


def _review(repo: GitRepo, base_files: dict[str, str | bytes | None], head_files: dict[str, str | bytes | None],
            policy: str | None = DEFAULTED) -> list[tuple[str, int, str, Severity]]:
    base = repo.commit(base_files, "base")
    head = repo.commit(head_files, "head")
    got = UnprovidedSettingsAnalyzer().analyze(git_change(repo, base, head, policy))
    assert not got.errors
    return sorted((f.path, f.start_line, f.extra["setting"], f.severity) for f in got.findings)


def test_a_new_setting_in_no_config_is_reported_and_one_in_compose_is_not(git_repo: Callable[[], GitRepo]) -> None:
    got = _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE},
                  {"app.py": BASE_APP + "KEY = os.environ['STRIPE_KEY']\nURL = os.environ['DATABASE_URL']\n"
                             "MODE = os.getenv('PAY_MODE', 'test')\n"})
    assert got == [("app.py", 4, "env:STRIPE_KEY", Severity.WARNING), ("app.py", 6, "env:PAY_MODE", Severity.INFO)]


@pytest.mark.parametrize(("where", "text"), [
    ("docker-compose.yml", COMPOSE + "      STRIPE_KEY: ${STRIPE_KEY}\n"),
    (".env.example", "DATABASE_URL=\nSTRIPE_KEY=\n"),
    ("charts/app/values.yaml", "env:\n  - name: STRIPE_KEY\n    valueFrom: {secretKeyRef: {name: s, key: k}}\n"),
    ("infra/main.tf", 'resource "x" "y" {\n  environment = { STRIPE_KEY = var.key }\n}\n'),
    ("Dockerfile", "FROM python:3.12\nARG STRIPE_KEY\n"),
], ids=["compose", "env-example", "helm", "terraform", "dockerfile"])
def test_a_setting_present_in_any_deployment_config_is_provided(git_repo: Callable[[], GitRepo], where: str,
                                                               text: str) -> None:
    got = _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE},
                  {"app.py": BASE_APP + "KEY = os.environ['STRIPE_KEY']\n", where: text})
    assert got == []


def test_a_repository_with_no_deployment_config_gets_no_finding(git_repo: Callable[[], GitRepo]) -> None:
    got = _review(git_repo(), {"app.py": BASE_APP, "README.md": "# app\n", ".github/workflows/ci.yml": "on: push\n"},
                  {"app.py": BASE_APP + "KEY = os.environ['STRIPE_KEY']\n"})
    assert got == []


def test_each_language_and_its_default_spellings(git_repo: Callable[[], GitRepo]) -> None:
    head = {
        "web/pay.ts": "const key = process.env.STRIPE_KEY;\nconst mode = process.env.PAY_MODE ?? 'test';\n"
                      "const url = process.env['HOOK_URL'] || 'http://x';\n",
        "svc/main.go": 'package main\n\nimport "os"\n\nvar key = os.Getenv("GO_KEY")\n'
                       'var v, ok = os.LookupEnv("GO_OPT")\n',
        "src/main/java/Pay.java": 'class Pay {\n  String k = System.getenv("JAVA_KEY");\n'
                                  '  @Value("${pay.timeout-ms:500}") int t;\n'
                                  '  @Value("${pay.endpoint}") String e;\n}\n',
        "app/config.py": "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
                         "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='PAY_')\n"
                         "    api_token: str\n    retries: int = 3\n",
    }
    got = _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE}, head)
    assert got == [
        ("app/config.py", 6, "field:PAY_API_TOKEN", Severity.WARNING),
        ("app/config.py", 7, "field:PAY_RETRIES", Severity.INFO),
        ("src/main/java/Pay.java", 2, "env:JAVA_KEY", Severity.WARNING),
        ("src/main/java/Pay.java", 3, "key:pay.timeout-ms", Severity.INFO),
        ("src/main/java/Pay.java", 4, "key:pay.endpoint", Severity.WARNING),
        ("svc/main.go", 5, "env:GO_KEY", Severity.WARNING),
        ("svc/main.go", 6, "env:GO_OPT", Severity.INFO),
        ("web/pay.ts", 1, "env:STRIPE_KEY", Severity.WARNING),
        ("web/pay.ts", 2, "env:PAY_MODE", Severity.INFO),
        ("web/pay.ts", 3, "env:HOOK_URL", Severity.INFO),
    ]


def test_spring_keys_are_found_nested_in_application_yaml_and_as_relaxed_env_names(
        git_repo: Callable[[], GitRepo]) -> None:
    java = 'class Pay {\n  @Value("${pay.endpoint}") String e;\n  @Value("${pay.api-key}") String k;\n}\n'
    got = _review(git_repo(), {"docker-compose.yml": "services:\n  app:\n    environment:\n      PAY_APIKEY: x\n",
                               "src/main/resources/application.yml": "pay:\n  endpoint: http://pay\n"},
                  {"src/main/java/Pay.java": java})
    assert got == []


def test_moved_reads_tests_and_platform_variables_are_not_new(git_repo: Callable[[], GitRepo]) -> None:
    base = {"app.py": BASE_APP + "TOKEN = os.environ['OLD_TOKEN']\n", "docker-compose.yml": COMPOSE}
    head = {"app.py": "import os\n\nTOKEN = os.environ['OLD_TOKEN']\nDB = os.environ['DATABASE_URL']\n"
                      "HOME = os.environ['HOME']\nSHA = os.getenv('GITHUB_SHA')\n",
            "tests/test_app.py": "import os\n\nURL = os.environ['TEST_ONLY_URL']\n"}
    assert _review(git_repo(), base, head) == []


def test_reads_with_a_default_are_reported_only_when_the_policy_asks(git_repo: Callable[[], GitRepo]) -> None:
    head = {"app.py": BASE_APP + "KEY = os.environ['STRIPE_KEY']\nMODE = os.getenv('PAY_MODE', 'test')\n"}
    got = _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE}, head, policy=None)
    assert got == [("app.py", 4, "env:STRIPE_KEY", Severity.WARNING)]


def test_a_setting_another_file_of_the_change_declares_or_sets_is_provided(git_repo: Callable[[], GitRepo]) -> None:
    base = {"app.py": BASE_APP, "docker-compose.yml": COMPOSE, "ctl/pods.go": "package ctl\n"}
    read = BASE_APP + "FLUSH = os.environ['TRACE_FLUSH']\n"
    # The controller that starts the pods sets it: the change says where it comes from.
    sets = {"app.py": read, "ctl/pods.go": 'package ctl\n\nvar env = map[string]string{"TRACE_FLUSH": "true"}\n'}
    assert _review(git_repo(), base, sets) == []
    # Another file that only reads it too is no provider.
    also_reads = {"app.py": read, "worker.py": "import os\n\nF = os.environ['TRACE_FLUSH']\n"}
    assert _review(git_repo(), base, also_reads) == [("app.py", 4, "env:TRACE_FLUSH", Severity.WARNING),
                                                     ("worker.py", 3, "env:TRACE_FLUSH", Severity.WARNING)]


@pytest.mark.parametrize("path,line", [
    ("web/svc/tracing.ts", "const url = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;\n"),
    ("web/svc/region.ts", "const r = process.env.AWS_REGION;\n"),
    ("ui/playwright.config.ts", "const slow = process.env.PW_SLOWMO;\n"),
    ("ui/playwright/setup.ts", "const ns = process.env.E2E_NAMESPACE;\n"),
    ("ui/src/Button.stories.tsx", "const x = process.env.STORY_THEME;\n"),
])
def test_runtime_and_sdk_variables_and_test_runner_code_are_not_reported(
        git_repo: Callable[[], GitRepo], path: str, line: str) -> None:
    base = {"app.py": BASE_APP, "docker-compose.yml": COMPOSE}
    assert _review(git_repo(), base, {**base, path: line}) == []
    # The same read of an app's own variable in deployed code is reported.
    assert _review(git_repo(), base, {**base, "web/svc/pay.ts": "const k = process.env.PAY_KEY;\n"}) == \
        [("web/svc/pay.ts", 1, "env:PAY_KEY", Severity.WARNING)]


@pytest.mark.parametrize("code", [
    "if (process.env.GOOGLE_WS === 'true' && process.env.WEB_HOST) {\n  go();\n}\n",
    "if (\n  process.env.CFG_DIR?.trim() ||\n  process.env.WEB_HOST\n) {\n  go();\n}\n",
    "const i = process.env.WEB_HOST !== undefined\n  ? parseInt(process.env.WEB_HOST)\n  : 0;\n",
    "const on = 'yes' === process.env.WEB_HOST;\n",
])
def test_a_js_read_the_code_checks_for_presence_has_a_default(code: str) -> None:
    assert [(r.name, r.has_default) for r in reads("web/a.ts", code, frozenset(range(1, 10)))
            if r.name == "WEB_HOST"] == [("WEB_HOST", True)] * code.count("WEB_HOST")
    # Used as it comes, it has none.
    assert [r.has_default for r in reads("web/a.ts", "const h = process.env.WEB_HOST;\n", frozenset({1}))] == [False]


@pytest.mark.parametrize("path,code,optional", [
    ("app/env.py", "import os\n\ndef f():\n    raw = os.getenv('WEB_HOST')\n    if raw:\n        return 1\n", True),
    ("app/env.py", "import os\n\nIN_DOCKER = os.environ.get('WEB_HOST') == 'true'\n", True),
    ("app/env.py", "import os\n\ndef f():\n    url = os.getenv('WEB_HOST')\n    return connect(url)\n", False),
    ("web/a.ts", "const env = process.env.WEB_HOST;\nif (env !== undefined && env !== '') {\n  use(env);\n}\n", True),
    ("web/a.ts", "const key = process.env.WEB_HOST;\nexport const client = new Stripe(key);\n", False),
    ("svc/main.go", 'package main\n\nfunc f() {\n\tv := os.Getenv("WEB_HOST")\n\tif v == "" {\n\t\treturn\n\t}\n}\n',
     True),
    ("svc/main.go", 'package main\n\nfunc f() string {\n\tv := os.Getenv("WEB_HOST")\n\treturn v\n}\n', False),
])
def test_a_read_the_code_then_tests_is_optional(path: str, code: str, optional: bool) -> None:
    assert [r.has_default for r in reads(path, code, frozenset(range(1, 12)))] == [optional]


def test_a_settings_field_the_code_passes_in_is_not_read_from_the_environment() -> None:
    code = ("from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    debug: bool\n"
            "    dependencies: list[str]\n\ndef make(deps):\n    return Settings(dependencies=deps)\n")
    assert [(r.name, r.has_default) for r in reads("app/settings.py", code, frozenset(range(1, 10)))] == \
        [("DEBUG", False)]


def test_vites_own_import_meta_env_values_are_not_settings() -> None:
    assert [r.name for r in reads("web/a.ts", "if (import.meta.env.DEV) log(import.meta.env.VITE_API);\n",
                                  frozenset({1}))] == ["VITE_API"]


def test_the_policy_switch_turns_it_off(git_repo: Callable[[], GitRepo]) -> None:
    got = _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE},
                  {"app.py": BASE_APP + "KEY = os.environ['STRIPE_KEY']\n"}, policy="new_settings:\n  enabled: false\n")
    assert got == []


def test_files_that_do_not_parse_or_are_binary_are_passed_over_without_error(git_repo: Callable[[], GitRepo]) -> None:
    got = _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE},
                  {"broken.py": "def (:\n  os.environ['X'\n", "blob.bin": b"\x00\x01os.environ['Y']",
                   "new.py": "import os\nA = os.environ['NEW_ONE']\n"})
    assert got == [("new.py", 2, "env:NEW_ONE", Severity.WARNING)]


def test_reads_on_lines_the_change_did_not_add_are_not_reported() -> None:
    text = "import os\nA = os.environ['A_ONE']\nB = os.environ['B_TWO']\n"
    assert [r.name for r in reads("x.py", text, frozenset({3}))] == ["B_TWO"]


@pytest.mark.parametrize(("path", "kind"), [
    (".env.sample", ".env example"), ("deploy/compose.prod.yaml", "compose"), ("k8s/api/deployment.yaml",
                                                                               "Kubernetes/Helm"),
    ("charts/api/templates/deploy.yaml", "Kubernetes/Helm"), ("ops/main.tf", "Terraform"),
    ("docker/api.Dockerfile", "Dockerfile"), ("src/main/resources/application-prod.properties", "app config"),
    (".github/workflows/deploy.yml", "workflow"), ("README.md", "README"), ("pnpm-lock.yaml", None),
    ("src/app.py", None),
])
def test_config_kinds(path: str, kind: str | None) -> None:
    got = config_kind(path)
    assert (got.kind if got else None) == kind


def test_test_paths() -> None:
    assert all(is_test_path(p) for p in ("tests/x.py", "a/test_b.py", "pkg/x_test.go", "web/a.spec.ts",
                                          "src/test/java/PayTest.java"))
    assert not any(is_test_path(p) for p in ("app/testing_tools_x.py", "src/main/java/Pay.java", "web/latest.ts"))


def test_writes_scripts_and_documented_settings_are_not_reported(git_repo: Callable[[], GitRepo]) -> None:
    head = {"app.py": BASE_APP + "os.environ.setdefault('CLIENT_NAME', 'x')\nLEVEL = os.environ['APP_LEVEL']\n",
            "scripts/release.py": "import os\n\nTOKEN = os.environ['RELEASE_TOKEN']\n",
            "docs/configuration.md": "# Settings\n\n- `APP_LEVEL`: how loud the app logs.\n"}
    assert _review(git_repo(), {"app.py": BASE_APP, "docker-compose.yml": COMPOSE}, head) == []


def test_a_setting_the_repository_already_knows_or_the_code_sets_itself_is_not_new(
        git_repo: Callable[[], GitRepo]) -> None:
    base = {"app.py": BASE_APP, "docker-compose.yml": COMPOSE,
            "worker/telemetry.py": "import os\n\nHOST = os.getenv('POSTHOG_HOST', 'https://x')\n"}
    head = {"app.py": BASE_APP + "HOST = os.getenv('POSTHOG_HOST')\n",
            "web/auth.ts": "process.env.SDK_PROFILE = 'default';\nif (process.env.BETA === 'on') { beta(); }\n"}
    got = _review(git_repo(), base, head)
    assert got == [("web/auth.ts", 2, "env:BETA", Severity.INFO)]  # a flag compared: off when unset
