"""Run a Starlette app under uvicorn on loopback in a background thread (demo and tests)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn
from starlette.applications import Starlette

START_TIMEOUT_S = 15.0


class ThreadedServer:
    def __init__(self, app: Starlette, *, host: str = "127.0.0.1", port: int = 0, health_path: str = "/healthz"):
        self.app = app
        self.host = host
        self.health_path = health_path
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))  # bind now, so port 0 becomes a real port before start
        self.port: int = self._sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=lambda: self._server.run(sockets=[self._sock]), daemon=True,
                                        name=f"http-{self.port}")
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if not self._thread.is_alive():
                    raise RuntimeError("server thread exited during start-up")
                try:
                    if client.get(self.url + self.health_path).status_code == 200:
                        return
                except httpx.TransportError:
                    time.sleep(0.02)
        raise RuntimeError(f"server on {self.url} did not answer within {START_TIMEOUT_S:g}s")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._sock.close()
