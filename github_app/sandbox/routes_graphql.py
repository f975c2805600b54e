"""POST /graphql: the subset of GitHub's GraphQL API that prodready uses, on graphql-core.

Review threads of a pull request (read, paginated) and resolveReviewThread. Shapes follow GitHub's
schema (names, nullability, connections with pageInfo); errors come back as GitHub sends them: HTTP
200 with `{"data": ..., "errors": [{"type": "NOT_FOUND", "path": [...], "message": ...}]}`, and
401 for a bad token (the route table's auth). A thread is a root review comment with its replies.
"""

from __future__ import annotations

import base64
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, build_schema, graphql_sync

from github_app.sandbox.api import ApiError, Ctx, Resp
from github_app.sandbox.payloads import iso, node_id
from github_app.sandbox.records import Actor, Pull, ReviewComment

# docs "rate-limits-and-query-limits-for-the-graphql-api": first/last take 1..100.
MAX_PAGE = 100
DOCS = "https://docs.github.com/graphql"

SDL = """
type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  node(id: ID!): Node
}
type Mutation {
  resolveReviewThread(input: ResolveReviewThreadInput!): ResolveReviewThreadPayload
  unresolveReviewThread(input: UnresolveReviewThreadInput!): UnresolveReviewThreadPayload
}
interface Node { id: ID! }
interface Actor { login: String! avatarUrl: String! url: String! }
type User implements Actor & Node { id: ID! login: String! avatarUrl: String! url: String! }
type Bot implements Actor & Node { id: ID! login: String! avatarUrl: String! url: String! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Repository implements Node {
  id: ID! name: String! nameWithOwner: String!
  pullRequest(number: Int!): PullRequest
}
type PullRequest implements Node {
  id: ID! number: Int! title: String! state: String!
  reviewThreads(first: Int, after: String, last: Int, before: String): PullRequestReviewThreadConnection!
}
type PullRequestReviewThreadConnection {
  totalCount: Int! pageInfo: PageInfo! nodes: [PullRequestReviewThread]
  edges: [PullRequestReviewThreadEdge]
}
type PullRequestReviewThreadEdge { cursor: String! node: PullRequestReviewThread }
type PullRequestReviewThread implements Node {
  id: ID! isResolved: Boolean! isOutdated: Boolean! isCollapsed: Boolean! path: String!
  line: Int startLine: Int originalLine: Int diffSide: String! subjectType: String!
  resolvedBy: User viewerCanResolve: Boolean! viewerCanReply: Boolean!
  comments(first: Int, after: String, last: Int, before: String): PullRequestReviewCommentConnection!
}
type PullRequestReviewCommentConnection {
  totalCount: Int! pageInfo: PageInfo! nodes: [PullRequestReviewComment]
}
type PullRequestReviewComment implements Node {
  id: ID! databaseId: Int body: String! path: String! author: Actor
  createdAt: String! url: String!
}
input ResolveReviewThreadInput { threadId: ID! clientMutationId: String }
input UnresolveReviewThreadInput { threadId: ID! clientMutationId: String }
type ResolveReviewThreadPayload { clientMutationId: String thread: PullRequestReviewThread }
type UnresolveReviewThreadPayload { clientMutationId: String thread: PullRequestReviewThread }
"""


class _Typed(GraphQLError):
    """A GraphQL error that GitHub tags with a `type` (NOT_FOUND, FORBIDDEN, ...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message, extensions={"type": kind})


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _index(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.b64decode(cursor).decode().rsplit(":", 1)[1]) + 1
    except (ValueError, IndexError) as exc:
        raise _Typed("INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor.") from exc


def _page(items: list[Any], first: int | None, after: str | None, what: str) -> dict[str, Any]:
    if first is None:
        raise _Typed("MISSING_PAGINATION_BOUNDARIES",
                     f"You must provide a `first` or `last` value to properly paginate the `{what}` connection.")
    if not 0 <= first <= MAX_PAGE:
        raise _Typed("ARGUMENT_LIMIT", f"Requesting {first} records on the `{what}` connection exceeds the "
                     f"`first` limit of {MAX_PAGE} records.")
    start = _index(after)
    chunk = items[start:start + first]
    return {
        "totalCount": len(items),
        "nodes": chunk,
        "edges": [{"cursor": _cursor(start + i), "node": n} for i, n in enumerate(chunk)],
        "pageInfo": {"hasNextPage": start + len(chunk) < len(items), "hasPreviousPage": start > 0,
                     "startCursor": _cursor(start) if chunk else None,
                     "endCursor": _cursor(start + len(chunk) - 1) if chunk else None},
    }


def _actor(ctx: Ctx, actor: Actor) -> dict[str, Any]:
    kind = "Bot" if actor.type == "Bot" else "User"
    return {"__typename": kind, "id": node_id(kind, actor.id), "login": actor.login,
            "avatarUrl": f"{ctx.base}/avatars/{actor.id}", "url": f"{ctx.base}/{actor.login}"}


def thread_id(root: ReviewComment) -> str:
    return node_id("PullRequestReviewThread", root.id)


def _thread(ctx: Ctx, pr: Pull, root: ReviewComment) -> dict[str, Any]:
    comments = [root] + [c for c in ctx.state.review_comments if c.in_reply_to_id == root.id]
    resolver = ctx.state.resolved_threads.get(root.id)
    diff_paths = {f.path for f in ctx.state.diff(pr.repo, pr.base_sha, pr.head_sha).files}
    full = pr.repo.full_name

    def comment(c: ReviewComment) -> dict[str, Any]:
        return {"id": node_id("PullRequestReviewComment", c.id), "databaseId": c.id, "body": c.body,
                "path": c.path, "author": _actor(ctx, c.review.user), "createdAt": iso(c.created_at),
                "url": f"{ctx.base}/{full}/pull/{pr.number}#discussion_r{c.id}"}

    return {
        "id": thread_id(root), "isResolved": resolver is not None,
        # GitHub marks a thread outdated when its lines changed since; the sandbox when the file left the diff.
        "isOutdated": root.path not in diff_paths, "isCollapsed": resolver is not None,
        "path": root.path, "line": root.line, "startLine": root.start_line, "originalLine": root.line,
        "diffSide": root.side, "subjectType": root.subject_type.upper(),
        "resolvedBy": _actor(ctx, resolver) if resolver is not None else None,
        "viewerCanResolve": True, "viewerCanReply": True,
        "_comments": [comment(c) for c in comments],
    }


def _roots(ctx: Ctx, pr: Pull) -> list[ReviewComment]:
    return [c for c in ctx.state.review_comments if c.review.pull is pr and c.in_reply_to_id is None]


def _repository(_: Any, info: GraphQLResolveInfo, owner: str, name: str, **__: Any) -> dict[str, Any]:
    ctx: Ctx = info.context
    repo = ctx.state.find_repo(owner, name)
    if repo is None or repo.installation_id != ctx.installation_id:
        raise _Typed("NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'.")
    return {"id": node_id("Repository", repo.id), "name": repo.name, "nameWithOwner": repo.full_name,
            "_repo": repo}


def _pull_request(parent: dict[str, Any], info: GraphQLResolveInfo, number: int) -> dict[str, Any]:
    ctx: Ctx = info.context
    pr = ctx.state.pull(parent["_repo"], number)
    if pr is None:
        raise _Typed("NOT_FOUND", f"Could not resolve to a PullRequest with the number of {number}.")
    return {"id": node_id("PullRequest", pr.id), "number": pr.number, "title": pr.title,
            "state": pr.state.upper(), "_pr": pr}


def _review_threads(parent: dict[str, Any], info: GraphQLResolveInfo, first: int | None = None,
                    after: str | None = None, **_: Any) -> dict[str, Any]:
    ctx: Ctx = info.context
    pr: Pull = parent["_pr"]
    return _page([_thread(ctx, pr, r) for r in _roots(ctx, pr)], first, after, "reviewThreads")


def _comments(parent: dict[str, Any], info: GraphQLResolveInfo, first: int | None = None,
              after: str | None = None, **_: Any) -> dict[str, Any]:
    return _page(parent["_comments"], first, after, "comments")


def _find_thread(ctx: Ctx, tid: str) -> tuple[Pull, ReviewComment]:
    for c in ctx.state.review_comments:
        if c.in_reply_to_id is None and thread_id(c) == tid:
            if c.review.pull.repo.installation_id != ctx.installation_id:
                break  # another installation's thread is invisible, as on GitHub
            return c.review.pull, c
    raise _Typed("NOT_FOUND", f"Could not resolve to a node with the global id of '{tid}'")


def _set_resolved(resolved: bool) -> Any:
    def mutate(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        ctx: Ctx = info.context
        pr, root = _find_thread(ctx, str(input["threadId"]))
        if resolved:
            ctx.state.resolved_threads[root.id] = ctx.state.app.bot
        else:
            ctx.state.resolved_threads.pop(root.id, None)
        return {"clientMutationId": input.get("clientMutationId"), "thread": _thread(ctx, pr, root)}

    return mutate


def _actor_type(value: dict[str, Any], *_: Any) -> str:
    return str(value["__typename"])


SCHEMA = build_schema(SDL)
_FIELDS = {
    ("Query", "repository"): _repository,
    ("Repository", "pullRequest"): _pull_request,
    ("PullRequest", "reviewThreads"): _review_threads,
    ("PullRequestReviewThread", "comments"): _comments,
    ("Mutation", "resolveReviewThread"): _set_resolved(True),
    ("Mutation", "unresolveReviewThread"): _set_resolved(False),
}
for (_type, _field), _resolver in _FIELDS.items():
    SCHEMA.get_type(_type).fields[_field].resolve = _resolver  # type: ignore[union-attr]
SCHEMA.get_type("Actor").resolve_type = _actor_type  # type: ignore[union-attr]
SCHEMA.get_type("Node").resolve_type = _actor_type  # type: ignore[union-attr]


def _error(err: GraphQLError) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = (err.extensions or {}).get("type")
    if kind:
        out["type"] = kind
    if err.path is not None:
        out["path"] = list(err.path)
    if err.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    out["message"] = err.message
    return out


def graphql(ctx: Ctx) -> Resp:
    body = ctx.json()
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        # GitHub's answer to a body without a query.
        return Resp(200, {"errors": [{"message": "A query attribute must be specified and must be a string."}]})
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise ApiError(400, "Problems parsing JSON", docs=DOCS)
    result = graphql_sync(SCHEMA, query, context_value=ctx, variable_values=variables,
                          operation_name=body.get("operationName"))
    out: dict[str, Any] = {}
    if result.data is not None:
        out["data"] = result.data
    if result.errors:
        out["errors"] = [_error(e) for e in result.errors]
    return Resp(200, out)
