"""Guards that JavaScript/TypeScript, Go and Java code still present lost between base and head.
Pure: a path and two texts in, removals out.

The counterpart of guards_py.py for the languages `ast` cannot read, on tree-sitter's grammars, with
the same idea of "the same code": the enclosing function (its qualified name) and the call target,
not the line. Moved or reformatted code pairs up, a renamed local changes nothing, and code deleted
together with its guard has no partner, so nothing is said. A guard moved into a wrapper or a client
default is on another target, so it is not reported either. Tree-sitter always returns a tree; a side
with a syntax error is not compared at all, to stay precise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tree_sitter import Node

from github_app.analyzers.guards_py import PLAIN_CALLS, Removal
from github_app.grammars import GRAMMARS as _GRAMMARS
from github_app.grammars import parse as _parse_tree

MODULE = "<module>"

# JS/TS option names that bound a call; `signal` only when its value is a timeout (AbortSignal.timeout).
JS_TIMEOUT_KEYS = frozenset({"timeout", "timeoutMs", "connectTimeout", "requestTimeout", "readTimeout",
                             "socketTimeout", "responseTimeout", "connectionTimeoutMillis", "connectTimeoutMS",
                             "socketTimeoutMS", "statement_timeout", "query_timeout"})
# Values that switch a timeout off (axios and node treat 0 as "none").
JS_NO_TIMEOUT = frozenset({"0", "undefined", "null", "false", "Infinity"})
JS_LOG_METHODS = frozenset({"error", "warn", "exception", "fatal", "log"})
JS_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "use", "options", "head"})
JS_AUTH_WORDS = ("auth", "requireuser", "isauthenticated", "ensureloggedin", "verifytoken", "jwt", "requirelogin",
                 "checkpermission", "requirerole", "requireadmin", "isadmin")
NEST_AUTH = frozenset({"UseGuards", "Roles"})
_JS_FUNCS = frozenset({"arrow_function", "function_expression", "function", "generator_function",
                       "function_declaration", "generator_function_declaration", "class", "class_declaration",
                       "abstract_class_declaration", "method_definition"})
_JS_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})

# Go struct literals whose *Timeout fields bound I/O; the idle ones only recycle connections.
GO_TIMEOUT_TYPES = frozenset({"http.Client", "net.Dialer", "http.Transport", "http.Server"})
GO_IDLE = frozenset({"IdleConnTimeout", "IdleTimeout"})
GO_LOG_PACKAGES = frozenset({"log", "slog", "logger", "klog", "glog", "logrus", "zap", "zerolog"})
GO_LOG_METHODS = frozenset({"Error", "Errorf", "Errorw", "Errorln", "Warn", "Warnf", "Warnw", "Warnln", "Warning",
                            "Warningf"})
GO_NOT_LOGS = frozenset({"fmt", "errors", "xerrors"})  # fmt.Errorf makes an error; it does not log one
GO_DEADLINES = frozenset({"context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause",
                          "context.WithDeadlineCause"})
GO_NO_DEADLINE = frozenset({"context.Background", "context.TODO"})
_GO_ERR = re.compile(r"(?:err|e|\w*(?:err|Err|Error))")

JAVA_TIMEOUT_METHODS = frozenset({"timeout", "connectTimeout", "readTimeout", "writeTimeout", "callTimeout",
                                  "responseTimeout", "setConnectTimeout", "setReadTimeout", "setSocketTimeout",
                                  "setConnectionRequestTimeout", "setResponseTimeout"})
JAVA_AUTH = frozenset({"PreAuthorize", "PostAuthorize", "Secured", "RolesAllowed"})
JAVA_RETRY_BOUNDS = frozenset({"maxAttempts", "maxAttemptsExpression", "backoff"})
JAVA_LOG_METHODS = frozenset({"error", "warn", "fatal", "atError", "atWarn"})
_JAVA_NESTED = frozenset({"lambda_expression", "class_body", "method_declaration"})


# --- trees and text --------------------------------------------------------------------------------

def _parse(suffix: str, text: str) -> Node | None:
    root = _parse_tree(suffix, text.encode("utf-8", "replace"))
    return None if root.has_error else root


def _text(n: Node | None) -> str:
    return (n.text or b"").decode("utf-8", "replace") if n is not None else ""


def _flat(n: Node | None) -> str:
    """Text without whitespace: the key that survives reformatting."""
    return "".join(_text(n).split())


def _what(n: Node) -> str:
    """As written in the base, its first line, without the statement's `;`."""
    lines = _text(n).strip().splitlines()
    return lines[0].strip().removesuffix(";").rstrip() if lines else ""


def _line(n: Node) -> int:
    return n.start_point.row + 1


def _end(n: Node) -> int:
    return n.end_point.row + 1


def _named(n: Node | None) -> list[Node]:
    return [c for c in n.named_children if c.type != "comment"] if n is not None else []


def _own(root: Node, nested: frozenset[str]) -> list[Node]:
    """`root` and what is under it, not descending into nested functions (their code runs elsewhere)."""
    out: list[Node] = []
    stack = [root]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(c for c in reversed(n.named_children) if c.type not in nested)
    return out


def _string(n: Node | None) -> str | None:
    """A string literal's content, quotes dropped (a formatter may swap them)."""
    if n is None or n.type not in ("string", "template_string", "interpreted_string_literal",
                                   "raw_string_literal", "string_literal"):
        return None
    if any(c.type in ("template_substitution", "escape_sequence") for c in n.named_children):
        return None
    return _text(n)[1:-1]


# --- scopes ----------------------------------------------------------------------------------------

@dataclass
class _Scope:
    node: Node | None
    name: str
    """As shown: `UserController.delete`, `fetchUser`, `<module>`."""
    facts: defaultdict[str, list[Node]] = field(default_factory=lambda: defaultdict(list))
    """What to pair, by kind and target (`call:axios.get`, `catch`, `iferr`), in source order."""


NameOf = Callable[[Node], tuple[str, str] | None]
Collect = Callable[[Node, defaultdict[str, list[Node]]], None]


def _scopes(root: Node, name_of: NameOf, collect: Collect) -> dict[str, _Scope]:
    """Qualified key -> scope. A key defined twice (redefinitions, same-named callbacks) cannot be
    paired with confidence, so it is dropped."""
    out = {MODULE: _Scope(None, MODULE)}
    twice: set[str] = set()
    stack: list[tuple[Node, str]] = [(root, MODULE)]
    while stack:
        node, key = stack.pop()
        if (own := name_of(node)) is not None:
            parent = out[key]
            new_key = own[0] if key == MODULE else f"{key}.{own[0]}"
            if new_key in out:
                twice.add(new_key)
            else:
                out[new_key] = _Scope(node, own[1] if key == MODULE else f"{parent.name}.{own[1]}")
            key = new_key
        collect(node, out[key].facts)
        stack.extend((c, key) for c in reversed(node.named_children))
    # What is nested in a twice-defined scope mixes both definitions: dropped with it.
    return {k: v for k, v in out.items() if k not in twice and not any(k.startswith(f"{t}.") for t in twice)}


def _pairs(base: list[Node], head: list[Node], key_of: Callable[[Node], str] | None = None
           ) -> list[tuple[Node, Node]]:
    """In order when the counts agree, else by `key_of` (the first argument) when unique on both sides;
    unpaired nodes were added or deleted, which is not a removed guard."""
    if len(base) == len(head):
        return list(zip(base, head, strict=True))
    if key_of is None:
        return []
    by_key: defaultdict[str, list[Node]] = defaultdict(list)
    for n in head:
        by_key[key_of(n)].append(n)
    base_keys = [key_of(n) for n in base]
    return [(n, by_key[k][0]) for n, k in zip(base, base_keys, strict=True)
            if len(by_key.get(k, ())) == 1 and base_keys.count(k) == 1]


# --- error handlers, all languages -----------------------------------------------------------------

@dataclass(frozen=True)
class _Handled:
    """What one error handler (catch, .catch callback, `if err != nil` block) does with the error."""
    node: Node
    thrown: Node | None
    """The base statement to cite when it is gone: the first throw, or Go's first `return ... err`."""
    raises: bool
    """The error still leaves: throw, panic, a Go return of a non-nil error."""
    returns_value: bool
    logs: list[Node]
    hands_on: bool
    """The error is passed to a call or stored (`next(err)`, `reject(err)`, `ch <- err`): not swallowed."""
    calls: frozenset[str] = frozenset()
    """Last names of what the handler calls, its logs aside: a new one may log or raise for it now."""
    guarded: frozenset[str] = frozenset()
    """Last names of the calls the handler guards (its `try` block, the call that set `err`)."""


def _hands_on(root: Node, own: list[Node], name: str | None, logs: list[Node], idents: frozenset[str],
              args: str, assigns: dict[str, str], is_check: Callable[[Node], bool]) -> bool:
    if not name:
        return False
    log_ids = {n.id for n in logs}
    for ident in own:
        if ident.type not in idents or _text(ident) != name:
            continue
        handed, n = False, ident
        while n.id != root.id and (p := n.parent) is not None:
            if p.id in log_ids:  # only logged: that is what error-log is about
                handed = False
                break
            passed = p.type == args and p.parent is not None and not is_check(p.parent)
            stored = p.type in assigns and p.child_by_field_name(assigns[p.type]) == n
            handed = handed or passed or stored
            n = p
        if handed:
            return True
    return False


_CALLS = frozenset({"call_expression", "method_invocation", "new_expression"})
# Calls that neither log nor carry an error, in the tree languages' spelling.
_PLAIN = PLAIN_CALLS | {"String", "Error", "toString", "stringify", "Sprintf", "Errorf", "New", "getMessage"}


def _callee_name(call: Node) -> str:
    if call.type == "method_invocation":
        return _text(call.child_by_field_name("name"))
    fn = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    return _flat(fn).rsplit(".", maxsplit=1)[-1]


def _callees(nodes: Sequence[Node], skip: Sequence[Node] = ()) -> frozenset[str]:
    skip_ids = {n.id for n in skip}
    return frozenset(_callee_name(n) for n in nodes if n.type in _CALLS and n.id not in skip_ids) - {""}


def _guarded(handler: Node) -> frozenset[str]:
    """What a handler guards: a catch's try block, the promise a `.catch` callback hangs on, the statement
    that set Go's `err` (the if's initializer, else the statement before it)."""
    region: Node | None = None
    parent = handler.parent
    if handler.type == "catch_clause" and parent is not None:
        region = parent.child_by_field_name("body")
    elif handler.type == "if_statement":
        region = handler.child_by_field_name("initializer") or handler.prev_named_sibling
    elif parent is not None and parent.type == "arguments" and parent.parent is not None:
        member = parent.parent.child_by_field_name("function")
        region = member.child_by_field_name("object") if member is not None else None
    return _callees(_own(region, frozenset())) if region is not None else frozenset()


def _handler_removals(b: _Handled, h: _Handled, where: str, log_name: Callable[[Node], str]) -> list[Removal]:
    out: list[Removal] = []
    node = h.node
    if (b.guarded or h.guarded) and not b.guarded & h.guarded:
        return out  # paired by position, but they guard different code: one handler went, another came
    if any(c not in _PLAIN for c in h.calls - b.calls):
        return out  # the log or the raise may have moved into the new call
    # A handler that now logs the error and carries on made a visible choice (best-effort bookkeeping, a
    # fallback): on real history every such case was deliberate, so only a silent handler is a swallow.
    if b.thrown is not None and b.raises and not h.raises and not h.returns_value and not h.hands_on \
            and not h.logs:
        out.append(Removal("raise", _line(node), _end(node), _line(b.thrown), _what(b.thrown), where))
    if b.logs and not h.logs and not h.raises and not h.hands_on:
        first = b.logs[0]
        out.append(Removal("error-log", _line(node), _end(node), _line(first), f"`{log_name(first)}(...)`", where))
    return out


# --- JavaScript / TypeScript -----------------------------------------------------------------------

def _unwrap(n: Node | None) -> Node | None:
    while n is not None and n.type in ("parenthesized_expression", "as_expression", "satisfies_expression",
                                       "non_null_expression", "await_expression"):
        n = _named(n)[0] if _named(n) else None
    return n


def _js_key(n: Node | None) -> str | None:
    if n is None or n.type == "computed_property_name":
        return None
    s = _string(n)
    return s if s is not None else _text(n)


def _js_object_path(member: Node, key: str | None) -> str | None:
    """`api.users.list` for `list` in `const api = { users: { list: ... } }`."""
    obj = member.parent
    holder = obj.parent if obj is not None and obj.type == "object" else None
    if key is None or holder is None:
        return key
    if holder.type == "pair" and (outer := _js_object_path(holder, _js_key(holder.child_by_field_name("key")))):
        return f"{outer}.{key}"
    if holder.type == "variable_declarator" and (name := holder.child_by_field_name("name")) is not None \
            and name.type == "identifier":
        return f"{_text(name)}.{key}"
    if holder.type == "assignment_expression":
        return f"{_flat(holder.child_by_field_name('left'))}.{key}"
    return key


def _callback_name(fn: Node, args: Node, callee: str) -> str | None:
    """A callback of `app.get('/users', ...)` or `emitter.on('error', ...)` is named by that call, so
    route handlers pair by route, not by their order in the file."""
    items = _named(args)
    path = _string(items[0]) if items else None
    if path is None:
        return None
    name = f"{callee}({path})"
    return name if items[-1] == fn else f"{name}[{items.index(fn)}]"


def _js_name_of(node: Node) -> tuple[str, str] | None:
    t = node.type
    name: str | None = None
    if t in ("function_declaration", "generator_function_declaration", "class_declaration",
             "abstract_class_declaration", "method_definition"):
        n = node.child_by_field_name("name")
        name = _js_key(n) if n is not None else None
        if t == "method_definition":
            name = _js_object_path(node, name)
    elif t in ("arrow_function", "function_expression", "function", "generator_function", "class"):
        p = node.parent
        if p is None:
            return None
        if p.type == "variable_declarator" and p.child_by_field_name("value") == node:
            n = p.child_by_field_name("name")
            name = _text(n) if n is not None and n.type == "identifier" else None
        elif p.type == "assignment_expression" and p.child_by_field_name("right") == node:
            name = _flat(p.child_by_field_name("left"))
        elif p.type == "pair" and p.child_by_field_name("value") == node:
            name = _js_object_path(p, _js_key(p.child_by_field_name("key")))
        elif p.type in ("field_definition", "public_field_definition"):
            name = _js_key(p.child_by_field_name("property") or p.child_by_field_name("name"))
        elif p.type == "arguments" and p.parent is not None:
            call = p.parent
            name = _callback_name(node, p, _flat(call.child_by_field_name("function")
                                                 or call.child_by_field_name("constructor")))
    return (name, name) if name else None


def _js_collect(node: Node, facts: defaultdict[str, list[Node]]) -> None:
    t = node.type
    if t == "call_expression":
        callee = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if callee is None or callee.type in _JS_FUNCS or callee.type == "parenthesized_expression":
            return
        target = _flat(callee)
        facts[f"call:{target}"].append(node)
        if callee.type != "member_expression" or args is None or args.type != "arguments":
            return
        prop = _text(callee.child_by_field_name("property"))
        items = _named(args)
        if prop == "catch" and items and items[0].type in _JS_FUNCS:
            facts["promise-catch"].append(items[0])
        elif prop in JS_ROUTE_METHODS and len(items) >= 2 and (path := _string(items[0])) is not None:
            facts[f"route:{target} {path}"].append(node)
    elif t == "new_expression" and (ctor := node.child_by_field_name("constructor")) is not None:
        facts[f"call:new {_flat(ctor)}"].append(node)
    elif t == "catch_clause":
        facts["catch"].append(node)


def _js_first_arg(call: Node) -> str:
    items = _named(call.child_by_field_name("arguments"))
    if not items:
        return ""
    s = _string(items[0])
    return s if s is not None else _flat(items[0])


def _js_props(call: Node) -> tuple[dict[str, Node], bool]:
    """Dotted property path -> its `pair` (or shorthand) in the call's object-literal arguments, and
    whether a spread (`...opts`) may carry more."""
    props: dict[str, Node] = {}
    spread = False

    def visit(obj: Node, prefix: str) -> None:
        nonlocal spread
        for c in _named(obj):
            if c.type == "spread_element":
                spread = True
            elif c.type == "shorthand_property_identifier":
                props.setdefault(prefix + _text(c), c)
            elif c.type == "pair" and (key := _js_key(c.child_by_field_name("key"))) is not None:
                props.setdefault(prefix + key, c)
                value = _unwrap(c.child_by_field_name("value"))
                if value is not None and value.type == "object":
                    visit(value, f"{prefix}{key}.")

    for a in _named(call.child_by_field_name("arguments")):
        if a.type == "spread_element":
            spread = True
        elif (obj := _unwrap(a)) is not None and obj.type == "object":
            visit(obj, "")
    return props, spread


def _js_value(prop: Node) -> Node | None:
    return prop.child_by_field_name("value") if prop.type == "pair" else None


def _js_call(target: str, bc: Node, hc: Node) -> list[Removal]:
    b_props, _ = _js_props(bc)
    h_props, h_spread = _js_props(hc)
    if h_spread or not b_props:
        return []
    # An argument or option the call gained may carry the timeout now (`{ params: { timeout } }`).
    gained = len(_named(hc.child_by_field_name("arguments"))) > len(_named(bc.child_by_field_name("arguments"))) \
        or bool(set(h_props) - set(b_props))
    out = []
    where = f"this `{target}` call"
    for path, prop in b_props.items():
        key = path.rsplit(".", maxsplit=1)[-1]
        value, head = _js_value(prop), h_props.get(path)
        is_timeout = key in JS_TIMEOUT_KEYS or (key == "signal" and "timeout" in _text(value).lower())
        if is_timeout and _flat(value) not in JS_NO_TIMEOUT and (
                (head is None and not gained) or (head is not None and _flat(_js_value(head)) in JS_NO_TIMEOUT)):
            out.append(Removal("timeout", _line(hc), _end(hc), _line(prop), _what(prop), where))
        if (key == "rejectUnauthorized" and value is not None and value.type != "false" and head is not None
                and (hv := _js_value(head)) is not None and hv.type == "false"):
            out.append(Removal("tls", _line(hc), _end(hc), _line(prop), _what(prop), where))
    return out


def _js_mw_name(n: Node) -> str | None:
    if n.type in ("identifier", "member_expression"):
        return _flat(n)
    if n.type == "call_expression":
        return _flat(n.child_by_field_name("function"))
    return None


def _auth_like(name: str, words: Sequence[str], extra: Sequence[str]) -> bool:
    last = name.rsplit(".", maxsplit=1)[-1]
    return name in extra or last in extra or any(w in name.lower() for w in words)


def _js_route(target: str, bc: Node, hc: Node, extra: Sequence[str]) -> list[Removal]:
    """Middleware between the path and the handler (the last argument) that checked the caller."""
    def middleware(call: Node) -> list[Node]:
        found = []
        for a in _named(call.child_by_field_name("arguments"))[1:]:
            found += _named(a) if a.type == "array" else [a]
        return found

    h_args = middleware(hc)
    if any(a.type == "spread_element" for a in h_args):
        return []
    h_names = {_js_mw_name(a) for a in h_args}
    out = []
    for a in middleware(bc)[:-1]:
        name = _js_mw_name(a)
        if name and name not in h_names and _auth_like(name, JS_AUTH_WORDS, extra):
            out.append(Removal("auth", _line(hc), _end(hc), _line(a), _what(a), f"this `{target}` route"))
    return out


def _js_decorators(node: Node) -> list[Node]:
    """JS puts a method's decorators under it, TypeScript before it in the class body, and an
    exported class's on the export statement."""
    found = [c for c in node.named_children if c.type == "decorator"]
    p = node.parent
    if node.type in _JS_CLASSES and p is not None and p.type == "export_statement":
        found += [c for c in p.named_children if c.type == "decorator"]
    if node.type == "method_definition" and p is not None and p.type == "class_body":
        s = node.prev_named_sibling
        while s is not None and s.type in ("decorator", "comment"):
            found += [s] if s.type == "decorator" else []
            s = s.prev_named_sibling
    return found


def _js_decorator_name(d: Node) -> str:
    inner = _named(d)[0] if _named(d) else None
    if inner is not None and inner.type == "call_expression":
        inner = inner.child_by_field_name("function")
    return _flat(inner)


def _js_auth_decorators(b: _Scope, h: _Scope, extra: Sequence[str]) -> list[Removal]:
    if b.node is None or h.node is None or b.node.type not in (*_JS_CLASSES, "method_definition"):
        return []
    h_names = {_js_decorator_name(d) for d in _js_decorators(h.node)}
    anchor = h.node.child_by_field_name("name") or h.node
    out = []
    for d in _js_decorators(b.node):
        name = _js_decorator_name(d)
        last = name.rsplit(".", maxsplit=1)[-1]
        if name not in h_names and (last in NEST_AUTH or last in extra or name in extra):
            out.append(Removal("auth", _line(anchor), _end(h.node), _line(d), _what(d), f"`{h.name}`"))
    return out


def _js_is_log(call: Node) -> bool:
    callee = call.child_by_field_name("function")
    if callee is None:
        return False
    if callee.type == "identifier":
        return _text(callee) == "captureException"
    if callee.type != "member_expression":
        return False
    prop = _text(callee.child_by_field_name("property"))
    receiver = _text(callee.child_by_field_name("object")).lower()
    return prop == "captureException" or (prop in JS_LOG_METHODS and ("console" in receiver or "log" in receiver))


def _js_param(fn: Node) -> str | None:
    p = fn.child_by_field_name("parameter")
    if p is None:
        params = _named(fn.child_by_field_name("parameters"))
        p = params[0] if params else None
        if p is not None and p.type in ("required_parameter", "optional_parameter"):
            p = p.child_by_field_name("pattern")
    return _text(p) if p is not None and p.type == "identifier" else None


def _js_handled(node: Node) -> _Handled | None:
    if node.type == "catch_clause":
        body, param = node.child_by_field_name("body"), node.child_by_field_name("parameter")
        name = _text(param) if param is not None and param.type == "identifier" else None
    else:
        body, name = node.child_by_field_name("body"), _js_param(node)
    if body is None:
        return None
    own = _own(body, _JS_FUNCS)
    logs = [n for n in own if n.type == "call_expression" and _js_is_log(n)]
    throws = [n for n in own if n.type == "throw_statement"]

    def has_value(expr: Node | None) -> bool:
        return expr is not None and expr.type not in ("undefined", "null") and expr not in logs

    returns = any(n.type == "return_statement" and has_value(next(iter(_named(n)), None)) for n in own)
    if body.type != "statement_block":  # `err => fallback`: an arrow's expression body is its return value
        returns = returns or has_value(_unwrap(body))
    handed = _hands_on(body, own, name, logs, frozenset({"identifier", "shorthand_property_identifier"}),
                       "arguments", {"assignment_expression": "right"}, lambda _: False)
    return _Handled(node, throws[0] if throws else None, bool(throws), returns, logs, handed,
                    _callees(own, logs), _guarded(node))


def _js_log_name(call: Node) -> str:
    return _flat(call.child_by_field_name("function"))


def _js_compare(b: _Scope, h: _Scope, extra: Sequence[str]) -> list[Removal]:
    out: list[Removal] = []
    for key, h_nodes in h.facts.items():
        b_nodes = b.facts.get(key, [])
        if key.startswith("call:"):
            for bc, hc in _pairs(b_nodes, h_nodes, _js_first_arg):
                out += _js_call(key.removeprefix("call:"), bc, hc)
        elif key.startswith("route:"):
            for bc, hc in _pairs(b_nodes, h_nodes):
                out += _js_route(key.removeprefix("route:").split(" ", maxsplit=1)[0], bc, hc, extra)
        elif key in ("catch", "promise-catch"):
            where = "this `catch` handler" if key == "catch" else "this `.catch` handler"
            for bn, hn in _pairs(b_nodes, h_nodes):
                if (bh := _js_handled(bn)) is not None and (hh := _js_handled(hn)) is not None:
                    out += _handler_removals(bh, hh, where, _js_log_name)
    return out + _js_auth_decorators(b, h, extra)


# --- Go ----------------------------------------------------------------------------------------------

def _go_name_of(node: Node) -> tuple[str, str] | None:
    name: str | None = None
    if node.type == "function_declaration":
        name = _text(node.child_by_field_name("name"))
    elif node.type == "method_declaration":
        receiver = node.child_by_field_name("receiver")
        types = [n for n in _own(receiver, frozenset()) if n.type == "type_identifier"] if receiver else []
        recv = _text(types[0]) if types else ""
        name = f"{recv}.{_text(node.child_by_field_name('name'))}" if recv else None
    elif node.type == "func_literal" and (p := node.parent) is not None:
        if p.type == "argument_list" and p.parent is not None:
            name = _callback_name(node, p, _flat(p.parent.child_by_field_name("function")))
        elif p.type == "expression_list" and p.parent is not None and p.parent.type == "var_spec":
            name = _text(p.parent.child_by_field_name("name"))
    return (name, name) if name else None


def _go_err_name(ifs: Node) -> str | None:
    """`err` for `if err != nil`, whatever the variable is called."""
    cond = ifs.child_by_field_name("condition")
    if cond is None or cond.type != "binary_expression" or _text(cond.child_by_field_name("operator")) != "!=":
        return None
    left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or right.type != "nil":
        return None
    return _text(left) if _GO_ERR.fullmatch(_text(left)) else None


def _go_assigned(node: Node) -> tuple[str, Node] | None:
    """(first name, call) for `ctx, cancel := context.X(...)`, `ctx = context.X(...)`, `var ctx = ...`."""
    if node.type in ("short_var_declaration", "assignment_statement"):
        left, right = _named(node.child_by_field_name("left")), _named(node.child_by_field_name("right"))
    elif node.type == "var_spec":
        left, right = [*node.children_by_field_name("name")], _named(node.child_by_field_name("value"))
    else:
        return None
    if not left or len(right) != 1 or right[0].type != "call_expression" or left[0].type != "identifier":
        return None
    return (_text(left[0]), right[0]) if _go_callee(right[0]).startswith("context.") else None


def _go_callee(call: Node) -> str:
    return _flat(call.child_by_field_name("function"))


def _go_collect(node: Node, facts: defaultdict[str, list[Node]]) -> None:
    if node.type == "composite_literal":
        typ = _flat(node.child_by_field_name("type"))
        if typ in GO_TIMEOUT_TYPES or typ == "tls.Config":
            facts[f"lit:{typ}"].append(node)
    elif node.type == "if_statement" and _go_err_name(node) is not None:
        facts["iferr"].append(node)
    elif (assigned := _go_assigned(node)) is not None:
        facts[f"ctx:{assigned[0]}"].append(node)


def _go_fields(lit: Node) -> dict[str, Node]:
    body = lit.child_by_field_name("body")
    out: dict[str, Node] = {}
    for kv in _named(body):
        if kv.type == "keyed_element" and (parts := _named(kv)):
            out.setdefault(_flat(parts[0]), kv)
    return out


def _go_set_later(lit: Node, name: str) -> bool:
    """`c := &http.Client{}` then `c.Timeout = d`: the field is still set, by assignment."""
    fn = lit.parent
    while fn is not None and fn.type not in ("function_declaration", "method_declaration", "func_literal"):
        fn = fn.parent
    return fn is not None and f".{name}=" in _flat(fn)


def _go_literal(typ: str, bl: Node, hl: Node) -> list[Removal]:
    b_fields, h_fields = _go_fields(bl), _go_fields(hl)
    where = f"this `{typ}` literal"
    out = []
    for name, kv in b_fields.items():
        if typ in GO_TIMEOUT_TYPES and name.endswith("Timeout") and name not in GO_IDLE and name not in h_fields \
                and not _go_set_later(hl, name):
            out.append(Removal("timeout", _line(hl), _end(hl), _line(kv), _what(kv), where))
    b_skip, h_skip = b_fields.get("InsecureSkipVerify"), h_fields.get("InsecureSkipVerify")
    if typ == "tls.Config" and b_skip is not None and h_skip is not None \
            and _flat(_named(b_skip)[-1]) == "false" and _flat(_named(h_skip)[-1]) == "true":
        out.append(Removal("tls", _line(hl), _end(hl), _line(b_skip), _what(b_skip), where))
    return out


def _go_context(name: str, ba: Node, ha: Node) -> list[Removal]:
    b_call, h_call = _go_assigned(ba), _go_assigned(ha)
    if b_call is None or h_call is None:
        return []
    if _go_callee(b_call[1]) in GO_DEADLINES and _go_callee(h_call[1]) in GO_NO_DEADLINE:
        return [Removal("timeout", _line(ha), _end(ha), _line(b_call[1]), _what(b_call[1]),
                        f"this `{name}` assignment")]
    return []


def _go_is_log(call: Node) -> bool:
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "selector_expression":
        return False
    operand = _text(callee.child_by_field_name("operand"))
    method = _text(callee.child_by_field_name("field"))
    words = [w.lower() for w in re.split(r"\W+", operand) if w]
    if words and words[0] in GO_NOT_LOGS:
        return False
    if any(w in GO_LOG_PACKAGES or w.endswith("logger") for w in words) or method == "CaptureException":
        return True
    # zap/zerolog style `.Error(msg)`; `err.Error()` has no argument and is not a log.
    return method in GO_LOG_METHODS and bool(_named(call.child_by_field_name("arguments")))


def _go_named_results(node: Node) -> bool:
    """A bare `return` in a func with named results returns the named error."""
    fn = node.parent
    while fn is not None and fn.type not in ("function_declaration", "method_declaration", "func_literal"):
        fn = fn.parent
    result = fn.child_by_field_name("result") if fn is not None else None
    return result is not None and result.type == "parameter_list" and any(
        p.child_by_field_name("name") is not None for p in _named(result))


def _go_handled(ifs: Node) -> _Handled | None:
    name, block = _go_err_name(ifs), ifs.child_by_field_name("consequence")
    if name is None or block is None:
        return None
    own = _own(block, frozenset({"func_literal"}))
    logs = [n for n in own if n.type == "call_expression" and _go_is_log(n)]
    returns = [n for n in own if n.type == "return_statement"]
    thrown = next((r for r in returns if any(i.type == "identifier" and _text(i) == name
                                             for i in _own(r, frozenset()))), None)

    def errors_out(r: Node) -> bool:
        values = _named(_named(r)[0]) if _named(r) else []
        return _flat(values[-1]) != "nil" if values else _go_named_results(ifs)

    exits = any(n.type == "call_expression" and (_go_callee(n) == "panic" or _go_callee(n).startswith(
        ("log.Fatal", "log.Panic", "os.Exit"))) for n in own)
    handed = _hands_on(block, own, name, logs, frozenset({"identifier"}), "argument_list",
                       {"assignment_statement": "right", "short_var_declaration": "right", "send_statement": "value"},
                       lambda call: _go_callee(call) in ("errors.Is", "errors.As"))
    return _Handled(ifs, thrown, exits or any(errors_out(r) for r in returns), False, logs, handed,
                    _callees(own, logs), _guarded(ifs))


def _go_compare(b: _Scope, h: _Scope, extra: Sequence[str]) -> list[Removal]:
    out: list[Removal] = []
    for key, h_nodes in h.facts.items():
        pairs = _pairs(b.facts.get(key, []), h_nodes)
        kind, _, name = key.partition(":")
        for bn, hn in pairs:
            if kind == "lit":
                out += _go_literal(name, bn, hn)
            elif kind == "ctx":
                out += _go_context(name, bn, hn)
            elif (bh := _go_handled(bn)) is not None and (hh := _go_handled(hn)) is not None:
                cond = " ".join(_text(hn.child_by_field_name("condition")).split())
                out += _handler_removals(bh, hh, f"this `if {cond}` block", _go_callee)
    return out


# --- Java --------------------------------------------------------------------------------------------

def _java_name_of(node: Node) -> tuple[str, str] | None:
    if node.type in ("class_declaration", "interface_declaration", "enum_declaration", "record_declaration"):
        name = _text(node.child_by_field_name("name"))
        return (name, name) if name else None
    if node.type in ("method_declaration", "constructor_declaration"):
        # Overloads are different methods: the key carries the parameter types, the name shown does not.
        name = _text(node.child_by_field_name("name"))
        params = _named(node.child_by_field_name("parameters"))
        types = ",".join(_flat(p.child_by_field_name("type") or p) for p in params)
        return (f"{name}({types})", name)
    return None


def _java_chain(call: Node) -> tuple[str, list[Node]]:
    """The chain's root target (`HttpRequest.newBuilder`, `OkHttpClient.Builder`) and its method calls."""
    methods: list[Node] = []
    n = call
    while True:
        obj = n.child_by_field_name("object")
        name = _text(n.child_by_field_name("name"))
        if obj is not None and obj.type == "method_invocation":
            methods.append(n)
            n = obj
        elif obj is None:
            return name, methods
        elif obj.type == "object_creation_expression":
            return _flat(obj.child_by_field_name("type")), [*methods, n]
        else:
            return f"{_flat(obj)}.{name}", methods


def _java_collect(node: Node, facts: defaultdict[str, list[Node]]) -> None:
    if node.type == "method_invocation":
        p = node.parent
        if p is not None and p.type == "method_invocation" and p.child_by_field_name("object") == node:
            return  # a link of a longer chain, collected with its outermost call
        facts[f"chain:{_java_chain(node)[0]}"].append(node)
    elif node.type == "catch_clause":
        facts["catch"].append(node)


def _java_timeouts(root: str, bc: Node, hc: Node) -> list[Removal]:
    h_names = {_text(m.child_by_field_name("name")) for m in _java_chain(hc)[1]}
    out = []
    for m in _java_chain(bc)[1]:
        name_node = m.child_by_field_name("name")
        name = _text(name_node)
        if name in JAVA_TIMEOUT_METHODS and name not in h_names and name_node is not None:
            written = f".{name}{_what(m.child_by_field_name('arguments') or m)}"
            out.append(Removal("timeout", _line(hc), _end(hc), _line(name_node), written,
                               f"this `{root}` chain"))
    return out


def _java_is_log(call: Node) -> bool:
    receiver = _text(call.child_by_field_name("object")).rsplit(".", maxsplit=1)[-1].lower()
    return _text(call.child_by_field_name("name")) in JAVA_LOG_METHODS and (
        receiver == "log" or receiver.endswith("logger"))


def _java_handled(clause: Node) -> _Handled | None:
    body = clause.child_by_field_name("body")
    param = next((c for c in clause.named_children if c.type == "catch_formal_parameter"), None)
    if body is None:
        return None
    name = _text(param.child_by_field_name("name")) if param is not None else None
    own = _own(body, _JAVA_NESTED)
    logs = [n for n in own if n.type == "method_invocation" and _java_is_log(n)]
    throws = [n for n in own if n.type == "throw_statement"]
    returns = any(n.type == "return_statement" and _named(n) and _named(n)[0].type != "null_literal" for n in own)
    handed = _hands_on(body, own, name, logs, frozenset({"identifier"}), "argument_list",
                       {"assignment_expression": "right"}, lambda _: False)
    return _Handled(clause, throws[0] if throws else None, bool(throws), returns, logs, handed,
                    _callees(own, logs), _guarded(clause))


def _java_log_name(call: Node) -> str:
    return f"{_flat(call.child_by_field_name('object'))}.{_text(call.child_by_field_name('name'))}"


def _java_annotations(node: Node | None) -> list[Node]:
    if node is None:
        return []
    mods = next((c for c in node.named_children if c.type == "modifiers"), None)
    return [a for a in _named(mods) if a.type in ("annotation", "marker_annotation")]


def _java_annotation_name(a: Node) -> str:
    return _flat(a.child_by_field_name("name")).rsplit(".", maxsplit=1)[-1]


def _java_element_pairs(a: Node) -> dict[str, Node]:
    return {_text(p.child_by_field_name("key")): p for p in _named(a.child_by_field_name("arguments"))
            if p.type == "element_value_pair"}


def _java_annotation_removals(b: _Scope, h: _Scope, extra: Sequence[str]) -> list[Removal]:
    if h.node is None:
        return []
    b_annotations, h_annotations = _java_annotations(b.node), _java_annotations(h.node)
    h_by_name = {_java_annotation_name(a): a for a in h_annotations}
    anchor = h.node.child_by_field_name("name") or h.node
    out = []
    for a in b_annotations:
        name = _java_annotation_name(a)
        if (name in JAVA_AUTH or name in extra or _flat(a.child_by_field_name("name")) in extra) \
                and name not in h_by_name:
            out.append(Removal("auth", _line(anchor), _end(h.node), _line(a), _what(a), f"`{h.name}`"))
        if name == "Retryable" and (ha := h_by_name.get(name)) is not None:
            h_pairs = _java_element_pairs(ha)
            for key, pair in _java_element_pairs(a).items():
                if key in JAVA_RETRY_BOUNDS and key not in h_pairs:
                    out.append(Removal("retry-bound", _line(ha), _end(ha), _line(pair), _what(pair),
                                       f"`@Retryable` on `{h.name}`"))
    return out


def _java_compare(b: _Scope, h: _Scope, extra: Sequence[str]) -> list[Removal]:
    out: list[Removal] = []
    for key, h_nodes in h.facts.items():
        for bn, hn in _pairs(b.facts.get(key, []), h_nodes):
            if key.startswith("chain:"):
                out += _java_timeouts(key.removeprefix("chain:"), bn, hn)
            elif (bh := _java_handled(bn)) is not None and (hh := _java_handled(hn)) is not None:
                out += _handler_removals(bh, hh, "this `catch` handler", _java_log_name)
    return out + _java_annotation_removals(b, h, extra)


# --- entry point -------------------------------------------------------------------------------------

Compare = Callable[[_Scope, _Scope, Sequence[str]], list[Removal]]
_RULES: dict[str, tuple[NameOf, Collect, Compare]] = {
    "js": (_js_name_of, _js_collect, _js_compare),
    "go": (_go_name_of, _go_collect, _go_compare),
    "java": (_java_name_of, _java_collect, _java_compare),
}


def removals(path: str, base_text: str, head_text: str, auth_names: Sequence[str] = ()) -> list[Removal]:
    """What guards code present on both sides lost; [] for another language or when a side has a syntax
    error."""
    suffix = PurePosixPath(path).suffix
    if suffix not in _GRAMMARS:
        return []
    base, head = _parse(suffix, base_text), _parse(suffix, head_text)
    if base is None or head is None:
        return []
    name_of, collect, compare = _RULES[_GRAMMARS[suffix][0]]
    b_scopes, h_scopes = _scopes(base, name_of, collect), _scopes(head, name_of, collect)
    out: list[Removal] = []
    for key, h in h_scopes.items():
        if (b := b_scopes.get(key)) is not None:
            out += compare(b, h, auth_names)
    return sorted(out, key=lambda r: (r.line, r.kind, r.what))
