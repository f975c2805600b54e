"""inbound.py: what a delivery must look like before it is routed (pure, table-driven)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from github_app.events import ROUTES, sign
from github_app.inbound import (
    MAX_JSON_DEPTH,
    Rejected,
    Signer,
    delivery_ok,
    parse_json,
    repo_name_problem,
    signature_header_ok,
    validate_payload,
)

SAMPLES = Path(__file__).resolve().parents[1] / "webhooks"
SHARED_WEBHOOKS = Path(__file__).resolve().parents[2] / "shared" / "github" / "webhooks"


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha256=" + "0" * 63, "sha256=" + "G" * 64,
                                    "sha1=" + "0" * 40, "sha256=" + "é" * 64, "sha256=" + "0" * 64 + "\x00",
                                    "SHA256=" + "0" * 64])
def test_malformed_signature_headers_are_refused_before_any_hmac(header: str | None) -> None:
    assert not signature_header_ok(header)


def test_streamed_signature_matches_the_one_shot_one() -> None:
    body = b'{"action": "opened"}' * 1000
    signer = Signer("s3cret")
    for i in range(0, len(body), 777):
        signer.update(body[i:i + 777])
    assert signer.matches(sign("s3cret", body))
    assert not signer.matches(sign("other", body))


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1000, 100_000])
def test_deep_json_is_rejected_with_a_reason(depth: int) -> None:
    body = b'{"a":' + b"[" * depth + b"]" * depth + b"}"
    with pytest.raises(Rejected, match="nested deeper"):
        parse_json(body)


def test_json_at_the_depth_limit_is_accepted() -> None:
    body = b"[" * (MAX_JSON_DEPTH - 1) + b"]" * (MAX_JSON_DEPTH - 1)
    assert parse_json(b'{"a":' + body + b"}")["a"] is not None


@pytest.mark.parametrize("body", [b"{", b"[1]", b"\xff", b'"x"', b"null"])
def test_non_objects_are_rejected(body: bytes) -> None:
    with pytest.raises(Rejected, match="not a JSON object"):
        parse_json(body)


def _opened() -> dict:
    return json.loads((SAMPLES / "pull_request.opened.json").read_text())


@pytest.mark.parametrize(("mutate", "where"), [
    (lambda p: p.update(number="x"), "number"),
    (lambda p: p.update(pull_request="a string"), "pull_request"),
    (lambda p: p.update(repository=[1]), "repository"),
    (lambda p: p.pop("pull_request"), "pull_request"),
    (lambda p: p["pull_request"]["head"].update(sha=5), "pull_request.head.sha"),
    (lambda p: p["installation"].update(id="12"), "installation.id"),
    (lambda p: p["pull_request"].update(number=True), "pull_request.number"),
])
def test_wrong_or_missing_fields_name_the_field(mutate, where: str) -> None:  # type: ignore[no-untyped-def]
    payload = _opened()
    mutate(payload)
    with pytest.raises(Rejected) as err:
        validate_payload("pull_request", payload)
    assert f"payload: {where}" in str(err.value) and "\n" not in str(err.value)


def test_every_sample_delivery_of_a_routed_event_passes() -> None:
    paths = sorted(SAMPLES.glob("*.json")) + sorted(SHARED_WEBHOOKS.glob("*.json"))
    checked = 0
    for path in paths:
        event, action = path.name.split(".")[:2]
        if (event, action) in ROUTES:
            validate_payload(event, json.loads(path.read_text()))
            checked += 1
    assert checked >= len(ROUTES)


@pytest.mark.parametrize(("name", "ok"), [
    ("acme/api", True), ("a-b/c.d_e", True), ("octo/..", False), ("octo/.", False), ("../etc", False),
    ("acme", False), ("acme/api/x", False), ("-acme/api", False), ("acme/a b", False), ("a" * 40 + "/x", False),
    ("acme/" + "x" * 101, False), ("acme/ä", False), ("", False),
])
def test_repository_names(name: str, ok: bool) -> None:
    assert (repo_name_problem(name) is None) is ok


def test_delivery_ids() -> None:
    assert delivery_ok("72d3162e-cc78-11e3-81ab-4c9367dc0958")
    assert not delivery_ok("") and not delivery_ok("a b") and not delivery_ok("x" * 201) and not delivery_ok("é")
