"""Repository archives as GitHub serves them: the API answers 302 to a short-lived codeload URL.

`GET /repos/{o}/{r}/tarball/{ref}` takes the installation token and redirects; the codeload URL carries
its own token in the query (GitHub's expire after five minutes) and takes no Authorization header,
so a client must not depend on sending it there. The tarball's single top-level folder is
`{owner}-{repo}-{short sha}/`, as GitHub names it.
"""

from __future__ import annotations

import secrets

from github_app.sandbox import gitrepo
from github_app.sandbox.api import Ctx, Resp, not_found
from github_app.sandbox.routes_repos import _resolve

LINK_TTL_S = 300.0


def tarball(ctx: Ctx) -> Resp:
    repo = ctx.repo()
    sha = _resolve(repo, ctx.params.get("ref") or repo.default_branch)
    token = secrets.token_urlsafe(16)
    ctx.state.archive_links[token] = (repo.id, sha, ctx.state.now() + LINK_TTL_S)
    location = f"{ctx.base}/_codeload/{repo.owner.login}/{repo.name}/legacy.tar.gz/{sha}?token={token}"
    return Resp(302, b"", {"Location": location}, media="text/html; charset=utf-8")


def codeload(ctx: Ctx) -> Resp:
    link = ctx.state.archive_links.get(ctx.query.get("token") or "")
    repo = ctx.state.find_repo(ctx.params["owner"], ctx.params["repo"])
    if link is None or repo is None or link[0] != repo.id or link[1] != ctx.params["sha"] \
            or link[2] < ctx.state.now():
        raise not_found()
    sha = link[1]
    prefix = f"{repo.owner.login}-{repo.name}-{sha[:7]}/"
    data = gitrepo.git("archive", "--format=tar.gz", f"--prefix={prefix}", sha, cwd=repo.path).stdout
    return Resp(200, data, {"Content-Disposition": f"attachment; filename={prefix[:-1]}.tar.gz"},
                media="application/x-gzip")
