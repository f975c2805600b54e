"""Request context, responses, GitHub's error bodies and pagination for the route handlers."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.datastructures import Headers, QueryParams

if TYPE_CHECKING:
    from github_app.sandbox.records import Repo
    from github_app.sandbox.state import SandboxState

JSON = dict[str, Any]
DOCS = "https://docs.github.com/rest"

# docs "using-pagination-in-the-rest-api": 30 per page unless asked, at most 100.
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


class ApiError(Exception):
    """An answer GitHub gives instead of the resource; raised from handlers."""

    def __init__(self, status: int, message: str, *, errors: list[Any] | None = None,
                 headers: dict[str, str] | None = None, docs: str = DOCS) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"message": message, "documentation_url": docs, "status": str(status)}
        if errors is not None:
            self.body["errors"] = errors
        self.headers = headers or {}


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def bad_json() -> ApiError:
    return ApiError(400, "Problems parsing JSON")


def validation_failed(*errors: JSON | str, message: str = "Validation Failed") -> ApiError:
    return ApiError(422, message, errors=list(errors))


def missing_field(resource: str, name: str) -> ApiError:
    return validation_failed({"resource": resource, "code": "missing_field", "field": name})


def invalid_request(detail: str) -> ApiError:
    # The JSON-schema check in front of many write endpoints answers in this form.
    return ApiError(422, f"Invalid request.\n\n{detail}")


@dataclass
class Resp:
    status: int = 200
    body: Any = None  # JSON-able value, or bytes/str sent as is with `media`
    headers: dict[str, str] = field(default_factory=dict)
    media: str = "application/json; charset=utf-8"


@dataclass
class Ctx:
    state: SandboxState
    method: str
    path: str
    params: dict[str, str]
    query: QueryParams
    headers: Headers
    body: bytes
    base: str  # "http://127.0.0.1:PORT": API and HTML URLs in payloads
    url: str  # this request's full URL, for Link headers
    installation_id: int | None = None
    app_id: int | None = None  # the App a JWT authenticated
    events: list[tuple[str, JSON]] = field(default_factory=list)

    def json(self) -> JSON:
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except ValueError as exc:
            raise bad_json() from exc
        if not isinstance(data, dict):
            raise bad_json()
        return data

    def json_any(self) -> Any:
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise bad_json() from exc

    def int_param(self, name: str) -> int:
        return int(self.params[name])

    def repo(self) -> Repo:
        """The repository of the path, visible to this request's installation token."""
        repo = self.state.find_repo(self.params["owner"], self.params["repo"])
        if repo is None:
            raise not_found()
        if self.installation_id is not None and repo.installation_id != self.installation_id:
            raise ApiError(403, "Resource not accessible by integration")
        return repo

    def emit(self, event: str, payload: JSON) -> None:
        """Queue a webhook; it is sent after the response, like GitHub's async deliveries."""
        self.events.append((event, payload))

    def accepts(self, *media: str) -> bool:
        accept = self.headers.get("accept", "").lower()
        return any(m in accept for m in media)


def query_int(ctx: Ctx, name: str, default: int) -> int:
    raw = ctx.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def page_slice(ctx: Ctx, total: int) -> tuple[int, int, int, int]:
    """(start, stop, page, per_page) for this request's page/per_page."""
    per_page = min(max(query_int(ctx, "per_page", DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    page = max(query_int(ctx, "page", 1), 1)
    start = (page - 1) * per_page
    return start, min(start + per_page, total), page, per_page


def link_header(ctx: Ctx, page: int, per_page: int, total: int) -> str | None:
    last = max((total + per_page - 1) // per_page, 1)
    base_url = ctx.url.split("?", 1)[0]

    def url(p: int) -> str:
        params = [(k, v) for k, v in ctx.query.multi_items() if k not in ("page", "per_page")]
        params += [("per_page", str(per_page)), ("page", str(p))]
        return f"{base_url}?{urlencode(params)}"

    links: list[str] = []
    if page > 1:
        links.append(f'<{url(page - 1)}>; rel="prev"')
    if page < last:
        links.append(f'<{url(page + 1)}>; rel="next"')
        links.append(f'<{url(last)}>; rel="last"')
    if page > 1:
        links.append(f'<{url(1)}>; rel="first"')
    return ", ".join(links) or None


def paginated(ctx: Ctx, items: Sequence[Any], render: Callable[[Any], Any],
              wrap: Callable[[list[Any]], Any] | None = None) -> Resp:
    """One page of items with GitHub's Link header; wrap builds an object body (check runs)."""
    start, stop, page, per_page = page_slice(ctx, len(items))
    body: Any = [render(item) for item in items[start:stop]]
    if wrap is not None:
        body = wrap(body)
    headers: dict[str, str] = {}
    link = link_header(ctx, page, per_page, len(items))
    if link:
        headers["link"] = link
    return Resp(200, body, headers)
