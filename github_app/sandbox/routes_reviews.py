"""Reviews and review comments, with GitHub's rule that a comment sits on a diff line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from github_app.sandbox import gitrepo, hunks, payloads
from github_app.sandbox.api import ApiError, Ctx, Resp, invalid_request, not_found, paginated
from github_app.sandbox.records import Pull, Review, ReviewComment
from github_app.sandbox.routes_pulls import MAX_BODY_CHARS, acting_user, get_pull

# github-api-facts §4: GitHub's texts; the whole review is refused, no comment named.
ERR_PATH = "Pull request review thread path is invalid"
ERR_LINE = ("Pull request review thread line must be part of the diff and Pull request review thread "
            "diff hunk can't be blank")
ERR_SAME_HUNK = "Pull request review thread start line must be part of the same hunk as the line."
ERR_PRECEDE = "Pull request review thread start line must precede the end line."
ERR_UNRESOLVED = "Line could not be resolved"
ERR_BODY_LONG = "Body is too long (maximum is 65536 characters)"
ERR_COMMIT = "Pull request review commit_id is not part of the pull request"

EVENT_STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}
SIDES = ("LEFT", "RIGHT")


@dataclass(frozen=True)
class Placed:
    """A validated comment location."""

    path: str
    line: int | None
    side: str
    start_line: int | None
    start_side: str | None
    position: int | None
    diff_hunk: str


def _unprocessable(errors: list[str]) -> ApiError:
    unique = list(dict.fromkeys(errors))
    return ApiError(422, "Unprocessable Entity", errors=unique,
                    docs="https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request")


def _commit_for_review(ctx: Ctx, pr: Pull, commit_id: Any) -> str:
    if commit_id is None:
        return pr.head_sha
    if not isinstance(commit_id, str):
        raise invalid_request("For 'properties/commit_id', is not a string.")
    sha = gitrepo.rev_parse(pr.repo.path, commit_id)
    if sha is None or not gitrepo.is_ancestor(pr.repo.path, sha, pr.head_sha):
        raise _unprocessable([ERR_COMMIT])
    return sha


def place(ctx: Ctx, pr: Pull, commit_sha: str, c: dict[str, Any]) -> Placed | str:
    """Where comment c lands in the diff at commit_sha, or GitHub's error text."""
    path = c.get("path")
    files = {f.path: f for f in ctx.state.diff(pr.repo, pr.base_sha, commit_sha).files}
    change = files.get(path) if isinstance(path, str) else None
    if change is None or not isinstance(path, str):
        return ERR_PATH
    if c.get("subject_type") == "file":
        return Placed(path, None, "RIGHT", None, None, None, "")
    parsed = hunks.parse(change.patch) if change.patch else []
    side = c.get("side") or "RIGHT"
    line = c.get("line")
    if line is None and c.get("position") is not None:
        at = hunks.at_position(parsed, int(c["position"]))
        if at is None:
            return ERR_LINE
        line, side = at
    if not isinstance(line, int) or side not in SIDES:
        return ERR_UNRESOLVED if not parsed else ERR_LINE
    if not parsed:
        return ERR_UNRESOLVED  # binary or empty patch: nothing to anchor to
    end = hunks.anchor(parsed, line, side)
    if end is None:
        return ERR_LINE
    start_line = c.get("start_line")
    start_side = c.get("start_side") or side if start_line is not None else None
    if start_line is not None:
        if not isinstance(start_line, int) or start_side not in SIDES:
            return ERR_SAME_HUNK
        start = hunks.anchor(parsed, start_line, start_side)
        if start is None or start.hunk != end.hunk:
            return ERR_SAME_HUNK
        if start.position >= end.position:
            return ERR_PRECEDE
    return Placed(path, line, side, start_line, start_side, end.position, hunks.diff_hunk(parsed, end))


def create_review(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    data = ctx.json()
    commit_sha = _commit_for_review(ctx, pr, data.get("commit_id"))
    event = data.get("event")
    if event is not None and event not in EVENT_STATES:
        raise invalid_request(f"For 'properties/event', \"{event}\" is not a possible value.")
    body = data.get("body") or ""
    if not isinstance(body, str):
        raise invalid_request("For 'properties/body', is not a string.")
    comments = data.get("comments") or []
    if not isinstance(comments, list) or not all(isinstance(c, dict) for c in comments):
        raise invalid_request("For 'properties/comments', is not an array of objects.")
    errors: list[str] = []
    if len(body) > MAX_BODY_CHARS:
        errors.append(ERR_BODY_LONG)
    if event == "REQUEST_CHANGES" and not body:
        errors.append("Review body is required when requesting changes")  # sandbox wording
    placed: list[tuple[Placed, str]] = []
    for c in comments:
        text = c.get("body")
        if not isinstance(text, str) or not isinstance(c.get("path"), str):
            raise invalid_request("For 'items', a comment needs \"path\" and \"body\".")
        if len(text) > MAX_BODY_CHARS:
            errors.append(ERR_BODY_LONG)
            continue
        where = place(ctx, pr, commit_sha, c)
        if isinstance(where, str):
            errors.append(where)
        else:
            placed.append((where, text))
    if errors:
        raise _unprocessable(errors)  # nothing stored, as on GitHub
    now = ctx.state.now()
    state = EVENT_STATES.get(event or "", "PENDING")
    review = Review(ctx.state.next_id(), pr, ctx.state.app.bot, body, state, commit_sha,
                    None if state == "PENDING" else now)
    ctx.state.reviews.append(review)
    for where, text in placed:
        _store_comment(ctx, review, where, text, now=now)
    return Resp(200, payloads.review(ctx.base, review))


def _store_comment(ctx: Ctx, review: Review, where: Placed, text: str, *, now: float,
                   reply_to: int | None = None) -> ReviewComment:
    comment = ReviewComment(
        id=ctx.state.next_id(), review=review, path=where.path, body=text, line=where.line,
        side=where.side, start_line=where.start_line, start_side=where.start_side,
        position=where.position, diff_hunk=where.diff_hunk, commit_id=review.commit_id,
        created_at=now, in_reply_to_id=reply_to,
        subject_type="file" if where.line is None else "line",
    )
    ctx.state.review_comments.append(comment)
    review.pull.review_comments += 1
    return comment


def _review(ctx: Ctx, pr: Pull) -> Review:
    rid = ctx.int_param("review_id")
    for rev in ctx.state.reviews:
        if rev.id == rid and rev.pull is pr:
            return rev
    raise not_found()


def list_reviews(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    items = [r for r in ctx.state.reviews if r.pull is pr]
    return paginated(ctx, items, lambda r: payloads.review(ctx.base, r))


def get_review(ctx: Ctx) -> Resp:
    return Resp(200, payloads.review(ctx.base, _review(ctx, get_pull(ctx))))


def submit_review(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    review = _review(ctx, pr)
    data = ctx.json()
    event = data.get("event")
    if event not in EVENT_STATES:
        raise invalid_request(f"For 'properties/event', \"{event}\" is not a possible value.")
    if review.state != "PENDING":
        raise _unprocessable(["Can not submit a non-pending review"])  # sandbox wording
    if isinstance(data.get("body"), str) and data["body"]:
        review.body = data["body"]
    review.state = EVENT_STATES[event]
    review.submitted_at = ctx.state.now()
    return Resp(200, payloads.review(ctx.base, review))


def list_review_comments_of_review(ctx: Ctx) -> Resp:
    review = _review(ctx, get_pull(ctx))
    items = [c for c in ctx.state.review_comments if c.review is review]
    return paginated(ctx, items, lambda c: payloads.review_comment(ctx.base, c))


def list_review_comments(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    items = [c for c in ctx.state.review_comments if c.review.pull is pr]
    return paginated(ctx, items, lambda c: payloads.review_comment(ctx.base, c))


def create_review_comment(ctx: Ctx) -> Resp:
    """The single-comment endpoint: one comment in an implicit COMMENTED review."""
    pr = get_pull(ctx)
    data = ctx.json()
    text = data.get("body")
    if not isinstance(text, str) or not text:
        raise ApiError(422, "Validation Failed", errors=[
            {"resource": "PullRequestReviewComment", "code": "missing_field", "field": "body"}])
    if len(text) > MAX_BODY_CHARS:
        raise _unprocessable([ERR_BODY_LONG])
    if data.get("in_reply_to") is not None:
        parent = _find_comment(ctx, pr, int(data["in_reply_to"]))
        return _reply(ctx, pr, parent, text)
    commit_sha = _commit_for_review(ctx, pr, data.get("commit_id"))
    where = place(ctx, pr, commit_sha, data)
    if isinstance(where, str):
        field = "pull_request_review_thread.path" if where == ERR_PATH else "pull_request_review_thread.line"
        message = "is invalid" if where == ERR_PATH else "could not be resolved"
        raise ApiError(422, "Validation Failed", errors=[
            {"resource": "PullRequestReviewComment", "code": "custom", "field": field, "message": message}])
    now = ctx.state.now()
    review = Review(ctx.state.next_id(), pr, acting_user(ctx, ctx.state.app.bot.login), "", "COMMENTED",
                    commit_sha, now)
    ctx.state.reviews.append(review)
    comment = _store_comment(ctx, review, where, text, now=now)
    return Resp(201, payloads.review_comment(ctx.base, comment))


def _find_comment(ctx: Ctx, pr: Pull | None, cid: int) -> ReviewComment:
    repo = ctx.repo()
    for c in ctx.state.review_comments:
        if c.id == cid and c.review.pull.repo is repo and (pr is None or c.review.pull is pr):
            return c
    raise not_found()


def _reply(ctx: Ctx, pr: Pull, parent: ReviewComment, text: str) -> Resp:
    now = ctx.state.now()
    review = Review(ctx.state.next_id(), pr, acting_user(ctx, ctx.state.app.bot.login), "", "COMMENTED",
                    parent.commit_id, now)
    ctx.state.reviews.append(review)
    where = Placed(parent.path, parent.line, parent.side, parent.start_line, parent.start_side,
                   parent.position, parent.diff_hunk)
    comment = _store_comment(ctx, review, where, text, now=now, reply_to=parent.in_reply_to_id or parent.id)
    ctx.emit("pull_request_review_comment", payloads.review_comment_event(ctx.base, "created", comment))
    return Resp(201, payloads.review_comment(ctx.base, comment))


def reply_to_comment(ctx: Ctx) -> Resp:
    pr = get_pull(ctx)
    parent = _find_comment(ctx, pr, ctx.int_param("comment_id"))
    text = ctx.json().get("body")
    if not isinstance(text, str) or not text:
        raise ApiError(422, "Validation Failed", errors=[
            {"resource": "PullRequestReviewComment", "code": "missing_field", "field": "body"}])
    return _reply(ctx, pr, parent, text)


def get_review_comment(ctx: Ctx) -> Resp:
    return Resp(200, payloads.review_comment(ctx.base, _find_comment(ctx, None, ctx.int_param("comment_id"))))


def update_review_comment(ctx: Ctx) -> Resp:
    comment = _find_comment(ctx, None, ctx.int_param("comment_id"))
    text = ctx.json().get("body")
    if not isinstance(text, str) or not text:
        raise ApiError(422, "Validation Failed", errors=[
            {"resource": "PullRequestReviewComment", "code": "missing_field", "field": "body"}])
    if len(text) > MAX_BODY_CHARS:
        raise _unprocessable([ERR_BODY_LONG])
    comment.body = text
    comment.updated_at = ctx.state.now()
    return Resp(200, payloads.review_comment(ctx.base, comment))


def delete_review_comment(ctx: Ctx) -> Resp:
    comment = _find_comment(ctx, None, ctx.int_param("comment_id"))
    ctx.state.review_comments.remove(comment)
    comment.review.pull.review_comments -= 1
    return Resp(204)
