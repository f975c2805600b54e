"""SARIF from `prodready review` as GitHub code scanning reads it, with the real rules and real Semgrep."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from github_app.cli import main
from github_app.scan import RULES_DIR
from tests.conftest import GitRepo

SCHEMA = Path(__file__).parent / "fixtures" / "sarif-2.1.0-subset.json"
BASE = "import psycopg\nimport psycopg2\n"
CHANGE = BASE + ("\n\ndef a():\n    return psycopg2.connect('dbname=a')\n"
                 "\n\ndef b():\n    return psycopg.connect('dbname=b')\n")


def test_rules_are_described_by_the_rule_not_by_a_finding(capsys: pytest.CaptureFixture[str],
                                                          git_repo: Callable[[], GitRepo]) -> None:
    r = git_repo()
    r.commit({"db.py": BASE}, "init")
    r.git("checkout", "-q", "-b", "feature")
    r.commit({"db.py": CHANGE}, "connect")
    main(["review", "--repo", str(r.root), "--base", "main", "--format", "sarif", "--rules", str(RULES_DIR)])
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text()))
    run = sarif["runs"][0]
    assert run["automationDetails"]["id"] == "prodready/"
    results = [x for x in run["results"] if x["ruleId"] == "py-db-connect-no-timeout"]
    # Two findings, two filled-in messages, one rule description: the rule's template.
    assert {x["message"]["text"].split("(")[0] for x in results} == {"psycopg2.connect", "psycopg.connect"}
    [rule] = [x for x in run["tool"]["driver"]["rules"] if x["id"] == "py-db-connect-no-timeout"]
    assert rule["fullDescription"]["text"].startswith("$CONNECT() is called without connect_timeout")
    assert rule["help"]["text"].startswith(rule["fullDescription"]["text"])
    assert "https://www.psycopg.org/docs/module.html#psycopg2.connect" in rule["help"]["text"]
    assert rule["help"]["markdown"].startswith("**py-db-connect-no-timeout** (resilience, WARNING)")
    assert rule["properties"]["security-severity"] == "5.0" and rule["properties"]["precision"] == "medium"
    for each in run["tool"]["driver"]["rules"]:  # every rule in the run, not only this one
        assert each["help"]["text"] and each["help"]["markdown"] and each["fullDescription"]["text"]
        assert {"security-severity", "precision"} <= set(each["properties"])
