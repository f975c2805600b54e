"""Forks and the PRs they open, modelled as GitHub stores them.

A fork shares its parent's git objects (GitHub keeps a fork network in one object store); its
branches live in the parent's git under `refs/heads/forks/<fork owner>/<branch>`, as GitHub keeps a
fork PR's head under the parent's `refs/pull/N/head`. The fork belongs to no installation of the app,
so the app cannot read it, and check_run / check_suite payloads for a fork PR's head carry
`pull_requests: []` (github-api-facts.md surprise 8).
"""

from __future__ import annotations

from github_app.sandbox import payloads
from github_app.sandbox.api import ApiError, Ctx, Resp, not_found, paginated
from github_app.sandbox.records import Repo

NO_INSTALLATION = 0


def git_branch(repo: Repo, branch: str) -> str:
    """Where a branch of `repo` lives in the shared git directory."""
    return f"forks/{repo.owner.login}/{branch}" if repo.fork_of is not None else branch


def fork_of(ctx: Ctx, parent: Repo, owner: str) -> Repo | None:
    fork = ctx.state.find_repo(owner, parent.name)
    return fork if fork is not None and fork.fork_of is parent else None


def create_fork(ctx: Ctx) -> Resp:
    """/_sandbox/: POST {"owner": login} forks the repository to that account."""
    parent = ctx.state.find_repo(ctx.params["owner"], ctx.params["repo"])
    if parent is None:
        raise not_found()
    owner = ctx.json().get("owner")
    if not isinstance(owner, str) or not owner or owner.lower() == parent.owner.login.lower():
        raise ApiError(422, "owner must be another account")
    if ctx.state.find_repo(owner, parent.name) is not None:
        raise ApiError(422, f"{owner}/{parent.name} exists")
    now = ctx.state.now()
    fork = Repo(ctx.state.next_id(), ctx.state.actor(owner), parent.name, parent.path, parent.default_branch,
                NO_INSTALLATION, now, now, fork_of=parent)
    ctx.state.repos[(owner.lower(), parent.name.lower())] = fork
    return Resp(201, {"full_name": fork.full_name, "parent": parent.full_name, "id": fork.id})


def pulls_for_commit(ctx: Ctx) -> Resp:
    """GET /repos/{o}/{r}/commits/{sha}/pulls: PRs whose head is this commit, forks' included."""
    repo = ctx.repo()
    sha = ctx.params["commit_sha"].lower()
    prs = [pr for pr in ctx.state.pulls.get(repo.id, []) if pr.head_sha.startswith(sha)]
    return paginated(ctx, prs, lambda pr: payloads.pull_request(ctx.base, pr))
