"""webhooks/: a real-shaped sample of every routed (event, action), each routed as the server would.

The samples are prodready's own; where ../shared holds GitHub's webhook schemas, every sample is
validated against its event's schema too (skipped when ../shared is absent).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from githubkit.webhooks import parse
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from github_app.events import LOG_ONLY, REVIEW, ROUTES, route
from tests.conftest import SHARED

SAMPLES = Path(__file__).resolve().parents[1] / "webhooks"
SCHEMAS = SHARED / "github" / "webhook-schemas"
EXPECTED = {REVIEW: "queued", LOG_ONLY: "logged"}


def sample_path(event: str, action: str) -> Path:
    return SAMPLES / f"{event}.{action}.json"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def open_schema(node: Any) -> Any:
    """The schemas predate fields GitHub added since (user_view_type, ...) and forbid extra keys;
    required keys and types are what the app relies on, so extra keys are allowed here."""
    if isinstance(node, dict):
        return {k: open_schema(v) for k, v in node.items() if not (k == "additionalProperties" and v is False)}
    if isinstance(node, list):
        return [open_schema(v) for v in node]
    return node


def read_schema(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = open_schema(json.loads(path.read_text()))
    return schema


@cache
def registry() -> Registry[Any]:
    resources = []
    for path in SCHEMAS.rglob("*.schema.json"):
        schema = read_schema(path)
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def test_the_samples_are_exactly_the_routed_events() -> None:
    missing = [f"{e}.{a}.json" for e, a in ROUTES if not sample_path(e, a).is_file()]
    assert missing == []
    names = {p.name for p in SAMPLES.glob("*.json")}
    assert names == {f"{e}.{a}.json" for e, a in ROUTES}


@pytest.mark.parametrize(("event", "action"), sorted(ROUTES), ids=[f"{e}.{a}" for e, a in sorted(ROUTES)])
def test_sample_routes_as_its_event_says(event: str, action: str) -> None:
    payload = load(sample_path(event, action))
    assert payload["action"] == action
    routed = route(event, payload, "delivery-1", bot_login="prodready[bot]")
    assert routed.outcome == EXPECTED[ROUTES[(event, action)]], routed.reason
    for job in routed.jobs:
        assert job.installation_id == payload["installation"]["id"]
        assert job.repo == payload["repository"]["full_name"]
        assert job.pr_number > 0


@pytest.mark.parametrize(("event", "action"), sorted(ROUTES), ids=[f"{e}.{a}" for e, a in sorted(ROUTES)])
def test_sample_parses_with_githubkits_webhook_models(event: str, action: str) -> None:
    parsed = parse(event, sample_path(event, action).read_text())
    assert getattr(parsed, "action", None) == action


@pytest.mark.parametrize(("event", "action"), sorted(ROUTES), ids=[f"{e}.{a}" for e, a in sorted(ROUTES)])
def test_sample_matches_githubs_webhook_schema(event: str, action: str) -> None:
    schema_file = SCHEMAS / event / f"{action}.schema.json"
    if not schema_file.is_file():
        pytest.skip(f"../shared has no schema for {event}.{action} (../shared absent or incomplete)")
    schema = read_schema(schema_file)
    validator = jsonschema.Draft7Validator(schema, registry=registry())
    errors = sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                    for e in validator.iter_errors(load(sample_path(event, action))))
    assert errors == []


def test_only_our_rerun_button_requeues_a_review() -> None:
    payload = load(sample_path("check_run", "requested_action"))
    assert route("check_run", payload, "d-1", bot_login="prodready[bot]").outcome == "queued"
    other = {**payload, "requested_action": {"identifier": "fix-all"}}
    routed = route("check_run", other, "d-2", bot_login="prodready[bot]")
    assert (routed.outcome, routed.jobs) == ("ignored", [])
