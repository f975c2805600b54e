"""The merge queue: /_sandbox/ enqueues PRs; each entry becomes a merge group, as on GitHub.

Entry k's group is the base branch tip with PRs 1..k merged in order, on the temporary branch
`gh-readonly-queue/<base>/pr-<n>-<parent sha>`; GitHub then sends `merge_group.checks_requested`
for it, and the group merges once its required checks pass (not modelled: the sandbox stops at the
delivery and the checks).
"""

from __future__ import annotations

from typing import Any

from github_app.sandbox import gitrepo, payloads
from github_app.sandbox.api import JSON, ApiError, Ctx, Resp, not_found
from github_app.sandbox.records import Pull
from github_app.sandbox.routes_pulls import acting_user

QUEUE_PREFIX = "gh-readonly-queue"


def group_branch(base_ref: str, number: int, parent_sha: str) -> str:
    return f"{QUEUE_PREFIX}/{base_ref}/pr-{number}-{parent_sha}"


def _event(ctx: Ctx, pr: Pull, *, head: str, branch: str, parent: str, sender: Any) -> JSON:
    info = gitrepo.read_commits(pr.repo.path, [head])[0]
    return {
        "action": "checks_requested",
        "merge_group": {
            "head_sha": head,
            "head_ref": f"refs/heads/{branch}",
            "base_sha": parent,
            "base_ref": f"refs/heads/{pr.base_ref}",
            "head_commit": {
                "id": info.sha, "tree_id": info.tree, "message": info.message,
                "timestamp": payloads.iso(info.committer.timestamp),
                "author": {"name": info.author.name, "email": info.author.email},
                "committer": {"name": info.committer.name, "email": info.committer.email},
            },
        },
        "repository": payloads.repository(ctx.base, pr.repo),
        "sender": payloads.user(ctx.base, sender),
        "installation": {"id": pr.repo.installation_id,
                         "node_id": payloads.node_id("Installation", pr.repo.installation_id)},
    }


def enqueue(ctx: Ctx) -> Resp:
    """POST {"pulls": [n, ...]}: queue open PRs (same base) in this order; one group per entry."""
    repo = ctx.state.find_repo(ctx.params["owner"], ctx.params["repo"])
    if repo is None:
        raise not_found()
    numbers = ctx.json().get("pulls")
    if not isinstance(numbers, list) or not numbers or not all(isinstance(n, int) for n in numbers):
        raise ApiError(422, "pulls must be a non-empty list of PR numbers")
    prs = []
    for n in numbers:
        pr = ctx.state.pull(repo, n)
        if pr is None or pr.state != "open":
            raise ApiError(422, f"#{n} is not an open pull request")
        prs.append(pr)
    if len({pr.base_ref for pr in prs}) != 1:
        raise ApiError(422, "the queued pull requests must share one base branch")
    parent = gitrepo.branch_sha(repo.path, prs[0].base_ref)
    if parent is None:
        raise ApiError(422, f"base branch {prs[0].base_ref} not found")
    sender = acting_user(ctx, repo.owner.login)
    person = gitrepo.Person("GitHub", "noreply@github.com", int(ctx.state.now()))
    groups = []
    for pr in prs:
        head_label = f"{(pr.head_repo or repo).owner.login}:{pr.head_ref.split('/', 2)[-1]}"
        head = gitrepo.merge(repo.path, parent, pr.head_sha, person=person,
                             message=f"Merge pull request #{pr.number} from {head_label}\n\n{pr.title}\n")
        if head is None:
            raise ApiError(422, f"#{pr.number} conflicts with the queue ahead of it")
        branch = group_branch(pr.base_ref, pr.number, parent)
        gitrepo.update_ref(repo.path, f"refs/heads/{branch}", head)
        ctx.emit("merge_group", _event(ctx, pr, head=head, branch=branch, parent=parent, sender=sender))
        groups.append({"pull": pr.number, "head_sha": head, "head_ref": f"refs/heads/{branch}", "base_sha": parent})
        parent = head
    return Resp(201, {"groups": groups})
