"""Repository archives from the network: hostile members are left out, bombs and truncation stop."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from github_app.archive import ArchiveLimits, extract, safe_member_path
from github_app.repotree import TreeUnavailable

TOP = "acme-app-abc1234"


def _tar(members: list[tarfile.TarInfo | tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for m in members:
            if isinstance(m, tarfile.TarInfo):
                tar.addfile(m)
            else:
                info = tarfile.TarInfo(m[0])
                info.size = len(m[1])
                tar.addfile(info, io.BytesIO(m[1]))
    return buf.getvalue()


def _special(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def test_regular_files_are_extracted_below_the_top_folder(tmp_path: Path) -> None:
    data = _tar([(f"{TOP}/app/main.py", b"print(1)\n"), (f"{TOP}/README.md", b"# r\n")])
    got = extract(io.BytesIO(data), tmp_path, "sha1")
    assert got.tree.paths() == ["README.md", "app/main.py"]
    assert got.tree.read(["app/main.py"]) == {"app/main.py": b"print(1)\n"}
    assert got.tree.key == "sha1" and got.note() is None


def test_traversal_absolute_links_and_devices_are_left_out_and_counted(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    data = _tar([
        (f"{TOP}/../../escape.txt", b"x"),
        ("/etc/evil", b"x"),
        _special(f"{TOP}/link", tarfile.SYMTYPE, "/etc/passwd"),
        _special(f"{TOP}/hard", tarfile.LNKTYPE, f"{TOP}/ok.py"),
        _special(f"{TOP}/dev", tarfile.CHRTYPE),
        _special(f"{TOP}/fifo", tarfile.FIFOTYPE),
        (f"{TOP}/ok.py", b"ok"),
        (f"{TOP}/ok.py/below", b"x"),
    ])
    got = extract(io.BytesIO(data), dest, "k")
    assert got.tree.paths() == ["ok.py"]
    assert got.left_out == {"unsafe path": 2, "link": 2, "special file": 2, "path under a file": 1}
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in dest.rglob("*")) == ["ok.py"]
    note = got.note()
    assert note is not None and "2 link" in note


def test_a_gzip_bomb_stops_at_the_total_cap_without_filling_the_disk(tmp_path: Path) -> None:
    big = b"\0" * (4 * 1024 * 1024)  # compresses to a few KB each
    data = _tar([(f"{TOP}/f{i}.bin", big) for i in range(8)])
    assert len(data) < 200_000
    limits = ArchiveLimits(max_total_bytes=10 * 1024 * 1024, max_file_bytes=8 * 1024 * 1024)
    with pytest.raises(TreeUnavailable, match="over 10 MB"):
        extract(io.BytesIO(data), tmp_path, "k", limits)
    assert sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()) <= 10 * 1024 * 1024


def test_too_many_files_and_an_oversized_file(tmp_path: Path) -> None:
    many = _tar([(f"{TOP}/f{i}", b"x") for i in range(6)])
    with pytest.raises(TreeUnavailable, match="more than 5 files"):
        extract(io.BytesIO(many), tmp_path / "a", "k", ArchiveLimits(max_files=5))
    one_big = _tar([(f"{TOP}/big.bin", b"x" * 2048), (f"{TOP}/small.py", b"x")])
    got = extract(io.BytesIO(one_big), tmp_path / "b", "k", ArchiveLimits(max_file_bytes=1024))
    assert got.tree.paths() == ["small.py"] and sum(got.left_out.values()) == 1


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_truncated_stream_is_unavailable_not_a_partial_tree(tmp_path: Path, cut: float) -> None:
    data = _tar([(f"{TOP}/f{i}.py", bytes(range(256)) * 400) for i in range(5)])
    with pytest.raises(TreeUnavailable, match="truncated or corrupt"):
        extract(io.BytesIO(data[: int(len(data) * cut)]), tmp_path / str(cut), "k")


def test_garbage_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(TreeUnavailable, match="corrupt"):
        extract(io.BytesIO(b"<html>not an archive</html>"), tmp_path, "k")
    with pytest.raises(TreeUnavailable, match="corrupt"):
        extract(io.BytesIO(gzip.compress(b"not a tar" * 100)), tmp_path, "k")


def test_safe_member_path() -> None:
    assert safe_member_path(f"{TOP}/a/b.py") == "a/b.py"
    assert safe_member_path(f"{TOP}/./x") == "x"  # pathlib drops the dot: still inside
    for bad in (f"{TOP}", f"{TOP}/../x", "/abs/x", f"{TOP}/a\\b"):
        assert safe_member_path(bad) is None, bad
