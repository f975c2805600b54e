"""Every subprocess prodready starts goes through here: one place for timeouts and errors."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class ProcError(Exception):
    """A command could not be run, timed out, or failed; the message is one line."""


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
) -> Completed:
    """Run a command with a mandatory timeout; raise ProcError with a one-line reason."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    try:
        proc = subprocess.run(
            list(args),
            cwd=cwd,
            env=full_env,
            input=input,
            # Never the caller's stdin: under `prodready mcp` that is the protocol stream.
            stdin=subprocess.DEVNULL if input is None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ProcError(f"{args[0]}: command not found") from exc
    except subprocess.TimeoutExpired as exc:
        raise ProcError(f"{args[0]} timed out after {timeout:g}s") from exc
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
