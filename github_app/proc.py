"""Every subprocess prodready starts goes through here: one place for timeouts and errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Least exposure: a child sees only these variables of ours (plus what the caller passes in env),
# never WEBHOOK_SECRET, PRIVATE_KEY or a token. LC_* is matched as a prefix.
ENV_ALLOW = frozenset({"PATH", "HOME", "LANG", "LANGUAGE", "TMPDIR", "TZ"})
ENV_ALLOW_PREFIXES = ("LC_",)
# Git settings a caller's environment may legitimately carry: a pre-commit hook runs with GIT_DIR,
# GIT_INDEX_FILE and friends set. GIT_CONFIG_COUNT/KEY/VALUE and GIT_ASKPASS are left out on purpose:
# they can carry credentials (http.extraHeader).
GIT_ALLOW = frozenset({
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_EXEC_PATH",
    "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
})
# Semgrep's own settings that are not credentials (SEMGREP_APP_TOKEN is one, so no SEMGREP_* prefix).
SEMGREP_ALLOW = frozenset({"SEMGREP_SETTINGS_FILE", "SEMGREP_VERSION_CACHE_PATH", "SEMGREP_USER_DATA_FOLDER"})


class ProcError(Exception):
    """A command could not be run, timed out, or failed; the message is one line."""


class ProcTimeout(ProcError):
    """The command ran out of its time and was killed."""


def minimal_env(parent: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The allow-listed part of `parent`, overlaid by `extra` (which the caller chose explicitly)."""
    allowed = ENV_ALLOW | GIT_ALLOW | SEMGREP_ALLOW
    env = {k: v for k, v in parent.items() if k in allowed or k.startswith(ENV_ALLOW_PREFIXES)}
    env.update(extra or {})
    return env


def _limit_memory(max_bytes: int) -> Callable[[], None] | None:
    """A preexec hook capping the child's address space (Linux only: macOS ignores RLIMIT_AS)."""
    if not sys.platform.startswith("linux"):
        return None
    import resource

    def apply() -> None:  # runs in the child between fork and exec: no locks, no allocation-heavy work
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))

    return apply


@dataclass(frozen=True)
class Completed:
    args: tuple[str, ...]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def err_text(self) -> str:
        return self.stderr.decode("utf-8", errors="replace")


def run(
    args: Sequence[str],
    *,
    timeout: float,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    check: bool = True,
    max_memory_bytes: int | None = None,
) -> Completed:
    """Run a command with a mandatory timeout and a minimal environment; raise ProcError with a
    one-line reason. `max_memory_bytes` caps the child's address space where the OS allows it."""
    try:
        proc = subprocess.run(
            list(args),
            cwd=cwd,
            env=minimal_env(os.environ, env),
            input=input,
            # Never the caller's stdin: under `prodready mcp` that is the protocol stream.
            stdin=subprocess.DEVNULL if input is None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
            preexec_fn=_limit_memory(max_memory_bytes) if max_memory_bytes else None,
        )
    except FileNotFoundError as exc:
        raise ProcError(f"{args[0]}: command not found") from exc
    except subprocess.TimeoutExpired as exc:
        raise ProcTimeout(f"{args[0]} timed out after {timeout:g}s") from exc
    done = Completed(tuple(args), proc.returncode, proc.stdout, proc.stderr)
    if check and proc.returncode != 0:
        raise ProcError(f"{' '.join(args[:3])} failed ({proc.returncode}): {first_line(done.err_text)}")
    return done


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return "no output"


def git(*args: str, cwd: str | Path, timeout: float = 60.0, check: bool = True,
        input: bytes | None = None, env: Mapping[str, str] | None = None) -> Completed:
    """git with a fixed, locale-independent environment and no pager or prompts."""
    base_env = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_PAGER": "cat"}
    if env:
        base_env.update(env)
    return run(["git", *args], cwd=cwd, timeout=timeout, check=check, input=input, env=base_env)
