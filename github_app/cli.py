"""Command line: review, serve, worker, sandbox, demo, replay, policy."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from github_app.authorship import ChangeFacts
from github_app.diff import DiffError
from github_app.errors import DemoError, ReplayError
from github_app.findings import Severity
from github_app.localrepo import LocalRepo, LocalRepoError, local_change_inputs
from github_app.policy import EXTRA_RULES_DIR, POLICY_PATH, Layer, load_policy, validate_text
from github_app.render import render_json, render_sarif, render_text
from github_app.review import Change, UseGate, review_change
from github_app.scan import RULES_DIR, ScanError
from github_app.settings import ConfigError

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: this is read by people and by CI logs alike.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _fail_on(value: str) -> Severity | None:
    if value.lower() == "none":
        return None
    try:
        return Severity.parse(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid level {value!r}: use ERROR, WARNING, INFO or none") from None


def cmd_review(args: argparse.Namespace) -> int:
    repo = LocalRepo(args.repo)
    mb, head_sha, diff_text, commits, truncated, branch = local_change_inputs(repo, args.base, args.head)
    # Policy and extra rules come from the base side, as on GitHub: the change can't weaken its own judge.
    policy_text = repo.read_files(mb, [POLICY_PATH]).get(POLICY_PATH)
    layer = Layer(f"{POLICY_PATH}@{mb[:12]}", policy_text.decode("utf-8", "replace") if policy_text else None)
    policy = load_policy([layer])
    extra_paths = [p for p in repo.list_dir(mb, EXTRA_RULES_DIR) if p.endswith((".yml", ".yaml"))]
    extra = {p: (b or b"").decode("utf-8", "replace") for p, b in repo.read_files(mb, extra_paths).items()}
    notes = []
    if truncated:
        notes.append("Only the newest 250 commits were read for authorship signals.")
    change = Change(
        diff_text=diff_text,
        read_head=lambda paths: repo.read_files(head_sha, paths),
        policy=policy,
        facts=ChangeFacts(head_branch=branch, commits=tuple(commits), commits_truncated=truncated),
        extra_rules=extra,
        notes=tuple(notes),
    )
    gate = UseGate() if args.fail_on is None else args.fail_on
    result = review_change(change, gate_override=gate, rules_dir=args.rules)
    if args.format == "json":
        print(json.dumps(render_json(result), indent=2))
    elif args.format == "sarif":
        print(json.dumps(render_sarif(result), indent=2))
    else:
        print(render_text(result))
    for s in result.skipped:
        print(f"prodready: skipped {s.path}: {s.reason}", file=sys.stderr)
    for e in result.errors:
        print(f"prodready: scanner error: {e}", file=sys.stderr)
    return EXIT_BLOCKED if result.blocking else EXIT_OK


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
    from github_app.queue import open_queue
    from github_app.server import create_app

    cfg = settings_mod.from_env()
    logs.configure(cfg.log_level, cfg.log_format)
    queue = open_queue(cfg.queue_url)
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

    return run_worker(args.metrics_port)


def cmd_demo(_: argparse.Namespace) -> int:
    from github_app.demo import run_demo

    return run_demo()


def cmd_replay(args: argparse.Namespace) -> int:
    from github_app.replay import replay

    return replay(args.file, args.url, event=args.event)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prodready", description="Hold pull requests to a production bar.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    review = sub.add_parser("review", help="review the change base...head of a local git repository")
    review.add_argument("--repo", default=".", help="path to the git repository (default: .)")
    review.add_argument("--base", default=None, help="base ref (default: upstream, origin/HEAD, main or master)")
    review.add_argument("--head", default="HEAD", help="head ref (default: HEAD)")
    review.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    review.add_argument("--fail-on", type=_fail_on, default=None, metavar="LEVEL",
                        help="lowest severity that fails: ERROR, WARNING, INFO or none (default: policy)")
    review.add_argument("--rules", type=Path, default=RULES_DIR, metavar="DIR",
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
    export.add_argument("--rules", type=Path, default=RULES_DIR, metavar="DIR",
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
    worker.set_defaults(func=cmd_worker)
    # Listed for --help only; main() hands `sandbox ...` to the sandbox's own parser.
    sub.add_parser("sandbox", help="the local GitHub stand-in (options: prodready sandbox --help)")
    sub.add_parser("demo", help="the whole App against a local GitHub sandbox").set_defaults(func=cmd_demo)
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
    except (LocalRepoError, ScanError, DiffError, UsageError, ConfigError, DemoError, ReplayError) as exc:
        print(f"prodready: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
