"""events.route for commands, check-run actions, fork payloads and merge groups (pure)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from github_app.events import Job, external_id, parse_external_id, route
from github_app.mergequeue import group_prs

SAMPLES = Path(__file__).resolve().parents[1] / "webhooks"
BOT = "prodready[bot]"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text())
    return data


def test_external_id_round_trips_and_rejects_other_repos_and_formats() -> None:
    value = external_id("acme/svc", 12, "a" * 40)
    assert parse_external_id(value, "ACME/svc") == (12, "a" * 40)
    assert parse_external_id(value, "acme/other") is None
    assert parse_external_id("2f6e1a4c-delivery-guid", "acme/svc") is None


def test_a_fork_check_run_without_pull_requests_routes_through_its_external_id() -> None:
    payload = sample("check_run.rerequested.json")
    repo = payload["repository"]["full_name"]
    sha = payload["check_run"]["head_sha"]
    payload["check_run"]["pull_requests"] = []
    payload["check_run"]["external_id"] = external_id(repo, 7, sha)
    [job] = route("check_run", payload, "d1", bot_login=BOT).jobs
    assert (job.pr_number, job.head_sha) == (7, sha)
    payload["check_run"]["external_id"] = ""
    [job] = route("check_run", payload, "d2", bot_login=BOT).jobs
    assert job.pr_number == 0, "the worker finds the PR from the head SHA"


@pytest.mark.parametrize(("identifier", "outcome"), [("rereview", "queued"), ("rerun", "queued"),
                                                      ("something-else", "ignored")])
def test_requested_action_identifiers(identifier: str, outcome: str) -> None:
    payload = sample("check_run.requested_action.json")
    payload["requested_action"] = {"identifier": identifier}
    assert route("check_run", payload, "d", bot_login=BOT).outcome == outcome


@pytest.mark.parametrize(("body", "queued"), [("/prodready ignore py-x because", True),
                                              ("/prodready unignore", True), ("/prodready review", True),
                                              ("thanks, prodready", False), ("/prodreadyish", False)])
def test_commands_in_replies_become_jobs_carrying_the_comment(body: str, queued: bool) -> None:
    payload = sample("pull_request_review_comment.created.json")
    payload["comment"]["body"] = body
    routed = route("pull_request_review_comment", payload, "d", bot_login=BOT)
    assert (routed.outcome == "queued") is queued
    if queued:
        [job] = routed.jobs
        assert job.comment_id == payload["comment"]["id"] and job.head_sha == ""
        assert job.pr_number == payload["pull_request"]["number"]


def test_two_commands_on_one_pr_do_not_collapse_into_one_job() -> None:
    a = Job(1, "o/r", 3, "", "d1", "issue_comment.created", comment_id=10)
    b = Job(1, "o/r", 3, "", "d2", "issue_comment.created", comment_id=11)
    assert a.key != b.key and Job.from_json(a.to_json()) == a


def test_own_bot_comments_are_never_commands() -> None:
    payload = sample("issue_comment.created.json")
    payload["comment"]["body"] = "/prodready review"
    payload["sender"] = {**payload["sender"], "login": BOT, "type": "Bot"}
    assert route("issue_comment", payload, "d", bot_login=BOT).outcome == "ignored"


def test_merge_group_routes_to_its_head_and_base_branch() -> None:
    payload = sample("merge_group.checks_requested.json")
    [job] = route("merge_group", payload, "d", bot_login=BOT).jobs
    group = payload["merge_group"]
    assert job.head_sha == group["head_sha"] and job.base_ref == "main" and job.pr_number >= 1
    payload["merge_group"] = {**group, "head_ref": "refs/heads/feature"}
    assert route("merge_group", payload, "d", bot_login=BOT).outcome == "ignored"


def test_group_prs_names_every_merged_pr_in_order() -> None:
    messages = ["Merge pull request #4 from a:x\n\nOne", "Add a thing", "Merge pull request #9 from b:y\n\nTwo"]
    assert group_prs(messages, 9) == [4, 9]
    assert group_prs([], 5) == [5]


def test_a_pull_request_job_carries_its_push_time_for_superseding() -> None:
    payload = sample("pull_request.synchronize.json")
    payload["pull_request"]["updated_at"] = "2026-12-03T10:05:00Z"
    [job] = route("pull_request", payload, "d", bot_login=BOT).jobs
    assert job.pushed_at == "2026-12-03T10:05:00Z" and job.supersedes
    assert Job.from_json(job.to_json()) == job
    payload["pull_request"]["updated_at"] = "yesterday"  # not GitHub's format: supersedes nothing
    [odd] = route("pull_request", payload, "d", bot_login=BOT).jobs
    assert odd.pushed_at == "" and not odd.supersedes
