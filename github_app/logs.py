"""Structured logs (structlog): JSON or console, with job context bound on every line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

# Belt and braces: even if a token slips into an event, it is masked before it is written.
_TOKEN = re.compile(r"\b(gh[pousr]_[A-Za-z0-9_]{20,}|github_pat_[A-Za-z0-9_]{20,}|eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]+)")
_SECRET_KEYS = {"token", "secret", "password", "private_key", "authorization", "jwt"}


def _scrub(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in list(event.items()):
        if key.lower() in _SECRET_KEYS:
            event[key] = "********"
        elif isinstance(value, str):
            event[key] = _TOKEN.sub("********", value)
    return event


_pending: list[tuple[str, str]] = []
"""The configuration waiting for structlog to be imported (at most one)."""


def configure(level: str = "INFO", fmt: str = "json", *, defer: bool = False) -> None:
    """Set the level and format. `defer` (for `prodready review`, which usually logs nothing) waits for
    the first log line or `ready()` to import structlog; see `_Deferred`."""
    _pending[:] = [(level, fmt)]
    if not defer or "structlog" in sys.modules:
        ready()


def ready() -> None:
    """Apply a deferred configuration now. Call it before importing a library that logs through
    structlog itself (stamina does): unconfigured, structlog prints to stdout, into the review's JSON."""
    if not _pending:
        return
    level, fmt = _pending.pop()
    import structlog

    renderer: Any = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(
        colors=False)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _scrub,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level, logging.INFO)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


class _Deferred:
    """A logger that imports structlog on its first use. Modules take their logger at import time,
    and `prodready review` usually logs nothing: structlog (with rich, which it imports when present)
    would be a fifth of a typical review's wall time."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._logger: Any = None

    def __getattr__(self, attr: str) -> Any:
        ready()
        if self._logger is None:
            import structlog

            self._logger = structlog.get_logger(self._name)
        return getattr(self._logger, attr)


def get(name: str = "prodready") -> Any:
    return _Deferred(name)
