"""`prodready replay FILE`: sign a sample delivery with WEBHOOK_SECRET and POST it, as GitHub would."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx

from github_app.errors import ReplayError
from github_app.events import sign

TIMEOUT = httpx.Timeout(10.0)


def event_from_name(path: Path) -> str:
    # webhooks/<event>.<action>[.<variant>].json
    return path.name.split(".", 1)[0]


def replay(path: Path, url: str, *, event: str | None = None) -> int:
    secret = os.environ.get("WEBHOOK_SECRET", "")
    if not secret:
        raise ReplayError("WEBHOOK_SECRET is not set (replay signs the payload with it)")
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ReplayError(f"cannot read {path}: {exc.strerror}") from None
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event or event_from_name(path),
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(secret, body),
        "User-Agent": "GitHub-Hookshot/prodready-replay",
    }
    try:
        resp = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise ReplayError(f"could not POST to {url}: {exc}") from None
    print(f"{resp.status_code} {resp.text.strip()[:500]}")
    return 0 if resp.status_code < 400 else 1
