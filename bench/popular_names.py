"""Rebuild github_app/data/popular/*.txt from the package listings this workplace ships.

Usage: python bench/popular_names.py [LISTINGS_DIR]   (default: ../.library/env/packages)

- pypi.txt: PyPI names ranked by the listing's `rank_among_15000_most_downloaded` column, best first.
- npm.txt:  the 15,000 npm names with the most downloads a month in the listing, most first.
- go.txt, maven.txt: the module / group:artifact names of the listings' partial Go and Maven tables,
  minus rows marked not-served; those tables are small samples, not popularity rankings.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "github_app" / "data" / "popular"
TOP = 15000


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / ".library/env/packages"
    pypi = sorted((int(r[3]), r[0]) for r in rows(src / "pypi.tsv") if len(r) > 3 and r[3].isdigit())
    npm = sorted((-int(r[2]), r[0]) for r in rows(src / "npm.tsv") if len(r) > 2 and r[2].isdigit())[:TOP]
    go = [r[0] for r in rows(src / "go-partial.tsv") if r and "not-served" not in "\t".join(r[1:2])]
    maven = [r[0] for r in rows(src / "maven-partial.tsv") if r and "not-served" not in "\t".join(r[1:2])]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, names in (("pypi", [n for _, n in pypi]), ("npm", [n for _, n in npm]), ("go", go),
                        ("maven", maven)):
        (OUT / f"{name}.txt").write_text("\n".join(dict.fromkeys(names)) + "\n", encoding="utf-8")
        print(f"{name}: {len(dict.fromkeys(names))} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
