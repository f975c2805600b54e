"""The sandbox's one configuration object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SandboxConfig:
    data_dir: Path  # git repositories live under here
    app_id: int  # the one GitHub App registered
    app_public_key_pem: str = field(repr=False)  # verifies app JWTs (RS256)
    webhook_url: str | None  # where signed deliveries go (None: record only)
    webhook_secret: str = field(repr=False)  # X-Hub-Signature-256 key
    app_slug: str = "prodready"  # bot login "<slug>[bot]" for what the app authors
    host: str = "127.0.0.1"
    port: int = 0  # 0 = pick a free port
