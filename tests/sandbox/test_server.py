"""The `prodready sandbox` entry point's argument and environment checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from github_app.sandbox import generate_app_key, server


def test_main_needs_webhook_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "key.pem"
    key.write_text(generate_app_key()[1])
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    assert server.main(["--app-id", "1", "--public-key-path", str(key)]) == 2
    assert "WEBHOOK_SECRET" in capsys.readouterr().err


def test_main_rejects_unreadable_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "s")
    assert server.main(["--app-id", "1", "--public-key-path", str(tmp_path / "missing.pem")]) == 2
    assert "--public-key-path" in capsys.readouterr().err


def test_private_key_yields_its_public_half() -> None:
    private, public = generate_app_key()
    assert server._public_pem(private).strip() == public.strip()
