"""Repository, contents (read and write), commits and git refs."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from github_app.sandbox import gitrepo, payloads
from github_app.sandbox.api import ApiError, Ctx, Resp, invalid_request, missing_field, not_found, paginated
from github_app.sandbox.records import Actor, Repo
from github_app.sandbox.routes_pulls import acting_user, announce_push
from github_app.sandbox.state import RATE_LIMIT

# github-api-facts §3: the JSON contents API inlines files up to 1 MB; 1-100 MB
# only through the raw media type; over 100 MB not at all.
CONTENT_INLINE_MAX = 1024 * 1024
CONTENT_RAW_MAX = 100 * 1024 * 1024
RAW_MEDIA = ("application/vnd.github.raw", "application/vnd.github.v3.raw")


def get_repo(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    open_prs = sum(1 for pr in ctx.state.pulls[repo.id] if pr.state == "open")
    return Resp(200, payloads.repository(ctx.base, repo, open_issues=open_prs))


def _resolve(repo: Repo, ref: str) -> str:
    sha = gitrepo.rev_parse(repo.path, ref)
    if sha is None:
        raise ApiError(404, f"No commit found for the ref {ref}")
    return sha


def get_content(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    ref = ctx.query.get("ref") or repo.default_branch
    sha = _resolve(repo, ref)
    path = ctx.params.get("path", "").strip("/")
    if not path:
        entries = gitrepo.ls_tree(repo.path, sha, "", children=True)
        return Resp(200, [payloads.content_item(ctx.base, repo, e, ref) for e in entries])
    found = gitrepo.ls_tree(repo.path, sha, path, children=False)
    entry = next((e for e in found if e.path == path), None)
    if entry is None:
        raise not_found()
    if entry.type == "tree":
        entries = gitrepo.ls_tree(repo.path, sha, path, children=True)
        return Resp(200, [payloads.content_item(ctx.base, repo, e, ref) for e in entries])
    if entry.type != "blob":
        return Resp(200, payloads.content_item(ctx.base, repo, entry, ref))
    if ctx.accepts(*RAW_MEDIA):
        if entry.size > CONTENT_RAW_MAX:
            raise ApiError(403, "This API returns blobs up to 100 MB in size. The requested blob is too "
                           "large to fetch via the API.",
                           errors=[{"resource": "Blob", "field": "data", "code": "too_large"}])
        # GitHub answers If-None-Match with the current ETag by 304, not counted against the rate limit.
        etag = f'"{entry.sha}"'
        if ctx.headers.get("if-none-match", "") == etag:
            return Resp(304, None, {"etag": etag})
        return Resp(200, gitrepo.read_blob(repo.path, entry.sha),
                    {"x-github-media-type": "github.v3; param=raw", "etag": etag},
                    media="application/vnd.github.raw; charset=utf-8")
    data = gitrepo.read_blob(repo.path, entry.sha) if entry.size <= CONTENT_INLINE_MAX else None
    return Resp(200, payloads.content_file(ctx.base, repo, entry, ref, data))


def _person(value: Any, fallback: Actor, now: float) -> gitrepo.Person:
    if isinstance(value, dict) and isinstance(value.get("name"), str) and isinstance(value.get("email"), str):
        return gitrepo.Person(value["name"], value["email"], int(now))
    noreply = f"{fallback.id}+{fallback.login}@users.noreply.github.com"
    return gitrepo.Person(fallback.login, noreply, int(now))


def put_content(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    path = ctx.params["path"].strip("/")
    data = ctx.json()
    message, content = data.get("message"), data.get("content")
    if not isinstance(message, str) or not message:
        raise missing_field("Commit", "message")
    if not isinstance(content, str):
        raise missing_field("Commit", "content")
    try:
        raw = base64.b64decode(content, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise invalid_request("content is not valid Base64") from exc
    branch = data.get("branch") or repo.default_branch
    tip = gitrepo.branch_sha(repo.path, branch) if isinstance(branch, str) else None
    if tip is None:
        raise ApiError(404, f"Branch {branch} not found")
    found = gitrepo.ls_tree(repo.path, tip, path, children=False)
    existing = next((e for e in found if e.path == path), None)
    if existing is not None and existing.type == "tree":
        raise ApiError(422, f"{path} is a directory")
    if existing is not None:
        if not data.get("sha"):
            raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if data["sha"] != existing.sha:
            raise ApiError(409, f"{path} does not match {data['sha']}")
    # An installation token commits as the app's bot; X-Sandbox-User names a person instead.
    login = acting_user(ctx, ctx.state.app.bot.login)
    now = ctx.state.now()
    author = _person(data.get("author"), login, now)
    committer = _person(data.get("committer"), login, now) if data.get("committer") else author
    old, new = ctx.state.push(repo, branch=branch, start=None, files={path: raw}, message=message,
                              author=author, committer=committer, login=login)
    announce_push(ctx, repo, branch=branch, old=old, new=new, sender=login)
    entry = next(e for e in gitrepo.ls_tree(repo.path, new, path, children=False) if e.path == path)
    info = gitrepo.read_commits(repo.path, [new])[0]
    content_obj = payloads.content_item(ctx.base, repo, entry, branch)
    return Resp(201 if existing is None else 200,
                {"content": content_obj, "commit": payloads.git_commit(ctx.base, repo, info)})


def get_commit(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    ref = ctx.params["ref"]
    sha = gitrepo.rev_parse(repo.path, ref)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {ref}")
    info = gitrepo.read_commits(repo.path, [sha])[0]
    parent = info.parents[0] if info.parents else gitrepo.EMPTY_TREE
    changes = gitrepo.changes(repo.path, parent, sha)
    files = [payloads.diff_entry(ctx.base, repo, sha, c, with_patch=not c.binary and bool(c.patch))
             for c in changes]
    adds = sum(c.additions for c in changes)
    dels = sum(c.deletions for c in changes)
    stats = {"total": adds + dels, "additions": adds, "deletions": dels}
    login = ctx.state.commit_logins.get(sha)
    return Resp(200, payloads.commit(ctx.base, repo, info, login, files=files, stats=stats))


# -- git refs -------------------------------------------------------------------


def _refs(ctx: Ctx, repo: Repo, prefix: str) -> list[tuple[str, str]]:
    return [(name, sha) for name, sha in gitrepo.list_refs(repo.path) if name.startswith(prefix)]


def get_ref(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    name = "refs/" + ctx.params["ref"].strip("/")
    for ref, sha in _refs(ctx, repo, name):
        if ref == name:
            return Resp(200, payloads.git_ref(ctx.base, repo, ref, sha))
    raise not_found()


def list_refs(ctx: Ctx) -> Resp:
    """GET git/refs[/prefix]: the legacy form answers one object on an exact match."""
    repo = ctx.repo()
    sub = ctx.params.get("ref", "").strip("/")
    name = "refs/" + sub if sub else "refs/"
    found = _refs(ctx, repo, name)
    exact = [(r, s) for r, s in found if r == name]
    if exact:
        return Resp(200, payloads.git_ref(ctx.base, repo, *exact[0]))
    if not found:
        raise not_found()
    return paginated(ctx, found, lambda rs: payloads.git_ref(ctx.base, repo, *rs))


def matching_refs(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    name = "refs/" + ctx.params.get("ref", "").strip("/")
    return paginated(ctx, _refs(ctx, repo, name), lambda rs: payloads.git_ref(ctx.base, repo, *rs))


def create_ref(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    data = ctx.json()
    ref, sha = data.get("ref"), data.get("sha")
    if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
    if not isinstance(sha, str) or gitrepo.rev_parse(repo.path, sha) is None:
        raise ApiError(422, "Object does not exist")
    if any(r == ref for r, _ in gitrepo.list_refs(repo.path)):
        raise ApiError(422, "Reference already exists")
    full_sha = gitrepo.rev_parse(repo.path, sha) or sha
    gitrepo.update_ref(repo.path, ref, full_sha)
    return Resp(201, payloads.git_ref(ctx.base, repo, ref, full_sha),
                {"location": f"{ctx.base}/repos/{repo.full_name}/git/{ref}"})


def get_blob(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    sha = ctx.params["file_sha"]
    kind = gitrepo.git("cat-file", "-t", sha, cwd=repo.path, check=False)
    if kind.returncode != 0 or kind.text.strip() != "blob":
        raise not_found()
    data = gitrepo.read_blob(repo.path, sha)
    if ctx.accepts(*RAW_MEDIA):
        return Resp(200, data, media="application/vnd.github.raw; charset=utf-8")
    return Resp(200, {
        "sha": sha, "node_id": payloads.node_id("Blob", sha[:12]), "size": len(data),
        "url": f"{ctx.base}/repos/{repo.full_name}/git/blobs/{sha}",
        "content": base64.b64encode(data).decode(), "encoding": "base64",
    })


def get_tree(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    ref = ctx.params["tree_sha"]
    recursive = ctx.query.get("recursive") not in (None, "", "0", "false")
    done = gitrepo.git("ls-tree", "-z", "--long", *(["-r", "-t"] if recursive else []), ref,
                       cwd=repo.path, check=False)
    if done.returncode != 0:
        raise not_found()
    tree_sha = gitrepo.git("rev-parse", f"{ref}^{{tree}}", cwd=repo.path).text.strip()
    items = []
    for rec in done.stdout.split(b"\0"):
        if not rec:
            continue
        meta, _, name = rec.partition(b"\t")
        mode, otype, sha, size = meta.decode().split()
        item: dict[str, Any] = {"path": name.decode(), "mode": mode, "type": otype, "sha": sha,
                                "url": f"{ctx.base}/repos/{repo.full_name}/git/{otype}s/{sha}"}
        if size != "-":
            item["size"] = int(size)
        items.append(item)
    return Resp(200, {"sha": tree_sha, "url": f"{ctx.base}/repos/{repo.full_name}/git/trees/{tree_sha}",
                      "tree": items, "truncated": False})


def compare(ctx: Ctx) -> Resp:
    """GET compare/{base}...{head}: the three-dot diff, as JSON or with the diff media type."""
    repo = ctx.repo()
    basehead = ctx.params["basehead"]
    base_ref, sep, head_ref = basehead.partition("...")
    if not sep:
        raise not_found()
    base_sha, head_sha = gitrepo.rev_parse(repo.path, base_ref), gitrepo.rev_parse(repo.path, head_ref)
    if base_sha is None or head_sha is None:
        raise not_found()
    d = ctx.state.diff(repo, base_sha, head_sha)
    if ctx.accepts("application/vnd.github.diff", "application/vnd.github.v3.diff"):
        return Resp(200, d.text, media="application/vnd.github.diff; charset=utf-8")
    ahead = gitrepo.rev_list(repo.path, head_sha, d.base, limit=250)
    behind = gitrepo.rev_list(repo.path, base_sha, d.base, limit=10**6)
    infos = gitrepo.read_commits(repo.path, [base_sha, d.base, *ahead])
    logins = ctx.state.commit_logins
    commits = [payloads.commit(ctx.base, repo, i, logins.get(i.sha)) for i in infos[2:]]
    files = [payloads.diff_entry(ctx.base, repo, head_sha, c, with_patch=not c.binary and bool(c.patch))
             for c in d.files[:300]]
    return Resp(200, payloads.comparison(
        ctx.base, repo, basehead,
        base_commit=payloads.commit(ctx.base, repo, infos[0], logins.get(infos[0].sha)),
        merge_base_commit=payloads.commit(ctx.base, repo, infos[1], logins.get(infos[1].sha)),
        commits=commits, files=files, ahead=len(ahead), behind=len(behind)))


def installation_repositories(ctx: Ctx) -> Resp:
    repos = [r for r in ctx.state.repos.values() if r.installation_id == ctx.installation_id]
    repos.sort(key=lambda r: r.id)
    page = paginated(ctx, repos, lambda r: payloads.repository(ctx.base, r))
    page.body = {"total_count": len(repos), "repository_selection": "all", "repositories": page.body}
    return page


def rate_limit(ctx: Ctx) -> Resp:
    """GET /rate_limit; GitHub does not count it, so neither does the sandbox's bucket."""
    key = f"installation:{ctx.installation_id}"
    remaining, used, reset = ctx.state.rate_peek(key)
    return Resp(200, payloads.rate_limit(RATE_LIMIT, remaining, used, reset))
