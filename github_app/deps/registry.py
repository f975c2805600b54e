"""Registry answers -> one PackageInfo shape; version ordering and range matching per ecosystem. Pure."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import defusedxml.ElementTree
import semantic_version
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


@dataclass(frozen=True)
class Release:
    published: datetime | None = None
    yanked: bool = False


@dataclass(frozen=True)
class PackageInfo:
    exists: bool
    releases: dict[str, Release] = field(default_factory=dict)
    license: str | None = None
    """The licence as the registry states it (SPDX when the registry has it), None when it states none."""
    license_known: bool = True
    """False where the registry carries no licence data at all (Go proxy, Maven metadata)."""
    dates_known: bool = True

    @property
    def first_release(self) -> datetime | None:
        dates = [r.published for r in self.releases.values() if r.published is not None]
        return min(dates) if dates else None


class RegistryAnswerError(ValueError):
    """The registry answered 200 with something that is not its documented shape."""


def _date(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        d = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


# Trove classifiers for the licences most packages use, for PyPI projects that state no SPDX expression.
CLASSIFIER_SPDX = {
    "MIT License": "MIT", "Apache Software License": "Apache-2.0",
    "ISC License (ISCL)": "ISC", "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0", "The Unlicense (Unlicense)": "Unlicense",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0", "zlib/libpng License": "Zlib",
}


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise RegistryAnswerError("the answer is not JSON") from None


def pypi_info(text: str) -> PackageInfo:
    """PyPI's JSON API document (warehouse.pypa.io/api-reference/json.html)."""
    doc = _load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("info"), dict):
        raise RegistryAnswerError("no 'info' object in PyPI's answer")
    releases: dict[str, Release] = {}
    for version, raw_files in (doc.get("releases") or {}).items():
        files = raw_files if isinstance(raw_files, list) else []
        dates = [d for f in files if isinstance(f, dict) and (d := _date(f.get("upload_time_iso_8601")))]
        yanked = bool(files) and all(isinstance(f, dict) and f.get("yanked") for f in files)
        releases[str(version)] = Release(min(dates) if dates else None, yanked)
    return PackageInfo(True, releases, pypi_licence(doc["info"]))


def pypi_licence(info: dict[str, Any]) -> str | None:
    """PEP 639's expression; else a licence field that is SPDX; else the classifiers; else the field as is."""
    from github_app.deps.checks import is_spdx  # checks imports this module for versions

    if isinstance(info.get("license_expression"), str) and info["license_expression"].strip():
        return str(info["license_expression"]).strip()
    raw = info.get("license")
    text = raw.strip() if isinstance(raw, str) and 0 < len(raw.strip()) <= 64 and "\n" not in raw.strip() else None
    if text and is_spdx(text):
        return text
    named = [c.rsplit(" :: ", 1)[-1] for c in info.get("classifiers") or []
             if isinstance(c, str) and c.startswith("License ::") and c.count(" :: ") >= 1]
    named = [n for n in named if n not in ("OSI Approved", "Other/Proprietary License")] or named
    found = [CLASSIFIER_SPDX[n] for n in named if n in CLASSIFIER_SPDX]
    if found and len(found) == len(named):
        return " OR ".join(dict.fromkeys(found))  # several licence classifiers: the project offers each
    # Stated, but not as an SPDX id (a free-text field, or an ambiguous classifier like "BSD License").
    return text or (named[0] if named else None)


def npm_info(text: str) -> PackageInfo:
    """The npm registry's packument (github.com/npm/registry/blob/main/docs/REGISTRY-API.md)."""
    doc = _load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("versions", {}), dict):
        raise RegistryAnswerError("no 'versions' object in the npm registry's answer")
    times: dict[str, Any] = doc["time"] if isinstance(doc.get("time"), dict) else {}
    versions = doc.get("versions") or {}
    releases = {str(v): Release(_date(times.get(v))) for v in versions}
    latest = (doc.get("dist-tags") or {}).get("latest")
    lic: Any = doc.get("license")
    if lic is None and latest in versions and isinstance(versions[latest], dict):
        lic = versions[latest].get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    return PackageInfo(True, releases, str(lic) if isinstance(lic, str) and lic else None)


def go_info(list_text: str, infos: dict[str, str]) -> PackageInfo:
    """The module proxy's @v/list (one version a line) and the .info documents fetched for some versions."""
    releases = {v.strip(): Release() for v in list_text.splitlines() if v.strip()}
    for version, text in infos.items():
        doc = _load(text)
        if isinstance(doc, dict):
            releases[version] = Release(_date(doc.get("Time")))
    return PackageInfo(True, releases, None, license_known=False)


def maven_info(text: str) -> PackageInfo:
    """maven-metadata.xml: versioning/versions/version. It carries no per-version dates or licence."""
    try:
        root = defusedxml.ElementTree.fromstring(text)
    except Exception as exc:  # noqa: BLE001 -- ParseError and defusedxml's refusals: a garbage answer, reported as such
        raise RegistryAnswerError(f"the answer is not Maven metadata ({type(exc).__name__})") from None
    versions = [v.text.strip() for v in root.iter("version") if v.text and v.text.strip()]
    return PackageInfo(True, {v: Release() for v in versions}, None, license_known=False, dates_known=False)


# -- versions ------------------------------------------------------------------------------------


def sort_key(ecosystem: str, version: str) -> tuple[int, Any]:
    """Orders versions the ecosystem's way; unparseable ones sort first, by text (and, in npm and Go,
    versions that are not semver before those that are: two kinds of version never compare)."""
    if ecosystem in ("npm", "Go"):
        try:
            return (2, semantic_version.Version(version.removeprefix("v")))
        except ValueError:
            pass
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _poetry_to_pep440(spec: str) -> str:
    parts: list[str] = []
    for raw in spec.split(","):
        c = raw.strip()
        if not c or c == "*":
            continue
        if c[0] in "^~" and c[1:2] != "=":
            base = c[1:].strip()
            nums = [int(x) if x.isdigit() else 0 for x in base.split(".")[:3]]
            while len(nums) < 3:
                nums.append(0)
            if c[0] == "^":
                idx = next((i for i, n in enumerate(nums) if n != 0), len(base.split(".")) - 1)
                idx = min(idx, len(base.split(".")) - 1)
            else:
                idx = 1 if len(base.split(".")) > 1 else 0
            upper = nums[: idx + 1]
            upper[-1] += 1
            parts += [f">={base}", "<" + ".".join(str(n) for n in upper)]
        elif c[0].isdigit():
            parts.append(f"=={c}")
        else:
            parts.append(c)
    return ",".join(parts)


def matching(ecosystem: str, scheme: str, spec: str, versions: Iterable[str]) -> list[str]:
    """The versions the constraint allows, oldest first (pre-releases only when nothing else matches)."""
    vs = sorted(set(versions), key=lambda v: sort_key(ecosystem, v))
    if scheme in ("go", "maven"):
        return [v for v in vs if v == spec]
    if scheme == "npm":
        text = spec.strip() or "*"
        if text in ("latest", "*", "x"):
            text = "*"
        try:
            npm = semantic_version.NpmSpec(text)
        except ValueError:
            return []
        out = []
        for v in vs:
            try:
                if semantic_version.Version(v) in npm:
                    out.append(v)
            except ValueError:
                continue
        return out
    pep = _poetry_to_pep440(spec) if scheme == "poetry" else spec
    try:
        sset = SpecifierSet(pep)
    except InvalidSpecifier:
        return []
    valid = [v for v in vs if sort_key("PyPI", v)[0] >= 1]
    found = list(sset.filter(valid))
    return found or list(sset.filter(valid, prereleases=True))
