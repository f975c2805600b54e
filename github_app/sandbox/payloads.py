"""Pure builders of GitHub-shaped JSON: the REST answers and the webhook payloads.

Shapes follow the recorded real responses and deliveries under shared/github/ and
carry every field githubkit's models require. API and HTML URLs both point at the
sandbox (`base`), the way GitHub Enterprise Server serves both from one host.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from github_app.sandbox import gitrepo
from github_app.sandbox.records import (
    Actor,
    CheckRun,
    Installation,
    IssueComment,
    Label,
    Pull,
    Repo,
    Review,
    ReviewComment,
)

JSON = dict[str, Any]

APP_PERMISSIONS = {
    "checks": "write",
    "contents": "read",
    "issues": "write",
    "metadata": "read",
    "pull_requests": "write",
}
APP_EVENTS = ["check_run", "check_suite", "issue_comment", "pull_request"]


@dataclass(frozen=True)
class AppInfo:
    id: int
    slug: str
    owner: Actor

    @property
    def bot(self) -> Actor:
        return Actor(f"{self.slug}[bot]", bot_id(self.id))


def bot_id(app_id: int) -> int:
    # Bot accounts have their own user id; derive a stable one from the app id.
    return 41_000_000 + app_id


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_now(ts: float) -> str:
    return iso(ts) or ""


def node_id(kind: str, ident: int | str) -> str:
    return base64.b64encode(f"0:{kind}{ident}".encode()).decode().rstrip("=")


def user(base: str, actor: Actor) -> JSON:
    login = actor.login
    api = f"{base}/users/{login}"
    html = f"{base}/apps/{login.removesuffix('[bot]')}" if actor.type == "Bot" else f"{base}/{login}"
    return {
        "login": login,
        "id": actor.id,
        "node_id": node_id("User" if actor.type == "User" else "Bot", actor.id),
        "avatar_url": f"{base}/avatars/u/{actor.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": html,
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": actor.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def repository(base: str, repo: Repo, *, open_issues: int = 0) -> JSON:
    full = repo.full_name
    api = f"{base}/repos/{full}"
    return {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": full,
        "private": False,
        "owner": user(base, repo.owner),
        "html_url": f"{base}/{full}",
        "description": None,
        "fork": False,
        "url": api,
        "forks_url": f"{api}/forks",
        "keys_url": f"{api}/keys{{/key_id}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "teams_url": f"{api}/teams",
        "hooks_url": f"{api}/hooks",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "events_url": f"{api}/events",
        "assignees_url": f"{api}/assignees{{/user}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "tags_url": f"{api}/tags",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "languages_url": f"{api}/languages",
        "stargazers_url": f"{api}/stargazers",
        "contributors_url": f"{api}/contributors",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "comments_url": f"{api}/comments{{/number}}",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "merges_url": f"{api}/merges",
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{api}/downloads",
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "labels_url": f"{api}/labels{{/name}}",
        "releases_url": f"{api}/releases{{/id}}",
        "deployments_url": f"{api}/deployments",
        "created_at": iso(repo.created_at),
        "updated_at": iso(repo.pushed_at),
        "pushed_at": iso(repo.pushed_at),
        "git_url": f"{base.replace('http', 'git', 1)}/{full}.git",
        "ssh_url": f"git@sandbox:{full}.git",
        "clone_url": f"{base}/{full}.git",
        "svn_url": f"{base}/{full}",
        "mirror_url": None,
        "homepage": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": None,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": True,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "archived": False,
        "disabled": False,
        "open_issues_count": open_issues,
        "license": None,
        "allow_forking": True,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": [],
        "visibility": "public",
        "forks": 0,
        "open_issues": open_issues,
        "watchers": 0,
        "default_branch": repo.default_branch,
        "subscribers_count": 0,
        "network_count": 0,
        "custom_properties": {},
    }


def app(base: str, info: AppInfo, created_at: float) -> JSON:
    return {
        "id": info.id,
        "slug": info.slug,
        "client_id": f"Iv1.sandbox{info.id}",
        "node_id": node_id("Integration", info.id),
        "owner": user(base, info.owner),
        "name": info.slug,
        "description": "prodready (sandbox registration)",
        "external_url": f"{base}/apps/{info.slug}",
        "html_url": f"{base}/apps/{info.slug}",
        "created_at": iso(created_at),
        "updated_at": iso(created_at),
        "permissions": dict(APP_PERMISSIONS),
        "events": list(APP_EVENTS),
        "installations_count": 1,
    }


def installation(base: str, inst: Installation, info: AppInfo) -> JSON:
    return {
        "id": inst.id,
        "account": user(base, inst.account),
        "repository_selection": "all",
        "access_tokens_url": f"{base}/app/installations/{inst.id}/access_tokens",
        "repositories_url": f"{base}/installation/repositories",
        "html_url": f"{base}/settings/installations/{inst.id}",
        "app_id": info.id,
        "app_slug": info.slug,
        "target_id": inst.account.id,
        "target_type": "User",
        "permissions": dict(APP_PERMISSIONS),
        "events": list(APP_EVENTS),
        "created_at": iso(inst.created_at),
        "updated_at": iso(inst.created_at),
        "single_file_name": None,
        "has_multiple_single_files": False,
        "single_file_paths": [],
        "suspended_by": None,
        "suspended_at": None,
    }


def installation_token(token: str, expires_at: float, permissions: dict[str, str]) -> JSON:
    return {
        "token": token,
        "expires_at": iso(expires_at),
        "permissions": permissions,
        "repository_selection": "all",
    }


def label(base: str, repo: Repo, lab: Label) -> JSON:
    return {
        "id": lab.id,
        "node_id": node_id("Label", lab.id),
        "url": f"{base}/repos/{repo.full_name}/labels/{lab.name}",
        "name": lab.name,
        "color": lab.color,
        "default": False,
        "description": lab.description,
        "archived_at": None,
        "archived_by": None,
    }


def _branch(base: str, pr: Pull, ref: str, sha: str) -> JSON:
    repo = pr.head_repo if pr.head_repo is not None and ref == pr.head_ref else pr.repo
    if repo is not pr.repo:
        ref = ref.split("/", 2)[2]  # forks/<owner>/<branch> in the shared git is <branch> in the fork
    return {
        "label": f"{repo.owner.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(base, repo.owner),
        "repo": repository(base, repo),
    }


def pull_request(base: str, pr: Pull) -> JSON:
    full = pr.repo.full_name
    api = f"{base}/repos/{full}"
    html = f"{base}/{full}/pull/{pr.number}"
    merged = False
    return {
        "url": f"{api}/pulls/{pr.number}",
        "id": pr.id,
        "node_id": node_id("PullRequest", pr.id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{api}/issues/{pr.number}",
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": user(base, pr.user),
        "body": pr.body,
        "created_at": iso(pr.created_at),
        "updated_at": iso(pr.updated_at),
        "closed_at": iso(pr.closed_at),
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [label(base, pr.repo, lab) for lab in pr.labels],
        "milestone": None,
        "draft": pr.draft,
        "commits_url": f"{api}/pulls/{pr.number}/commits",
        "review_comments_url": f"{api}/pulls/{pr.number}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{pr.number}/comments",
        "statuses_url": f"{api}/statuses/{pr.head_sha}",
        "head": _branch(base, pr, pr.head_ref, pr.head_sha),
        "base": _branch(base, pr, pr.base_ref, pr.base_sha),
        "_links": {
            "self": {"href": f"{api}/pulls/{pr.number}"},
            "html": {"href": html},
            "issue": {"href": f"{api}/issues/{pr.number}"},
            "comments": {"href": f"{api}/issues/{pr.number}/comments"},
            "review_comments": {"href": f"{api}/pulls/{pr.number}/comments"},
            "review_comment": {"href": f"{api}/pulls/comments{{/number}}"},
            "commits": {"href": f"{api}/pulls/{pr.number}/commits"},
            "statuses": {"href": f"{api}/statuses/{pr.head_sha}"},
        },
        "author_association": "OWNER" if pr.user.login == pr.repo.owner.login else "CONTRIBUTOR",
        "auto_merge": None,
        "active_lock_reason": None,
        "merged": merged,
        # GitHub computes mergeability lazily; the sandbox never has conflicts to report.
        "mergeable": pr.state == "open",
        "rebaseable": pr.state == "open",
        "mergeable_state": "clean" if pr.state == "open" else "unknown",
        "merged_by": None,
        "comments": pr.comments,
        "review_comments": pr.review_comments,
        "maintainer_can_modify": False,
        "commits": pr.commits,
        "additions": pr.additions,
        "deletions": pr.deletions,
        "changed_files": pr.changed_files,
    }


def pull_request_minimal(base: str, pr: Pull) -> JSON:
    def side(ref: str, sha: str) -> JSON:
        return {"ref": ref, "sha": sha, "repo": {"id": pr.repo.id, "url": f"{base}/repos/{pr.repo.full_name}",
                                                 "name": pr.repo.name}}

    return {
        "id": pr.id,
        "number": pr.number,
        "url": f"{base}/repos/{pr.repo.full_name}/pulls/{pr.number}",
        "head": side(pr.head_ref, pr.head_sha),
        "base": side(pr.base_ref, pr.base_sha),
    }


def issue(base: str, pr: Pull) -> JSON:
    """The issue half of a PR, as issue_comment deliveries carry it."""
    full = pr.repo.full_name
    api = f"{base}/repos/{full}"
    return {
        "url": f"{api}/issues/{pr.number}",
        "repository_url": api,
        "labels_url": f"{api}/issues/{pr.number}/labels{{/name}}",
        "comments_url": f"{api}/issues/{pr.number}/comments",
        "events_url": f"{api}/issues/{pr.number}/events",
        "html_url": f"{base}/{full}/pull/{pr.number}",
        "id": pr.id + 500_000_000,
        "node_id": node_id("Issue", pr.id),
        "number": pr.number,
        "title": pr.title,
        "user": user(base, pr.user),
        "labels": [label(base, pr.repo, lab) for lab in pr.labels],
        "state": pr.state,
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": pr.comments,
        "created_at": iso(pr.created_at),
        "updated_at": iso(pr.updated_at),
        "closed_at": iso(pr.closed_at),
        "author_association": "OWNER" if pr.user.login == pr.repo.owner.login else "CONTRIBUTOR",
        "active_lock_reason": None,
        "draft": pr.draft,
        "pull_request": {
            "url": f"{api}/pulls/{pr.number}",
            "html_url": f"{base}/{full}/pull/{pr.number}",
            "diff_url": f"{base}/{full}/pull/{pr.number}.diff",
            "patch_url": f"{base}/{full}/pull/{pr.number}.patch",
            "merged_at": None,
        },
        "body": pr.body,
        "reactions": _reactions(f"{api}/issues/{pr.number}/reactions"),
        "timeline_url": f"{api}/issues/{pr.number}/timeline",
        "performed_via_github_app": None,
        "state_reason": None,
    }


def _reactions(url: str) -> JSON:
    return {"url": url, "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0,
            "heart": 0, "rocket": 0, "eyes": 0}


def diff_entry(base: str, repo: Repo, head_sha: str, change: gitrepo.RawChange, *, with_patch: bool) -> JSON:
    status = {"A": "added", "D": "removed", "M": "modified", "R": "renamed", "C": "copied", "T": "changed"}
    full = repo.full_name
    path = change.path
    blob = change.old_sha if change.status == "D" else change.new_sha
    out: JSON = {
        "sha": blob,
        "filename": path,
        "status": status.get(change.status, "modified"),
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.additions + change.deletions,
        "blob_url": f"{base}/{full}/blob/{head_sha}/{path}",
        "raw_url": f"{base}/{full}/raw/{head_sha}/{path}",
        "contents_url": f"{base}/repos/{full}/contents/{path}?ref={head_sha}",
    }
    if with_patch:
        out["patch"] = change.patch
    if change.old_path is not None:
        out["previous_filename"] = change.old_path
    return out


def _git_person(who: gitrepo.Person) -> JSON:
    return {"name": who.name, "email": who.email, "date": iso(who.timestamp)}


def commit(base: str, repo: Repo, info: gitrepo.CommitInfo, login: Actor | None, *,
           files: list[JSON] | None = None, stats: JSON | None = None) -> JSON:
    full = repo.full_name
    api = f"{base}/repos/{full}"
    gh_user = user(base, login) if login else None
    out: JSON = {
        "url": f"{api}/commits/{info.sha}",
        "sha": info.sha,
        "node_id": node_id("Commit", info.sha[:12]),
        "html_url": f"{base}/{full}/commit/{info.sha}",
        "comments_url": f"{api}/commits/{info.sha}/comments",
        "commit": {
            "url": f"{api}/git/commits/{info.sha}",
            "author": _git_person(info.author),
            "committer": _git_person(info.committer),
            "message": info.message,
            "comment_count": 0,
            "tree": {"sha": info.tree, "url": f"{api}/git/trees/{info.tree}"},
            "verification": _unsigned(),
        },
        "author": gh_user,
        "committer": gh_user,
        "parents": [{"sha": p, "url": f"{api}/commits/{p}", "html_url": f"{base}/{full}/commit/{p}"}
                    for p in info.parents],
    }
    if files is not None:
        out["files"] = files
    if stats is not None:
        out["stats"] = stats
    return out


def _unsigned() -> JSON:
    return {"verified": False, "reason": "unsigned", "signature": None, "payload": None, "verified_at": None}


def git_commit(base: str, repo: Repo, info: gitrepo.CommitInfo) -> JSON:
    """The git-data commit object of a contents-API write."""
    api = f"{base}/repos/{repo.full_name}"
    return {
        "sha": info.sha,
        "node_id": node_id("Commit", info.sha[:12]),
        "url": f"{api}/git/commits/{info.sha}",
        "html_url": f"{base}/{repo.full_name}/commit/{info.sha}",
        "author": _git_person(info.author),
        "committer": _git_person(info.committer),
        "message": info.message,
        "tree": {"sha": info.tree, "url": f"{api}/git/trees/{info.tree}"},
        "parents": [{"sha": p, "url": f"{api}/git/commits/{p}",
                     "html_url": f"{base}/{repo.full_name}/commit/{p}"} for p in info.parents],
        "verification": _unsigned(),
    }


def _content_links(base: str, repo: Repo, entry: gitrepo.TreeEntry, ref: str) -> JSON:
    full = repo.full_name
    kind = "tree" if entry.type == "tree" else "blob"
    git_kind = "trees" if entry.type == "tree" else "blobs"
    return {
        "url": f"{base}/repos/{full}/contents/{entry.path}?ref={ref}",
        "git_url": f"{base}/repos/{full}/git/{git_kind}/{entry.sha}",
        "html_url": f"{base}/{full}/{kind}/{ref}/{entry.path}",
        "download_url": f"{base}/{full}/raw/{ref}/{entry.path}" if entry.type == "blob" else None,
    }


def content_item(base: str, repo: Repo, entry: gitrepo.TreeEntry, ref: str) -> JSON:
    links = _content_links(base, repo, entry, ref)
    kind = {"blob": "file", "tree": "dir", "commit": "submodule"}.get(entry.type, "file")
    if entry.mode == "120000":
        kind = "symlink"
    return {
        "type": kind,
        "size": max(entry.size, 0),
        "name": entry.path.rsplit("/", 1)[-1],
        "path": entry.path,
        "sha": entry.sha,
        **links,
        "_links": {"self": links["url"], "git": links["git_url"], "html": links["html_url"]},
    }


def content_file(base: str, repo: Repo, entry: gitrepo.TreeEntry, ref: str, data: bytes | None) -> JSON:
    """A file of the contents API; data None means too large to inline (GitHub's "none")."""
    out = content_item(base, repo, entry, ref)
    out["type"] = "file"
    if data is None:
        out["encoding"] = "none"
        out["content"] = ""
    else:
        out["encoding"] = "base64"
        encoded = base64.b64encode(data).decode()
        # GitHub wraps base64 content at 60 characters, like `base64` on the command line.
        out["content"] = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
    return out


def git_ref(base: str, repo: Repo, ref: str, sha: str) -> JSON:
    api = f"{base}/repos/{repo.full_name}"
    return {
        "ref": ref,
        "node_id": node_id("Ref", hashlib.sha1(ref.encode(), usedforsecurity=False).hexdigest()[:12]),
        "url": f"{api}/git/{ref}",
        "object": {"type": "commit", "sha": sha, "url": f"{api}/git/commits/{sha}"},
    }


def review(base: str, rev: Review) -> JSON:
    pr = rev.pull
    full = pr.repo.full_name
    html = f"{base}/{full}/pull/{pr.number}#pullrequestreview-{rev.id}"
    pr_url = f"{base}/repos/{full}/pulls/{pr.number}"
    out: JSON = {
        "id": rev.id,
        "node_id": node_id("PullRequestReview", rev.id),
        "user": user(base, rev.user),
        "body": rev.body,
        "state": rev.state,
        "html_url": html,
        "pull_request_url": pr_url,
        "_links": {"html": {"href": html}, "pull_request": {"href": pr_url}},
        "commit_id": rev.commit_id,
        "author_association": "NONE",
    }
    if rev.submitted_at is not None:
        out["submitted_at"] = iso(rev.submitted_at)
    return out


def review_comment(base: str, c: ReviewComment) -> JSON:
    pr = c.review.pull
    full = pr.repo.full_name
    url = f"{base}/repos/{full}/pulls/comments/{c.id}"
    html = f"{base}/{full}/pull/{pr.number}#discussion_r{c.id}"
    pr_url = f"{base}/repos/{full}/pulls/{pr.number}"
    out: JSON = {
        "url": url,
        "pull_request_review_id": c.review.id,
        "id": c.id,
        "node_id": node_id("PullRequestReviewComment", c.id),
        "diff_hunk": c.diff_hunk,
        "path": c.path,
        "position": c.position,
        "original_position": c.position,
        "commit_id": c.commit_id,
        "original_commit_id": c.commit_id,
        "user": user(base, c.review.user),
        "body": c.body,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at or c.created_at),
        "html_url": html,
        "pull_request_url": pr_url,
        "author_association": "NONE",
        "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pr_url}},
        "start_line": c.start_line,
        "original_start_line": c.start_line,
        "start_side": c.start_side,
        "line": c.line,
        "original_line": c.line,
        "side": c.side,
        "subject_type": c.subject_type,
        "reactions": _reactions(f"{url}/reactions"),
    }
    if c.in_reply_to_id is not None:
        out["in_reply_to_id"] = c.in_reply_to_id
    return out


def issue_comment(base: str, c: IssueComment) -> JSON:
    full = c.pull.repo.full_name
    url = f"{base}/repos/{full}/issues/comments/{c.id}"
    return {
        "id": c.id,
        "node_id": node_id("IssueComment", c.id),
        "url": url,
        "html_url": f"{base}/{full}/pull/{c.pull.number}#issuecomment-{c.id}",
        "body": c.body,
        "user": user(base, c.user),
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
        "issue_url": f"{base}/repos/{full}/issues/{c.pull.number}",
        "author_association": "OWNER" if c.user.login == c.pull.repo.owner.login else "NONE",
        "performed_via_github_app": None,
        "reactions": _reactions(f"{url}/reactions"),
    }


def check_run(base: str, run: CheckRun, info: AppInfo, app_created: float, prs: list[Pull]) -> JSON:
    full = run.repo.full_name
    url = f"{base}/repos/{full}/check-runs/{run.id}"
    return {
        "id": run.id,
        "head_sha": run.head_sha,
        "node_id": node_id("CheckRun", run.id),
        "external_id": run.external_id or "",
        "url": url,
        "html_url": f"{base}/{full}/runs/{run.id}",
        "details_url": run.details_url or f"{base}/{full}/runs/{run.id}",
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": iso(run.started_at),
        "completed_at": iso(run.completed_at),
        "output": {
            "title": run.title,
            "summary": run.summary,
            "text": run.text,
            "annotations_count": len(run.annotations),
            "annotations_url": f"{url}/annotations",
        },
        "name": run.name,
        "check_suite": {"id": run.suite_id},
        "app": app(base, info, app_created),
        "pull_requests": [pull_request_minimal(base, pr) for pr in prs],
    }


def annotation(base: str, run: CheckRun, ann: dict[str, Any]) -> JSON:
    return {
        "path": ann["path"],
        "blob_href": f"{base}/{run.repo.full_name}/blob/{run.head_sha}/{ann['path']}",
        "start_line": ann["start_line"],
        "end_line": ann["end_line"],
        "start_column": ann.get("start_column"),
        "end_column": ann.get("end_column"),
        "annotation_level": ann.get("annotation_level"),
        "title": ann.get("title"),
        "message": ann.get("message"),
        "raw_details": ann.get("raw_details"),
    }


# -- webhook payloads -------------------------------------------------------------


def _envelope(base: str, repo: Repo, sender: Actor, installation_id: int) -> JSON:
    return {
        "repository": repository(base, repo),
        "sender": user(base, sender),
        "installation": {"id": installation_id, "node_id": node_id("Installation", installation_id)},
    }


def pull_request_event(base: str, action: str, pr: Pull, sender: Actor, **extra: Any) -> JSON:
    """pull_request.<action>; extra carries before/after (synchronize), changes (edited), label."""
    return {
        "action": action,
        "number": pr.number,
        **extra,
        "pull_request": pull_request(base, pr),
        **_envelope(base, pr.repo, sender, pr.repo.installation_id),
    }


def issue_comment_event(base: str, action: str, c: IssueComment) -> JSON:
    return {
        "action": action,
        "issue": issue(base, c.pull),
        "comment": issue_comment(base, c),
        **_envelope(base, c.pull.repo, c.user, c.pull.repo.installation_id),
    }


def review_comment_event(base: str, action: str, c: ReviewComment) -> JSON:
    pr = c.review.pull
    return {
        "action": action,
        "comment": review_comment(base, c),
        "pull_request": pull_request(base, pr),
        **_envelope(base, pr.repo, c.review.user, pr.repo.installation_id),
    }


def check_suite(base: str, repo: Repo, suite_id: int, *, head_sha: str, head_branch: str | None,
                runs: list[CheckRun], prs: list[Pull], info: AppInfo, app_created: float,
                head_commit: gitrepo.CommitInfo) -> JSON:
    """The check suite of a webhook: one per (repo, head sha) for the app."""
    statuses = {r.status for r in runs}
    status = "queued" if not runs else "completed" if statuses == {"completed"} else "in_progress"
    conclusions = [r.conclusion for r in runs if r.conclusion]
    conclusion = None
    if status == "completed":
        conclusion = "failure" if "failure" in conclusions else conclusions[-1] if conclusions else "neutral"
    api = f"{base}/repos/{repo.full_name}/check-suites/{suite_id}"
    created = min((r.started_at for r in runs), default=head_commit.committer.timestamp)
    return {
        "id": suite_id,
        "node_id": node_id("CheckSuite", suite_id),
        "head_branch": head_branch,
        "head_sha": head_sha,
        "status": status,
        "conclusion": conclusion,
        "url": api,
        "before": head_commit.parents[0] if head_commit.parents else None,
        "after": head_sha,
        "pull_requests": [pull_request_minimal(base, pr) for pr in prs],
        "app": app(base, info, app_created),
        "created_at": iso(created),
        "updated_at": iso(max((r.completed_at or r.started_at for r in runs), default=created)),
        "rerequestable": True,
        "runs_rerequestable": True,
        "latest_check_runs_count": len(runs),
        "check_runs_url": f"{api}/check-runs",
        "head_commit": {
            "id": head_commit.sha,
            "tree_id": head_commit.tree,
            "message": head_commit.message,
            "timestamp": iso(head_commit.committer.timestamp),
            "author": {"name": head_commit.author.name, "email": head_commit.author.email},
            "committer": {"name": head_commit.committer.name, "email": head_commit.committer.email},
        },
    }


def check_run_event(base: str, action: str, run_json: JSON, *, suite_json: JSON, repo: Repo,
                    sender: Actor, requested_action: str | None = None) -> JSON:
    """check_run.<action>: the run as the REST API shows it, with its suite expanded."""
    body: JSON = {"action": action, "check_run": {**run_json, "check_suite": suite_json}}
    if requested_action is not None:
        body["requested_action"] = {"identifier": requested_action}
    return {**body, **_envelope(base, repo, sender, repo.installation_id)}


def check_suite_event(base: str, action: str, suite_json: JSON, repo: Repo, sender: Actor) -> JSON:
    envelope = _envelope(base, repo, sender, repo.installation_id)
    return {"action": action, "check_suite": suite_json, **envelope}


def comparison(base: str, repo: Repo, basehead: str, *, base_commit: JSON, merge_base_commit: JSON,
               commits: list[JSON], files: list[JSON], ahead: int, behind: int) -> JSON:
    status = "identical" if not ahead and not behind else "ahead" if not behind else (
        "behind" if not ahead else "diverged")
    html = f"{base}/{repo.full_name}/compare/{basehead}"
    return {
        "url": f"{base}/repos/{repo.full_name}/compare/{basehead}",
        "html_url": html,
        "permalink_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "base_commit": base_commit,
        "merge_base_commit": merge_base_commit,
        "status": status,
        "ahead_by": ahead,
        "behind_by": behind,
        "total_commits": len(commits),
        "commits": commits,
        "files": files,
    }


def rate_limit(limit: int, remaining: int, used: int, reset: int) -> JSON:
    core = {"limit": limit, "remaining": remaining, "used": used, "reset": reset, "resource": "core"}
    other = {"limit": 30, "remaining": 30, "used": 0, "reset": reset}
    return {
        "resources": {"core": core, "search": {**other, "resource": "search"},
                      "graphql": {**core, "resource": "graphql"}},
        "rate": core,
    }
