

def test_a_removed_guard_a_rule_also_reports_is_told_in_the_rules_finding() -> None:
    from github_app.findings import ON_REMOVAL, Finding, Severity, fold_removals

    rule = Finding("py-requests-no-timeout", "resilience", Severity.ERROR, "a.py", 10, 10, "No timeout.", "x")
    removal = Finding("removed-timeout", "resilience", Severity.WARNING, "a.py", 10, 10,
                      "`timeout=10` was removed (base line 10).", "y", extra={ON_REMOVAL: "1"})
    elsewhere = removal.with_(start_line=20, end_line=20)
    got = fold_removals([rule, removal, elsewhere])
    assert [(f.rule_id, f.start_line, f.severity) for f in got] == [("py-requests-no-timeout", 10, Severity.ERROR),
                                                                    ("removed-timeout", 20, Severity.WARNING)]
    assert got[0].message == "No timeout. `timeout=10` was removed (base line 10)."
