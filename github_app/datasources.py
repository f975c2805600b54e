"""All registry and OSV I/O: timeouts, bounded retries with backoff, a disk cache with a TTL, mirrors.

Every source sits at a configurable URL so an organisation behind Artifactory or Nexus points
prodready at its own mirror. A source that cannot be reached raises `SourceUnavailable`; the
analyzer turns that into "not checked: <source> unreachable", never a silent pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlparse

from github_app import logs

if TYPE_CHECKING:
    import httpx

DEFAULT_URLS = {
    "pypi": "https://pypi.org/pypi",
    "npm": "https://registry.npmjs.org",
    "goproxy": "https://proxy.golang.org",
    "maven": "https://repo1.maven.org/maven2",
    "osv": "https://api.osv.dev",
}
ENV_NAMES = {
    "pypi": "PRODREADY_PYPI_URL",
    "npm": "PRODREADY_NPM_URL",
    "goproxy": "PRODREADY_GOPROXY_URL",
    "maven": "PRODREADY_MAVEN_URL",
    "osv": "PRODREADY_OSV_URL",
}
SOURCE_TITLES = {"pypi": "PyPI", "npm": "the npm registry", "goproxy": "the Go module proxy",
                 "maven": "the Maven repository", "osv": "OSV"}
DEFAULT_TTL_S = 6 * 3600.0
"""Registry metadata changes slowly; six hours keeps a busy repository's reviews from re-asking."""
NOT_FOUND_TTL_S = 3600.0
"""A name that does not exist yet may be registered (by its author or a squatter): ask again sooner."""
TIMEOUT_S = 10.0
ATTEMPTS = 3
# OSV's documented batch limit is 1,000 queries per request (google.github.io/osv.dev/post-v1-querybatch).
OSV_BATCH = 1000


class SourceConfigError(ValueError):
    """A data-source setting is malformed; the message names it."""


class SourceUnavailable(Exception):
    """The source did not answer usefully (network error, 429/5xx after retries, garbage)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{SOURCE_TITLES.get(source, source)} unreachable ({reason})")
        self.source = source
        self.reason = reason


class _Retry(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class SourceConfig:
    urls: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_URLS))
    cache_dir: Path | None = None
    ttl_s: float = DEFAULT_TTL_S
    timeout_s: float = TIMEOUT_S
    attempts: int = ATTEMPTS

    def url(self, source: str) -> str:
        return self.urls.get(source, DEFAULT_URLS[source]).rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, data_dir: Path | None = None) -> SourceConfig:
        env = os.environ if env is None else env
        urls = dict(DEFAULT_URLS)
        for source, name in ENV_NAMES.items():
            raw = env.get(name, "").strip()
            if not raw:
                continue
            parsed = urlparse(raw)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise SourceConfigError(f"{name} must be an http(s) URL, got {raw[:80]!r}")
            urls[source] = raw.rstrip("/")
        ttl_raw = env.get("PRODREADY_DEPS_CACHE_TTL_S", "").strip()
        try:
            ttl = float(ttl_raw) if ttl_raw else DEFAULT_TTL_S
        except ValueError:
            raise SourceConfigError(f"PRODREADY_DEPS_CACHE_TTL_S must be a number of seconds, got {ttl_raw[:20]!r}")\
                from None
        if ttl < 0:
            raise SourceConfigError("PRODREADY_DEPS_CACHE_TTL_S must not be negative")
        base = data_dir if data_dir is not None else _default_cache_root(env)
        return cls(urls=urls, cache_dir=base / "deps-cache" if base else None, ttl_s=ttl)


def sandbox_config(base_url: str, cache_dir: Path | None = None) -> SourceConfig:
    """Every source at the local sandbox's `/_registry/` stand-ins (tests and `prodready demo`)."""
    root = base_url.rstrip("/") + "/_registry"
    urls = {"pypi": f"{root}/pypi", "npm": f"{root}/npm", "goproxy": f"{root}/go", "maven": f"{root}/maven",
            "osv": f"{root}/osv"}
    return SourceConfig(urls=urls, cache_dir=cache_dir, attempts=2, timeout_s=5.0)


def _default_cache_root(env: Mapping[str, str]) -> Path | None:
    if env.get("PRODREADY_DATA_DIR"):
        return Path(env["PRODREADY_DATA_DIR"])
    xdg = env.get("XDG_CACHE_HOME") or (str(Path(env["HOME"]) / ".cache") if env.get("HOME") else "")
    return Path(xdg) / "prodready" if xdg else None


@dataclass(frozen=True)
class Answer:
    status: int
    """200, or 404 (also for 410 Gone, which the Go proxy uses for unknown modules)."""
    text: str
    cached: bool = False

    def json(self, source: str) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            raise SourceUnavailable(source, "the answer is not JSON") from None


class DataSources:
    """One HTTP client for every registry and OSV; all answers go through the disk cache."""

    def __init__(self, config: SourceConfig, *, transport: httpx.BaseTransport | None = None) -> None:
        # httpx is imported here, not at the top: settings import this module, and `prodready review`
        # on a change with no manifest should not pay for an HTTP stack it never uses.
        import httpx

        self.config = config
        self._client = httpx.Client(timeout=config.timeout_s, transport=transport, follow_redirects=True,
                                    headers={"User-Agent": "prodready (dependency review)"})
        self.requests = 0
        """HTTP requests made (cache misses), for the benchmark's cost per lookup."""
        self._down: dict[str, str] = {}
        self.unreachable_seconds = 0.0
        """Time spent on sources that then failed (their retries and backoff), for the benchmark."""

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> DataSources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_down(self, source: str) -> bool:
        return source in self._down

    # -- registries ---------------------------------------------------------------------------------

    def pypi(self, name: str) -> Answer:
        return self.get("pypi", f"{self.config.url('pypi')}/{quote(name, safe='')}/json")

    def npm(self, name: str) -> Answer:
        # Scoped names keep their @ and encode the slash, as the registry expects (@scope%2fname).
        return self.get("npm", f"{self.config.url('npm')}/{quote(name, safe='@')}")

    def go_list(self, module: str) -> Answer:
        return self.get("goproxy", f"{self.config.url('goproxy')}/{_go_escape(module)}/@v/list")

    def go_info(self, module: str, version: str) -> Answer:
        return self.get("goproxy", f"{self.config.url('goproxy')}/{_go_escape(module)}/@v/{_go_escape(version)}.info")

    def maven_metadata(self, group: str, artifact: str) -> Answer:
        return self.get("maven", f"{self.config.url('maven')}/{group.replace('.', '/')}/{artifact}/maven-metadata.xml")

    # -- OSV ----------------------------------------------------------------------------------------

    def osv_querybatch(self, queries: list[dict[str, Any]]) -> list[list[str]]:
        """Vulnerability ids per query, in order."""
        out: list[list[str]] = []
        for i in range(0, len(queries), OSV_BATCH):
            chunk = queries[i:i + OSV_BATCH]
            answer = self.post("osv", f"{self.config.url('osv')}/v1/querybatch", {"queries": chunk})
            doc = answer.json("osv")
            results = doc.get("results") if isinstance(doc, dict) else None
            if not isinstance(results, list) or len(results) != len(chunk):
                raise SourceUnavailable("osv", "querybatch answered without one result per query")
            for r in results:
                vulns = r.get("vulns") if isinstance(r, dict) else None
                out.append([str(v["id"]) for v in vulns or [] if isinstance(v, dict) and "id" in v])
        return out

    def osv_vuln(self, vuln_id: str) -> dict[str, Any]:
        answer = self.get("osv", f"{self.config.url('osv')}/v1/vulns/{quote(vuln_id, safe='')}")
        doc = answer.json("osv") if answer.status == 200 else None
        if not isinstance(doc, dict):
            raise SourceUnavailable("osv", f"no record for {vuln_id}")
        return doc

    # -- transport ----------------------------------------------------------------------------------

    def get(self, source: str, url: str) -> Answer:
        return self._request(source, "GET", url, None)

    def post(self, source: str, url: str, payload: Any) -> Answer:
        return self._request(source, "POST", url, payload)

    def _request(self, source: str, method: str, url: str, payload: Any) -> Answer:
        from github_app import metrics  # prometheus_client, only once a lookup is made

        body = json.dumps(payload, sort_keys=True) if payload is not None else ""
        key = hashlib.sha256(f"{method} {url}\n{body}".encode()).hexdigest()
        cached = self._cache_read(source, key)
        if cached is not None:
            metrics.DATASOURCE_REQUESTS.labels(source, "cache").inc()
            return cached
        if source in self._down:
            # Once a source failed after its retries, don't pay the retries again for every package.
            raise SourceUnavailable(source, self._down[source])
        started = time.monotonic()
        try:
            answer = self._fetch(source, method, url, body)
        except SourceUnavailable as exc:
            self.unreachable_seconds += time.monotonic() - started
            self._down[source] = exc.reason
            metrics.DATASOURCE_REQUESTS.labels(source, "unreachable").inc()
            logs.get().warning("datasource.unreachable", source=source, url=url, reason=exc.reason)
            raise
        metrics.DATASOURCE_REQUESTS.labels(source, "ok" if answer.status == 200 else "not_found").inc()
        self._cache_write(source, key, answer)
        return answer

    def _fetch(self, source: str, method: str, url: str, body: str) -> Answer:
        import httpx

        logs.ready()  # stamina logs its retries through structlog
        import stamina

        try:
            for attempt in stamina.retry_context(on=(httpx.TransportError, _Retry), attempts=self.config.attempts,
                                                 timeout=self.config.timeout_s * self.config.attempts * 2,
                                                 wait_initial=0.2, wait_max=2.0):
                with attempt:
                    self.requests += 1
                    if method == "POST":
                        resp = self._client.post(url, content=body, headers={"Content-Type": "application/json"})
                    else:
                        resp = self._client.get(url)
                    if resp.status_code == 429 or resp.status_code >= 500:
                        logs.get().info("datasource.retry", source=source, status=resp.status_code,
                                        attempt=attempt.num)
                        raise _Retry(resp.status_code)
        except _Retry as exc:
            raise SourceUnavailable(source, f"HTTP {exc.status} after {self.config.attempts} attempts") from None
        except httpx.TransportError as exc:
            raise SourceUnavailable(source, f"{type(exc).__name__}: {str(exc)[:80] or 'no answer'}") from None
        if resp.status_code in (404, 410):
            return Answer(404, "")
        if resp.status_code != 200:
            raise SourceUnavailable(source, f"HTTP {resp.status_code}")
        return Answer(200, resp.text)

    def _cache_path(self, source: str, key: str) -> Path | None:
        return self.config.cache_dir / source / f"{key}.json" if self.config.cache_dir else None

    def _cache_read(self, source: str, key: str) -> Answer | None:
        path = self._cache_path(source, key)
        if path is None or not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            ttl = self.config.ttl_s if entry["status"] == 200 else min(self.config.ttl_s, NOT_FOUND_TTL_S)
            if time.time() - float(entry["at"]) > ttl:
                return None
            return Answer(int(entry["status"]), str(entry["text"]), cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged cache entry is a miss; it is rewritten below

    def _cache_write(self, source: str, key: str, answer: Answer) -> None:
        path = self._cache_path(source, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"at": time.time(), "status": answer.status, "text": answer.text}),
                           encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            logs.get().warning("datasource.cache_unwritable", path=str(path.parent), error=str(exc))


def _go_escape(path: str) -> str:
    """The module proxy's case encoding: each capital letter becomes '!' and its lower case (go.dev/ref/mod)."""
    return "".join(f"!{c.lower()}" if c.isupper() else c for c in path)
