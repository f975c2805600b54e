"""Manifests -> the dependencies they declare, each with its line. Pure: callers pass texts in.

Parsed with the formats' own parsers (packaging for requirements, tomllib, json, defusedxml for
pom.xml, PyYAML for workflows, shlex for shell lines); line numbers are found by locating each
declaration in the text, since those parsers do not keep positions.
"""

from __future__ import annotations

import json
import shlex
import tomllib
import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

import defusedxml.sax
import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from github_app.deps.kinds import manifest_kind

Ecosystem = Literal["PyPI", "npm", "Go", "Maven"]
"""OSV's ecosystem names, so a dependency's ecosystem is also its OSV query key."""

Kind = Literal["registry", "url", "path"]


class ManifestError(ValueError):
    """The manifest does not parse; the message says where."""


@dataclass(frozen=True)
class Dep:
    ecosystem: Ecosystem
    name: str
    spec: str
    """The version constraint as written ('' for any version)."""
    line: int
    """1-based head line of the declaration."""
    kind: Kind = "registry"
    pinned: str | None = None
    """The one version the constraint allows, when it allows exactly one."""
    scheme: str = "pep440"
    """How `spec` reads: pep440, poetry, npm, go, maven."""

    @property
    def key(self) -> tuple[str, str]:
        name = canonicalize_name(self.name) if self.ecosystem == "PyPI" else self.name
        return (self.ecosystem, name)


@dataclass(frozen=True)
class Parsed:
    deps: tuple[Dep, ...]
    includes: tuple[str, ...] = ()
    """Other requirement files this one pulls in with -r/-c, as repository paths."""
    not_looked_up: tuple[tuple[int, str], ...] = ()
    """(line, reason) for declarations that name no registry version (URL, path, VCS)."""


def parse(path: str, text: str, kind: str | None = None) -> Parsed:
    kind = kind or manifest_kind(path)
    if kind == "requirements":
        return parse_requirements(path, text)
    if kind == "pyproject":
        return parse_pyproject(text)
    if kind == "package.json":
        return parse_package_json(text)
    if kind == "go.mod":
        return parse_go_mod(text)
    if kind == "pom":
        return parse_pom(text)
    if kind == "dockerfile":
        return parse_shell_lines(dockerfile_runs(text))
    if kind == "workflow":
        return parse_shell_lines(workflow_runs(text))
    raise ManifestError(f"{path}: not a manifest prodready reads")


# -- Python --------------------------------------------------------------------------------------


def _pep440_pin(req: Requirement) -> str | None:
    specs = list(req.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return specs[0].version
    return None


def python_dep(text: str, line: int) -> Dep | tuple[int, str]:
    """One PEP 508 string -> a Dep, or (line, reason) when it names a URL instead of a version."""
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise ManifestError(f"line {line}: {str(exc).splitlines()[0]}") from None
    if req.url:
        return (line, f"{req.name} comes from a URL ({req.url[:60]}), not a registry version; not looked up")
    return Dep("PyPI", req.name, str(req.specifier), line, pinned=_pep440_pin(req))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """requirements.txt lines joined at trailing backslashes, comments dropped, with first line numbers."""
    buf, start = "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        if not buf:
            start = n
        line = raw
        if line.lstrip().startswith("#"):
            line = ""
        elif " #" in line or "\t#" in line:
            line = line[: min(i for i in (line.find(" #"), line.find("\t#")) if i >= 0)]
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        if buf.strip():
            yield start, buf.strip()
        buf = ""
    if buf.strip():
        yield start, buf.strip()


_PATHISH = ("./", "../", "/", "file:", "git+", "hg+", "svn+", "bzr+", "http://", "https://")


def parse_requirements(path: str, text: str) -> Parsed:
    deps: list[Dep] = []
    includes: list[str] = []
    skipped: list[tuple[int, str]] = []
    folder = PurePosixPath(path).parent
    for n, line in _logical_lines(text):
        if line.startswith("-"):
            words = shlex.split(line, posix=True)
            opt = words[0]
            arg = words[1] if len(words) > 1 else ""
            if "=" in opt:
                opt, _, arg = opt.partition("=")
            if opt in ("-r", "--requirement", "-c", "--constraint") and arg:
                includes.append(str(folder / arg) if str(folder) != "." else arg)
            elif opt in ("-e", "--editable"):
                skipped.append((n, f"{arg or 'an editable install'} is installed from a path or VCS; not looked up"))
            continue
        if line.startswith(_PATHISH) or line.endswith((".whl", ".tar.gz", ".zip")):
            skipped.append((n, f"{line[:60]} is a path or URL, not a registry version; not looked up"))
            continue
        got = python_dep(line.split(" --hash", 1)[0].strip(), n)
        if isinstance(got, Dep):
            deps.append(got)
        else:
            skipped.append(got)
    return Parsed(tuple(deps), tuple(includes), tuple(skipped))


def _find_line(lines: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1
    for i in range(0, min(start, len(lines))):
        if needle in lines[i]:
            return i + 1
    return 1


def _section_start(lines: list[str], header: str) -> int:
    for i, line in enumerate(lines):
        if line.strip().replace(" ", "") == header:
            return i
    return 0


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(str(exc)) from None


def parse_pyproject(text: str) -> Parsed:
    data = _toml(text)
    lines = text.splitlines()
    deps: list[Dep] = []
    skipped: list[tuple[int, str]] = []

    def pep508(items: Any, header: str) -> None:
        start = _section_start(lines, header)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, str):
                continue  # PEP 735 {include-group = ...} entries
            n = _find_line(lines, f'"{item}"', start) if f'"{item}"' in text else _find_line(lines, f"'{item}'", start)
            got = python_dep(item, n)
            (deps if isinstance(got, Dep) else skipped).append(got)  # type: ignore[arg-type]

    project = data.get("project") or {}
    pep508(project.get("dependencies"), "[project]")
    for items in (project.get("optional-dependencies") or {}).values():
        pep508(items, "[project.optional-dependencies]")
    for items in (data.get("dependency-groups") or {}).values():
        pep508(items, "[dependency-groups]")
    poetry = (data.get("tool") or {}).get("poetry") or {}
    tables: list[tuple[str, Any]] = [("[tool.poetry.dependencies]", poetry.get("dependencies")),
                                     ("[tool.poetry.dev-dependencies]", poetry.get("dev-dependencies"))]
    tables += [(f"[tool.poetry.group.{g}.dependencies]", (v or {}).get("dependencies"))
               for g, v in (poetry.get("group") or {}).items()]
    for header, table in tables:
        start = _section_start(lines, header)
        for name, value in (table or {}).items():
            if name.lower() == "python":
                continue
            n = _find_line(lines, f"{name} ", start) if start else _find_line(lines, name)
            got = _poetry_dep(name, value, n)
            (deps if isinstance(got, Dep) else skipped).append(got)  # type: ignore[arg-type]
    return Parsed(tuple(deps), (), tuple(skipped))


def _poetry_dep(name: str, value: Any, line: int) -> Dep | tuple[int, str]:
    if isinstance(value, list):
        value = value[0] if value else {}
    if isinstance(value, dict):
        for key in ("git", "path", "url"):
            if key in value:
                return (line, f"{name} comes from a {key}, not a registry version; not looked up")
        value = value.get("version", "*")
    spec = str(value).strip()
    pinned = spec.lstrip("=") if (spec and spec[0].isdigit()) or spec.startswith("==") else None
    if pinned and any(c in pinned for c in "*,<>^~ "):
        pinned = None
    return Dep("PyPI", name, spec, line, pinned=pinned, scheme="poetry")


# -- npm -----------------------------------------------------------------------------------------

NPM_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


def npm_dep(name: str, spec: str, line: int) -> Dep | tuple[int, str]:
    spec = spec.strip()
    if spec.startswith("npm:"):  # an alias: "foo": "npm:bar@^1"
        target = spec[4:]
        at = target.rfind("@")
        name, spec = (target[:at], target[at + 1:]) if at > 0 else (target, "")
    if spec.startswith(("file:", "link:", "workspace:", "git", "http:", "https:", "github:", "portal:")) or (
            "/" in spec and not spec.startswith("@")):
        return (line, f"{name} comes from {spec[:60]}, not a registry version; not looked up")
    pinned = spec.lstrip("=v") if spec and (spec[0].isdigit() or spec[0] in "=v") else None
    if pinned and any(c in pinned for c in "<>^~*xX |"):
        pinned = None
    return Dep("npm", name, spec, line, pinned=pinned, scheme="npm")


def parse_package_json(text: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ManifestError("line 1: package.json is not a JSON object")
    lines = text.splitlines()
    deps: list[Dep] = []
    skipped: list[tuple[int, str]] = []
    for section in NPM_SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        start = _find_line(lines, f'"{section}"') - 1
        for name, spec in table.items():
            n = _find_line(lines, f'"{name}"', start)
            got = npm_dep(name, str(spec), n)
            (deps if isinstance(got, Dep) else skipped).append(got)  # type: ignore[arg-type]
    return Parsed(tuple(deps), (), tuple(skipped))


# -- Go ------------------------------------------------------------------------------------------


def parse_go_mod(text: str) -> Parsed:
    """go.mod's require directives (single and block). The format is a few keywords and tokens."""
    deps: list[Dep] = []
    skipped: list[tuple[int, str]] = []
    in_block = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if in_block:
            if words == [")"]:
                in_block = None
                continue
            entry = words
        elif words[0] in ("require", "replace", "exclude", "retract", "module", "go", "toolchain", "godebug",
                          "tool", "ignore"):
            if len(words) > 1 and words[1] == "(":
                in_block = words[0]
                continue
            if words[0] != "require":
                continue
            entry = words[1:]
        else:
            raise ManifestError(f"line {n}: unknown directive {words[0]!r}")
        if (in_block or "require") != "require":
            continue
        if len(entry) != 2:
            raise ManifestError(f"line {n}: a requirement is 'module version', got {line!r}")
        module, version = entry
        if not version.startswith("v"):
            raise ManifestError(f"line {n}: {version!r} is not a module version (they start with v)")
        deps.append(Dep("Go", module, version, n, pinned=version, scheme="go"))
    if in_block:
        raise ManifestError(f"a {in_block} ( block is not closed")
    return Parsed(tuple(deps), (), tuple(skipped))


# -- Maven ---------------------------------------------------------------------------------------


class _PomHandler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text = ""
        self.current: dict[str, Any] | None = None
        self.found: list[dict[str, Any]] = []
        self.properties: dict[str, str] = {}
        self.property_lines: dict[str, int] = {}
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        local = name.rsplit(":", maxsplit=1)[-1]
        self.stack.append(local)
        self.text = ""
        if local in ("dependency", "plugin", "parent") and self.current is None:
            self.current = {"line": self.locator.getLineNumber() if self.locator else 1, "tag": local}

    def characters(self, content: str) -> None:
        self.text += content

    def endElement(self, name: str) -> None:
        local = self.stack.pop()
        if self.current is not None:
            if local in ("groupId", "artifactId", "version", "scope") and self.stack[-1] == self.current["tag"]:
                self.current[local] = self.text.strip()
                if local == "version":
                    self.current["version_line"] = self.locator.getLineNumber() if self.locator else 1
            elif local == self.current["tag"]:
                self.found.append(self.current)
                self.current = None
        elif len(self.stack) >= 2 and self.stack[-1] == "properties":
            self.properties[local] = self.text.strip()
            self.property_lines[local] = self.locator.getLineNumber() if self.locator else 1
        elif local == "version" and self.stack == ["project"]:
            self.properties["project.version"] = self.text.strip()
        self.text = ""


def parse_pom(text: str) -> Parsed:
    handler = _PomHandler()
    try:
        defusedxml.sax.parseString(text.encode(), handler)
    except xml.sax.SAXParseException as exc:
        raise ManifestError(f"line {exc.getLineNumber()}: {exc.getMessage()}") from None
    except defusedxml.DefusedXmlException as exc:
        raise ManifestError(f"refused to parse: {exc}") from None
    deps: list[Dep] = []
    skipped: list[tuple[int, str]] = []
    for d in handler.found:
        if d["tag"] not in ("dependency", "parent") or "artifactId" not in d:
            continue
        name = f"{d.get('groupId', '')}:{d['artifactId']}"
        version = d.get("version", "")
        line = int(d.get("version_line", d["line"]))
        if version.startswith("${") and version.endswith("}"):
            # The line that sets the property is where a version bump shows in the diff.
            line = handler.property_lines.get(version[2:-1], line)
            version = handler.properties.get(version[2:-1], version)
        if not version or "${" in version:
            skipped.append((line, f"{name} has no version here (managed by a parent or BOM); not looked up"))
            continue
        pinned = None if version[:1] in "[(" else version
        deps.append(Dep("Maven", name, version, line, pinned=pinned, scheme="maven"))
    return Parsed(tuple(deps), (), tuple(skipped))


# -- Dockerfiles and workflows: pip install / npm install ----------------------------------------


def dockerfile_runs(text: str) -> list[tuple[int, str]]:
    """(first line, command) of each RUN instruction, continuation lines joined."""
    out: list[tuple[int, str]] = []
    buf, start, in_run = "", 0, False
    for n, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not in_run:
            if not stripped.upper().startswith("RUN "):
                continue
            in_run, start, buf = True, n, stripped[4:]
        elif stripped.startswith("#"):
            continue
        else:
            buf += " " + stripped
        if buf.endswith("\\"):
            buf = buf[:-1]
            continue
        out.append((start, buf.strip()))
        in_run = False
    if in_run:
        out.append((start, buf.strip()))
    return out


def workflow_runs(text: str) -> list[tuple[int, str]]:
    """(first line, script) of each `run:` step in a GitHub Actions workflow."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ManifestError(f"{where}{getattr(exc, 'problem', None) or exc}") from None
    out: list[tuple[int, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "run" and isinstance(value, yaml.ScalarNode):
                    first = value.start_mark.line + (1 if value.style in ("|", ">") else 0)
                    for i, line in enumerate(str(value.value).splitlines()):
                        out.append((first + i + 1, line))
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    if root is not None:
        walk(root)
    return out


_PIP_OPTS_WITH_ARG = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target",
                      "--prefix", "--root", "-c", "--constraint", "--platform", "--python-version",
                      "--implementation", "--abi", "--cache-dir", "--trusted-host", "--progress-bar", "--report"}


def _commands(script: str) -> Iterator[list[str]]:
    try:
        lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|()")
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        return
    cmd: list[str] = []
    for w in words:
        if w and all(c in ";&|()" for c in w):
            if cmd:
                yield cmd
            cmd = []
        else:
            cmd.append(w)
    if cmd:
        yield cmd


def _install_args(cmd: list[str]) -> tuple[str, list[str]] | None:
    """('pip'|'npm', package words) for a pip/npm/yarn/pnpm install command, else None."""
    words = list(cmd)
    while words and "=" in words[0] and not words[0].startswith("-"):
        words = words[1:]  # leading VAR=value assignments
    for i, w in enumerate(words):
        base = PurePosixPath(w).name
        rest = words[i + 1:]
        if base in ("pip", "pip3") or (base.startswith("python") and rest[:2] == ["-m", "pip"]):
            rest = rest[2:] if rest[:2] == ["-m", "pip"] else rest
            if rest[:1] == ["install"]:
                return "pip", rest[1:]
            return None
        if base in ("npm", "pnpm", "yarn", "bun"):
            if rest[:1] and rest[0] in ("install", "i", "add"):
                return "npm", rest[1:]
            return None
    return None


def parse_shell_lines(runs: list[tuple[int, str]]) -> Parsed:
    deps: list[Dep] = []
    skipped: list[tuple[int, str]] = []
    for line, script in runs:
        for cmd in _commands(script):
            got = _install_args(cmd)
            if got is None:
                continue
            tool, args = got
            skip_next = False
            for arg in args:
                if skip_next:
                    skip_next = False
                    continue
                if arg.startswith("-"):
                    skip_next = (tool == "pip" and arg in _PIP_OPTS_WITH_ARG) or arg in ("-r", "--requirement",
                                                                                      "-e", "--editable")
                    continue
                if arg in (".",) or arg.startswith(_PATHISH) or "$" in arg:
                    skipped.append((line, f"{arg[:60]} is a path, URL or variable; not looked up"))
                    continue
                if tool == "pip":
                    try:
                        result: Dep | tuple[int, str] = python_dep(arg, line)
                    except ManifestError as exc:
                        skipped.append((line, f"{arg[:60]}: {exc}"))
                        continue
                else:
                    at = arg.rfind("@")
                    name, spec = (arg[:at], arg[at + 1:]) if at > 0 else (arg, "")
                    result = npm_dep(name, spec, line)
                (deps if isinstance(result, Dep) else skipped).append(result)  # type: ignore[arg-type]
    return Parsed(tuple(deps), (), tuple(skipped))
