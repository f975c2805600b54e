"""docs/policy.md is the README's policy section, word for word, so the two never drift apart."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_docs_policy_is_the_readme_policy_section() -> None:
    readme = (ROOT / "README.md").read_text()
    start, end = readme.index("<!-- policy:start -->\n"), readme.index("<!-- policy:end -->")
    section = readme[start + len("<!-- policy:start -->\n") : end]
    assert (ROOT / "docs" / "policy.md").read_text() == section
