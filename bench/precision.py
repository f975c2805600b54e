#!/usr/bin/env python3
"""Precision benchmark for prodready's Semgrep rules.

Subcommands (see bench/README.md):
  fetch   download the pinned corpus listed in bench/corpus.toml into bench/corpus/
  scan    run the rules over the corpus; write bench/out/{findings.jsonl,table.md,sample/<rule>.md}
  report  merge triage verdicts (bench/triage/*.tsv) into bench/results/precision.md
  timing  time the whole rule set on a fixed 20-file change; write bench/results/rule-timing.md
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import functools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RULES_DIR = ROOT / "rules"
CORPUS_TOML = BENCH / "corpus.toml"
CORPUS = BENCH / "corpus"
OUT = BENCH / "out"
SAMPLE_DIR = OUT / "sample"
TABLE_MD = OUT / "table.md"
FINDINGS = OUT / "findings.jsonl"
INVENTORY = OUT / "corpus.json"
TRIAGE_DIR = BENCH / "triage"
RESULTS = BENCH / "results"
PRECISION_MD = RESULTS / "precision.md"
TIMING_MD = RESULTS / "rule-timing.md"

MARKER = ".prodready-corpus.json"
APT_STATE = CORPUS / ".apt"

SAMPLE_SIZE = 10
SAMPLE_SEED = "prodready-precision-v1"
CONTEXT_LINES = 6
PER_FILE_TIMEOUT_S = 30
MAX_TARGET_BYTES = 1_000_000
BUNDLE_BYTES = 500_000
RULE_PRECISION_MIN = 0.80
OVERALL_PRECISION_MIN = 0.90

SEMGREP_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}

# Semgrep language name -> canonical key used for line counts.
LANG_ALIASES: dict[str, str] = {
    "python": "python", "py": "python", "python3": "python",
    "javascript": "javascript", "js": "javascript",
    "typescript": "typescript", "ts": "typescript",
    "go": "go", "golang": "go",
    "java": "java",
    "dockerfile": "dockerfile", "docker": "dockerfile",
    "yaml": "yaml",
    "json": "json",
    "terraform": "hcl", "hcl": "hcl", "tf": "hcl",
    "bash": "bash", "sh": "bash",
    "generic": "generic", "regex": "generic", "none": "generic",
}
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "python": (".py", ".pyi"),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts", ".tsx", ".mts", ".cts"),
    "go": (".go",),
    "java": (".java",),
    "yaml": (".yml", ".yaml"),
    "json": (".json",),
    "hcl": (".tf", ".hcl", ".tfvars"),
    "bash": (".sh", ".bash"),
}
# Languages a corpus line count is reported for (generic rules count every text file).
REPORTED_LANGS = ("python", "javascript", "typescript", "go", "java", "dockerfile", "yaml", "hcl")
CODE_FENCE: dict[str, str] = {
    ".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "jsx",
    ".ts": "typescript", ".tsx": "tsx", ".go": "go", ".java": "java", ".yml": "yaml", ".yaml": "yaml",
    ".tf": "hcl", ".json": "json", ".sh": "bash",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------------------------
# Corpus definition


@dataclasses.dataclass(frozen=True)
class Package:
    name: str
    version: str
    source: str  # pypi | npm | debsrc | deb
    language: str
    label: str | None = None
    include: tuple[str, ...] = ()

    @property
    def dirname(self) -> str:
        base = self.label or self.name.lstrip("@").replace("/", "-")
        return f"{base}-{self.version}".replace(":", "_").replace("/", "_")

    @property
    def path(self) -> Path:
        return CORPUS / self.dirname

    @property
    def present(self) -> bool:
        """Fetched with exactly this entry (a changed pin or `include` makes `fetch` replace the tree)."""
        try:
            return bool(json.loads((self.path / MARKER).read_text()) == self.marker())
        except (OSError, ValueError):
            return False

    def marker(self) -> dict[str, Any]:
        """The entry as stored in the tree's marker file (tuples as JSON lists)."""
        fields: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(self)))
        return fields


def load_corpus(path: Path = CORPUS_TOML) -> list[Package]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    packages: list[Package] = []
    for entry in data.get("package", []):
        packages.append(Package(
            name=entry["name"],
            version=str(entry["version"]),
            source=entry["source"],
            language=entry.get("language", "other"),
            label=entry.get("label"),
            include=tuple(entry.get("include", ())),
        ))
    # Entries for the same pinned package (e.g. one for its code, one for its infrastructure files) are merged:
    # the union of their `include` lists, or the whole tree if one of them has none.
    merged: dict[str, Package] = {}
    for pkg in packages:
        prev = merged.get(pkg.dirname)
        if prev is None:
            merged[pkg.dirname] = pkg
        elif (prev.name, prev.version, prev.source) != (pkg.name, pkg.version, pkg.source):
            raise SystemExit(f"corpus.toml: {prev.name} and {pkg.name} both unpack to {pkg.dirname}; set a label")
        else:
            include = () if not prev.include or not pkg.include else tuple(dict.fromkeys(prev.include + pkg.include))
            merged[pkg.dirname] = dataclasses.replace(prev, include=include)
    return list(merged.values())


# --------------------------------------------------------------------------------------------------------------------
# fetch


class FetchError(Exception):
    pass


def run(cmd: Sequence[str], cwd: Path | None = None, timeout: int = 600,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full_env)


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("E:", "ERROR", "npm ERR!", "npm error"))]
    return (errors or lines or ["(no output)"])[-1][:300]


def _tar_member_filter(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    if member.issym() or member.islnk() or not (member.isfile() or member.isdir()):
        return None
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def unpack(archive: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                target = (dest / info.filename).resolve()
                if not str(target).startswith(str(dest.resolve()) + os.sep):
                    continue
                zf.extract(info, dest)
        return
    with tarfile.open(archive) as tf:
        tf.extractall(dest, filter=_tar_member_filter)


def single_root(tree: Path) -> Path:
    """The one top-level directory of an unpacked archive, or the tree itself."""
    entries = [e for e in tree.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return tree


_apt_lock = threading.Lock()


def _system_apt_entries() -> list[tuple[str, str, list[str]]]:
    """(uri, suite, components) of the enabled Debian binary sources of this machine."""
    codename = ""
    os_release = Path("/etc/os-release")
    if os_release.is_file():
        m = re.search(r"^VERSION_CODENAME=\"?([\w-]+)", os_release.read_text(), re.M)
        codename = m.group(1) if m else ""
    entries: list[tuple[str, str, list[str]]] = []
    lists = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*.list"))]
    for f in lists:
        if not f.is_file():
            continue
        for line in f.read_text().splitlines():
            words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()  # drop "[arch=... signed-by=...]"
            if len(words) >= 4 and words[0] == "deb":
                entries.append((words[1], words[2], words[3:]))
    for f in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", f.read_text()):
            fields: dict[str, str] = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line:
                    continue
                key, value = line.split(":", 1)
                fields[key.strip().lower()] = value.strip()
            if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes") == "no":
                continue
            for uri in fields.get("uris", "").split():
                for suite in fields.get("suites", "").split():
                    entries.append((uri, suite, fields.get("components", "main").split()))
    if codename:
        entries = [e for e in entries if e[1].startswith(codename)]
    return entries


def apt_source_options() -> list[str]:
    """apt-get options for a private deb-src setup under bench/corpus/.apt (the system config is left alone)."""
    return [
        "-o", f"Dir::Etc::SourceList={APT_STATE / 'sources.list'}",
        "-o", f"Dir::Etc::SourceParts={APT_STATE / 'sources.list.d'}",
        "-o", f"Dir::State::Lists={APT_STATE / 'lists'}",
        "-o", f"Dir::Cache={APT_STATE / 'cache'}",
        "-o", "APT::Sandbox::User=root",
    ]


def ensure_apt_sources() -> None:
    with _apt_lock:
        lists = APT_STATE / "lists"
        if any(lists.glob("*Sources*")):
            return
        entries = _system_apt_entries()
        if not entries:
            raise FetchError("no enabled Debian apt source on this machine to derive deb-src entries from")
        for sub in ("lists/partial", "cache/archives/partial", "sources.list.d"):
            (APT_STATE / sub).mkdir(parents=True, exist_ok=True)
        (APT_STATE / "sources.list").write_text(
            "".join(f"deb-src {uri} {suite} {' '.join(comps)}\n" for uri, suite, comps in entries))
        proc = run(["apt-get", *apt_source_options(), "update"], timeout=300)
        if not any(lists.glob("*Sources*")):
            raise FetchError(f"apt-get update (deb-src) failed: {_last_line(proc.stdout + proc.stderr)}")


def download_pypi(pkg: Package, work: Path) -> Path:
    # `--no-binary NAME` (not :all:) so that the sdist's build backend, which pip installs to read the sdist's
    # metadata, may come as a wheel: building setuptools or Cython from source takes minutes.
    proc = run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", pkg.name,
                "--disable-pip-version-check", "-q", "-d", str(work), f"{pkg.name}=={pkg.version}"])
    archives = [p for p in work.iterdir() if p.name.endswith((".tar.gz", ".zip", ".tar.bz2", ".tgz"))]
    if proc.returncode != 0 or not archives:
        raise FetchError(f"pip download: {_last_line(proc.stderr or proc.stdout)}")
    unpack(archives[0], work / "x")
    return single_root(work / "x")


def download_npm(pkg: Package, work: Path) -> Path:
    proc = run(["npm", "pack", f"{pkg.name}@{pkg.version}", "--pack-destination", str(work), "--silent",
                "--ignore-scripts"], cwd=work)
    archives = list(work.glob("*.tgz"))
    if proc.returncode != 0 or not archives:
        raise FetchError(f"npm pack: {_last_line(proc.stderr or proc.stdout)}")
    unpack(archives[0], work / "x")
    return single_root(work / "x")


def download_debsrc(pkg: Package, work: Path) -> Path:
    ensure_apt_sources()
    # The Debian packaging tarball is not needed; only the upstream tarball(s) are unpacked.
    proc = run(["apt-get", *apt_source_options(), "source", "--download-only", f"{pkg.name}={pkg.version}"],
               cwd=work)
    upstream = pkg.version.split(":", 1)[-1].rsplit("-", 1)[0]
    main = [p for p in work.glob(f"*_{upstream}.orig.tar.*") if not p.name.endswith(".asc")]
    if not main:  # native package: NAME_VERSION.tar.*
        main = [p for p in work.glob(f"*_{pkg.version.split(':', 1)[-1]}.tar.*") if not p.name.endswith(".asc")]
    if not main:
        raise FetchError(f"apt-get source: {_last_line(proc.stderr or proc.stdout)}")
    unpack(main[0], work / "x")
    root = single_root(work / "x")
    for component in work.glob(f"*_{upstream}.orig-*.tar.*"):
        if component.name.endswith(".asc"):
            continue
        name = component.name.split(".orig-", 1)[1].split(".tar.", 1)[0]
        unpack(component, work / "c" / name)
        shutil.move(str(single_root(work / "c" / name)), str(root / name))
    return root


def ensure_apt_lists() -> None:
    """`apt-get download` needs the machine's package lists; a fresh machine has none until `apt-get update`."""
    with _apt_lock:
        if not any(Path("/var/lib/apt/lists").glob("*Packages*")):
            run(["apt-get", "update"], timeout=300)


def download_deb(pkg: Package, work: Path) -> Path:
    ensure_apt_lists()
    proc = run(["apt-get", "download", f"{pkg.name}={pkg.version}"], cwd=work)
    debs = list(work.glob("*.deb"))
    if proc.returncode != 0 or not debs:
        raise FetchError(f"apt-get download: {_last_line(proc.stderr or proc.stdout)}")
    proc = run(["dpkg", "-x", str(debs[0]), str(work / "x")])
    if proc.returncode != 0:
        raise FetchError(f"dpkg -x: {_last_line(proc.stderr)}")
    root = work / "x" / "usr" / "share" / "gocode" / "src"
    if not root.is_dir() or pkg.include:
        return work / "x"
    while (inner := single_root(root)) != root:  # src/github.com/<org>/<repo> -> the module's own tree
        root = inner
    return root


DOWNLOADERS = {"pypi": download_pypi, "npm": download_npm, "debsrc": download_debsrc, "deb": download_deb}


def fetch_one(pkg: Package) -> tuple[str, str]:
    if pkg.present:
        return "present", ""
    if pkg.source not in DOWNLOADERS:
        return "FAILED", f"unknown source {pkg.source!r}"
    CORPUS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=CORPUS) as tmp:
        work = Path(tmp)
        try:
            root = DOWNLOADERS[pkg.source](pkg, work)
            staged = work / "staged"
            if pkg.include:
                kept = 0
                for rel in pkg.include:
                    src = root / rel
                    if src.exists():
                        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
                        shutil.move(str(src), str(staged / rel))
                        kept += 1
                if not kept:
                    raise FetchError(f"none of include={list(pkg.include)} exists in the unpacked tree")
            else:
                shutil.move(str(root), str(staged))
            (staged / MARKER).write_text(json.dumps(pkg.marker(), indent=1) + "\n")
            # Swap trees by rename, so that a scan running meanwhile sees the old or the new tree, never half of one.
            trash = work / "previous"
            if pkg.path.exists():
                pkg.path.rename(trash)
            staged.rename(pkg.path)
        except FetchError as exc:
            return "FAILED", str(exc)
        except (OSError, subprocess.SubprocessError, tarfile.TarError, zipfile.BadZipFile) as exc:
            return "FAILED", f"{type(exc).__name__}: {exc}"
    return "fetched", f"{time.monotonic() - started:.1f}s"


def prune_unlisted(packages: Sequence[Package]) -> None:
    """Remove fetched trees that corpus.toml no longer lists (a changed pin leaves the old version behind)."""
    listed = {p.dirname for p in packages}
    for tree in sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []:
        if tree.is_dir() and tree.name not in listed and (tree / MARKER).is_file():
            shutil.rmtree(tree)
            print(f"removed  {tree.name}  (no longer in corpus.toml)")


def cmd_fetch(args: argparse.Namespace) -> int:
    packages = load_corpus()
    if args.only:
        packages = [p for p in packages if p.name in args.only or p.dirname in args.only or p.label in args.only]
    failed = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for pkg, (status, detail) in zip(packages, pool.map(fetch_one, packages)):
            failed += status == "FAILED"
            print(f"{status:8} {pkg.source:6} {pkg.dirname}" + (f"  {detail}" if detail else ""), flush=True)
    if not args.only:
        prune_unlisted(packages)
    present = sum(p.present for p in packages)
    print(f"{present}/{len(packages)} packages present in {CORPUS.relative_to(ROOT)}; {failed} failed")
    return 1 if failed else 0


# --------------------------------------------------------------------------------------------------------------------
# Corpus inventory (files and lines per language)


@dataclasses.dataclass
class SourceFile:
    rel: str  # "<package-dir>/<path>"
    langs: frozenset[str]
    lines: int
    size: int


def file_langs(path: Path) -> frozenset[str]:
    name = path.name
    lower = name.lower()
    langs: set[str] = set()
    for lang, exts in EXTENSIONS.items():
        if lower.endswith(exts):
            langs.add(lang)
    if lower in ("dockerfile", "containerfile") or lower.startswith("dockerfile.") or lower.endswith(".dockerfile"):
        langs.add("dockerfile")
    return frozenset(langs)


def excluded_bundle(path: Path, size: int) -> bool:
    """Vendored minified bundles: *.min.js and large built JS bundles (the only exclusions of the benchmark)."""
    lower = path.name.lower()
    if lower.endswith((".min.js", ".min.mjs", ".min.cjs")):
        return True
    return lower.endswith((".js", ".mjs", ".cjs")) and size > BUNDLE_BYTES


def is_text(head: bytes) -> bool:
    return b"\x00" not in head


def walk_corpus(packages: Iterable[Package]) -> tuple[list[SourceFile], list[str]]:
    """All scannable text files of the present packages, plus the excluded bundle paths."""
    files: list[SourceFile] = []
    excluded: list[str] = []
    for pkg in packages:
        if not pkg.present:
            continue
        for dirpath, dirnames, filenames in os.walk(pkg.path):
            dirnames[:] = sorted(d for d in dirnames if d != ".apt")
            for fname in sorted(filenames):
                if fname == MARKER:
                    continue
                full = Path(dirpath) / fname
                if full.is_symlink() or not full.is_file():
                    continue
                rel = full.relative_to(CORPUS).as_posix()
                size = full.stat().st_size
                if excluded_bundle(full, size):
                    excluded.append(rel)
                    continue
                if size > MAX_TARGET_BYTES:
                    continue
                data = full.read_bytes()
                if not is_text(data[:8192]):
                    continue
                lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
                files.append(SourceFile(rel, file_langs(full), lines, size))
    return files, excluded


def package_of(rel: str) -> str:
    return rel.split("/", 1)[0]


# --------------------------------------------------------------------------------------------------------------------
# Rules


@dataclasses.dataclass
class Rule:
    id: str
    file: Path
    concern: str
    language_dir: str
    languages: tuple[str, ...]  # canonical keys (see LANG_ALIASES)
    includes: tuple[str, ...]
    excludes: tuple[str, ...]


def rule_files(dirs: Sequence[Path]) -> list[Path]:
    found: set[Path] = set()
    for d in dirs:
        if d.is_file():
            found.add(d.resolve())
            continue
        for ext in ("*.yaml", "*.yml"):
            for f in d.rglob(ext):
                if not f.name.endswith((".test.yaml", ".test.yml")):
                    found.add(f.resolve())
    return sorted(found)


def load_rules(dirs: Sequence[Path]) -> tuple[list[Rule], list[str]]:
    rules: list[Rule] = []
    problems: list[str] = []
    for f in rule_files(dirs):
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(f"{f}: not valid YAML ({str(exc).splitlines()[0]})")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            continue  # not a rule file
        try:
            rel_parts = f.relative_to(RULES_DIR).parts
        except ValueError:
            rel_parts = f.parts[-3:]
        for raw in doc["rules"]:
            if not isinstance(raw, dict) or "id" not in raw:
                problems.append(f"{f}: rule without id")
                continue
            metadata = raw.get("metadata") or {}
            paths = raw.get("paths") or {}
            langs = tuple(sorted({LANG_ALIASES.get(str(x).lower(), str(x).lower()) for x in raw.get("languages", [])}))
            rules.append(Rule(
                id=str(raw["id"]),
                file=f,
                concern=str(metadata.get("concern") or (rel_parts[0] if len(rel_parts) >= 3 else "?")),
                language_dir=rel_parts[-2] if len(rel_parts) >= 2 else "?",
                languages=langs,
                includes=tuple(str(p) for p in paths.get("include", []) or []),
                excludes=tuple(str(p) for p in paths.get("exclude", []) or []),
            ))
    ids = [r.id for r in rules]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"duplicate rule id {dup}: " + ", ".join(str(r.file) for r in rules if r.id == dup))
    return rules, problems


@functools.cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style `paths` pattern as a regex over a path inside a package (an approximation of semgrep's
    matching: an unanchored pattern may match any run of path segments, a leading "/" anchors it at the root)."""
    pat = pattern.strip()
    anchored = pat.startswith("/")
    pat = pat.strip("/")
    out: list[str] = []
    i = 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        elif pat[i] == "[" and "]" in pat[i + 1:]:
            j = pat.index("]", i + 1)
            out.append("[" + pat[i + 1:j].replace("!", "^", 1) + "]")
            i = j + 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    return re.compile(("^" if anchored else "(?:^|/)") + "".join(out) + "(?:/|$)")


def rule_targets(rule: Rule, files_by_lang: dict[str, list[SourceFile]], all_files: Sequence[SourceFile]
                 ) -> list[SourceFile]:
    """The corpus files a rule is run on: its languages, then its paths include/exclude."""
    if "generic" in rule.languages:
        candidates: Iterable[SourceFile] = all_files
    else:
        seen: dict[str, SourceFile] = {}
        for lang in rule.languages:
            seen.update((f.rel, f) for f in files_by_lang.get(lang, []))
        candidates = seen.values()
    includes = [_glob_regex(p) for p in rule.includes if p.strip("/ ")]
    excludes = [_glob_regex(p) for p in rule.excludes if p.strip("/ ")]
    selected: list[SourceFile] = []
    for f in candidates:
        inner = f.rel.split("/", 1)[1] if "/" in f.rel else f.rel
        if includes and not any(r.search(inner) for r in includes):
            continue
        if excludes and any(r.search(inner) for r in excludes):
            continue
        selected.append(f)
    return selected


# --------------------------------------------------------------------------------------------------------------------
# Semgrep


def semgrep_bin() -> str:
    candidate = Path(sys.executable).parent / "semgrep"
    return str(candidate) if candidate.exists() else (shutil.which("semgrep") or "semgrep")


def run_semgrep(config_files: Sequence[Path], targets: Sequence[str], cwd: Path, *, experimental: bool,
                timing: bool = False, jobs: int | None = None) -> tuple[dict[str, Any], float]:
    """One semgrep run; returns its JSON output and wall time. cwd must hold the .semgrepignore to use."""
    cmd = [semgrep_bin(), "scan", "--metrics=off", "--json", "--quiet", "--no-git-ignore", "--no-rewrite-rule-ids",
           "--project-root", ".", f"--timeout={PER_FILE_TIMEOUT_S}", f"--max-target-bytes={MAX_TARGET_BYTES}",
           "--no-exclude-minified-files"]
    if experimental:
        cmd.append("--experimental")
    if timing:
        cmd.append("--time")
    if jobs:
        cmd.append(f"--jobs={jobs}")
    for c in config_files:
        cmd += ["--config", str(c)]
    cmd += list(targets)
    started = time.monotonic()
    # JSON goes to stdout (osemgrep ignores --output together with --json).
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **SEMGREP_ENV})
    elapsed = time.monotonic() - started
    try:
        data = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        data = {}
    if "results" not in data:
        raise SystemExit(f"semgrep failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[-2000:]}")
    return data, elapsed


# --------------------------------------------------------------------------------------------------------------------
# scan


@dataclasses.dataclass
class Row:
    rule_id: str
    concern: str
    language: str
    files: int
    lines: int
    findings: int
    status: str = "ok"

    @property
    def per_kloc(self) -> float:
        return self.findings * 1000 / self.lines if self.lines else 0.0


TABLE_HEADER = ("rule", "concern", "language", "files scanned", "lines scanned", "findings", "per kLOC", "status")


def read_table(path: Path = TABLE_MD) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != len(TABLE_HEADER) or cells[0] in ("rule", "") or set(cells[0]) <= set("-: "):
            continue
        rule_id = cells[0].strip("`")
        try:
            rows[rule_id] = Row(rule_id, cells[1], cells[2], int(cells[3]), int(cells[4]), int(cells[5]), cells[7])
        except ValueError:
            continue
    return rows


def write_table(rows: dict[str, Row], packages: Sequence[Package], path: Path = TABLE_MD) -> None:
    present = [p for p in packages if p.present]
    lines = [
        "# Rule findings on the precision corpus",
        "",
        f"Corpus: {len(present)} packages from bench/corpus.toml. Generated by `bench/precision.py scan`; rows of rules "
        "not in the latest scan are kept from earlier scans. Samples to triage: bench/out/sample/<rule>.md.",
        "",
        "| " + " | ".join(TABLE_HEADER) + " |",
        "|" + "|".join("---" if i < 3 else "---:" for i in range(len(TABLE_HEADER) - 1)) + "|---|",
    ]
    for row in sorted(rows.values(), key=lambda r: (r.language, r.concern, r.rule_id)):
        lines.append(f"| `{row.rule_id}` | {row.concern} | {row.language} | {row.files} | {row.lines} | "
                     f"{row.findings} | {row.per_kloc:.3f} | {row.status} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_findings(path: Path = FINDINGS) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def code_context(rel: str, start: int, end: int) -> tuple[str, str]:
    path = CORPUS / rel
    fence = CODE_FENCE.get(path.suffix.lower(), "dockerfile" if "dockerfile" in file_langs(path) else "")
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return fence, "(file not in corpus)"
    lo, hi = max(1, start - CONTEXT_LINES), min(len(text), end + CONTEXT_LINES)
    width = len(str(hi))
    out = []
    for n in range(lo, hi + 1):
        mark = ">" if start <= n <= end else " "
        line = text[n - 1]
        out.append(f"{mark}{n:>{width}} | {line[:300]}")
    return fence, "\n".join(out)


def sample_order(rule_id: str, findings: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A seeded permutation of a rule's findings; a sample of N is its first N.

    The first SAMPLE_SIZE are the draw the benchmark has always made (`random.sample(findings, SAMPLE_SIZE)`), so
    verdicts on the default sample stay in any larger one; the remaining findings follow in an order shuffled with
    a second seed. (A single `random.sample(findings, N)` would not do: CPython picks a different algorithm as N
    grows, so its first SAMPLE_SIZE picks change.)"""
    ordered = sorted(findings, key=lambda f: (f["path"], f["line"]))
    head = random.Random(f"{SAMPLE_SEED}:{rule_id}").sample(ordered, min(SAMPLE_SIZE, len(ordered)))
    taken = {id(f) for f in head}
    rest = [f for f in ordered if id(f) not in taken]
    random.Random(f"{SAMPLE_SEED}:{rule_id}:more").shuffle(rest)
    return head + rest


def sample_findings(rule_id: str, findings: Sequence[dict[str, Any]],
                    size: int = SAMPLE_SIZE) -> list[dict[str, Any]]:
    picked = sample_order(rule_id, findings)[:max(size, 0)]
    return sorted(picked, key=lambda f: (f["path"], f["line"]))


def write_sample(rule: Rule, row: Row, findings: Sequence[dict[str, Any]], size: int = SAMPLE_SIZE) -> None:
    picked = sample_findings(rule.id, findings, size)
    triaged = {v.location: v.verdict for v in read_triage()[0] if v.rule_id == rule.id}
    todo = [f for f in picked if f["location"] not in triaged]
    lines = [
        f"# {rule.id}: sample to triage",
        "",
        f"Rule file: `{rule.file.relative_to(ROOT) if rule.file.is_relative_to(ROOT) else rule.file}`  ",
        f"Findings on the corpus: {row.findings} ({row.per_kloc:.3f} per kLOC over {row.lines} lines in {row.files} "
        f"files). Sample: {len(picked)} (seeded, stable while the findings are unchanged; a larger `--sample` keeps "
        f"these and adds more), {len(picked) - len(todo)} with a verdict already, {len(todo)} to triage.",
        "",
        f"Verdicts go in `bench/triage/{rule.language_dir}.tsv` (columns rule_id, location, verdict TP|FP, reason).",
        "",
    ]
    for i, f in enumerate(picked, 1):
        fence, ctx = code_context(f["path"], f["line"], f["end_line"])
        done = f" (triaged: {triaged[f['location']]})" if f["location"] in triaged else ""
        lines += [f"## {i}. `{f['location']}`{done}", "", f"> {f['message'].strip().splitlines()[0][:400]}", "",
                  f"```{fence}", ctx, "```", ""]
    if todo:
        lines += ["Verdict rows to fill in for the findings without one (replace VERDICT with TP or FP, REASON with "
                  "one line):", "", "```tsv"]
        lines += [f"{rule.id}\t{f['location']}\tVERDICT\tREASON" for f in todo]
        lines += ["```", ""]
    elif picked:
        lines += ["Every sampled finding has a verdict.", ""]
    else:
        lines += ["No findings on the corpus.", ""]
    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    (SAMPLE_DIR / f"{rule.id}.md").write_text("\n".join(lines), encoding="utf-8")


def write_semgrepignore(root: Path, excluded: Sequence[str]) -> None:
    """An explicit .semgrepignore replaces semgrep's default one (which would drop tests/, vendor/, build/ ...)."""
    body = ["# Written by bench/precision.py: only vendored minified bundles are excluded.", "*.min.js",
            *sorted("/" + p for p in excluded)]
    (root / ".semgrepignore").write_text("\n".join(body) + "\n", encoding="utf-8")


def corpus_summary(packages: Sequence[Package], files: Sequence[SourceFile]) -> dict[str, Any]:
    per_pkg: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in files:
        for lang in f.langs:
            per_pkg[package_of(f.rel)][lang] += f.lines
    return {"packages": [
        {**dataclasses.asdict(p), "dir": p.dirname, "present": p.present,
         "lines": {k: v for k, v in sorted(per_pkg.get(p.dirname, {}).items()) if k in REPORTED_LANGS}}
        for p in packages]}


def cmd_scan(args: argparse.Namespace) -> int:
    packages = load_corpus()
    present = [p for p in packages if p.present]
    if not present:
        log("No corpus: run `bench/precision.py fetch` first.")
        return 1
    rule_dirs = [Path(d).resolve() for d in (args.rules or [RULES_DIR])]
    rules, problems = load_rules(rule_dirs)
    for p in problems:
        log(f"warning: {p}")
    if args.rule:
        rules = [r for r in rules if r.id in args.rule]
        missing = set(args.rule) - {r.id for r in rules}
        if missing:
            log(f"warning: rule(s) not found: {', '.join(sorted(missing))}")
    if args.lang:
        wanted = {x.lower() for x in args.lang}
        rules = [r for r in rules if r.language_dir in wanted or wanted & set(r.languages)]
    if not rules:
        log("No rules selected.")
        return 1

    log(f"Inventory of {len(present)} packages ...")
    files, excluded = walk_corpus(present)
    INVENTORY.parent.mkdir(parents=True, exist_ok=True)
    INVENTORY.write_text(json.dumps(corpus_summary(packages, files), indent=1) + "\n", encoding="utf-8")
    write_semgrepignore(CORPUS, excluded)

    config_files = sorted({r.file for r in rules})
    log(f"Scanning with {len(rules)} rules from {len(config_files)} files "
        f"({'osemgrep --experimental' if args.experimental else 'semgrep'}) ...")
    data, elapsed = run_semgrep(config_files, [p.dirname for p in present], CORPUS, experimental=args.experimental)
    log(f"semgrep finished in {elapsed:.0f}s")

    selected_ids = {r.id for r in rules}
    invalid: dict[str, str] = {}
    file_errors: dict[str, int] = defaultdict(int)
    for err in data.get("errors", []):
        rid = err.get("rule_id")
        if rid and err.get("level") == "error" and "parse" in str(err.get("type", "")).lower():
            invalid[rid] = str(err.get("type"))
        elif rid:
            file_errors[rid] += 1
    for rid, kind in invalid.items():
        log(f"warning: rule {rid} rejected by semgrep: {kind}")

    new_findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str, int]] = set()
    for res in data["results"]:
        rid, path, line = res["check_id"], res["path"], int(res["start"]["line"])
        if rid not in selected_ids or (rid, path, line) in seen:
            continue
        seen.add((rid, path, line))
        new_findings[rid].append({
            "rule_id": rid, "location": f"{path}:{line}", "package": package_of(path), "path": path, "line": line,
            "end_line": int(res["end"]["line"]), "severity": res["extra"].get("severity", ""),
            "message": res["extra"].get("message", ""),
        })

    # Merge with earlier scans: rows and findings of rules outside this scan are kept, unless the rule is gone.
    # Several people scan subsets at once: the read-merge-write below holds an exclusive lock.
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        write_scan_outputs(rules, packages, files, new_findings, invalid, file_errors, args.sample)
    return 0


def write_scan_outputs(rules: Sequence[Rule], packages: Sequence[Package], files: Sequence[SourceFile],
                       new_findings: dict[str, list[dict[str, Any]]], invalid: dict[str, str],
                       file_errors: dict[str, int], sample_size: int = SAMPLE_SIZE) -> None:
    selected_ids = {r.id for r in rules}
    all_ids = {r.id for r in load_rules([RULES_DIR])[0]} | selected_ids
    rows = {rid: row for rid, row in read_table().items() if rid in all_ids and rid not in selected_ids}
    kept = [f for f in read_findings() if f["rule_id"] in all_ids and f["rule_id"] not in selected_ids]
    by_id = {r.id: r for r in rules}
    files_by_lang: dict[str, list[SourceFile]] = defaultdict(list)
    for f in files:
        for lang in f.langs:
            files_by_lang[lang].append(f)
    for rule in rules:
        targets = rule_targets(rule, files_by_lang, files)
        status = "invalid rule" if rule.id in invalid else (
            f"{file_errors[rule.id]} file errors" if file_errors.get(rule.id) else "ok")
        rows[rule.id] = Row(rule.id, rule.concern, rule.language_dir, len(targets), sum(f.lines for f in targets),
                            len(new_findings.get(rule.id, [])), status)
    merged = kept + [f for rid in sorted(new_findings) for f in sorted(new_findings[rid],
                                                                       key=lambda f: (f["path"], f["line"]))]
    FINDINGS.write_text("".join(json.dumps(f, sort_keys=True) + "\n" for f in merged), encoding="utf-8")
    write_table(rows, packages)
    for rule in rules:
        write_sample(rule, rows[rule.id], new_findings.get(rule.id, []), sample_size)
    for rid in sorted(selected_ids):
        r = rows[rid]
        print(f"{rid:55} {by_id[rid].language_dir:14} findings={r.findings:<5} per_kLOC={r.per_kloc:.3f} {r.status}")
    print(f"wrote {TABLE_MD.relative_to(ROOT)}, {FINDINGS.relative_to(ROOT)}, {SAMPLE_DIR.relative_to(ROOT)}/")


# --------------------------------------------------------------------------------------------------------------------
# report


@dataclasses.dataclass
class Verdict:
    rule_id: str
    location: str
    verdict: str
    reason: str
    source: str


def read_triage(triage_dir: Path = TRIAGE_DIR) -> tuple[list[Verdict], list[str]]:
    verdicts: list[Verdict] = []
    problems: list[str] = []
    for tsv in sorted(triage_dir.glob("*.tsv")):
        for n, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if n == 1 and cells[0].strip() == "rule_id":
                continue
            if len(cells) < 3:
                problems.append(f"{tsv.name}:{n}: expected 4 tab-separated columns")
                continue
            verdict = cells[2].strip().upper()
            if verdict not in ("TP", "FP"):
                problems.append(f"{tsv.name}:{n}: verdict {cells[2]!r} is not TP or FP")
                continue
            verdicts.append(Verdict(cells[0].strip(), cells[1].strip(), verdict,
                                    cells[3].strip() if len(cells) > 3 else "", tsv.name))
    return verdicts, problems


@dataclasses.dataclass
class RuleResult:
    row: Row
    tp: int = 0
    fp: int = 0
    stale: int = 0

    @property
    def triaged(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return self.tp / self.triaged if self.triaged else None


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def aggregate(results: Sequence[RuleResult]) -> tuple[float | None, float | None, int]:
    triaged = [r for r in results if r.triaged]
    tp = sum(r.tp for r in triaged)
    n = sum(r.triaged for r in triaged)
    weighted = tp / n if n else None
    mean = statistics.fmean(r.precision for r in triaged if r.precision is not None) if triaged else None
    return weighted, mean, n


def evaluate(triage_dir: Path = TRIAGE_DIR) -> tuple[dict[str, RuleResult], list[str]]:
    rows = read_table()
    verdicts, problems = read_triage(triage_dir)
    findings = read_findings()
    current = {(f["rule_id"], f["location"]) for f in findings} if findings else None
    results = {rid: RuleResult(row) for rid, row in rows.items()}
    seen: set[tuple[str, str]] = set()
    for v in verdicts:
        res = results.get(v.rule_id)
        if res is None:
            problems.append(f"{v.source}: verdict for unknown rule {v.rule_id} ({v.location})")
            continue
        key = (v.rule_id, v.location)
        if key in seen:
            problems.append(f"{v.source}: duplicate verdict for {v.rule_id} {v.location}")
            continue
        seen.add(key)
        if current is not None and key not in current:
            res.stale += 1  # the rule no longer reports this location
        elif v.verdict == "TP":
            res.tp += 1
        else:
            res.fp += 1
    return results, problems


def cmd_report(args: argparse.Namespace) -> int:
    if not TABLE_MD.is_file():
        log("No bench/out/table.md: run `bench/precision.py scan` first.")
        return 1
    results, problems = evaluate(Path(args.triage))
    by_lang: dict[str, list[RuleResult]] = defaultdict(list)
    for res in results.values():
        by_lang[res.row.language].append(res)
    overall_w, overall_mean, overall_n = aggregate(list(results.values()))
    low = sorted((r for r in results.values() if r.precision is not None and r.precision < RULE_PRECISION_MIN),
                 key=lambda r: (r.precision or 0, r.row.rule_id))

    corpus = json.loads(INVENTORY.read_text()) if INVENTORY.is_file() else corpus_summary(load_corpus(), [])
    out: list[str] = [
        "# Rule precision on real code",
        "",
        "Generated by `bench/precision.py report` from the corpus scan (bench/out/table.md, findings.jsonl) and the "
        "triage verdicts in bench/triage/*.tsv. A triaged finding is TP when a production reviewer would agree the "
        "code should change (or needs a conscious justification). Only verdicts for locations the rule still reports "
        "count; verdicts for locations it no longer reports are shown as stale.",
        "",
        f"Targets: every triaged rule >= {RULE_PRECISION_MIN:.0%}, the whole set >= {OVERALL_PRECISION_MIN:.0%} "
        "(weighted by triaged findings).",
        "",
        "## Summary",
        "",
        "| language | rules | with findings | triaged rules | triaged findings | TP | FP | precision (weighted) "
        "| precision (mean of rules) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for lang in sorted(by_lang):
        group = by_lang[lang]
        w, mean, n = aggregate(group)
        out.append(f"| {lang} | {len(group)} | {sum(r.row.findings > 0 for r in group)} | "
                   f"{sum(r.triaged > 0 for r in group)} | {n} | {sum(r.tp for r in group)} | "
                   f"{sum(r.fp for r in group)} | {pct(w)} | {pct(mean)} |")
    all_r = list(results.values())
    out.append(f"| **all** | {len(all_r)} | {sum(r.row.findings > 0 for r in all_r)} | "
               f"{sum(r.triaged > 0 for r in all_r)} | {overall_n} | {sum(r.tp for r in all_r)} | "
               f"{sum(r.fp for r in all_r)} | **{pct(overall_w)}** | {pct(overall_mean)} |")
    out += ["", "## Rules under 80 %", ""]
    out += [f"- `{r.row.rule_id}` ({r.row.language}): {pct(r.precision)} ({r.tp}/{r.triaged})" for r in low] or [
        "None."]
    untriaged = sorted(r.row.rule_id for r in all_r if r.row.findings and not r.triaged)
    if untriaged:
        out += ["", "Rules with findings but no verdicts yet: " + ", ".join(f"`{u}`" for u in untriaged) + "."]
    out += ["", "## Per rule", "",
            "| rule | concern | language | findings | per kLOC | lines scanned | triaged | TP | FP | precision | note |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in sorted(all_r, key=lambda r: (r.row.language, r.row.concern, r.row.rule_id)):
        if r.row.findings == 0:
            precision, note = "no findings", ""
        elif not r.triaged:
            precision, note = "untriaged", ""
        else:
            precision, note = pct(r.precision), ""
        if r.stale:
            note = f"{r.stale} stale verdicts"
        if r.row.status != "ok":
            note = "; ".join(x for x in (note, r.row.status) if x)
        out.append(f"| `{r.row.rule_id}` | {r.row.concern} | {r.row.language} | {r.row.findings} | "
                   f"{r.row.per_kloc:.3f} | {r.row.lines} | {r.triaged} | {r.tp} | {r.fp} | {precision} | {note} |")
    out += ["", "## Corpus", "",
            "Pinned in bench/corpus.toml; fetched from PyPI (sdists), npm (published tarballs) and Debian's stable "
            "release (upstream source tarballs via apt-get source, or the Go source in golang-*-dev packages). Lines "
            "per language count the files the scan reads (minified bundles excluded).", "",
            "| package | version | source | directory (in locations) | " + " | ".join(REPORTED_LANGS) + " |",
            "|---|---|---|---|" + "---:|" * len(REPORTED_LANGS)]
    totals: dict[str, int] = defaultdict(int)
    for p in corpus["packages"]:
        lines = p.get("lines", {})
        for k, v in lines.items():
            totals[k] += v
        name = p["name"] + ("" if p.get("present", True) else " (not fetched)")
        out.append(f"| {name} | {p['version']} | {p['source']} | {p.get('dir', '')} | "
                   + " | ".join(str(lines.get(k, "")) for k in REPORTED_LANGS) + " |")
    out.append("| **total** | | | | " + " | ".join(f"**{totals.get(k, 0)}**" for k in REPORTED_LANGS) + " |")
    out += ["", "## Reproduce", "", "```sh",
            "export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off",
            ".venv/bin/python bench/precision.py fetch      # pinned corpus into bench/corpus/ (idempotent)",
            ".venv/bin/python bench/precision.py scan       # all rules/ -> bench/out/table.md, findings, samples",
            "# triage bench/out/sample/<rule>.md into bench/triage/<language-dir>.tsv",
            ".venv/bin/python bench/precision.py report     # -> bench/results/precision.md",
            ".venv/bin/python bench/precision.py report --check   # exit 1 below the targets",
            "```", ""]
    if problems:
        out += ["## Triage file problems", ""] + [f"- {p}" for p in problems] + [""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    PRECISION_MD.write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {PRECISION_MD.relative_to(ROOT)}: {len(all_r)} rules, {overall_n} triaged findings, "
          f"precision {pct(overall_w)} weighted, {pct(overall_mean)} mean of rules; {len(low)} rules under 80 %")
    for p in problems:
        log(f"warning: {p}")
    if args.check:
        failing = [f"{r.row.rule_id} {pct(r.precision)}" for r in low]
        if overall_w is not None and overall_w < OVERALL_PRECISION_MIN:
            failing.append(f"overall {pct(overall_w)}")
        if failing:
            log("precision check failed: " + "; ".join(failing))
            return 1
    return 0


# --------------------------------------------------------------------------------------------------------------------
# timing

# The fixed mix of the 20-file change: canonical language -> number of files.
CHANGE_MIX: dict[str, int] = {"python": 6, "javascript": 4, "typescript": 1, "go": 4, "java": 3, "dockerfile": 1,
                              "yaml": 1}
CHANGE_MIN_LINES, CHANGE_MAX_LINES = 40, 800


def build_change(files: Sequence[SourceFile], dest: Path) -> list[str]:
    rng = random.Random(f"{SAMPLE_SEED}:change")
    picked: list[str] = []
    for lang, count in CHANGE_MIX.items():
        pool = [f for f in files if lang in f.langs and CHANGE_MIN_LINES <= f.lines <= CHANGE_MAX_LINES
                and not f.rel.endswith(".d.ts")]
        if lang == "yaml":  # prefer a workflow: it is what a PR changes most often among YAML files
            workflows = [f for f in pool if "/.github/workflows/" in f.rel]
            pool = workflows or pool
        if lang == "dockerfile":
            pool = [f for f in files if lang in f.langs]
        pool.sort(key=lambda f: f.rel)
        picked += [f.rel for f in rng.sample(pool, min(count, len(pool)))]
    if dest.exists():
        shutil.rmtree(dest)
    for rel in picked:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / rel, dest / rel)
    (dest / ".semgrepignore").write_text("# benchmark change: nothing ignored\n")
    return picked


def rule_costs(tdata: dict[str, Any]) -> tuple[dict[str, float], dict[str, int]]:
    """Per rule: match time summed over the targets (semgrep --time), and the number of targets it ran on."""
    rule_ids = [r if isinstance(r, str) else str(r.get("id", "?")) for r in tdata.get("rules", [])]
    cost: dict[str, float] = defaultdict(float)
    ran_on: dict[str, int] = defaultdict(int)
    for target in tdata.get("targets", []):
        for rid, t in zip(rule_ids, target.get("match_times", [])):
            if float(t) > 0:
                cost[rid] += float(t)
                ran_on[rid] += 1
    return cost, ran_on


def cmd_timing(args: argparse.Namespace) -> int:
    packages = [p for p in load_corpus() if p.present]
    if not packages:
        log("No corpus: run `bench/precision.py fetch` first.")
        return 1
    rules, problems = load_rules([RULES_DIR])
    for p in problems:
        log(f"warning: {p}")
    if not rules:
        log("No rules under rules/.")
        return 1
    files, _ = walk_corpus(packages)
    change_dir = OUT / "timing-change"
    picked = build_change(files, change_dir)
    targets = sorted({rel.split("/", 1)[0] for rel in picked})
    config_files = sorted({r.file for r in rules})
    load_before = os.getloadavg()[0]
    run_semgrep(config_files, targets, change_dir, experimental=args.experimental)  # warm-up (caches, page cache)
    walls: list[float] = []
    data: dict[str, Any] = {}
    for _ in range(args.repeat):
        data, wall = run_semgrep(config_files, targets, change_dir, experimental=args.experimental, timing=True)
        walls.append(wall)
    tdata: dict[str, Any] = data.get("time") or {}
    cost, ran_on = rule_costs(tdata)
    by_id = {r.id: r for r in rules}
    for rule in rules:
        cost.setdefault(rule.id, 0.0)
    active = [c for rid, c in cost.items() if ran_on.get(rid)]
    median = statistics.median(active) if active else 0.0
    threshold = max(3 * median, args.floor_ms / 1000)
    heavy = sorted((rid for rid, c in cost.items() if c > threshold), key=lambda r: -cost[r])
    scanned = len((data.get("paths") or {}).get("scanned", []))
    picked_set = set(picked)
    lines_total = sum(f.lines for f in files if f.rel in picked_set)
    parse_s = float((tdata.get("parsing_time") or {}).get("total_time", 0.0))
    match_s = float((tdata.get("matching_time") or {}).get("total_time", 0.0))
    front = "semgrep scan --experimental" if args.experimental else "semgrep scan"

    def lang_of(rid: str) -> str:
        return by_id[rid].language_dir if rid in by_id else "?"

    out = [
        "# Rule cost on a 20-file change",
        "",
        f"Generated by `bench/precision.py timing`: the whole rules/ set ({len(rules)} rules) run by `{front}` over a "
        f"fixed 20-file change drawn (seeded) from the corpus ({len(picked)} files, {lines_total} lines; {scanned} of "
        "them matched by at least one rule's languages and paths).",
        "",
        f"- wall time of one run, including semgrep's start-up (best / median of {len(walls)} after a warm-up): "
        f"**{min(walls):.2f} s** / {statistics.median(walls):.2f} s. The target is well under 2 s.",
        f"- semgrep's own totals (last run, summed over its worker processes): parsing {parse_s:.2f} s, matching "
        f"{match_s:.2f} s.",
        f"- machine: {os.cpu_count()} cores, 1-minute load average {load_before:.1f} before the runs (other work on the "
        "machine inflates the wall time).",
        f"- per-rule cost = the rule's match time summed over the files it ran on (semgrep `--time`). Median over the "
        f"{len(active)} rules that ran on at least one file: {median * 1000:.1f} ms. A rule costs more than its fair "
        f"share when it is over 3x that median and over {args.floor_ms:g} ms.",
        "",
        "## Over their fair share",
        "",
    ]
    out += [f"- `{rid}` ({lang_of(rid)}): {cost[rid] * 1000:.0f} ms on {ran_on.get(rid, 0)} files"
            + (f" ({cost[rid] / median:.0f}x median)" if median else "") for rid in heavy] or ["None."]
    per_lang: dict[str, list[str]] = defaultdict(list)
    for rid in cost:
        per_lang[lang_of(rid)].append(rid)
    out += ["", "## Per language dir", "", "| language | rules | total match time (ms) | slowest rule |",
            "|---|---:|---:|---|"]
    for lang in sorted(per_lang, key=lambda g: -sum(cost[r] for r in per_lang[g])):
        slowest = max(per_lang[lang], key=lambda r: cost[r])
        out.append(f"| {lang} | {len(per_lang[lang])} | {sum(cost[r] for r in per_lang[lang]) * 1000:.0f} | "
                   f"`{slowest}` ({cost[slowest] * 1000:.0f} ms) |")
    out += ["", "## Slowest files", "", "| file | bytes | run time (ms) |", "|---|---:|---:|"]
    for t in sorted(tdata.get("targets", []), key=lambda t: -float(t.get("run_time", 0)))[:5]:
        out.append(f"| {t['path']} | {t.get('num_bytes', '')} | {float(t.get('run_time', 0)) * 1000:.0f} |")
    out += ["", "## Per rule (slowest first)", "", "| rule | language | files | match time (ms) |",
            "|---|---|---:|---:|"]
    for rid in sorted(cost, key=lambda r: (-cost[r], r)):
        out.append(f"| `{rid}` | {lang_of(rid)} | {ran_on.get(rid, 0)} | {cost[rid] * 1000:.1f} |")
    out += ["", "## The change", ""] + [f"- {rel}" for rel in picked] + [
        "", "## Reproduce", "", "```sh", ".venv/bin/python bench/precision.py fetch",
        ".venv/bin/python bench/precision.py timing" + ("" if args.experimental else " --no-experimental"), "```", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    TIMING_MD.write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {TIMING_MD.relative_to(ROOT)}: {len(rules)} rules on {len(picked)} files, best wall "
          f"{min(walls):.2f} s; {len(heavy)} rules over their fair share: {', '.join(heavy) or 'none'}")
    return 0


# --------------------------------------------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="precision.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("fetch", help="download the pinned corpus into bench/corpus/")
    p.add_argument("--only", action="append", metavar="NAME", help="fetch only this package (name, label or dir)")
    p.add_argument("--jobs", type=int, default=3, help="parallel downloads (default 3)")
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("scan", help="run rules over the corpus; write bench/out/")
    p.add_argument("--rules", action="append", metavar="DIR", help="rule folder or file (repeatable; default rules/)")
    p.add_argument("--rule", action="append", metavar="ID", help="only this rule id (repeatable)")
    p.add_argument("--lang", action="append", metavar="LANG",
                   help="only rules of this language dir (python, javascript, go, ...) or semgrep language")
    p.add_argument("--no-experimental", dest="experimental", action="store_false",
                   help="use the classic semgrep front end instead of --experimental")
    p.add_argument("--sample", type=positive_int, default=SAMPLE_SIZE, metavar="N",
                   help=f"findings per rule in bench/out/sample/ (default {SAMPLE_SIZE}; seeded, and a larger N "
                        f"keeps the first {SAMPLE_SIZE} picks)")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("report", help="merge triage verdicts into bench/results/precision.md")
    p.add_argument("--check", action="store_true", help="exit 1 if a triaged rule is < 80 %% or the set < 90 %%")
    p.add_argument("--triage", default=str(TRIAGE_DIR), metavar="DIR",
                   help="folder of triage .tsv files (default bench/triage)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("timing", help="time all rules on a 20-file change; write bench/results/rule-timing.md")
    p.add_argument("--repeat", type=int, default=3, help="timed runs after one warm-up (default 3)")
    p.add_argument("--floor-ms", type=float, default=5.0,
                   help="do not flag a rule below this many ms of match time (default 5)")
    p.add_argument("--no-experimental", dest="experimental", action="store_false",
                   help="time the classic semgrep front end instead of --experimental")
    p.set_defaults(func=cmd_timing)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
