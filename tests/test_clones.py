"""Duplicated code: added blocks that repeat existing code or another added block, names normalised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from github_app.analyzers import ChangeView
from github_app.analyzers.clone_index import CloneIndex
from github_app.analyzers.clones import CloneAnalyzer, blocks
from github_app.analyzers.tokens import GUARANTEED, Tok, grams, tokens, winnow
from github_app.repotree import GitTree
from tests.conftest import GitRepo, git_change

BILLING = '''import logging

log = logging.getLogger(__name__)


def charge(customer, amount, currency="usd"):
    if amount <= 0:
        raise ValueError("amount must be positive")
    total = round(amount * 100)
    fee = max(30, total // 40)
    payload = {"customer": customer, "amount": total + fee, "currency": currency}
    log.info("charging %s", customer)
    response = client.post("/charges", json=payload, timeout=10)
    if response.status_code != 200:
        log.error("charge failed: %s", response.text)
        return None
    return response.json()["id"]
'''
# The same function with every name and literal changed, and reformatted.
COPY = '''

def bill_invoice(account, value, cur="eur"):
    if value <= 0:
        raise ValueError("value must be > 0")
    amount_cents = round(value * 1000)
    surcharge = max(25, amount_cents // 50)
    body = {"account": account, "value": amount_cents + surcharge,
            "cur": cur}
    log.info("billing %s", account)
    resp = client.post("/bills", json=body, timeout=5)
    if resp.status_code != 201:
        log.error("billing failed: %s", resp.text)
        return None
    return resp.json()["number"]
'''
GO_BASE = '''package store

func Load(db *DB, id string) (*Item, error) {
	row := db.QueryRow("SELECT name, price FROM items WHERE id = $1", id)
	var item Item
	if err := row.Scan(&item.Name, &item.Price); err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	if item.Price < 0 {
		return nil, fmt.Errorf("bad price for %s", id)
	}
	item.ID = id
	return &item, nil
}
'''
GO_COPY = '''
func LoadOrder(conn *DB, key string) (*Order, error) {
	r := conn.QueryRow("SELECT label, total FROM orders WHERE key = $1", key)
	var o Order
	if err := r.Scan(&o.Label, &o.Total); err != nil {
		return nil, fmt.Errorf("order %s: %w", key, err)
	}
	if o.Total < 0 {
		return nil, fmt.Errorf("negative total for %s", key)
	}
	o.ID = key
	return &o, nil
}
'''


JAVA_BASE = """package shop;

class Prices {
    static long discounted(Cart cart, double rate) {
        long total = 0;
        for (Line line : cart.lines()) {
            if (line.quantity() <= 0) {
                continue;
            }
            total += line.unitPrice() * line.quantity();
        }
        if (rate > 0.5) {
            throw new IllegalArgumentException("rate too high: " + rate);
        }
        return Math.round(total * (1 - rate));
    }
}
"""


def _run(repo: GitRepo, base_files: dict[str, str | bytes | None], head_files: dict[str, str | bytes | None],
         policy: str | None = None, cache: Path | None = None) -> list[tuple[str, int, str]]:
    base = repo.commit(base_files, "base")
    head = repo.commit(head_files, "head")
    got = CloneAnalyzer(cache).analyze(git_change(repo, base, head, policy))
    assert not got.errors
    return sorted((f.path, f.start_line, f.extra["other"]) for f in got.findings)


def test_a_renamed_reformatted_copy_of_existing_code_is_found_with_its_origin(git_repo: Callable[[], GitRepo]) -> None:
    got = _run(git_repo(), {"app/billing.py": BILLING, "app/invoices.py": "import logging\n"},
               {"app/invoices.py": "import logging\n" + COPY})
    assert got == [("app/invoices.py", 4, "app/billing.py:6-17")]


def test_go_typescript_and_java_copies_are_found(git_repo: Callable[[], GitRepo]) -> None:
    ts = ("export function total(items: Item[], rate: number): number {\n  let sum = 0;\n"
          "  for (const item of items) {\n    if (item.qty <= 0) {\n      continue;\n    }\n"
          "    sum += item.price * item.qty;\n  }\n  const tax = sum * rate;\n  if (tax > 1000) {\n"
          "    console.warn('large tax', tax);\n  }\n  return Math.round((sum + tax) * 100) / 100;\n}\n")
    ts_copy = ts.replace("total(items: Item[], rate", "orderSum(lines: Line[], vat").replace("items", "lines") \
        .replace("item", "line").replace("rate", "vat").replace("1000", "500")
    java_copy = JAVA_BASE.replace("Prices", "Fees").replace("discounted(Cart cart", "net(Basket b") \
        .replace("cart.lines()", "b.items()").replace("line", "item").replace("0.5", "0.9")
    got = _run(git_repo(), {"store/load.go": GO_BASE, "web/cart.ts": ts, "src/shop/Prices.java": JAVA_BASE},
               {"store/orders.go": "package store\n" + GO_COPY, "web/orders.ts": ts_copy,
                "src/shop/Fees.java": java_copy})
    assert got == [("src/shop/Fees.java", 3, "src/shop/Prices.java:3-17"), ("store/orders.go", 3, "store/load.go:3-14"),
                   ("web/orders.ts", 1, "web/cart.ts:1-14")]


def test_two_copies_added_by_the_same_pr_are_reported_once_on_the_later(git_repo: Callable[[], GitRepo]) -> None:
    got = _run(git_repo(), {"app/__init__.py": ""},
               {"app/a.py": "import logging\n\nlog = logging.getLogger(__name__)\n\n" + BILLING.split("\n\n\n", 1)[1],
                "app/b.py": "import logging\n" + COPY})
    assert got == [("app/b.py", 4, "app/a.py:5-16")]


def test_a_near_miss_under_the_threshold_and_moved_code_are_not_reported(git_repo: Callable[[], GitRepo]) -> None:
    short = "\n\ndef small(a, b):\n    total = round(a * 100)\n    fee = max(30, total // 40)\n    return total + fee\n"
    assert _run(git_repo(), {"app/billing.py": BILLING, "app/x.py": "import os\n"},
                {"app/x.py": "import os\n" + short}) == []
    # Moving the function to another file (removed from the base one) is not a copy.
    assert _run(git_repo(), {"app/billing.py": BILLING},
                {"app/billing.py": "import logging\n", "app/charges.py": BILLING}) == []


def test_the_threshold_and_the_switch_come_from_policy(git_repo: Callable[[], GitRepo]) -> None:
    repo = git_repo()
    base = {"app/billing.py": BILLING, "app/invoices.py": "import logging\n"}
    assert _run(repo, base, {"app/invoices.py": "import logging\n" + COPY},
                policy="clones:\n  min_lines: 40\n") == []
    repo2 = git_repo()
    assert _run(repo2, base, {"app/invoices.py": "import logging\n" + COPY}, policy="clones:\n  enabled: false\n") == []


def test_tests_are_not_checked_and_a_repository_over_the_cap_is_said(git_repo: Callable[[], GitRepo]) -> None:
    repo = git_repo()
    assert _run(repo, {"app/billing.py": BILLING}, {"tests/test_billing.py": COPY}) == []
    repo2 = git_repo()
    base = repo2.commit({"app/billing.py": BILLING, "app/invoices.py": "x = 1\n"})
    head = repo2.commit({"app/invoices.py": "x = 1\n" + COPY})
    got = CloneAnalyzer(None).analyze(git_change(repo2, base, head, "clones:\n  max_repo_mb: 0\n"))
    assert got.findings == [] and any("over clones.max_repo_mb" in n for n in got.notes)


def test_the_index_is_built_once_per_tree_and_reuses_unchanged_files(git_repo: Callable[[], GitRepo],
                                                                    tmp_path: Path) -> None:
    repo = git_repo()
    first = repo.commit({"app/billing.py": BILLING, "store/load.go": GO_BASE, "README.md": "# x\n"})
    second = repo.commit({"store/load.go": GO_BASE + GO_COPY})
    with CloneIndex(tmp_path / "idx.sqlite3") as index:
        a = index.ensure(GitTree(repo.root, first), max_file_bytes=1_000_000)
        assert (a.files, a.new_files, a.reused) == (2, 2, False)
        again = index.ensure(GitTree(repo.root, first), max_file_bytes=1_000_000)
        assert again.reused
        b = index.ensure(GitTree(repo.root, second), max_file_bytes=1_000_000)
        assert (b.files, b.new_files) == (2, 1)  # billing.py's content was indexed already
        toks = tokens("app/billing.py", BILLING)
        hits = index.lookup(GitTree(repo.root, second).key, grams(toks))
        assert {p for ps in hits.values() for p, _ in ps} == {"app/billing.py"}
    # And the analyzer finds the same copy through the cached index.
    assert _run(repo, {"app/invoices.py": "import logging\n"}, {"app/invoices.py": "import logging\n" + COPY},
                cache=tmp_path) == [("app/invoices.py", 4, "app/billing.py:6-17")]


def test_bad_input_is_passed_over_with_a_reason(git_repo: Callable[[], GitRepo]) -> None:
    repo = git_repo()
    base = repo.commit({"app/billing.py": BILLING})
    head = repo.commit({"app/huge.py": "x = 1\n" * 200_000, "app/broken.py": "def (:\n" + COPY,
                        "app/blob.py": b"\x00\x01" * 100})
    got = CloneAnalyzer(None).analyze(git_change(repo, base, head))
    assert not got.errors
    assert got.skipped == []  # the scan reports huge.py (same cap); binary files never reach analyzers
    # A file that does not parse is still tokenised: its copy is found.
    assert [(f.path, f.extra["other"]) for f in got.findings] == [("app/broken.py", "app/billing.py:6-17")]


def test_tokens_normalise_names_and_literals_and_drop_comments() -> None:
    a = tokens("a.py", "x = f(1, 'a')  # note\n")
    b = tokens("b.py", "total   =   compute(  99,\n  \"zz\")\n")
    assert [t.text for t in a] == [t.text for t in b] == ["$id", "=", "$id", "(", "$lit", ",", "$lit", ")"]
    assert [t.line for t in b] == [1, 1, 1, 1, 1, 1, 2, 2]


def test_winnowing_keeps_one_fingerprint_of_every_window() -> None:
    hashes = [(i * 7919) % 101 for i in range(200)]
    kept = set(winnow(hashes))
    assert all(any(s <= k < s + 8 for k in kept) for s in range(len(hashes) - 8 + 1))
    assert len(kept) < len(hashes) / 2
    assert GUARANTEED == 23


def test_blocks_are_runs_of_added_tokens() -> None:
    toks = [Tok("a", line) for line in (1, 1, 2, 3, 3, 4, 5, 5)]
    assert blocks(toks, frozenset({1, 2, 4, 5}), 2) == [(0, 3), (5, 8)]


def test_look_alike_statement_runs_and_documentation_examples_are_not_copies(
        git_repo: Callable[[], GitRepo]) -> None:
    params = "".join(f"    p{i}: Annotated[str | None, Doc('parameter {i}')] = None,\n" for i in range(12))
    base = {"app/routing.py": f"def route(\n{params}):\n    return 1\n", "app/sse.py": "X = 1\n"}
    other = "".join(f"    q{i}: Annotated[int | None, Doc('other {i}')] = 0,\n" for i in range(12))
    assert _run(git_repo(), base, {"app/sse.py": f"X = 1\n\n\ndef event(\n{other}):\n    return 2\n"}) == []
    assert _run(git_repo(), {"app/billing.py": BILLING}, {"docs_src/billing/tutorial002.py": COPY}) == []


def test_a_base_tree_that_cannot_be_read_is_said_and_the_prs_own_files_still_compared(
        git_repo: Callable[[], GitRepo]) -> None:
    import dataclasses

    from github_app.repotree import LazyTree, TreeUnavailable

    def truncated() -> GitTree:
        raise TreeUnavailable("the repository archive was truncated")

    repo = git_repo()
    base = repo.commit({"app/__init__.py": ""})
    head = repo.commit({"app/a.py": "import logging\n\nlog = logging.getLogger(__name__)\n\n"
                                    + BILLING.split("\n\n\n", 1)[1], "app/b.py": "import logging\n" + COPY})
    view = dataclasses.replace(git_change(repo, base, head), base_tree=LazyTree(base, truncated))
    got = CloneAnalyzer(None).analyze(view)
    assert [(f.path, f.extra["other"]) for f in got.findings] == [("app/b.py", "app/a.py:5-16")]
    assert got.notes == ["Duplicated code: compared with the PR's own files only; the repository could not be "
                         "read (the repository archive was truncated)."]


def test_the_head_tree_is_compared_when_only_it_is_at_hand() -> None:
    from github_app.repotree import DirTree, LazyTree

    empty = DirTree(Path("/nonexistent"), "k", {})
    base, head = LazyTree("base-sha", lambda: empty), LazyTree("head-sha", lambda: empty)
    view = ChangeView({}, (), dict.fromkeys, dict.fromkeys, None, base_tree=base, head_tree=head)
    with CloneIndex(None) as index:
        assert CloneAnalyzer(None)._tree(view, index) is base  # neither fetched: the base, cached per base SHA
        head.paths()  # the App downloaded the head archive for its own reads
        assert CloneAnalyzer(None)._tree(view, index) is head  # no second download
        base.paths()
        assert CloneAnalyzer(None)._tree(view, index) is base


def test_imports_and_package_lines_are_not_code_to_copy() -> None:
    go = 'package m\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc F() {}\n'
    ts = 'import {\n  a,\n  b,\n} from "x";\nimport c from "y";\nexport const z = 1;\n'
    py = "from x import (\n    a,\n    b,\n)\nimport os\nx = 1\n"
    assert [t.text for t in tokens("a.go", go)] == ["func", "$id", "(", ")", "{", "}"]
    assert [t.text for t in tokens("a.ts", ts)] == ["export", "const", "$id", "=", "$lit", ";"]
    assert [t.text for t in tokens("a.py", py)] == ["$id", "=", "$lit"]


def test_generated_code_is_neither_a_copy_nor_an_original(git_repo: Callable[[], GitRepo], tmp_path: Path) -> None:
    generated = "// Code generated by protoc-gen-go. DO NOT EDIT.\n" + GO_BASE
    assert _run(git_repo(), {"store/load.pb.go": generated}, {"store/orders.go": "package store\n" + GO_COPY}) == []
    repo = git_repo()
    sha = repo.commit({"store/load.pb.go": generated, "store/load.go": GO_BASE})
    with CloneIndex(tmp_path / "i.sqlite3") as index:
        built = index.ensure(GitTree(repo.root, sha), max_file_bytes=1_000_000)
    assert (built.files, built.left_out) == (1, 1)


def test_a_stretch_that_many_files_share_is_the_codebases_idiom_not_a_copy(git_repo: Callable[[], GitRepo]) -> None:
    base = {f"app/h{i}.py": "import logging\n" + COPY.replace("bill_invoice", f"h{i}") for i in range(5)}
    base["app/new.py"] = "x = 1\n"
    assert _run(git_repo(), base, {"app/new.py": "x = 1\n" + COPY}) == []
    # Shared by fewer files, it is still a copy.
    fewer = {k: v for k, v in base.items() if k in ("app/h0.py", "app/new.py")}
    assert [p for p, _, _ in _run(git_repo(), fewer, {"app/new.py": "x = 1\n" + COPY})] == ["app/new.py"]
