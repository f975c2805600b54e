"""Guards that Python code still present lost between base and head. Pure: two texts in, removals out.

"The same code" is matched by enclosing function (its qualified name) and call target (the dotted
name called), not by line: moved or reformatted code pairs up, renamed variables do not hide a
removal, and a call deleted together with its guard has no partner, so nothing is said. A call
that now goes through another target (`session.get` instead of `requests.get`, a wrapper) is another
call, so a guard moved into a session default or a wrapper is not reported either.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

TIMEOUT_KWS = frozenset({"timeout", "connect_timeout", "read_timeout", "socket_timeout", "request_timeout",
                         "deadline", "timeout_s", "timeout_seconds", "pool_timeout", "command_timeout"})
RETRY_KWS = frozenset({"stop", "wait", "max_tries", "max_time", "max_retries", "max_attempts", "tries",
                       "stop_max_attempt_number", "backoff_factor", "max_delay", "deadline"})
AUTH_WORDS = ("auth", "login_required", "permission", "requires_", "require_", "jwt_required", "roles_required",
              "admin_required", "current_user", "verify_token", "api_key", "staff_member_required",
              "user_passes_test", "token_required", "protected", "security")
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
REPORT_CALLS = frozenset({"capture_exception", "capture_message", "captureException", "print_exc",
                          "notify", "report_exception"})
METRIC_METHODS = frozenset({"inc", "increment", "incr", "observe", "count"})
# A timeout is a guard on a call that waits on another system. On real history a `timeout=` removed from
# anything else (a context object, a job factory) had moved into a parameter object, or was dead: so only
# calls whose method or receiver names such a call count.
IO_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
                        "urlopen", "urlretrieve", "fetch", "run", "call", "check_call", "check_output", "Popen",
                        "communicate", "wait", "connect", "create_connection", "wait_for", "execute", "executemany",
                        "query", "invoke", "recv", "read", "getresponse", "Client", "AsyncClient", "Session",
                        "ClientSession", "Redis", "StrictRedis", "from_url", "create_engine", "create_pool",
                        "SMTP", "SMTP_SSL", "HTTPConnection", "HTTPSConnection", "client", "resource"})
IO_RECEIVERS = ("requests", "httpx", "aiohttp", "urllib", "session", "client", "http", "socket", "subprocess",
                "redis", "boto", "grpc", "conn", "db", "pool", "smtp", "asyncio", "api", "axios", "fetch", "got")
# Calls in a handler that neither hide nor carry the error: anything else may log or raise it now.
PLAIN_CALLS = frozenset({"str", "repr", "len", "isinstance", "type", "int", "float", "bool", "dict", "list",
                         "tuple", "set", "format", "getattr", "hasattr", "print", "sleep", "time.sleep",
                         "asyncio.sleep", "time.time", "time.monotonic", "close", "cancel"})


def io_call(target: str) -> bool:
    """Does `target` (a dotted call name) name a call that waits on a network, database or process?"""
    parts = target.split(".")
    if parts[-1] in IO_METHODS:
        return True
    receiver = ".".join(parts[:-1]).lower()
    return any(w in receiver for w in IO_RECEIVERS)


@dataclass(frozen=True)
class Removal:
    kind: str
    """timeout, retry-bound, error-log, raise, auth, tls."""
    line: int
    """The head line to anchor on: the call, the `except`, the `def`."""
    end_line: int
    base_line: int
    what: str
    """What was removed, as written in the base: `timeout=10`, `logger.exception(...)`, `@login_required`."""
    where: str
    """What lost it: `this requests.get`, `this except handler`, `this route`."""


def dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _walk_scope(body: Sequence[ast.AST]) -> tuple[list[ast.AST], list[ast.AST]]:
    """Every node of a scope, not descending into nested functions or classes (their own scopes), and
    those nested definitions."""
    nodes: list[ast.AST] = []
    nested: list[ast.AST] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            nested.append(node)
            continue
        nodes.append(node)
        if not isinstance(node, ast.Lambda):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return nodes, nested


def _own_nodes(body: Sequence[ast.AST]) -> list[ast.AST]:
    return _walk_scope(body)[0]


@dataclass
class Scope:
    node: ast.AST | None
    calls: dict[str, list[ast.Call]]
    handlers: dict[str, list[ast.ExceptHandler]]
    guarded: dict[int, frozenset[str]]
    """id(handler) -> the call targets of the `try` body it handles: what makes two handlers the same."""


def scopes(tree: ast.Module) -> dict[str, Scope]:
    """Qualified name -> its calls by target and except handlers by caught types; "<module>" for the top.
    A function's decorators belong to it, so `@retry(stop=...)` and `@app.get(..., dependencies=...)` do."""
    out: dict[str, Scope] = {}

    def visit(name: str, node: ast.AST | None, body: Sequence[ast.AST], extra: Sequence[ast.AST] = ()) -> None:
        calls: dict[str, list[ast.Call]] = defaultdict(list)
        handlers: dict[str, list[ast.ExceptHandler]] = defaultdict(list)
        guarded: dict[int, frozenset[str]] = {}
        nodes, nested = _walk_scope(body)
        for n in [*extra, *nodes]:
            if isinstance(n, ast.Call) and (target := dotted(n.func)) is not None:
                calls[target].append(n)
            elif isinstance(n, ast.ExceptHandler):
                handlers[ast.unparse(n.type) if n.type is not None else "*"].append(n)
            elif isinstance(n, (ast.Try, ast.TryStar)):
                targets = _call_names(n.body)
                for h in n.handlers:
                    guarded[id(h)] = targets
        out.setdefault(name, Scope(node, calls, handlers, guarded))
        for n in nested:
            assert isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            qual = n.name if name == "<module>" else f"{name}.{n.name}"
            deco_calls = [c for d in n.decorator_list for c in ast.walk(d) if isinstance(c, ast.Call)]
            # A bare `@retry` is the call `@retry()` lost its arguments: pair it with the base's call.
            deco_calls += [ast.copy_location(ast.Call(func=d, args=[], keywords=[]), d) for d in n.decorator_list
                           if isinstance(d, (ast.Name, ast.Attribute))]
            visit(qual, n, n.body, deco_calls)

    visit("<module>", None, tree.body)
    return out


def _pairs(base: list[ast.Call], head: list[ast.Call]) -> list[tuple[ast.Call, ast.Call]]:
    """Base and head calls of one target in one scope, paired: by order when the counts agree, else by
    their first argument; unpaired calls were added or deleted, which is not a removed guard."""
    if len(base) == len(head):
        return list(zip(base, head, strict=True))
    def first_arg(c: ast.Call) -> str:
        return ast.dump(c.args[0]) if c.args else ""

    by_arg: dict[str, list[ast.Call]] = defaultdict(list)
    for c in head:
        by_arg[first_arg(c)].append(c)
    base_keys = [first_arg(c) for c in base]
    return [(c, by_arg[k][0]) for c, k in zip(base, base_keys, strict=True)
            if len(by_arg.get(k, ())) == 1 and base_keys.count(k) == 1]


def _call_names(body: Sequence[ast.AST]) -> frozenset[str]:
    """The last names of the calls in `body` (not in nested functions): `self.client.get` -> `get`."""
    return frozenset((dotted(c.func) or "").rsplit(".", maxsplit=1)[-1] for c in _own_nodes(body)
                     if isinstance(c, ast.Call)) - {""}


def _same_guarded(b: frozenset[str], h: frozenset[str]) -> bool:
    """Two handlers paired by position guard the same code when their `try` bodies share a call (or
    neither calls anything); a handler added next to one removed would otherwise pair with it."""
    return bool(b & h) or not (b or h)


def _kw(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _is_log(call: ast.Call) -> bool:
    target = dotted(call.func) or ""
    parts = target.split(".")
    last = parts[-1]
    if last in REPORT_CALLS or target.startswith(("sentry_sdk.", "traceback.", "rollbar.", "bugsnag.")):
        return True
    receiver = ".".join(parts[:-1]).lower()
    if last in LOG_METHODS and any(w in receiver for w in ("log", "logger", "logging", "structlog")):
        return True
    return last in METRIC_METHODS and any(w in receiver for w in ("metric", "counter", "statsd", "errors", "failures"))


def _raises(handler: ast.ExceptHandler) -> bool:
    return any(isinstance(n, ast.Raise) for n in _own_nodes(handler.body))


def _returns_value(handler: ast.ExceptHandler) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None
               and not (isinstance(n.value, ast.Constant) and n.value.value is None) for n in _own_nodes(handler.body))


def _auth_names(node: ast.AST | None, extra: Sequence[str]) -> dict[str, int]:
    """Auth decorators and FastAPI auth dependencies of a function -> their base line."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {}
    found: dict[str, int] = {}
    for d in node.decorator_list:
        target = dotted(d.func if isinstance(d, ast.Call) else d) or ""
        if _auth_like(target, extra):
            found[f"@{target}"] = d.lineno
        if isinstance(d, ast.Call):  # @app.get("/x", dependencies=[Depends(verify)])
            for k in d.keywords:
                if k.arg == "dependencies":
                    for c in ast.walk(k.value):
                        if isinstance(c, ast.Call) and _depends(c, extra):
                            found[ast.unparse(c)] = c.lineno
    args = node.args
    for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
        for c in ast.walk(default):
            if isinstance(c, ast.Call) and _depends(c, extra):
                found[ast.unparse(c)] = c.lineno
    for a in [*args.args, *args.kwonlyargs]:  # Annotated[User, Depends(current_user)]
        if a.annotation is not None:
            for c in ast.walk(a.annotation):
                if isinstance(c, ast.Call) and _depends(c, extra):
                    found[ast.unparse(c)] = c.lineno
    return found


def _depends(call: ast.Call, extra: Sequence[str]) -> bool:
    name = (dotted(call.func) or "").split(".")[-1]
    return name in ("Depends", "Security") and bool(call.args) and _auth_like(dotted(call.args[0]) or "", extra)


def _auth_like(target: str, extra: Sequence[str]) -> bool:
    last = target.rsplit(".", maxsplit=1)[-1]
    return bool(last) and (last in extra or target in extra or any(w in last.lower() for w in AUTH_WORDS))


def removals(base_text: str, head_text: str, auth_names: Sequence[str] = ()) -> list[Removal]:
    """What guards code present on both sides lost; [] when either side does not parse."""
    try:
        base, head = ast.parse(base_text), ast.parse(head_text)
    except (SyntaxError, ValueError):
        return []
    out: list[Removal] = []
    b_scopes, h_scopes = scopes(base), scopes(head)
    for name, h in h_scopes.items():
        b = b_scopes.get(name)
        if b is None:
            continue
        for target, h_calls in h.calls.items():
            for bc, hc in _pairs(b.calls.get(target, []), h_calls):
                out += _call_removals(target, bc, hc, base_text)
        for key, h_handlers in h.handlers.items():
            b_handlers = b.handlers.get(key, [])
            if len(b_handlers) != len(h_handlers):
                continue
            for bh, hh in zip(b_handlers, h_handlers, strict=True):
                if _same_guarded(b.guarded.get(id(bh), frozenset()), h.guarded.get(id(hh), frozenset())):
                    out += _handler_removals(key, bh, hh, base_text)
        b_auth, h_auth = _auth_names(b.node, auth_names), _auth_names(h.node, auth_names)
        if b_auth and isinstance(h.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for what, line in b_auth.items():
                if what not in h_auth:
                    out.append(Removal("auth", h.node.lineno, h.node.lineno, line, what, f"`{name}`"))
    return sorted(out, key=lambda r: (r.line, r.kind, r.what))


def _call_removals(target: str, bc: ast.Call, hc: ast.Call, base_text: str) -> list[Removal]:
    if any(k.arg is None for k in hc.keywords):
        return []  # **kwargs may carry it now
    # A call that gained an argument may carry the guard in it now (`params=JobParams(timeout=...)`).
    gained = len(hc.args) > len(bc.args) or bool({k.arg for k in hc.keywords} - {k.arg for k in bc.keywords})
    out = []
    where = f"this `{target}` call"
    head_kws = {k.arg for k in hc.keywords}
    retrying = any(w in target.lower() for w in ("retry", "retrying", "backoff", "tenacity"))
    for k in bc.keywords:
        if k.arg is None or k.arg in head_kws:
            continue
        written = f"{k.arg}={ast.get_source_segment(base_text, k.value) or ast.unparse(k.value)}"
        if retrying and k.arg in RETRY_KWS:
            out.append(Removal("retry-bound", hc.lineno, hc.end_lineno or hc.lineno, bc.lineno, written, where))
        elif k.arg in TIMEOUT_KWS and not _is_none(k.value) and io_call(target) and not gained:
            out.append(Removal("timeout", hc.lineno, hc.end_lineno or hc.lineno, bc.lineno, written, where))
    b_verify, h_verify = _kw(bc, "verify"), _kw(hc, "verify")
    if b_verify is not None and not _is_false(b_verify.value) and h_verify is not None and _is_false(h_verify.value):
        written = f"verify={ast.get_source_segment(base_text, b_verify.value) or ast.unparse(b_verify.value)}"
        out.append(Removal("tls", hc.lineno, hc.end_lineno or hc.lineno, bc.lineno, written, where))
    return out


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _handler_removals(key: str, bh: ast.ExceptHandler, hh: ast.ExceptHandler, base_text: str) -> list[Removal]:
    out = []
    where = f"this `except {key}` handler" if key != "*" else "this bare `except` handler"
    end = hh.end_lineno or hh.lineno
    head_raises = _raises(hh)
    if _new_calls(bh, hh) or _stores_error(hh):
        return []  # the log or the raise may have moved into the new call, or the error is kept for later
    h_logs = [c for c in _own_nodes(hh.body) if isinstance(c, ast.Call) and _is_log(c)]
    # A handler that now logs the error and carries on made a visible choice (best-effort bookkeeping, a
    # fallback): on real history every such case was deliberate, so only a silent handler is a swallow.
    if _raises(bh) and not head_raises and not _returns_value(hh) and not h_logs:
        raised = next(n for n in _own_nodes(bh.body) if isinstance(n, ast.Raise))
        out.append(Removal("raise", hh.lineno, end, raised.lineno,
                           ast.get_source_segment(base_text, raised) or "raise", where))
    b_logs = [c for c in _own_nodes(bh.body) if isinstance(c, ast.Call) and _is_log(c)]
    if b_logs and not h_logs and not head_raises:
        first = b_logs[0]
        out.append(Removal("error-log", hh.lineno, end, first.lineno, f"`{dotted(first.func)}(...)`", where))
    return out


def _handler_calls(h: ast.ExceptHandler) -> set[str]:
    return {dotted(c.func) or "" for c in _own_nodes(h.body) if isinstance(c, ast.Call) and not _is_log(c)}


def _new_calls(bh: ast.ExceptHandler, hh: ast.ExceptHandler) -> bool:
    """Does the head handler call something the base one did not (a helper that may log or raise)?"""
    new = _handler_calls(hh) - _handler_calls(bh) - {""}
    return any(t not in PLAIN_CALLS and t.rsplit(".", maxsplit=1)[-1] not in PLAIN_CALLS for t in new)


def _stores_error(hh: ast.ExceptHandler) -> bool:
    """`failure = e`, `self.errors.append(e)`: the error is kept and dealt with later, not swallowed."""
    if hh.name is None:
        return False
    for n in _own_nodes(hh.body):
        if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and n.value is not None and any(
                isinstance(v, ast.Name) and v.id == hh.name for v in ast.walk(n.value)):
            return True
    return False
