"""Command line: review, serve, worker, sandbox, demo, replay, policy."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from github_app import __version__, logs
from github_app.analyzers.registry import default_analyzers
from github_app.authorship import ChangeFacts
from github_app.cibase import EventError
from github_app.datasources import SourceConfig, SourceConfigError
from github_app.diff import DiffError
from github_app.errors import DemoError, ReplayError
from github_app.filtering import FilterMode
from github_app.findings import Severity
from github_app.localrepo import LocalRepo, LocalRepoError, local_change_inputs, uncommitted_change
from github_app.outcome import EXIT_PARTIAL, REVIEW_EPILOG, exit_code
from github_app.policy import EXTRA_RULES_DIR, POLICY_PATH, Layer, load_policy, validate_text
from github_app.render import render_json, render_sarif, render_text
from github_app.repotree import GitTree
from github_app.result import ReviewResult
from github_app.review import USE_POLICY_GATE, Change, UseGate, review_change
from github_app.ruledocs import rule_docs
from github_app.scan import RULES_DIR, ScanError
from github_app.settings import ConfigError

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: this is read by people and by CI logs alike.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _folder(value: str) -> Path:
    # Semgrep runs inside a temporary tree of the change, so a relative folder must be made absolute
    # against the caller's working directory before anything changes directory.
    return Path(value).absolute()


def _fail_on(value: str) -> Severity | None:
    if value.lower() == "none":
        return None
    try:
        return Severity.parse(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid level {value!r}: use ERROR, WARNING, INFO or none") from None


def _policy_at(repo: LocalRepo, ref: str | None, filter_mode: str | None) -> tuple[Layer, ...]:
    layers: list[Layer] = []
    if ref is not None:
        text = repo.read_files(ref, [POLICY_PATH]).get(POLICY_PATH)
        layers.append(Layer(f"{POLICY_PATH}@{ref[:12]}", text.decode("utf-8", "replace") if text else None))
    if filter_mode is not None:
        # The command line is one more layer over the policy, so the summary names it as a source.
        layers.append(Layer(f"--filter {filter_mode}", f"filter: {filter_mode}\n"))
    return tuple(layers)


def _sarif(result: ReviewResult, rules: Path, extra: dict[str, str]) -> dict[str, Any]:
    return render_sarif(result, rule_docs=rule_docs(rules, extra) if result.findings else {})


def cmd_review(args: argparse.Namespace) -> int:
    # Warnings (a registry retried or unreachable) go to stderr; stdout carries only the report.
    logs.configure("WARNING", "console", defer=True)
    if not args.rules.is_dir():
        raise UsageError(f"no rules folder at {args.rules} (set --rules or PRODREADY_RULES_DIR)")
    repo = LocalRepo(args.repo)
    notes = []
    if args.staged or args.worktree:
        if args.base is not None or args.head != "HEAD":
            raise UsageError("--staged and --worktree review against HEAD: leave out --base and --head")
        local = uncommitted_change(repo, staged=args.staged)
        # The policy and extra rules come from HEAD, the side the uncommitted change will be applied to.
        policy_ref, tree, diff_text = local.base, local.tree, local.diff_text
        base_ref = local.base
        facts = ChangeFacts(head_branch=local.branch)
        if not diff_text:
            what = "nothing staged" if args.staged else "no uncommitted changes"
            print(f"prodready: {what}: nothing to review", file=sys.stderr)
    else:
        mb, tree, diff_text, commits, truncated, branch = local_change_inputs(repo, args.base, args.head)
        # Policy and extra rules come from the base side, as on GitHub: the change can't weaken its own judge.
        policy_ref = base_ref = mb
        facts = ChangeFacts(head_branch=branch, commits=tuple(commits), commits_truncated=truncated)
        if truncated:
            notes.append("Only the newest 250 commits were read for authorship signals.")
    policy = load_policy(_policy_at(repo, policy_ref, args.filter))
    extra: dict[str, str] = {}
    if policy_ref is not None:
        extra_paths = [p for p in repo.list_dir(policy_ref, EXTRA_RULES_DIR) if p.endswith((".yml", ".yaml"))]
        extra = {p: (b or b"").decode("utf-8", "replace") for p, b in repo.read_files(policy_ref, extra_paths).items()}
    change = Change(
        diff_text=diff_text,
        read_head=lambda paths: repo.read_files(tree, paths),
        policy=policy,
        facts=facts,
        extra_rules=extra,
        notes=tuple(notes),
        read_base=None if base_ref is None else (lambda paths: repo.read_files(base_ref, paths)),
        base_tree=None if base_ref is None else GitTree(repo.root, base_ref),
        head_tree=GitTree(repo.root, tree),
    )
    gate = args.fail_on
    if args.ai and isinstance(gate, UseGate):
        gate = policy.gate(True)  # an agent checking its own work is judged as its PR will be
    try:
        sources = SourceConfig.from_env()
    except SourceConfigError as exc:
        raise UsageError(str(exc)) from None
    result = review_change(change, gate_override=gate, rules_dir=args.rules,
                           analyzers=default_analyzers(sources))
    if args.format == "json":
        print(json.dumps(render_json(result), indent=2))
    elif args.format == "sarif":
        print(json.dumps(_sarif(result, args.rules, extra), indent=2))
    else:
        print(render_text(result))
    if args.sarif_output is not None:
        try:
            args.sarif_output.write_text(json.dumps(_sarif(result, args.rules, extra), indent=2) + "\n")
        except OSError as exc:
            raise UsageError(f"cannot write {args.sarif_output}: {exc.strerror}") from None
    for s in result.skipped:
        print(f"prodready: skipped {s.path}: {s.reason}", file=sys.stderr)
    for e in result.errors:
        print(f"prodready: scanner error: {e}", file=sys.stderr)
    code = exit_code(result, allow_partial=args.allow_partial)
    if code == EXIT_PARTIAL:
        print("prodready: the scan was partial (see above): exit 3; pass --allow-partial to accept it",
              file=sys.stderr)
    return code


# Kept here (not imported from export.py) so that `prodready review` does not pay for that import.
EXPORT_FORMATS = ("agents-md", "copilot-instructions", "cursor-rules")


def cmd_policy_export(args: argparse.Namespace) -> int:
    from github_app.export import export_instructions

    repo = LocalRepo(args.repo)
    ref = repo.resolve(args.ref)
    text = repo.read_files(ref, [POLICY_PATH]).get(POLICY_PATH)
    layer = Layer(f"{POLICY_PATH}@{ref[:12]}", text.decode("utf-8", "replace") if text else None)
    policy = load_policy([layer])
    extra_paths = [p for p in repo.list_dir(ref, EXTRA_RULES_DIR) if p.endswith((".yml", ".yaml"))]
    extra = {p: (b or b"").decode("utf-8", "replace") for p, b in repo.read_files(ref, extra_paths).items()}
    for problem in policy.problems:
        print(f"prodready: policy problem: {problem}", file=sys.stderr)
    files = repo.list_dir(ref, ".") if args.languages == "repo" else None
    sys.stdout.write(export_instructions(policy, args.rules, args.format, extra_rules=extra, repo_files=files,
                                         ref=ref))
    return EXIT_OK


def cmd_policy_validate(args: argparse.Namespace) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from None
    problems = validate_text(text, args.file)
    for problem in problems:
        print(problem)
    if problems:
        return EXIT_USAGE
    print(f"{args.file}: valid (effective policy sha256 {load_policy([Layer(args.file, text)]).sha256})")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from github_app import logs
    from github_app import settings as settings_mod
    from github_app.pipeline import Deps
    from github_app.queue import queue_for
    from github_app.server import create_app

    cfg = settings_mod.from_env()
    logs.configure(cfg.log_level, cfg.log_format)
    queue = queue_for(cfg)
    deps = Deps.from_settings(cfg)
    app = create_app(cfg, queue, deps, embedded_worker=not args.no_worker)
    logs.get().info("server.starting", host=cfg.host, port=cfg.port, github=cfg.github_api_url)
    import signal

    # uvicorn shuts down gracefully on SIGTERM (the embedded worker finishes or hands back its job), then
    # re-raises the signal to the handler it found: make that one a no-op so the exit status is 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(app, host=cfg.host, port=cfg.port, log_level="warning", access_log=False)
    logs.get().info("server.stopped")
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from github_app.workerproc import run_worker

    return run_worker(args.metrics_port, args.concurrency)


def cmd_demo(_: argparse.Namespace) -> int:
    from github_app.demo import run_demo

    return run_demo()


def cmd_replay(args: argparse.Namespace) -> int:
    from github_app.replay import replay

    return replay(args.file, args.url, event=args.event)


def cmd_mcp(args: argparse.Namespace) -> int:
    from github_app.mcp_server import serve

    return serve(args.rules)


def cmd_claude_hook(_: argparse.Namespace) -> int:
    from github_app.agent_hook import main as hook_main

    return hook_main()


def cmd_register(args: argparse.Namespace) -> int:
    from github_app.register import Options, RegisterError, register

    opts = Options(github_url=args.github_url, api_url=args.api_url, org=args.org, webhook_url=args.webhook_url,
                   env_file=args.env_file, name=args.name, open_browser=not args.no_browser)
    try:
        register(opts, sys.stdout)
    except RegisterError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"must be from 1 to 64, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prodready", description="Hold pull requests to a production bar.")
    parser.add_argument("--version", action="version", version=f"prodready {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    review = sub.add_parser("review", help="review the change base...head of a local git repository",
                            epilog=REVIEW_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("--repo", default=".", help="path to the git repository (default: .)")
    review.add_argument("--base", default=None,
                        help="base ref (default: the CI event's base, else the remote's default branch; see below)")
    review.add_argument("--head", default="HEAD", help="head ref (default: HEAD)")
    uncommitted = review.add_mutually_exclusive_group()
    uncommitted.add_argument("--staged", action="store_true", help="review the index against HEAD (pre-commit)")
    uncommitted.add_argument("--worktree", action="store_true",
                             help="review the working tree, untracked files included, against HEAD")
    review.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    review.add_argument("--fail-on", type=_fail_on, default=USE_POLICY_GATE, metavar="LEVEL",
                        help="lowest severity that fails: ERROR, WARNING, INFO or none (default: policy)")
    # Choices follow FilterMode, so a mode another change adds there is accepted here too.
    review.add_argument("--filter", choices=[m.value for m in FilterMode], default=None,
                        help="which findings count, overriding the policy's `filter`")
    review.add_argument("--sarif-output", type=Path, default=None, metavar="FILE",
                        help="also write the review as SARIF to FILE (the Action uploads it to code scanning)")
    review.add_argument("--ai", action="store_true",
                        help="judge the change as AI-authored (the policy's gate for agents' PRs), as a coding "
                             "agent's own check before it opens the PR should")
    review.add_argument("--allow-partial", action="store_true",
                        help="exit 0 (or 1) even when Semgrep errored or timed out on some files")
    review.add_argument("--rules", type=_folder, default=RULES_DIR, metavar="DIR",
                        help="rules folder (default: prodready's own rules/)")
    review.set_defaults(func=cmd_review)
    policy = sub.add_parser("policy", help="export or validate the policy (.github/prodready.yml)")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True, parser_class=_Parser)
    export = policy_sub.add_parser("export", help="render the policy and enabled rules as agent instructions")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument("--repo", default=".", help="path to the git repository (default: .)")
    export.add_argument("--ref", default="HEAD", help="read the policy and .prodready/rules/ at this ref")
    export.add_argument("--languages", choices=("repo", "all"), default="repo",
                        help="list the rules for the repository's file kinds at the ref (default) or all rules")
    export.add_argument("--rules", type=_folder, default=RULES_DIR, metavar="DIR",
                        help="rules folder (default: prodready's own rules/)")
    export.set_defaults(func=cmd_policy_export)
    validate = policy_sub.add_parser("validate", help="check a policy file against the schema")
    validate.add_argument("file", metavar="FILE")
    validate.set_defaults(func=cmd_policy_validate)

    serve = sub.add_parser("serve", help="the webhook server, with an embedded worker and queue")
    serve.add_argument("--no-worker", action="store_true", help="only receive and enqueue (run workers apart)")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="a worker alone, for scale-out")
    worker.add_argument("--metrics-port", type=int, default=None, metavar="PORT",
                        help="serve /healthz, /readyz and /metrics on this port (on HOST)")
    worker.add_argument("--concurrency", type=_positive_int, default=None, metavar="N",
                        help="reviews run at once in this process (default: one per core)")
    worker.set_defaults(func=cmd_worker)
    # Listed for --help only; main() hands `sandbox ...` to the sandbox's own parser.
    sub.add_parser("sandbox", help="the local GitHub stand-in (options: prodready sandbox --help)")
    sub.add_parser("demo", help="the whole App against a local GitHub sandbox").set_defaults(func=cmd_demo)
    mcp = sub.add_parser("mcp", help="an MCP server on stdio: coding agents review their uncommitted work")
    mcp.add_argument("--rules", type=_folder, default=RULES_DIR, metavar="DIR",
                     help="rules folder (default: prodready's own rules/)")
    mcp.set_defaults(func=cmd_mcp)
    sub.add_parser("claude-hook", help="a Claude Code Stop hook: blocking findings in the working tree go back "
                   "to the agent (exit 2)").set_defaults(func=cmd_claude_hook)
    reg = sub.add_parser("register", help="create the GitHub App from app.yml (GitHub's manifest flow)")
    reg.add_argument("--org", default=None, help="register it for this organisation (default: your account)")
    reg.add_argument("--github-url", default="https://github.com", help="GitHub's web URL (default: github.com)")
    reg.add_argument("--api-url", default=None,
                     help="GitHub's REST API (default: api.github.com, or GITHUB_URL/api/v3 for GHES)")
    reg.add_argument("--webhook-url", default=None, help="where `prodready serve` receives webhooks (.../webhooks)")
    reg.add_argument("--env-file", type=Path, default=Path("prodready.env"),
                     help="write APP_ID, PRIVATE_KEY_PATH and WEBHOOK_SECRET here, mode 0600 (default: prodready.env)")
    reg.add_argument("--name", default=None, help="the App's name (default: app.yml's; names are unique on GitHub)")
    reg.add_argument("--no-browser", action="store_true", help="print the local URL only; open it yourself")
    reg.set_defaults(func=cmd_register)
    replay = sub.add_parser("replay", help="sign a webhook payload with WEBHOOK_SECRET and POST it")
    replay.add_argument("file", type=Path, help="a delivery, e.g. webhooks/pull_request.opened.json")
    replay.add_argument("--url", default="http://127.0.0.1:8000/webhooks")
    replay.add_argument("--event", default=None, help="X-GitHub-Event (default: from the file name)")
    replay.set_defaults(func=cmd_replay)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        # The sandbox has its own parser; argparse's REMAINDER would not pass it a leading option.
        from github_app.sandbox.server import main as sandbox_main

        return sandbox_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except (LocalRepoError, ScanError, DiffError, UsageError, ConfigError, DemoError, ReplayError,
            EventError) as exc:
        print(f"prodready: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
