"""A local stand-in for the GitHub REST API, over real HTTP, backed by git repositories."""

from __future__ import annotations

from github_app.sandbox.app import create_app
from github_app.sandbox.auth import generate_app_key
from github_app.sandbox.config import SandboxConfig
from github_app.sandbox.server import SandboxServer

__all__ = ["SandboxConfig", "SandboxServer", "create_app", "generate_app_key"]
