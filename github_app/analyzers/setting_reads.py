"""Where code reads a setting: environment variables and configuration keys, per language. Pure.

Python is read with the standard library's `ast` (so `os.environ["X"]` split over lines, aliases of
`environ` and pydantic settings classes are seen); JavaScript/TypeScript, Go, Java and Kotlin with
patterns on the line, since each has a handful of fixed spellings for an environment read.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

CODE_SUFFIXES = frozenset({".py", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java", ".kt"})


@dataclass(frozen=True)
class Read:
    name: str
    """The environment variable, or for a `key` read the dotted configuration key."""
    line: int
    how: str
    """The read as written, shortened: `os.environ["X"]`, `process.env.X`, `@Value("${a.b}")`."""
    has_default: bool
    kind: str = "env"
    """`env`: an environment variable; `key`: a Spring property (also settable as its relaxed env form);
    `field`: a pydantic settings field (matched without regard to case, as pydantic reads it)."""


# Set by the operating system, the shell, CI or the platform, never by an app's own deployment config.
PROVIDED_BY_PLATFORM = frozenset({
    "PATH", "HOME", "USER", "USERNAME", "SHELL", "PWD", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "TERM",
    "HOSTNAME", "LOGNAME", "CI", "NODE_ENV", "PORT", "TZ", "EDITOR", "VISUAL", "PYTHONPATH", "VIRTUAL_ENV",
    "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "APPDATA", "LOCALAPPDATA", "USERPROFILE",
    "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "GOPATH", "GOOS", "GOARCH", "JAVA_HOME",
    # Vite sets these on import.meta.env itself (vitejs.dev/guide/env-and-mode).
    "DEV", "PROD", "MODE", "BASE_URL", "SSR",
})
PLATFORM_PREFIXES = ("GITHUB_", "RUNNER_", "ACTIONS_", "npm_", "PYTEST_", "VERCEL_", "NETLIFY_",
                     # Optional by their own specifications, read by the SDKs whether the app names them or not:
                     # OpenTelemetry's SDK environment variables, the AWS SDKs' shared settings (a role or the
                     # runtime provides region and credentials).
                     "OTEL_", "AWS_",
                     # Set by the runtime itself: Jest workers, Cloud Run (K_SERVICE, K_REVISION), Cloud
                     # Workstations, Render, Railway, Fly, Heroku dynos, Codespaces, Gitpod.
                     "JEST_", "K_", "GOOGLE_CLOUD_WORKSTATION", "RENDER_", "RAILWAY_", "FLY_", "HEROKU_",
                     "CODESPACE", "GITPOD_")


def is_code(path: str) -> bool:
    return PurePosixPath(path).suffix in CODE_SUFFIXES


def is_test_path(path: str) -> bool:
    """Tests read settings for themselves, not for a deployment."""
    p = PurePosixPath(path)
    parts = {s.lower() for s in p.parts[:-1]}
    name = p.name.lower()
    return (bool(parts & {"test", "tests", "__tests__", "testing", "e2e", "spec", "testdata", "fixtures"})
            or name.startswith(("test_", "conftest")) or name.endswith(("_test.go", "_test.py", "test.java",
                                                                       "tests.java", "test.kt"))
            or any(f".{m}." in name for m in ("test", "spec")))


# Code here is run by hand or by CI, not deployed: scripts, benchmarks, examples, documentation.
NOT_DEPLOYED_DIRS = frozenset({"scripts", "script", "tools", "hack", "evaluation", "evals", "benchmarks", "bench",
                               "examples", "example", "samples", "docs", "docs_src", "demo", "demos", "cookbook",
                               "playwright", "cypress", ".storybook", "storybook", ".github"})
# Test runners' and story tools' own configuration (playwright.config.ts, vitest.config.mts, a.stories.tsx).
_NOT_DEPLOYED_NAME = re.compile(r"^(playwright|vitest|jest|cypress|karma|wdio)\.config\.|\.stories\.")


def is_not_deployed(path: str) -> bool:
    p = PurePosixPath(path)
    return (bool({s.lower() for s in p.parts[:-1]} & NOT_DEPLOYED_DIRS) or is_test_path(path)
            or bool(_NOT_DEPLOYED_NAME.search(p.name.lower())))


def platform_provided(name: str) -> bool:
    return name in PROVIDED_BY_PLATFORM or name.startswith(PLATFORM_PREFIXES)


def reads(path: str, text: str, lines: frozenset[int]) -> list[Read]:
    """The setting reads that start on one of `lines` of this file (its added lines)."""
    suffix = PurePosixPath(path).suffix
    if suffix == ".py":
        found = _python(text)
    elif suffix in (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx"):
        found = _by_line(text, _JS)
    elif suffix == ".go":
        found = _by_line(text, _GO)
    elif suffix in (".java", ".kt"):
        found = _by_line(text, _JAVA)
    else:
        return []
    return [r for r in found if r.line in lines and r.name and not platform_provided(r.name)]


# -- Python --------------------------------------------------------------------------------------------


def _is_environ(node: ast.expr, environ_names: set[str]) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id in environ_names


def _const_str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _python(text: str) -> list[Read]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []  # the Semgrep scan reports files that do not parse; nothing to say here
    environ_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                     and n.module == "os" for a in n.names if a.name == "environ"}
    getenv_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                    and n.module == "os" for a in n.names if a.name == "getenv"}
    # `os.getenv("X") or "fallback"`: every operand of an `or` but the last has one.
    or_operands = {id(v) for n in ast.walk(tree) if isinstance(n, ast.BoolOp) and isinstance(n.op, ast.Or)
                   for v in n.values[:-1]}
    tested = _tested(tree)
    out: list[Read] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value, environ_names) \
                and isinstance(node.ctx, ast.Load) and (name := _const_str(node.slice)) is not None:
            out.append(Read(name, node.lineno, f'os.environ["{name}"]', has_default=False))
        elif isinstance(node, ast.Call) and node.args and (name := _const_str(node.args[0])) is not None:
            func = node.func
            # setdefault writes a default for others to read: not a read that needs providing.
            getter = (isinstance(func, ast.Attribute) and func.attr == "get"
                      and _is_environ(func.value, environ_names))
            getenv = ((isinstance(func, ast.Attribute) and func.attr == "getenv" and isinstance(func.value, ast.Name)
                       and func.value.id == "os") or (isinstance(func, ast.Name) and func.id in getenv_names))
            if getter or getenv:
                # .get/getenv hand back None when unset; a read the code then tests copes with that.
                default = (len(node.args) > 1 or any(k.arg == "default" for k in node.keywords)
                           or id(node) in or_operands or id(node) in tested)
                spelled = f"os.environ.{func.attr}" if isinstance(func, ast.Attribute) and getter else "os.getenv"
                out.append(Read(name, node.lineno, f'{spelled}("{name}")', has_default=default))
        elif isinstance(node, ast.ClassDef) and _is_settings_class(node):
            # A field the code passes when it builds the settings (`Settings(debug=debug)`) comes from the code.
            passed = {k.arg for c in ast.walk(tree) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                      and c.func.id == node.name for k in c.keywords}
            out += [r for r in _settings_fields(node) if r.how.rsplit(".", 1)[-1] not in passed]
    return out


def _tested(tree: ast.Module) -> set[int]:
    """ids of the expressions the code tests (`if`, `while`, a ternary's or an assert's condition, a
    comparison, `not`, `and`/`or`), and of the values assigned to a name it tests anywhere in the module:
    `raw = os.getenv("X")` then `if raw:`."""
    tests: list[ast.AST] = []
    for n in ast.walk(tree):
        if isinstance(n, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            tests.append(n.test)
        elif isinstance(n, ast.Compare):
            tests += [n.left, *n.comparators]
        elif isinstance(n, ast.BoolOp):
            tests += n.values
        elif isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
            tests.append(n.operand)
    ids = {id(x) for t in tests for x in ast.walk(t)}
    names = {x.id for t in tests for x in ast.walk(t) if isinstance(x, ast.Name)}
    for n in ast.walk(tree):
        if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None:
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                ids.add(id(n.value))
    return ids


def _is_settings_class(node: ast.ClassDef) -> bool:
    for base in node.bases:
        name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
        if name.endswith("BaseSettings"):
            return True
    return False


def _env_prefix(node: ast.ClassDef) -> str:
    for stmt in node.body:
        # model_config = SettingsConfigDict(env_prefix="APP_")  (pydantic-settings 2)
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "model_config"
                                                for t in stmt.targets) and isinstance(stmt.value, ast.Call):
            for kw in stmt.value.keywords:
                if kw.arg == "env_prefix" and (v := _const_str(kw.value)) is not None:
                    return v
        # class Config: env_prefix = "APP_"  (pydantic 1)
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "env_prefix"
                                                         for t in inner.targets) \
                        and (v := _const_str(inner.value)) is not None:
                    return v
    return ""


def _settings_fields(node: ast.ClassDef) -> list[Read]:
    prefix = _env_prefix(node)
    out = []
    for stmt in node.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        if stmt.target.id.startswith("_") or stmt.target.id == "model_config":
            continue
        name, default = prefix + stmt.target.id, stmt.value is not None
        value = stmt.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) == "Field":
            alias = next((_const_str(k.value) for k in value.keywords
                          if k.arg in ("alias", "validation_alias")), None)
            if alias:
                name = alias
            # Field(...) and Field() with no default are required.
            default = any(k.arg in ("default", "default_factory") for k in value.keywords) or bool(
                value.args and not (isinstance(value.args[0], ast.Constant) and value.args[0].value is Ellipsis))
        out.append(Read(name.upper(), stmt.lineno, f"{node.name}.{stmt.target.id}", has_default=default,
                        kind="field"))
    return out


# -- the others, line by line ------------------------------------------------------------------------

_Pattern = tuple[re.Pattern[str], str, str]
"""(regex with a `name` group, how it is written with {name}, kind)."""

# After the read, on the same statement: a fallback (`|| "x"`, `?? 0`, `.orElse(...)`, `?:`) or a comparison
# (`v == ""`, `=== "true"`: a flag that is off when unset), so the code copes with the setting missing.
_DEFAULT_AFTER = re.compile(r"""\|\||\?\?|\borElse\w*\(|\?:|[!=]==?""")
_JS: list[_Pattern] = [
    (re.compile(r"\bprocess\.env\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"), "process.env.{name}", "env"),
    (re.compile(r"""\bprocess\.env\[\s*['"`](?P<name>[A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]"""), "process.env.{name}",
     "env"),
    (re.compile(r"\bimport\.meta\.env\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"), "import.meta.env.{name}", "env"),
]
_GO: list[_Pattern] = [
    (re.compile(r"""\bos\.Getenv\(\s*"(?P<name>[^"]+)"\s*\)"""), 'os.Getenv("{name}")', "env"),
    # LookupEnv hands back whether it was set: the code handles its absence.
    (re.compile(r"""\bos\.LookupEnv\(\s*"(?P<name>[^"]+)"\s*\)"""), 'os.LookupEnv("{name}")', "env-handled"),
]
_JAVA: list[_Pattern] = [
    (re.compile(r"""\bSystem\.getenv\(\s*"(?P<name>[^"]+)"\s*\)"""), 'System.getenv("{name}")', "env"),
    (re.compile(r"""\bSystem\.getenv\(\)\.getOrDefault\(\s*"(?P<name>[^"]+)"\s*,"""),
     'System.getenv().getOrDefault("{name}", ...)', "env-handled"),
    (re.compile(r"""@Value\(\s*"\$\{(?P<name>[A-Za-z0-9_.\-\[\]]+)(?P<default>:[^}]*)?\}"\s*\)"""),
     '@Value("${{{name}}}")', "key"),
]


# A read inside a condition or a ternary branch, or followed by `?.`/`?`, is the code checking whether the
# setting is there: `if (a && process.env.X)`, `cond ? parseInt(process.env.X) : 1`, `process.env.X?.trim()`.
_CHECKED_BEFORE = re.compile(r"(&&|\|\||\?|!|[!=]==?|\bif\s*\(|\bwhile\s*\()\s*[\w.(]*$")
_CHECKED_AFTER = re.compile(r"^\s*\]?\s*\?")
_OPEN_CONDITION = re.compile(r"(&&|\|\||\?|\bif\s*\(|\bwhile\s*\()\s*$")


_ASSIGNED = re.compile(r"(?:\b(?:const|let|var)\s+)?\b(?P<var>[A-Za-z_]\w*)\s*(?::\s*[\w|<>\[\] ]+)?:?=\s*$")
CHECK_LINES = 30


def _variable_checked(before: str, text: str, line: int) -> bool:
    """`const raw = process.env.X;` / `v := os.Getenv("X")`, then within a few lines `if (raw)`,
    `raw !== undefined`, `v == ""`, `raw ? ... : ...`: the code copes with the setting missing."""
    m = _ASSIGNED.search(before)
    if m is None:
        return False
    v = re.escape(m["var"])
    after = "\n".join(text.splitlines()[line: line + CHECK_LINES])
    return bool(re.search(rf"\bif\s*\(?\s*!?\s*{v}\b|\b{v}\s*(?:[!=]==?|\?\?|\|\||&&|\?(?!\.))|"
                          rf"(?:&&|\|\||!)\s*{v}\b", after))


def _by_line(text: str, patterns: list[_Pattern]) -> list[Read]:
    out = _reads_by_line(text, patterns)
    # A setting whose absence the file handles somewhere is optional everywhere in it.
    optional = {r.name for r in out if r.has_default}
    return [Read(r.name, r.line, r.how, True, r.kind) if r.name in optional and not r.has_default else r
            for r in out]


def _reads_by_line(text: str, patterns: list[_Pattern]) -> list[Read]:
    out = []
    prev = ""
    for no, line in enumerate(text.splitlines(), start=1):
        before_lines, prev = prev, (line.strip() or prev)
        if len(line) > 2000:
            continue  # minified or generated: not a line anyone reads settings on by hand
        for regex, how, kind in patterns:
            for m in regex.finditer(line):
                name = m["name"]
                if kind == "key":
                    out.append(Read(name, no, how.format(name=name), has_default=m["default"] is not None,
                                    kind="key"))
                else:
                    if re.match(r"\s*(=(?!=)|\+=|\?\?=|\|\|=)", line[m.end():]):
                        continue  # `process.env.X = ...` provides the setting, it does not need it
                    rest = line[m.end():].split(";", 1)[0] if not line.lstrip().startswith("if") else line[m.end():]
                    before = line[:m.start()]
                    checked = (bool(_CHECKED_BEFORE.search(before)) or bool(_CHECKED_AFTER.match(line[m.end():]))
                               or (not before.strip() and bool(_OPEN_CONDITION.search(before_lines))))
                    checked = checked or _variable_checked(before, text, no)
                    default = kind == "env-handled" or checked or bool(_DEFAULT_AFTER.search(rest))
                    out.append(Read(name, no, how.format(name=name), has_default=default))
    return out
