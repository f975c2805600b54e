"""The Dockerfile and compose.yaml, checked as files: this machine's docker has no daemon, so the
image is not built here (tests/test_dogfood.py also runs prodready's own Dockerfile rules over them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from github_app.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_image_is_pinned_layered_and_has_an_init() -> None:
    steps = instructions()
    froms = [arg for op, arg in steps if op == "FROM"]
    assert len(froms) == 1 and froms[0].startswith("python:3.12-slim@") and DIGEST.search(froms[0])
    ops = [f"{op} {arg}" for op, arg in steps]
    deps = next(i for i, s in enumerate(ops) if s.startswith("RUN") and "--requirement" in s)
    code = next(i for i, s in enumerate(ops) if s.startswith("COPY github_app"))
    constraints = next(i for i, s in enumerate(ops) if s.startswith("COPY") and "constraints.txt" in s)
    assert constraints < deps < code, "dependencies must be installed before the code is copied"
    assert "--constraint constraints.txt" in ops[deps]
    assert all("--constraint constraints.txt" in s for s in ops if s.startswith("RUN") and "pip install" in s)
    env = " ".join(arg for op, arg in steps if op == "ENV")
    data_dir = re.search(r"PRODREADY_DATA_DIR=(\S+)", env)
    assert data_dir and f'VOLUME ["{data_dir.group(1)}"]' in ops
    assert "PRODREADY_RULES_DIR" not in env  # the installed package finds its own rules
    assert any(s.startswith("RUN apt-get") and " tini" in s for s in ops)
    assert ('ENTRYPOINT', '["/usr/bin/tini", "--"]') in steps
    assert ("USER", "10001") in steps and any("--uid 10001" in s for s in ops)
    assert any(op == "HEALTHCHECK" for op, _ in steps)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return data


def test_compose_runs_receiver_workers_and_redis_with_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"redis", "receiver", "worker"}
    for name, svc in services.items():
        assert svc["healthcheck"]["test"][0] == "CMD", name
        assert svc.get("restart") == "unless-stopped", name
    assert DIGEST.search(services["redis"]["image"])
    for name in ("receiver", "worker"):
        svc = services[name]
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy"
        assert svc["environment"]["PRODREADY_QUEUE_URL"] == "redis://redis:6379/0"
        assert svc["environment"]["PRIVATE_KEY_PATH"] == "/run/secrets/prodready-key"
        assert "prodready-key" in svc["secrets"]
        args = build_parser().parse_args(svc["command"][1:])  # a real prodready command line
        assert args.command == ("serve" if name == "receiver" else "worker")
    assert services["receiver"]["command"][-1] == "--no-worker"  # the workers do the reviews
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert "/readyz" in " ".join(services["receiver"]["healthcheck"]["test"])
    assert compose["secrets"]["prodready-key"]["file"].endswith("/keys/app.pem}")
