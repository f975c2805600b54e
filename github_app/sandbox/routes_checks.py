"""Check runs: create, update (annotations appended), read, list for a ref."""

from __future__ import annotations

from typing import Any

from github_app.sandbox import gitrepo, payloads
from github_app.sandbox.api import ApiError, Ctx, Resp, invalid_request, not_found, paginated
from github_app.sandbox.records import CheckRun, Repo
from github_app.sandbox.routes_pulls import acting_user

# github-api-facts §5: at most 50 annotations per request; summary and text are
# limited to 65535 bytes (GitHub counts bytes, githubkit counts characters).
MAX_ANNOTATIONS = 50
MAX_OUTPUT_BYTES = 65535
MAX_TITLE_CHARS = 255
STATUSES = ("queued", "in_progress", "completed")
CONCLUSIONS = ("action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out")
LEVELS = ("notice", "warning", "failure")
DOCS = "https://docs.github.com/rest/checks/runs"
MAX_ACTIONS = 3
ACTION_LIMITS = {"label": 20, "description": 40, "identifier": 20}


def _run(ctx: Ctx) -> CheckRun:
    repo = ctx.repo()
    rid = ctx.int_param("check_run_id")
    for run in ctx.state.check_runs:
        if run.id == rid and run.repo is repo:
            return run
    raise not_found()


def _render(ctx: Ctx, run: CheckRun) -> Any:
    prs = ctx.state.pulls_with_head(run.repo, run.head_sha)
    return payloads.check_run(ctx.base, run, ctx.state.app, ctx.state.app_created, prs)


def _apply(ctx: Ctx, run: CheckRun, data: dict[str, Any]) -> None:
    """Validate everything first, then change the run: a refused request changes nothing."""
    name = data.get("name", run.name)
    if not isinstance(name, str) or not name:
        raise invalid_request("For 'properties/name', is not a string.")
    status = data.get("status")
    conclusion = data.get("conclusion")
    if status is not None and status not in STATUSES:
        raise invalid_request(f"For 'properties/status', \"{status}\" is not a possible value.")
    if conclusion is not None and conclusion not in CONCLUSIONS:
        raise invalid_request(f"For 'properties/conclusion', \"{conclusion}\" is not a possible value.")
    if status == "completed" and conclusion is None and run.conclusion is None:
        raise invalid_request("Missing required field: 'conclusion' when 'status' is 'completed'.")
    output = data.get("output")
    annotations: list[dict[str, Any]] = []
    if output is not None:
        if not isinstance(output, dict):
            raise invalid_request("For 'properties/output', is not an object.")
        for key in ("title", "summary"):
            if not isinstance(output.get(key), str):
                raise invalid_request(f"For 'properties/output', \"{key}\" wasn't supplied.")
        if len(output["title"]) > MAX_TITLE_CHARS:
            raise invalid_request(f"title is too long (maximum is {MAX_TITLE_CHARS} characters)")
        for key in ("summary", "text"):
            value = output.get(key)
            if not isinstance(value, str):
                continue
            # The schema check counts characters; the model behind it counts bytes
            # (github/docs#35252, zyborg/dotnet-tests-report#9 for the two texts).
            if len(value) > MAX_OUTPUT_BYTES:
                raise invalid_request(
                    f"Only {MAX_OUTPUT_BYTES} characters are allowed; {len(value)} were supplied.")
            if len(value.encode()) > MAX_OUTPUT_BYTES:
                raise ApiError(422, "Validation Failed", docs=DOCS, errors=[{
                    "resource": "CheckRun", "code": "custom", "field": key,
                    "message": f"{key} exceeds a maximum bytesize of {MAX_OUTPUT_BYTES}"}])
        raw = output.get("annotations") or []
        if not isinstance(raw, list):
            raise invalid_request("For 'properties/annotations', is not an array.")
        if len(raw) > MAX_ANNOTATIONS:
            raise invalid_request(
                f"No more than {MAX_ANNOTATIONS} items are allowed; {len(raw)} were supplied.")
        annotations = [_annotation(a) for a in raw]
    actions = _actions(data["actions"]) if "actions" in data else None
    # All checks passed: apply.
    run.name = name
    if actions is not None:
        run.actions = actions
    if output is not None:
        run.title = output["title"]
        run.summary = output["summary"]
        if "text" in output:
            run.text = output.get("text")
        run.annotations.extend(annotations)  # appended, never replaced
    for key in ("external_id", "details_url"):
        if isinstance(data.get(key), str):
            setattr(run, key, data[key])
    now = ctx.state.now()
    if status in ("in_progress", "queued"):
        run.status = status
    if conclusion is not None:
        # GitHub: setting a conclusion marks the run completed.
        run.conclusion = conclusion
        run.status = "completed"
        run.completed_at = now
    elif status == "completed":
        run.status = "completed"
        run.completed_at = now


def _actions(raw: Any) -> list[dict[str, str]]:
    """github-api-facts.md §5: at most 3; label <= 20, description <= 40, identifier <= 20 characters."""
    if not isinstance(raw, list):
        raise invalid_request("For 'properties/actions', is not an array.")
    if len(raw) > MAX_ACTIONS:
        raise invalid_request(f"No more than {MAX_ACTIONS} items are allowed; {len(raw)} were supplied.")
    out: list[dict[str, str]] = []
    for a in raw:
        if not isinstance(a, dict):
            raise invalid_request("For 'items', is not an object.")
        for key, limit in ACTION_LIMITS.items():
            value = a.get(key)
            if not isinstance(value, str):
                raise invalid_request(f"For 'items', \"{key}\" wasn't supplied.")
            if len(value) > limit:
                raise invalid_request(f"For 'properties/{key}', is too long (maximum is {limit} characters).")
        out.append({k: str(a[k]) for k in ACTION_LIMITS})
    return out


def _annotation(a: Any) -> dict[str, Any]:
    if not isinstance(a, dict):
        raise invalid_request("For 'items', is not an object.")
    for key in ("path", "start_line", "end_line", "annotation_level", "message"):
        if key not in a:
            raise invalid_request(f"For 'items', \"{key}\" wasn't supplied.")
    if a["annotation_level"] not in LEVELS:
        raise invalid_request(f"For 'properties/annotation_level', \"{a['annotation_level']}\" is not a "
                              "possible value.")
    if not isinstance(a["start_line"], int) or not isinstance(a["end_line"], int):
        raise invalid_request("For 'properties/start_line', is not an integer.")
    return dict(a)


def create_check_run(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    data = ctx.json()
    head_sha = data.get("head_sha")
    if not isinstance(data.get("name"), str) or not data.get("name"):
        raise invalid_request("For 'properties/name', nil is not a string.")
    if not isinstance(head_sha, str) or not head_sha:
        raise invalid_request("For 'properties/head_sha', nil is not a string.")
    sha = gitrepo.rev_parse(repo.path, head_sha) if len(head_sha) >= 7 else None
    if sha is None or not sha.startswith(head_sha.lower()):
        raise ApiError(422, f"No commit found for SHA: {head_sha}", docs=DOCS)
    now = ctx.state.now()
    run = CheckRun(
        id=ctx.state.next_id(), suite_id=ctx.state.check_suite_id(repo, sha), repo=repo,
        name=data["name"], head_sha=sha, status="queued", conclusion=None,
        started_at=now, completed_at=None, external_id=None, details_url=None,
    )
    _apply(ctx, run, data)
    ctx.state.check_runs.append(run)
    return Resp(201, _render(ctx, run))


def update_check_run(ctx: Ctx) -> Resp:
    run = _run(ctx)
    _apply(ctx, run, ctx.json())
    return Resp(200, _render(ctx, run))


def get_check_run(ctx: Ctx) -> Resp:
    return Resp(200, _render(ctx, _run(ctx)))


def list_annotations(ctx: Ctx) -> Resp:
    run = _run(ctx)
    return paginated(ctx, run.annotations, lambda a: payloads.annotation(ctx.base, run, a))


FILTERS = ("latest", "all")


def _runs_for(ctx: Ctx, repo: Repo, sha: str) -> list[CheckRun]:
    runs = [r for r in ctx.state.check_runs if r.repo is repo and r.head_sha == sha]
    name = ctx.query.get("check_name")
    if name:
        runs = [r for r in runs if r.name == name]
    status = ctx.query.get("status")
    if status and status not in STATUSES:
        raise invalid_request(f"For 'status', \"{status}\" is not a possible value.")
    mode = ctx.query.get("filter", "latest")
    if mode not in FILTERS:
        raise invalid_request(f"For 'filter', \"{mode}\" is not a possible value.")
    if status:
        runs = [r for r in runs if r.status == status]
    app_id = ctx.query.get("app_id")
    if app_id and app_id != str(ctx.state.app.id):
        runs = []
    if mode == "latest":
        latest: dict[str, CheckRun] = {}
        for r in runs:
            latest[r.name] = r  # ids grow, so the last one seen is the newest
        runs = list(latest.values())
    runs.sort(key=lambda r: r.id, reverse=True)
    return runs


def list_for_ref(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    ref = ctx.params["ref"]
    sha = gitrepo.rev_parse(repo.path, ref)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {ref}", docs=DOCS)
    runs = _runs_for(ctx, repo, sha)
    return paginated(ctx, runs, lambda r: _render(ctx, r),
                     wrap=lambda page: {"total_count": len(runs), "check_runs": page})


# -- re-runs: GitHub turns these into check_run / check_suite webhooks to the app ------


def _suite_json(ctx: Ctx, repo: Repo, suite_id: int, head_sha: str) -> Any:
    runs = [r for r in ctx.state.check_runs if r.repo is repo and r.suite_id == suite_id]
    prs = ctx.state.pulls_with_head(repo, head_sha)
    branch = prs[0].head_ref if prs else next(
        (name.removeprefix("refs/heads/") for name, sha in gitrepo.list_refs(repo.path, "refs/heads/")
         if sha == head_sha), None)
    head = gitrepo.read_commits(repo.path, [head_sha])[0]
    return payloads.check_suite(ctx.base, repo, suite_id, head_sha=head_sha, head_branch=branch, runs=runs,
                                prs=prs, info=ctx.state.app, app_created=ctx.state.app_created,
                                head_commit=head)


def emit_check_run(ctx: Ctx, run: CheckRun, action: str, identifier: str | None = None) -> None:
    suite = _suite_json(ctx, run.repo, run.suite_id, run.head_sha)
    sender = acting_user(ctx, "octocat")
    ctx.emit("check_run", payloads.check_run_event(ctx.base, action, _render(ctx, run), suite_json=suite,
                                                   repo=run.repo, sender=sender,
                                                   requested_action=identifier))


def rerequest_run(ctx: Ctx) -> Resp:
    """POST check-runs/{id}/rerequest: GitHub answers 201 {} and sends check_run.rerequested."""
    emit_check_run(ctx, _run(ctx), "rerequested")
    return Resp(201, {})


def rerequest_suite(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    suite_id = ctx.int_param("check_suite_id")
    run = next((r for r in ctx.state.check_runs if r.repo is repo and r.suite_id == suite_id), None)
    if run is None:
        raise not_found()
    suite = _suite_json(ctx, repo, suite_id, run.head_sha)
    ctx.emit("check_suite", payloads.check_suite_event(ctx.base, "rerequested", suite, repo,
                                                       acting_user(ctx, "octocat")))
    return Resp(201, {})


def requested_action(ctx: Ctx) -> Resp:
    """/_sandbox/: a person clicked one of the run's action buttons."""
    identifier = ctx.json().get("identifier")
    if not isinstance(identifier, str) or not identifier:
        raise ApiError(422, "identifier is required")
    run = _run(ctx)
    if identifier not in [a["identifier"] for a in run.actions]:
        raise ApiError(422, f"the run offers no action {identifier!r}")  # GitHub shows only offered buttons
    emit_check_run(ctx, run, "requested_action", identifier)
    return Resp(201, {})
