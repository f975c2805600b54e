"""Collaborator permissions: GET .../collaborators/{username}/permission, and /_sandbox/ to set them.

The repository owner is admin; anyone else has what /_sandbox/ set, or read (a public repository).
"""

from __future__ import annotations

from github_app.sandbox import payloads
from github_app.sandbox.api import ApiError, Ctx, Resp, not_found

ROLES = ("admin", "maintain", "write", "triage", "read", "none")
# GitHub's legacy `permission` folds maintain into write and triage into read; role_name keeps them.
LEGACY = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read",
          "none": "none"}
DEFAULT_ROLE = "read"


def role_of(ctx: Ctx, login: str) -> str:
    repo = ctx.repo()
    if login.lower() == repo.owner.login.lower():
        return "admin"
    return ctx.state.permissions.get((repo.id, login.lower()), DEFAULT_ROLE)


def get_permission(ctx: Ctx) -> Resp:
    login = ctx.params["username"]
    if login.endswith("[bot]") and login != ctx.state.app.bot.login:
        raise not_found()  # GitHub: a bot account is not a user that can collaborate
    role = role_of(ctx, login)
    actor = ctx.state.actor(login)
    collaborator = {**payloads.user(ctx.base, actor), "role_name": role,
                    "permissions": {"admin": role == "admin", "maintain": role in ("admin", "maintain"),
                                    "push": role in ("admin", "maintain", "write"),
                                    "triage": role not in ("read", "none"), "pull": role != "none"}}
    return Resp(200, {"permission": LEGACY[role], "role_name": role, "user": collaborator})


def set_permission(ctx: Ctx) -> Resp:
    """/_sandbox/: PUT {"permission": admin|maintain|write|triage|read|none} for a user."""
    repo = ctx.state.find_repo(ctx.params["owner"], ctx.params["repo"])
    if repo is None:
        raise not_found()
    role = ctx.json().get("permission")
    if role not in ROLES:
        raise ApiError(422, f"permission must be one of {', '.join(ROLES)}")
    ctx.state.permissions[(repo.id, ctx.params["username"].lower())] = str(role)
    return Resp(200, {"login": ctx.params["username"], "role_name": role})
