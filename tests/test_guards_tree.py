"""Removed guards in JavaScript/TypeScript, Go and Java: code still present that lost its timeout, log,
raise, auth check, retry bound or TLS verification (guards_tree.py)."""

from __future__ import annotations

import pytest

from github_app.analyzers.guards_tree import _parse, removals


def _kinds(path: str, base: str, head: str, auth: tuple[str, ...] = ()) -> list[tuple[str, int, str]]:
    return [(r.kind, r.line, r.what) for r in removals(path, base, head, auth)]


def _parses(path: str, text: str) -> bool:
    """A near miss that does not parse would pass for the wrong reason."""
    return _parse(path[path.rindex("."):], text) is not None


def _sub(text: str, *edits: tuple[str, str]) -> str:
    """The edits, each of which must apply: a test whose head equals its base could not fail."""
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


# --- JavaScript ----------------------------------------------------------------------------------------

JS = """const axios = require('axios');
const logger = require('./logger');

async function fetchUser(id) {
  try {
    const resp = await axios.get(`/users/${id}`, { timeout: 5000 });
    return resp.data;
  } catch (err) {
    logger.error('fetch failed', err);
    throw err;
  }
}

function loadAll(ids) {
  return Promise.all(ids.map(fetchUser)).catch((err) => {
    console.error(err);
    throw err;
  });
}

app.delete('/users/:id', requireAuth, async (req, res) => {
  res.send(await fetchUser(req.params.id));
});

const agent = new https.Agent({ rejectUnauthorized: true, keepAlive: true });
"""


def test_js_timeout_log_raise_auth_and_tls_removed() -> None:
    head = _sub(JS, (", { timeout: 5000 }", ""), ("    logger.error('fetch failed', err);\n    throw err;\n", ""),
                ("requireAuth, ", ""), ("rejectUnauthorized: true", "rejectUnauthorized: false"))
    assert _kinds("src/users.js", JS, head) == [
        ("timeout", 6, "timeout: 5000"), ("error-log", 8, "`logger.error(...)`"), ("raise", 8, "throw err"),
        ("auth", 19, "requireAuth"), ("tls", 23, "rejectUnauthorized: true")]
    only = removals("src/users.js", JS, head)
    assert [(r.end_line, r.base_line, r.where) for r in only[:2]] == [(6, 6, "this `axios.get` call"),
                                                                       (9, 9, "this `catch` handler")]


def test_js_promise_catch_handlers() -> None:
    # Logged and carried on: the raise is gone but the log is not, a choice in plain sight, not a swallow.
    logged = _sub(JS, ("    console.error(err);\n    throw err;\n", "    console.error(err);\n    return undefined;\n"))
    assert _kinds("src/users.mjs", JS, logged) == []
    dropped = _sub(JS, ("    console.error(err);\n    throw err;\n", "    return undefined;\n"))
    assert _kinds("src/users.mjs", JS, dropped) == [("error-log", 15, "`console.error(...)`"),
                                                    ("raise", 15, "throw err")]
    # Logged and a fallback value returned: the caller gets an answer, which is not swallowing the error.
    fallback = _sub(JS, ("    console.error(err);\n    throw err;\n", "    console.error(err);\n    return [];\n"))
    assert _kinds("src/users.mjs", JS, fallback) == []
    # A fallback value and no log: the failure leaves no trace, but the value is returned, so no raise.
    silent = _sub(JS, ("(err) => {\n    console.error(err);\n    throw err;\n  }", "() => []"))
    assert _kinds("src/users.cjs", JS, silent) == [("error-log", 15, "`console.error(...)`")]
    # Handed on to the caller's callback: not swallowed.
    handed = _sub(JS, ("    console.error(err);\n    throw err;\n", "    done(err);\n"))
    assert _kinds("src/users.js", JS, handed) == []


def test_js_timeouts_switched_off_and_auth_middleware_by_name() -> None:
    base = ("export function ping(url) {\n  return fetch(url, { signal: AbortSignal.timeout(2000) });\n}\n"
            "export function slow(url) {\n  return got(url, { timeout: 1000, retry: 2 });\n}\n"
            "router.post('/admin', [passport.authenticate('jwt'), audit], handler);\n"
            "router.get('/me', acmeGate, me);\n")
    head = _sub(base, ("{ signal: AbortSignal.timeout(2000) }", "{}"),
                ("timeout: 1000", "timeout: 0"), ("passport.authenticate('jwt'), ", ""), ("acmeGate, ", ""))
    assert _kinds("web/api.jsx", base, head, ("acmeGate",)) == [
        ("timeout", 2, "signal: AbortSignal.timeout(2000)"), ("timeout", 5, "timeout: 1000"),
        ("auth", 7, "passport.authenticate('jwt')"), ("auth", 8, "acmeGate")]
    # Without the policy's name, `acmeGate` is just middleware; `audit` never looked like auth.
    assert _kinds("web/api.jsx", base, _sub(base, ("acmeGate, ", ""), (", audit", ""))) == []
    # A signal is still passed, now the caller's: whether it has a deadline is not visible here.
    assert _kinds("web/api.jsx", base, _sub(base, ("AbortSignal.timeout(2000)", "controller.signal"))) == []


JS_NEAR_MISSES = {
    # Prettier-style: double quotes, one property a line, trailing commas; fetchUser moved below loadAll.
    "reformatted-and-moved": """const axios = require("axios");
const logger = require("./logger");

function loadAll(ids) {
  return Promise.all(ids.map(fetchUser)).catch((err) => { console.error(err); throw err; });
}

async function fetchUser(id) {
  try {
    const resp = await axios
      .get(`/users/${id}`, {
        timeout: 5000,
      });
    return resp.data;
  } catch (err) {
    logger.error(
      "fetch failed",
      err,
    );
    throw err;
  }
}

app.delete("/users/:id", requireAuth, async (req, res) => {
  res.send(await fetchUser(req.params.id));
});

const agent = new https.Agent({
  rejectUnauthorized: true,
  keepAlive: true,
});
""",
    "renamed-variables": _sub(JS, ("resp", "response"), ("(err)", "(e)"), ("err);", "e);"), ("throw err", "throw e")),
    # The timeout moved to a client default, the auth check to the router: other call targets.
    "moved-to-client-and-router": _sub(JS, ("await axios.get(`/users/${id}`, { timeout: 5000 })",
                                            "await api.get(`/users/${id}`)"),
                                       ("app.delete('/users/:id', requireAuth,", "admin.delete('/users/:id',")),
    # The try/catch deleted with its call; the route and the agent deleted outright.
    "deleted-with-its-guard": _sub(JS, ("  try {\n    const resp = await axios.get(`/users/${id}`, "
                                        "{ timeout: 5000 });\n    return resp.data;\n  } catch (err) {\n"
                                        "    logger.error('fetch failed', err);\n    throw err;\n  }\n",
                                        "  return cache.get(id);\n"),
                                   ("app.delete('/users/:id', requireAuth, async (req, res) => {\n"
                                    "  res.send(await fetchUser(req.params.id));\n});\n", ""),
                                   ("const agent = new https.Agent({ rejectUnauthorized: true, keepAlive: true });\n",
                                    "")),
    # The options now come from a spread, which may carry the timeout.
    "spread-options": _sub(JS, ("{ timeout: 5000 }", "{ ...defaults }")),
}


@pytest.mark.parametrize("head", JS_NEAR_MISSES.values(), ids=JS_NEAR_MISSES.keys())
def test_js_near_misses_are_not_reported(head: str) -> None:
    assert _parses("src/users.js", head) and _kinds("src/users.js", JS, head) == []


def test_js_a_side_that_does_not_parse_gives_nothing() -> None:
    broken = _sub(JS, ("async function fetchUser(id) {", "async function fetchUser(id {"))
    head = _sub(JS, (", { timeout: 5000 }", ""))
    assert _kinds("src/users.js", JS, head) == [("timeout", 6, "timeout: 5000")]
    assert _kinds("src/users.js", broken, head) == [] and _kinds("src/users.js", JS, broken) == []
    assert _kinds("src/users.rb", JS, head) == []


# --- TypeScript ----------------------------------------------------------------------------------------

TS = """import { Controller, Delete, Param, UseGuards } from '@nestjs/common';

@Controller('users')
@UseGuards(AuthGuard('jwt'))
export class UsersController {
  constructor(private readonly logger: Logger) {}

  @Roles('admin')
  @Delete(':id')
  async remove(@Param('id') id: string): Promise<void> {
    try {
      await fetch(`${API}/users/${id}`, { method: 'DELETE', signal: AbortSignal.timeout(3000) });
    } catch (err: unknown) {
      this.logger.error('delete failed', err);
      throw new InternalServerErrorException();
    }
  }

  @Get(':id')
  find(@Param('id') id: string): Promise<User> {
    return this.users.findOne(id);
  }
}

export const pool = new Pool({ ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 2000 });
"""


def test_ts_guards_and_decorators_removed() -> None:
    head = _sub(TS, ("@UseGuards(AuthGuard('jwt'))\n", ""), ("  @Roles('admin')\n", ""),
                (", signal: AbortSignal.timeout(3000)", ""),
                ("      this.logger.error('delete failed', err);\n      throw new InternalServerErrorException();\n",
                 "      return;\n"),
                ("rejectUnauthorized: true }, connectionTimeoutMillis: 2000", "rejectUnauthorized: false }"))
    assert _kinds("api/users.controller.ts", TS, head) == [
        ("auth", 4, "@UseGuards(AuthGuard('jwt'))"), ("auth", 8, "@Roles('admin')"),
        ("timeout", 10, "signal: AbortSignal.timeout(3000)"), ("error-log", 11, "`this.logger.error(...)`"),
        ("raise", 11, "throw new InternalServerErrorException()"),
        ("timeout", 22, "connectionTimeoutMillis: 2000"), ("tls", 22, "rejectUnauthorized: true")]
    got = removals("api/users.controller.ts", TS, head)
    assert [r.where for r in got[:2]] == ["`UsersController`", "`UsersController.remove`"]


def test_ts_the_policy_names_its_own_guard_decorators() -> None:
    base = "export class Billing {\n  @RequireScope('billing')\n  charge(): void {}\n}\n"
    head = "export class Billing {\n  charge(): void {}\n}\n"
    assert _kinds("src/billing.ts", base, head, ("RequireScope",)) == [("auth", 2, "@RequireScope('billing')")]
    assert _kinds("src/billing.ts", base, head) == []


TS_NEAR_MISSES = {
    "reformatted-and-moved": """import { Controller, Delete, Param, UseGuards } from "@nestjs/common";

export const pool = new Pool({
  ssl: { rejectUnauthorized: true },
  connectionTimeoutMillis: 2000,
});

@Controller("users")
@UseGuards(AuthGuard("jwt"))
export class UsersController {
  constructor(private readonly logger: Logger) {}

  @Get(":id")
  find(@Param("id") id: string): Promise<User> {
    return this.users.findOne(id);
  }

  @Roles("admin")
  @Delete(":id")
  async remove(@Param("id") id: string): Promise<void> {
    try {
      await fetch(`${API}/users/${id}`, {
        method: "DELETE",
        signal: AbortSignal.timeout(3000),
      });
    } catch (err: unknown) {
      this.logger.error("delete failed", err);
      throw new InternalServerErrorException();
    }
  }
}
""",
    "renamed-variables": _sub(TS, ("(err: unknown)", "(error: unknown)"), ("failed', err)", "failed', error)"),
                              ("id: string): Promise<void>", "userId: string): Promise<void>"),
                              ("users/${id}`, { method", "users/${userId}`, { method")),
    # fetch went through a wrapper that sets the timeout: another call target.
    "moved-to-wrapper": _sub(TS, ("await fetch(`${API}/users/${id}`, { method: 'DELETE', signal: "
                                  "AbortSignal.timeout(3000) })", "await http.delete(`/users/${id}`)")),
    # The method and its guards deleted; the guard class-wide already covers the class.
    "deleted-with-its-guard": _sub(TS, ("  @Roles('admin')\n  @Delete(':id')\n  async remove", "  async gone"),
                                   ("      await fetch(`${API}/users/${id}`, { method: 'DELETE', signal: "
                                    "AbortSignal.timeout(3000) });\n", "")),
    # The handler still propagates: it hands the error to a reporter that rethrows.
    "handed-on": _sub(TS, ("      this.logger.error('delete failed', err);\n"
                           "      throw new InternalServerErrorException();\n", "      this.fail(err);\n")),
}


@pytest.mark.parametrize("head", TS_NEAR_MISSES.values(), ids=TS_NEAR_MISSES.keys())
def test_ts_near_misses_are_not_reported(head: str) -> None:
    assert _parses("api/users.controller.ts", head) and _kinds("api/users.controller.ts", TS, head) == []


def test_ts_a_side_that_does_not_parse_gives_nothing() -> None:
    head = _sub(TS, ("  @Roles('admin')\n", ""))
    assert _kinds("api/users.controller.ts", TS, head) == [("auth", 9, "@Roles('admin')")]
    broken = _sub(head, ("export class UsersController {", "export class UsersController {{"))
    assert _kinds("api/users.controller.ts", TS, broken) == []
    # JSX is TSX's, not TypeScript's: parsed with the wrong grammar, the file is not compared.
    tsx = "export const A = () => {\n  return <div>{fetch(u, { timeout: 1 })}</div>;\n};\n"
    assert _kinds("ui/a.tsx", tsx, tsx.replace(", { timeout: 1 }", "")) == [("timeout", 2, "timeout: 1")]
    assert _kinds("ui/a.ts", tsx, tsx.replace(", { timeout: 1 }", "")) == []


# --- Go ------------------------------------------------------------------------------------------------

GO = """package client

type API struct{ base string }

func (a *API) Get(ctx context.Context, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: false},
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		log.Printf("get %s: %v", path, err)
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func dial() (net.Conn, error) {
	d := net.Dialer{Timeout: 3 * time.Second}
	return d.Dial("tcp", "db:5432")
}
"""


def test_go_timeouts_tls_raise_and_log_removed() -> None:
    head = _sub(GO, ("ctx, cancel := context.WithTimeout(ctx, 5*time.Second)\n\tdefer cancel()",
                     "ctx = context.Background()"),
                ("\t\tTimeout: 10 * time.Second,\n", ""), ("InsecureSkipVerify: false", "InsecureSkipVerify: true"),
                ('return nil, fmt.Errorf("build request: %w", err)', "return nil, nil"),
                ('\t\tlog.Printf("get %s: %v", path, err)\n\t\treturn nil, err\n', "\t\treturn nil, nil\n"),
                ("net.Dialer{Timeout: 3 * time.Second}", "net.Dialer{}"))
    assert _kinds("pkg/client/api.go", GO, head) == [
        ("timeout", 6, "context.WithTimeout(ctx, 5*time.Second)"), ("timeout", 7, "Timeout: 10 * time.Second"),
        ("tls", 9, "InsecureSkipVerify: false"), ("raise", 13, 'return nil, fmt.Errorf("build request: %w", err)'),
        ("error-log", 17, "`log.Printf(...)`"), ("raise", 17, "return nil, err"),
        ("timeout", 25, "Timeout: 3 * time.Second")]
    got = removals("pkg/client/api.go", GO, head)
    assert [(r.end_line, r.base_line, r.where) for r in got if r.kind == "raise"] == [
        (15, 16, "this `if err != nil` block"), (19, 21, "this `if err != nil` block")]


def test_go_err_blocks_that_still_propagate_or_only_lost_one_guard() -> None:
    # Logged and carried on (best-effort): a choice in plain sight, not a swallow.
    logged = _sub(GO, ("\t\treturn nil, err\n\t}\n\tdefer", "\t\tcontinue\n\t}\n\tdefer"))
    assert _kinds("pkg/client/api.go", GO, logged) == []
    unlogged = _sub(GO, ('\t\tlog.Printf("get %s: %v", path, err)\n', ""))
    assert _kinds("pkg/client/api.go", GO, unlogged) == []  # still returned: the caller sees it
    zap = _sub(GO, ('log.Printf("get %s: %v", path, err)', 'a.logger.Error("get failed", zap.Error(err))'))
    assert _kinds("pkg/client/api.go", zap, _sub(zap, ('\t\ta.logger.Error("get failed", zap.Error(err))\n'
                                                       "\t\treturn nil, err\n", "\t\treturn nil, nil\n"))) == [
        ("error-log", 19, "`a.logger.Error(...)`"), ("raise", 19, "return nil, err")]
    for still in ("\t\treturn nil, ErrUnavailable\n", "\t\tpanic(err)\n", "\t\terrs <- err\n\t\treturn nil, nil\n",
                  '\t\treturn nil, fmt.Errorf("get: %w", err)\n'):
        assert _kinds("pkg/client/api.go", GO, _sub(GO, ('\t\tlog.Printf("get %s: %v", path, err)\n'
                                                         "\t\treturn nil, err\n", still))) == [], still
    named = ("package p\n\nfunc f() (n int, err error) {\n\tn, err = g()\n"
             "\tif err != nil {\n\t\treturn 0, err\n\t}\n\treturn\n}\n")
    assert _kinds("p.go", named, named.replace("return 0, err", "return")) == []


GO_NEAR_MISSES = {
    # Moved below dial, struct literal on one line, `if` block spacing changed.
    "reformatted-and-moved": """package client

type API struct{ base string }

func dial() (net.Conn, error) {
	d := net.Dialer{
		Timeout: 3 * time.Second,
	}
	return d.Dial("tcp", "db:5432")
}

func (a *API) Get(ctx context.Context, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5 * time.Second)
	defer cancel()
	client := &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: false}}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+path, nil)
	if err != nil { return nil, fmt.Errorf("build request: %w", err) }
	resp, err := client.Do(req)
	if err != nil {
		log.Printf("get %s: %v",
			path, err)
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
""",
    "renamed-variables": _sub(GO, ("err", "e"), ("client", "hc"), ("\tresp", "\tres"), ("resp.Body", "res.Body")),
    # The client with its timeout comes from a constructor now: another call, another function.
    "moved-to-constructor": _sub(GO, ("\tclient := &http.Client{\n\t\tTimeout: 10 * time.Second,\n"
                                      "\t\tTransport: &http.Transport{\n"
                                      "\t\t\tTLSClientConfig: &tls.Config{InsecureSkipVerify: false},\n\t\t},\n\t}\n",
                                      "\tclient := newClient()\n"),
                                 ("func dial()", "func newClient() *http.Client {\n"
                                  "\treturn &http.Client{Timeout: 10 * time.Second}\n}\n\nfunc dial()")),
    # The request and its error check deleted together; dial deleted.
    "deleted-with-its-guard": _sub(GO, ("\tresp, err := client.Do(req)\n\tif err != nil {\n"
                                        '\t\tlog.Printf("get %s: %v", path, err)\n\t\treturn nil, err\n\t}\n'
                                        "\tdefer resp.Body.Close()\n\treturn io.ReadAll(resp.Body)\n",
                                        "\treturn nil, nil\n"),
                                   ('func dial() (net.Conn, error) {\n\td := net.Dialer{Timeout: 3 * time.Second}\n'
                                    '\treturn d.Dial("tcp", "db:5432")\n}\n', "")),
    # The timeout is set on the client after the literal.
    "set-after-the-literal": _sub(GO, ("\t\tTimeout: 10 * time.Second,\n", ""),
                                  ("\treq, err :=", "\tclient.Timeout = 10 * time.Second\n\treq, err :=")),
    # The context comes from the request now: not a context.* call, so not the guard's partner.
    "context-from-elsewhere": _sub(GO, ("ctx, cancel := context.WithTimeout(ctx, 5*time.Second)\n\tdefer cancel()",
                                        "ctx = a.ctx()")),
}


@pytest.mark.parametrize("head", GO_NEAR_MISSES.values(), ids=GO_NEAR_MISSES.keys())
def test_go_near_misses_are_not_reported(head: str) -> None:
    assert _parses("pkg/client/api.go", head) and _kinds("pkg/client/api.go", GO, head) == []


def test_go_a_side_that_does_not_parse_gives_nothing() -> None:
    head = _sub(GO, ("net.Dialer{Timeout: 3 * time.Second}", "net.Dialer{}"))
    assert _kinds("pkg/client/api.go", GO, head) == [("timeout", 28, "Timeout: 3 * time.Second")]
    broken = _sub(head, ("func dial() (net.Conn, error) {", "func dial() (net.Conn, error {"))
    assert _kinds("pkg/client/api.go", GO, broken) == [] and _kinds("pkg/client/api.go", broken, GO) == []


# --- Java ----------------------------------------------------------------------------------------------

JAVA = """package com.acme.users;

@RestController
@PreAuthorize("isAuthenticated()")
public class UserController {
    private static final Logger log = LoggerFactory.getLogger(UserController.class);

    @DeleteMapping("/users/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public void delete(@PathVariable long id) {
        HttpRequest request = HttpRequest.newBuilder()
            .uri(URI.create(BASE + id))
            .timeout(Duration.ofSeconds(5))
            .DELETE()
            .build();
        try {
            client.send(request, BodyHandlers.discarding());
        } catch (IOException e) {
            log.error("delete failed", e);
            throw new UncheckedIOException(e);
        }
    }

    @Retryable(maxAttempts = 3, backoff = @Backoff(delay = 200))
    public User find(long id) {
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(2, TimeUnit.SECONDS).build();
        return repo.findById(id).orElseThrow();
    }

    public User find(String email) {
        return repo.findByEmail(email).orElseThrow();
    }
}
"""


JAVA_PATH = "src/main/java/com/acme/users/UserController.java"
JAVA_CATCH = '            log.error("delete failed", e);\n            throw new UncheckedIOException(e);\n'
RETRYABLE = "@Retryable(maxAttempts = 3, backoff = @Backoff(delay = 200))"


def test_java_timeouts_auth_retry_bounds_raise_and_log_removed() -> None:
    head = _sub(JAVA, ('@PreAuthorize("isAuthenticated()")\n', ""), ("    @PreAuthorize(\"hasRole('ADMIN')\")\n", ""),
                ("            .timeout(Duration.ofSeconds(5))\n", ""),
                (JAVA_CATCH, "            return;\n"), (RETRYABLE, "@Retryable"),
                (".connectTimeout(2, TimeUnit.SECONDS)", ""))
    assert _kinds(JAVA_PATH, JAVA, head) == [
        ("auth", 4, '@PreAuthorize("isAuthenticated()")'), ("auth", 8, "@PreAuthorize(\"hasRole('ADMIN')\")"),
        ("timeout", 9, ".timeout(Duration.ofSeconds(5))"), ("error-log", 15, "`log.error(...)`"),
        ("raise", 15, "throw new UncheckedIOException(e)"), ("retry-bound", 20, "backoff = @Backoff(delay = 200)"),
        ("retry-bound", 20, "maxAttempts = 3"), ("timeout", 22, ".connectTimeout(2, TimeUnit.SECONDS)")]
    got = removals(JAVA_PATH, JAVA, head)
    assert [(r.base_line, r.where) for r in got[:3]] == [
        (4, "`UserController`"), (9, "`UserController.delete`"), (13, "this `HttpRequest.newBuilder` chain")]


def test_java_catch_that_still_propagates_or_keeps_its_log() -> None:
    def head_with(body: str) -> str:
        return _sub(JAVA, (JAVA_CATCH, body))

    assert _kinds("UserController.java", JAVA, head_with('            log.error("delete failed", e);\n')) == []
    assert _kinds("UserController.java", JAVA, head_with("            return;\n")) == [
        ("error-log", 18, "`log.error(...)`"), ("raise", 18, "throw new UncheckedIOException(e)")]
    assert _kinds("UserController.java", JAVA, head_with("            throw new IllegalStateException();\n")) == []
    assert _kinds("UserController.java", JAVA, head_with("            future.completeExceptionally(e);\n")) == []
    # @PermitAll is not a check, and the policy can name its own annotations.
    base = "class A {\n    @PermitAll\n    @TenantScoped\n    void f() {}\n}\n"
    head = "class A {\n    void f() {}\n}\n"
    assert _kinds("A.java", base, head) == []
    assert _kinds("A.java", base, head, ("TenantScoped",)) == [("auth", 2, "@TenantScoped")]


JAVA_NEAR_MISSES = {
    # The overloads swapped and moved above delete; the builder chain on one line; annotations spaced.
    "reformatted-and-moved": """package com.acme.users;

@RestController
@PreAuthorize( "isAuthenticated()" )
public class UserController {
    private static final Logger log = LoggerFactory.getLogger(UserController.class);

    public User find(String email) { return repo.findByEmail(email).orElseThrow(); }

    @Retryable(maxAttempts = 3,
               backoff = @Backoff(delay = 200))
    public User find(long id) {
        OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(2, TimeUnit.SECONDS)
            .build();
        return repo.findById(id).orElseThrow();
    }

    @DeleteMapping("/users/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public void delete(@PathVariable long id) {
        HttpRequest request = HttpRequest.newBuilder().uri(URI.create(BASE + id))
                                         .timeout(Duration.ofSeconds(5)).DELETE().build();
        try { client.send(request, BodyHandlers.discarding()); }
        catch (IOException e) { log.error("delete failed", e); throw new UncheckedIOException(e); }
    }
}
""",
    "renamed-variables": _sub(JAVA, ("request", "req"), ("IOException e", "IOException ex"), ("e);", "ex);"),
                              ("long id", "long userId"), ("BASE + id", "BASE + userId"),
                              ("findById(id)", "findById(userId)")),
    # The timeout now comes from a shared factory: another chain root.
    "moved-to-factory": _sub(JAVA, ("HttpRequest.newBuilder()\n            .uri(URI.create(BASE + id))\n"
                                    "            .timeout(Duration.ofSeconds(5))\n",
                                    "Requests.withDefaults(URI.create(BASE + id))\n"),
                             ("new OkHttpClient.Builder().connectTimeout(2, TimeUnit.SECONDS).build()",
                              "Clients.shared()")),
    # delete deleted with its guards; the try/catch deleted with the call.
    "deleted-with-its-guard": _sub(JAVA, ("    @DeleteMapping(\"/users/{id}\")\n"
                                          "    @PreAuthorize(\"hasRole('ADMIN')\")\n"
                                          "    public void delete(@PathVariable long id) {\n",
                                          "    public void archive() {\n"),
                                   ("        try {\n            client.send(request, BodyHandlers.discarding());\n"
                                    "        } catch (IOException e) {\n            log.error(\"delete failed\", e);\n"
                                    "            throw new UncheckedIOException(e);\n        }\n", "")),
    # The overload's parameter type changed: another method, not find(long) stripped of its bounds.
    "signature-changed": _sub(JAVA, (f"{RETRYABLE}\n    public User find(long id)",
                                     "@Retryable\n    public User find(UUID id)")),
}


@pytest.mark.parametrize("head", JAVA_NEAR_MISSES.values(), ids=JAVA_NEAR_MISSES.keys())
def test_java_near_misses_are_not_reported(head: str) -> None:
    assert _parses(JAVA_PATH, head) and _kinds(JAVA_PATH, JAVA, head) == []


def test_java_a_side_that_does_not_parse_gives_nothing() -> None:
    head = _sub(JAVA, (RETRYABLE, "@Retryable(backoff = @Backoff(delay = 200))"))
    assert _kinds("UserController.java", JAVA, head) == [("retry-bound", 24, "maxAttempts = 3")]
    broken = _sub(head, ("public User find(long id) {", "public User find(long id) {{"))
    assert _kinds("UserController.java", JAVA, broken) == [] and _kinds("UserController.java", broken, JAVA) == []


# --- one of two deleted: what remains pairs with its own base, not with the deleted one --------------------

ONE_OF_TWO = {
    "js": ("src/a.js", "async function f(a, b) {\n  await axios.get(a, { timeout: 1 });\n  await axios.get(b);\n}\n",
           "async function f(a, b) {\n  await axios.get(b);\n}\n"),
    "ts": ("src/a.ts", "function f(): void {\n  try { a(); } catch (e: unknown) { throw e; }\n"
                       "  try { b(); } catch (e: unknown) { cleanup(); }\n}\n",
           "function f(): void {\n  try { b(); } catch (e: unknown) { cleanup(); }\n}\n"),
    "go": ("a.go", "package a\n\nfunc f(xs []int) error {\n\tif err := a(); err != nil {\n\t\treturn err\n\t}\n"
                   "\tfor _, x := range xs {\n\t\tif err := b(x); err != nil {\n\t\t\tcontinue\n\t\t}\n\t}\n"
                   "\treturn nil\n}\n",
           "package a\n\nfunc f(xs []int) error {\n\tfor _, x := range xs {\n\t\tif err := b(x); err != nil {\n"
           "\t\t\tcontinue\n\t\t}\n\t}\n\treturn nil\n}\n"),
    "java": ("A.java", "class A {\n  void f() {\n    var a = HttpRequest.newBuilder(u).timeout(d).build();\n"
                       "    var b = HttpRequest.newBuilder(v).build();\n  }\n}\n",
             "class A {\n  void f() {\n    var b = HttpRequest.newBuilder(v).build();\n  }\n}\n"),
}


@pytest.mark.parametrize(("path", "base", "head"), ONE_OF_TWO.values(), ids=ONE_OF_TWO.keys())
def test_one_of_two_deleted_with_its_guard_is_not_reported(path: str, base: str, head: str) -> None:
    assert _parses(path, base) and _parses(path, head) and _kinds(path, base, head) == []


# --- two functions swapped: each pairs with itself, not with what took its place ------------------------------

SWAPPED = {  # path, what wraps the two, the two
    "js": ("src/a.js", "", "function a(u) {\n  return axios.get(u, { timeout: 1 });\n}\n",
           "function b(u) {\n  return axios.get(u);\n}\n"),
    "ts": ("src/a.ts", "", "export const a = async (): Promise<void> => {\n"
                           "  try { await x(); } catch (e) { throw e; }\n};\n",
           "export const b = async (): Promise<void> => {\n  try { await y(); } catch (e) { cleanup(); }\n};\n"),
    "js-routes": ("src/r.js", "", "app.get('/a', (req, res) => {\n  axios.get(u, { timeout: 1 });\n});\n",
                  "app.get('/b', (req, res) => {\n  axios.get(u);\n});\n"),
    "go": ("a.go", "package a\n\n{}",
           "func a() error {\n\tif err := x(); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n",
           "func b() error {\n\tif err := y(); err != nil {\n\t\treturn nil\n\t}\n\treturn nil\n}\n"),
    "java-overloads": ("A.java", "class A {{\n{}}}\n",
                       "  void f(int x) {\n    try { a(); } catch (IOException e) { throw new X(e); }\n  }\n",
                       "  void f(String s) {\n    try { b(); } catch (IOException e) { cleanup(); }\n  }\n"),
}


@pytest.mark.parametrize(("path", "wrap", "first", "second"), SWAPPED.values(), ids=SWAPPED.keys())
def test_two_functions_swapped_are_not_reported(path: str, wrap: str, first: str, second: str) -> None:
    wrap = wrap or "{}"
    base, head = wrap.format(f"{first}\n{second}"), wrap.format(f"{second}\n{first}")
    assert _parses(path, base) and _parses(path, head) and _kinds(path, base, head) == []


# --- the near misses still pair: the same code, so a guard removed there is found -----------------------

STILL_PAIRED = [
    ("src/users.js", JS, JS_NEAR_MISSES["reformatted-and-moved"], (("        timeout: 5000,\n", ""),),
     [("timeout", 10, "timeout: 5000")]),
    # The raise and the log removed together: a handler that still logged would have chosen to carry on.
    ("src/users.js", JS, JS_NEAR_MISSES["renamed-variables"],
     (("    logger.error('fetch failed', e);\n", ""), ("    console.error(e);\n", ""), ("    throw e;\n", "")),
     [("error-log", 8, "`logger.error(...)`"), ("raise", 8, "throw err"), ("error-log", 13, "`console.error(...)`"),
      ("raise", 13, "throw err")]),
    ("api/users.controller.ts", TS, TS_NEAR_MISSES["reformatted-and-moved"], (('  @Roles("admin")\n', ""),),
     [("auth", 19, "@Roles('admin')")]),
    ("api/users.controller.ts", TS, TS_NEAR_MISSES["renamed-variables"],
     (("      this.logger.error('delete failed', error);\n", ""),
      ("      throw new InternalServerErrorException();\n", "")),
     [("error-log", 13, "`this.logger.error(...)`"), ("raise", 13, "throw new InternalServerErrorException()")]),
    ("pkg/client/api.go", GO, GO_NEAR_MISSES["reformatted-and-moved"],
     (('\t\tlog.Printf("get %s: %v",\n\t\t\tpath, err)\n', ""), ("return nil, err\n", "return nil, nil\n")),
     [("error-log", 20, "`log.Printf(...)`"), ("raise", 20, "return nil, err")]),
    ("pkg/client/api.go", GO, GO_NEAR_MISSES["renamed-variables"], (("Timeout: 10 * time.Second,", ""),),
     [("timeout", 8, "Timeout: 10 * time.Second")]),
    (JAVA_PATH, JAVA, JAVA_NEAR_MISSES["reformatted-and-moved"], ((".timeout(Duration.ofSeconds(5))", ""),),
     [("timeout", 22, ".timeout(Duration.ofSeconds(5))")]),
    (JAVA_PATH, JAVA, JAVA_NEAR_MISSES["renamed-variables"],
     (('            log.error("delete failed", ex);\n', ""), ("            throw new UncheckedIOException(ex);\n", "")),
     [("error-log", 18, "`log.error(...)`"), ("raise", 18, "throw new UncheckedIOException(e)")]),
]


@pytest.mark.parametrize(("path", "base", "near_miss", "edits", "expected"), STILL_PAIRED,
                         ids=[f"{p.rsplit('.', 1)[-1]}-{i}" for i, (p, *_) in enumerate(STILL_PAIRED)])
def test_a_guard_removed_from_a_near_miss_is_still_found(path: str, base: str, near_miss: str,
                                                         edits: tuple[tuple[str, str], ...],
                                                         expected: list[tuple[str, int, str]]) -> None:
    assert _kinds(path, base, _sub(near_miss, *edits)) == expected


def test_an_unchanged_file_loses_nothing() -> None:
    # The error is turned into a result (not returned) on both sides: nothing was removed.
    go = ('package lsp\n\nfunc Apply(enc int) func(p []byte) (any, error) {\n'
          '\treturn func(p []byte) (any, error) {\n\t\terr := apply(p, enc)\n\t\tif err != nil {\n'
          '\t\t\tslog.Error("apply failed", "error", err)\n'
          '\t\t\treturn Result{Applied: false, Reason: err.Error()}, nil\n\t\t}\n'
          '\t\treturn Result{Applied: true}, nil\n\t}\n}\n')
    assert removals("x.go", go, go) == []
    assert removals("x.go", go, "package lsp\n\nfunc New() {}\n\n" + go.split("\n\n", 1)[1]) == []


def test_handlers_whose_log_moved_into_a_helper_or_that_guard_other_code_are_not_reported() -> None:
    # The log moved into a helper the catch now calls (it may log, or emit the failure).
    moved = _sub(JS, ("    logger.error('fetch failed', err);\n    throw err;\n", "    emitDisconnect();\n"))
    assert _parses("src/users.js", moved) and _kinds("src/users.js", JS, moved) == []
    # Without the helper, the same edit is a swallowed error.
    swallowed = _sub(JS, ("    logger.error('fetch failed', err);\n    throw err;\n", "    return null;\n"))
    assert ("error-log", 8, "`logger.error(...)`") in _kinds("src/users.js", JS, swallowed)
    # A Go block that now follows another call is another block: the one that returned err went.
    other = _sub(GO, ("resp, err := client.Do(req)\n\tif err != nil {\n\t\tlog.Printf(\"get %s: %v\", path, err)\n"
                      "\t\treturn nil, err\n\t}", "err = a.flush()\n\tif err != nil {\n\t\treturn nil, nil\n\t}\n"
                      "\tresp, _ := client.Do(req)"))
    assert _parses("pkg/client/api.go", other) and _kinds("pkg/client/api.go", GO, other) == []


def test_a_js_timeout_carried_by_an_option_the_call_gained_is_not_reported() -> None:
    carried = _sub(JS, ("{ timeout: 5000 }", "{ params: jobParams }"))
    assert _kinds("src/users.js", JS, carried) == []
    assert _kinds("src/users.js", JS, _sub(JS, ("{ timeout: 5000 }", "{ responseType: 'json', timeout: 0 }"))) == \
        [("timeout", 6, "timeout: 5000")]
