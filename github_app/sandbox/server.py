"""Run the sandbox: in a background thread (tests, demo) or in the foreground (CLI)."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import uvicorn
from cryptography.hazmat.primitives import serialization

from github_app.sandbox.app import create_app
from github_app.sandbox.config import SandboxConfig
from github_app.sandbox.state import SandboxState
from github_app.sandbox.webhooks import Deliverer

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


class SandboxServer:
    """uvicorn on loopback in a daemon thread; `start` returns once the sandbox answers."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.app = create_app(config)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    @property
    def state(self) -> SandboxState:
        state: SandboxState = self.app.state.sandbox
        return state

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("sandbox not started")
        return f"http://{self.config.host}:{self._port}"

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("sandbox already started")
        # Bind first, so port 0 resolves to a real port before uvicorn runs.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        self._port = sock.getsockname()[1]
        # A bounded graceful shutdown: a client holding a connection must not hang stop().
        uv_config = uvicorn.Config(self.app, log_level="warning", lifespan="on", access_log=False,
                                   timeout_graceful_shutdown=int(STOP_TIMEOUT / 2))
        self._server = uvicorn.Server(uv_config)
        server = self._server
        self._thread = threading.Thread(target=lambda: server.run(sockets=[sock]), name="sandbox-http",
                                        daemon=True)
        self._thread.start()
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._thread is not None and not self._thread.is_alive():
                    raise RuntimeError("sandbox server thread exited during start-up")
                try:
                    if client.get(f"{self.url}/_sandbox/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        raise RuntimeError(f"sandbox did not answer within {START_TIMEOUT:g}s")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STOP_TIMEOUT)
        self._thread = None
        self._server = None

    def set_webhook_url(self, url: str) -> None:
        with self.state.lock:
            self.state.webhook_url = url

    def wait_for_deliveries(self, timeout: float = 15.0) -> bool:
        """Block until every queued webhook delivery has finished; False on timeout."""
        deliverer: Deliverer = self.app.state.deliverer
        return deliverer.wait_idle(timeout)

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """`prodready sandbox`: serve the sandbox in the foreground until interrupted."""
    parser = argparse.ArgumentParser(prog="prodready sandbox",
                                     description="Local stand-in for the GitHub REST API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data-dir", type=Path, default=Path(".prodready-data/sandbox"))
    parser.add_argument("--app-id", type=int, required=True)
    parser.add_argument("--public-key-path", type=Path, required=True,
                        help="PEM public key (or the private key; its public half is used)")
    parser.add_argument("--webhook-url", default=None)
    args = parser.parse_args(argv)
    secret = os.environ.get("WEBHOOK_SECRET", "")
    if not secret:
        print("prodready sandbox: WEBHOOK_SECRET is not set", file=sys.stderr)
        return 2
    try:
        public_pem = _public_pem(args.public_key_path.read_text())
    except (OSError, ValueError) as exc:
        print(f"prodready sandbox: --public-key-path: {exc}", file=sys.stderr)
        return 2
    config = SandboxConfig(data_dir=args.data_dir, app_id=args.app_id, app_public_key_pem=public_pem,
                           webhook_url=args.webhook_url, webhook_secret=secret,
                           host=args.host, port=args.port)
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="info")
    return 0


def _public_pem(text: str) -> str:
    """Accept a public key, or a private key (its public half)."""
    if "PRIVATE KEY" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
        return key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    serialization.load_pem_public_key(text.encode())  # validate
    return text


if __name__ == "__main__":
    raise SystemExit(main())
