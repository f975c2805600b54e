"""contents.py: per file or the archive, whichever costs fewer requests; failures fall back per file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from github_app.archive import ArchiveLimits, Extracted
from github_app.contents import SideReader, use_archive
from github_app.repotree import DirTree, TreeUnavailable


def test_the_archive_is_used_from_min_files_on_and_only_if_the_repository_fits() -> None:
    limits = ArchiveLimits(max_total_bytes=10 * 1024 * 1024)
    assert not use_archive(4, 100, min_files=5, limits=limits)
    assert use_archive(5, 100, min_files=5, limits=limits)
    assert not use_archive(500, 20 * 1024, min_files=5, limits=limits)  # 20 MB repository, 10 MB cap
    assert not use_archive(500, 100, min_files=0, limits=limits)  # 0 turns the archive off


class Fakes:
    def __init__(self, tree: dict[str, bytes], *, fail: bool = False, left_out: frozenset[str] = frozenset()):
        self.tree = tree
        self.fail = fail
        self.left_out = left_out
        self.file_calls: list[str] = []
        self.archive_calls = 0

    def fetch_file(self, path: str) -> bytes | None:
        self.file_calls.append(path)
        return self.tree.get(path, b"from the contents API" if path in self.left_out else None)

    def fetch_archive(self, dest: Path) -> Extracted:
        self.archive_calls += 1
        if self.fail:
            raise TreeUnavailable("the repository archive is over 200 MB")
        for rel, data in self.tree.items():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_bytes(data)
        sizes = {rel: len(data) for rel, data in self.tree.items()}
        return Extracted(DirTree(dest, "sha", sizes), Counter({"link": len(self.left_out)}), self.left_out)


def _reader(fakes: Fakes, tmp_path: Path) -> SideReader:
    return SideReader("head", "abc123", tmp_path / "head", fetch_file=fakes.fetch_file,
                      fetch_archive=fakes.fetch_archive, repo_size_kb=10, min_files=3)


def test_small_reads_go_file_by_file(tmp_path: Path) -> None:
    fakes = Fakes({"a.py": b"a", "b.py": b"b"})
    got = _reader(fakes, tmp_path)(["a.py", "b.py"])
    assert got == {"a.py": b"a", "b.py": b"b"}
    assert fakes.file_calls == ["a.py", "b.py"] and fakes.archive_calls == 0


def test_large_reads_come_from_one_archive_and_later_reads_reuse_it(tmp_path: Path) -> None:
    fakes = Fakes({f"m{i}.py": f"{i}".encode() for i in range(6)})
    reader = _reader(fakes, tmp_path)
    got = reader([f"m{i}.py" for i in range(6)] + ["gone.py"])
    assert got["m5.py"] == b"5" and got["gone.py"] is None
    assert reader(["m1.py"]) == {"m1.py": b"1"}  # a small read once the archive is there costs nothing
    assert fakes.file_calls == [] and fakes.archive_calls == 1
    assert reader.tree.read(["m2.py"]) == {"m2.py": b"2"}


def test_a_path_left_out_of_the_archive_is_fetched_by_itself(tmp_path: Path) -> None:
    fakes = Fakes({f"m{i}.py": b"x" for i in range(4)}, left_out=frozenset({"link.py"}))
    got = _reader(fakes, tmp_path)(["m0.py", "m1.py", "m2.py", "link.py"])
    assert got["link.py"] == b"from the contents API"
    assert fakes.file_calls == ["link.py"]


def test_an_unavailable_archive_falls_back_to_per_file_once_and_says_so(tmp_path: Path) -> None:
    fakes = Fakes({f"m{i}.py": b"x" for i in range(4)}, fail=True)
    reader = _reader(fakes, tmp_path)
    assert reader(["m0.py", "m1.py", "m2.py"]) == {"m0.py": b"x", "m1.py": b"x", "m2.py": b"x"}
    assert reader(["m3.py", "m0.py", "m1.py"])["m3.py"] == b"x"
    assert fakes.archive_calls == 1  # the failure is remembered, not retried on every read
    assert reader.notes == ["The head side was read file by file: the repository archive is over 200 MB."]
