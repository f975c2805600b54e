"""The change-aware analyzers in the App: their findings are commented and gate the check like any other."""

from __future__ import annotations

from github_app.worker import run_once
from tests.e2e.conftest import Env, unique


def test_a_setting_no_deployment_config_provides_is_commented_on_its_line(manual_env: Env) -> None:
    env = manual_env
    repo = env.make_repo({"app/main.py": "import os\n\nDB = os.environ['DATABASE_URL']\n",
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
