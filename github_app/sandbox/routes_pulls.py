"""Pull requests: open, read (JSON and diff), edit, files, commits, labels, conversation."""

from __future__ import annotations

from typing import Any

from github_app.sandbox import gitrepo, payloads, routes_forks
from github_app.sandbox.api import (
    ApiError,
    Ctx,
    Resp,
    invalid_request,
    missing_field,
    not_found,
    paginated,
    validation_failed,
)
from github_app.sandbox.records import Actor, IssueComment, Label, Pull, Repo

# docs "repository-limits": a PR diff (this media type) stops at 300 files or 20,000 lines.
DIFF_MAX_FILES = 300
DIFF_MAX_LINES = 20_000
# pulls.list_files docstring: at most 3000 files are listed.
FILES_LIST_CAP = 3000
# docs "repository-limits": a single file's diff stops at 20,000 lines or 500 KB;
# list_files omits `patch` beyond that.
FILE_PATCH_MAX_LINES = 20_000
FILE_PATCH_MAX_BYTES = 500 * 1024
# pulls.list_commits docstring: at most 250 commits.
COMMITS_LIST_CAP = 250
# github-api-facts §4: comment and review bodies.
MAX_BODY_CHARS = 65536
DEFAULT_USER = "octocat"
USER_HEADER = "x-sandbox-user"


def acting_user(ctx: Ctx, default: str) -> Actor:
    """Who makes this call: GitHub knows it from the token; the sandbox from X-Sandbox-User."""
    return ctx.state.actor(ctx.headers.get(USER_HEADER) or default)


def get_pull(ctx: Ctx) -> Pull:
    pr = ctx.state.pull(ctx.repo(), ctx.int_param("number"))
    if pr is None:
        raise not_found()
    return pr


def announce_push(ctx: Ctx, repo: Repo, *, branch: str, old: str | None, new: str, sender: Actor) -> None:
    """A push moved `branch`: every open PR whose head it is gets pull_request.synchronize."""
    if old == new:
        return
    for pr in ctx.state.pulls.get(repo.id, []):
        if pr.state != "open" or pr.head_ref != branch:
            continue
        before = pr.head_sha
        pr.head_sha = new
        pr.updated_at = ctx.state.now()
        ctx.state.refresh_pull(pr)
        ctx.emit("pull_request", payloads.pull_request_event(ctx.base, "synchronize", pr, sender,
                                                             before=before, after=new))


def create_pull(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    data = ctx.json()
    title, head, base = data.get("title"), data.get("head"), data.get("base")
    if not isinstance(head, str) or not head:
        raise missing_field("PullRequest", "head")
    if not isinstance(base, str) or not base:
        raise missing_field("PullRequest", "base")
    if not isinstance(title, str) or not title:
        raise missing_field("PullRequest", "title")
    owner, _, branch = head.rpartition(":")
    head_repo = None
    if owner and owner.lower() != repo.owner.login.lower():
        head_repo = routes_forks.fork_of(ctx, repo, owner)
        if head_repo is None:  # GitHub answers an unknown head this way
            raise validation_failed({"resource": "PullRequest", "field": "head", "code": "invalid"})
        branch = routes_forks.git_branch(head_repo, branch)
    head_sha = gitrepo.branch_sha(repo.path, branch)
    if head_sha is None:
        raise validation_failed({"resource": "PullRequest", "field": "head", "code": "invalid"})
    base_sha = gitrepo.branch_sha(repo.path, base)
    if base_sha is None:
        raise validation_failed({"resource": "PullRequest", "field": "base", "code": "invalid"})
    for other in ctx.state.pulls[repo.id]:
        if other.state == "open" and other.head_ref == branch and other.base_ref == base:
            message = f"A pull request already exists for {repo.owner.login}:{branch}."
            raise validation_failed({"resource": "PullRequest", "code": "custom", "message": message})
    if gitrepo.is_ancestor(repo.path, head_sha, base_sha):
        raise validation_failed({"resource": "PullRequest", "code": "custom",
                                 "message": f"No commits between {base} and {branch}"})
    body = data.get("body")
    _check_body(body, "PullRequest")
    now = ctx.state.now()
    pr = Pull(
        id=ctx.state.next_id(), number=repo.next_number, repo=repo, title=title,
        body=body if isinstance(body, str) else None, head_ref=branch, head_sha=head_sha,
        base_ref=base, base_sha=base_sha, user=acting_user(ctx, DEFAULT_USER),
        draft=bool(data.get("draft", False)), created_at=now, updated_at=now, head_repo=head_repo,
    )
    repo.next_number += 1
    ctx.state.refresh_pull(pr)
    ctx.state.pulls[repo.id].append(pr)
    ctx.emit("pull_request", payloads.pull_request_event(ctx.base, "opened", pr, pr.user))
    url = f"{ctx.base}/repos/{repo.full_name}/pulls/{pr.number}"
    return Resp(201, payloads.pull_request(ctx.base, pr), {"location": url})


def _check_body(body: Any, resource: str) -> None:
    if body is not None and not isinstance(body, str):
        raise invalid_request("For 'properties/body', is not a string or null.")
    if isinstance(body, str) and len(body) > MAX_BODY_CHARS:
        raise validation_failed({"resource": resource, "code": "custom", "field": "body",
                                 "message": "body is too long (maximum is 65536 characters)"})


def list_pulls(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    state = ctx.query.get("state", "open")
    head = ctx.query.get("head")
    base = ctx.query.get("base")
    out = []
    for pr in ctx.state.pulls[repo.id]:
        if state not in ("all", pr.state):
            continue
        if head and head.rpartition(":")[2] != pr.head_ref:
            continue
        if base and base != pr.base_ref:
            continue
        out.append(pr)
    out.reverse()  # newest first, GitHub's default sort
    return paginated(ctx, out, lambda pr: payloads.pull_request(ctx.base, pr))


def get_pull_request(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    ctx.state.refresh_pull(pr)
    if ctx.accepts("application/vnd.github.diff", "application/vnd.github.v3.diff"):
        return _diff_response(ctx, pr)
    if ctx.accepts("application/vnd.github.patch", "application/vnd.github.v3.patch"):
        raise ApiError(415, "Unsupported 'Accept' header: the sandbox serves the diff media type only")
    return Resp(200, payloads.pull_request(ctx.base, pr))


def _diff_response(ctx: Ctx, pr: Pull) -> Resp:
    d = ctx.state.diff(pr.repo, pr.base_sha, pr.head_sha)
    if len(d.files) > DIFF_MAX_FILES:
        raise _too_large(f"Sorry, the diff exceeded the maximum number of files ({DIFF_MAX_FILES}). "
                         "Consider using 'List pull requests files' API or locally cloning the repository "
                         "instead.")
    if d.text.count("\n") > DIFF_MAX_LINES:
        raise _too_large(f"Sorry, the diff exceeded the maximum number of lines ({DIFF_MAX_LINES}). "
                         "Consider using 'List pull requests files' API or locally cloning the repository "
                         "instead.")
    return Resp(200, d.text, {"x-github-media-type": "github.v3; param=diff"},
                media="application/vnd.github.diff; charset=utf-8")


def _too_large(message: str) -> ApiError:
    return ApiError(406, message, errors=[{"resource": "PullRequest", "field": "diff", "code": "too_large"}],
                    docs="https://docs.github.com/rest/pulls/pulls#get-a-pull-request")


def update_pull(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    data = ctx.json()
    sender = acting_user(ctx, pr.user.login)
    changes: dict[str, Any] = {}
    if "title" in data and data["title"] != pr.title:
        if not isinstance(data["title"], str) or not data["title"]:
            raise missing_field("PullRequest", "title")
        changes["title"] = {"from": pr.title}
        pr.title = data["title"]
    if "body" in data and data["body"] != pr.body:
        _check_body(data["body"], "PullRequest")
        changes["body"] = {"from": pr.body or ""}
        pr.body = data["body"]
    if "base" in data and data["base"] != pr.base_ref:
        new_base = data["base"]
        sha = gitrepo.branch_sha(pr.repo.path, new_base) if isinstance(new_base, str) else None
        if sha is None:
            raise validation_failed({"resource": "PullRequest", "field": "base", "code": "invalid"})
        changes["base"] = {"ref": {"from": pr.base_ref}, "sha": {"from": pr.base_sha}}
        pr.base_ref = new_base
        pr.base_sha = sha
    action: str | None = None
    if "state" in data and data["state"] != pr.state:
        if data["state"] not in ("open", "closed"):
            raise invalid_request(f"For 'properties/state', \"{data['state']}\" is not a possible value.")
        action = "closed" if data["state"] == "closed" else "reopened"
        pr.state = data["state"]
        tip = gitrepo.branch_sha(pr.repo.path, pr.head_ref)
        if action == "reopened" and tip:
            pr.head_sha = tip  # pushes while closed sent no synchronize; reopening picks them up
        pr.closed_at = ctx.state.now() if pr.state == "closed" else None
    if changes or action:
        pr.updated_at = ctx.state.now()
        ctx.state.refresh_pull(pr)
    if changes:
        ctx.emit("pull_request", payloads.pull_request_event(ctx.base, "edited", pr, sender, changes=changes))
    if action:
        ctx.emit("pull_request", payloads.pull_request_event(ctx.base, action, pr, sender))
    return Resp(200, payloads.pull_request(ctx.base, pr))


def list_files(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    d = ctx.state.diff(pr.repo, pr.base_sha, pr.head_sha)
    files = d.files[:FILES_LIST_CAP]

    def render(change: gitrepo.RawChange) -> Any:
        patch_ok = (not change.binary and bool(change.patch)
                    and change.patch.count("\n") < FILE_PATCH_MAX_LINES
                    and len(change.patch.encode()) <= FILE_PATCH_MAX_BYTES)
        return payloads.diff_entry(ctx.base, pr.repo, pr.head_sha, change, with_patch=patch_ok)

    return paginated(ctx, files, render)


def list_commits(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    d = ctx.state.diff(pr.repo, pr.base_sha, pr.head_sha)
    shas = gitrepo.rev_list(pr.repo.path, pr.head_sha, d.base, limit=COMMITS_LIST_CAP)
    infos = gitrepo.read_commits(pr.repo.path, shas)
    return paginated(ctx, infos, lambda info: payloads.commit(
        ctx.base, pr.repo, info, ctx.state.commit_logins.get(info.sha)))


# -- labels (PRs are issues) ----------------------------------------------------


def add_labels(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    data = ctx.json_any()
    names = data.get("labels") if isinstance(data, dict) else data
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not all(isinstance(n, str | dict) for n in names):
        raise invalid_request("For 'properties/labels', is not an array.")
    sender = acting_user(ctx, pr.repo.owner.login)
    for item in names:
        name = item if isinstance(item, str) else str(item.get("name", ""))
        if not name:
            continue
        lab = _label(ctx, pr.repo, name)
        if all(existing.id != lab.id for existing in pr.labels):
            pr.labels.append(lab)
            pr.updated_at = ctx.state.now()
            ctx.emit("pull_request", payloads.pull_request_event(
                ctx.base, "labeled", pr, sender, label=payloads.label(ctx.base, pr.repo, lab)))
    return Resp(200, [payloads.label(ctx.base, pr.repo, lab) for lab in pr.labels])


def _label(ctx: Ctx, repo: Repo, name: str) -> Label:
    lab = repo.labels.get(name.lower())
    if lab is None:
        lab = Label(ctx.state.next_id(), name)
        repo.labels[name.lower()] = lab
    return lab


def list_labels(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    return paginated(ctx, pr.labels, lambda lab: payloads.label(ctx.base, pr.repo, lab))


def remove_label(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    name = ctx.params["name"].lower()
    kept = [lab for lab in pr.labels if lab.name.lower() != name]
    if len(kept) == len(pr.labels):
        raise ApiError(404, "Label does not exist")
    removed = next(lab for lab in pr.labels if lab.name.lower() == name)
    pr.labels = kept
    ctx.emit("pull_request", payloads.pull_request_event(
        ctx.base, "unlabeled", pr, acting_user(ctx, pr.repo.owner.login),
        label=payloads.label(ctx.base, pr.repo, removed)))
    return Resp(200, [payloads.label(ctx.base, pr.repo, lab) for lab in pr.labels])


# -- conversation comments --------------------------------------------------------


def create_issue_comment(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    body = ctx.json().get("body")
    if not isinstance(body, str) or not body:
        raise missing_field("IssueComment", "body")
    _check_body(body, "IssueComment")
    now = ctx.state.now()
    # An installation token acts as the app's bot; X-Sandbox-User stands in for a person.
    comment = IssueComment(ctx.state.next_id(), pr, acting_user(ctx, ctx.state.app.bot.login), body, now, now)
    ctx.state.issue_comments.append(comment)
    pr.comments += 1
    ctx.emit("issue_comment", payloads.issue_comment_event(ctx.base, "created", comment))
    return Resp(201, payloads.issue_comment(ctx.base, comment))


def list_issue_comments(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    items = [c for c in ctx.state.issue_comments if c.pull is pr]
    return paginated(ctx, items, lambda c: payloads.issue_comment(ctx.base, c))


def _issue_comment(ctx: Ctx) -> IssueComment:
    repo = ctx.repo()
    cid = ctx.int_param("comment_id")
    for c in ctx.state.issue_comments:
        if c.id == cid and c.pull.repo is repo:
            return c
    raise not_found()


def get_issue_comment(ctx: Ctx) -> Resp:
    return Resp(200, payloads.issue_comment(ctx.base, _issue_comment(ctx)))


def update_issue_comment(ctx: Ctx) -> Resp:
    comment = _issue_comment(ctx)
    body = ctx.json().get("body")
    if not isinstance(body, str) or not body:
        raise missing_field("IssueComment", "body")
    _check_body(body, "IssueComment")
    comment.body = body
    comment.updated_at = ctx.state.now()
    return Resp(200, payloads.issue_comment(ctx.base, comment))


def delete_issue_comment(ctx: Ctx) -> Resp:
    comment = _issue_comment(ctx)
    ctx.state.issue_comments.remove(comment)
    comment.pull.comments -= 1
    return Resp(204)


def set_draft(ctx: Ctx) -> Resp:
    """/_sandbox/: mark a PR ready for review or convert it to a draft (GraphQL-only on GitHub)."""
    pr = get_pull(ctx)
    draft = ctx.json().get("draft")
    if not isinstance(draft, bool):
        raise validation_failed({"resource": "PullRequest", "field": "draft", "code": "invalid"})
    if draft != pr.draft:
        pr.draft = draft
        pr.updated_at = ctx.state.now()
        action = "converted_to_draft" if draft else "ready_for_review"
        ctx.emit("pull_request", payloads.pull_request_event(ctx.base, action, pr,
                                                             acting_user(ctx, pr.user.login)))
    return Resp(200, payloads.pull_request(ctx.base, pr))
