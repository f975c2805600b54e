"""The change-aware analyzers in the App: their findings are commented and gate the check like any other."""

from __future__ import annotations

from github_app.worker import run_once
from tests.conftest import ANALYZERS_ON
from tests.e2e.conftest import Env, unique


def test_a_setting_no_deployment_config_provides_is_commented_on_its_line(manual_env: Env) -> None:
    env = manual_env
    repo = env.make_repo({".github/prodready.yml": ANALYZERS_ON,
                          "app/main.py": "import os\n\nDB = os.environ['DATABASE_URL']\n",
                          "compose.yaml": "services:\n  app:\n    environment:\n      DATABASE_URL: x\n"})
    branch = unique("feature")
    env.push(repo, branch, {"app/main.py": "import os\n\nDB = os.environ['DATABASE_URL']\n"
                                           "KEY = os.environ['STRIPE_KEY']\n"})
    pr = env.open_pr(repo, branch)
    env.post_webhook("pull_request", env.delivery_for(repo, "pull_request", "opened")["payload"])
    while run_once(env.queue, env.deps) is not None:
        pass
    run = env.completed_run(repo, pr.head.sha)
    comments = env.comments(repo, pr.number)
    assert [(c.path, c.line) for c in comments] == [("app/main.py", 4)]
    assert "STRIPE_KEY" in comments[0].body and "compose (compose.yaml)" in comments[0].body
    assert run.conclusion == "neutral" and "| infrastructure | 1 |" in (run.output.summary or "")


def test_a_removed_timeout_and_a_copied_function_are_commented_by_the_app(manual_env: Env) -> None:
    from tests.test_clones import BILLING, COPY
    from tests.test_removed_guards import CLIENT

    env = manual_env
    repo = env.make_repo({".github/prodready.yml": ANALYZERS_ON, "app/client.py": CLIENT, "app/billing.py": BILLING,
                          "app/invoices.py": "import logging\n"})
    branch = unique("feature")
    env.push(repo, branch, {"app/client.py": CLIENT.replace(", timeout=10", ""),
                            "app/invoices.py": "import logging\n" + COPY})
    pr = env.open_pr(repo, branch)
    env.post_webhook("pull_request", env.delivery_for(repo, "pull_request", "opened")["payload"])
    while run_once(env.queue, env.deps) is not None:
        pass
    run = env.completed_run(repo, pr.head.sha)
    comments = sorted(env.comments(repo, pr.number), key=lambda c: c.path)
    got = [(c.path, c.line, c.body.splitlines()[0][:60]) for c in comments]
    assert [(c.path, c.line) for c in comments] == [("app/client.py", 10), ("app/invoices.py", 4)], got
    # The rule that sees the timeout missing and the removal are one comment: the rule's, told of the removal.
    assert "py-requests-no-timeout" in comments[0].body
    assert "`timeout=10` was removed from this `requests.get` call (base line 10)" in comments[0].body
    assert "app/billing.py:6-17" in comments[1].body
    assert run.conclusion == "neutral"  # a human's PR: the gate is none by default, findings are advice
