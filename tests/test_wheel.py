"""The built wheel in a fresh virtual environment outside the checkout: the rules come with it, and
`prodready --version`, `review`, `demo` and `serve` work from there. Slow (it installs every
dependency, under constraints.txt, into the new venv): about a minute with a warm pip cache."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from github_app import __version__
from tests.conftest import GitRepo

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a new venv with only the wheel (and its pinned dependencies) installed."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = out.glob("prodready-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.removeprefix("github_app/rules/") for n in names if n.startswith("github_app/rules/")}
    in_tree = {p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    assert shipped == in_tree
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--constraint", str(ROOT / "constraints.txt"),
                    str(wheel)], check=True, capture_output=True, timeout=900)
    return venv / "bin"


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRODREADY_", "GITHUB_", "PYTHON", "VIRTUAL_ENV"))}
    return env | {"HOME": str(tmp), "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"} | extra


def test_version_and_the_packaged_rules(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(installed / "prodready"), "--version"], cwd=tmp_path, env=clean_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.stdout == f"prodready {__version__}\n"
    where = subprocess.run([str(installed / "python"), "-c", "import github_app.scan as s; print(s.RULES_DIR)"],
                           cwd=tmp_path, env=clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    rules = Path(where.stdout.strip())
    assert rules.is_relative_to(installed.parent) and (rules / "resilience").is_dir()


def test_review_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"svc.py": "import requests\n"}, "init")
    repo.git("checkout", "-q", "-b", "agent/fetch")
    repo.commit({"svc.py": "import requests\n\n\ndef f():\n    return requests.get('http://x')\n"},
                "Fetch\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    done = subprocess.run([str(installed / "prodready"), "review", "--format", "json"], cwd=repo.root,
                          env=clean_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [(f["rule_id"], f["start_line"]) for f in data["findings"]] == [("py-requests-no-timeout", 5)]


def test_demo_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(installed / "prodready"), "demo"], cwd=tmp_path, env=clean_env(tmp_path),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "the `prodready` check concluded failure" in done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "app.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    port = free_port()
    env = clean_env(tmp_path, APP_ID="1", WEBHOOK_SECRET="s3cret", PRIVATE_KEY_PATH=str(pem), PORT=str(port),
                    PRODREADY_DATA_DIR=str(tmp_path / "data"), GITHUB_API_URL="http://127.0.0.1:9")
    server = subprocess.Popen([str(installed / "prodready"), "serve"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "prodready serve did not become ready in 60 s"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()


def test_pipx_install_from_the_checkout(tmp_path: Path) -> None:
    pipx = Path(sys.executable).parent / "pipx"
    if not pipx.exists():
        pytest.skip("pipx is not installed (the dev extras have it)")
    env = clean_env(tmp_path, PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"),
                    PIPX_MAN_DIR=str(tmp_path / "man"))
    done = subprocess.run([str(pipx), "install", "--pip-args", f"--constraint {ROOT / 'constraints.txt'}", str(ROOT)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    repo = GitRepo(repo_dir)
    repo.commit({"svc.py": "import requests\n"}, "init")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"svc.py": "import requests\nrequests.post('http://x')\n"})
    repo.git("add", "svc.py")
    review = subprocess.run([str(tmp_path / "bin" / "prodready"), "review", "--staged", "--format", "json"],
                            cwd=repo.root, env=env, capture_output=True, text=True, timeout=300)
    assert review.returncode == 0, review.stderr  # a human change: advisory under the default policy
    assert [f["rule_id"] for f in json.loads(review.stdout)["findings"]] == ["py-requests-no-timeout"]
