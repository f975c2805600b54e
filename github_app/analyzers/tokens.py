"""Source text -> normalised tokens, k-gram fingerprints and their winnowed sample, for clone detection. Pure.

Pygments' lexers do the tokenising (one well-kept lexer per language instead of hand-written ones).
Identifiers become `$id` and literals `$lit`, so a copy with renamed variables or other strings still
matches; keywords, operators and punctuation are kept, since they are the code's shape. Comments and
whitespace are dropped, so reformatting changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Keyword, Literal, Name, Text, Token, _TokenType, is_token_subtype

K = 16
"""Tokens per fingerprint: short enough that any clone of the minimum size has several."""
WINDOW = 8
"""Winnowing window: of every WINDOW consecutive fingerprints the index keeps the smallest, so any match
of at least K + WINDOW - 1 tokens shares one kept fingerprint (Schleimer et al., 2003)."""
GUARANTEED = K + WINDOW - 1

LEXERS = {".py": "python", ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
          ".ts": "typescript", ".tsx": "typescript", ".go": "go", ".java": "java", ".kt": "kotlin"}


@dataclass(frozen=True)
class Tok:
    text: str
    line: int


def language(path: str) -> str | None:
    return LEXERS.get(PurePosixPath(path).suffix)


@cache
def _lexer(name: str) -> Lexer:
    return get_lexer_by_name(name, stripnl=False, ensurenl=False)


@cache
def _category(kind: _TokenType) -> str:
    """drop, $id, $lit or keep; cached per token type, since the type tree is walked for each test."""
    def sub(of: _TokenType) -> bool:
        return is_token_subtype(kind, of)

    if sub(Comment) or sub(Text) or kind is Token.Text.Whitespace:
        return "drop"
    if sub(Name) and not sub(Name.Builtin.Pseudo):
        return "$id"
    # Keyword constants (True, null, nil) are values, as literals are.
    if sub(Literal) or sub(Keyword.Constant):
        return "$lit"
    return "keep"


def _norm(kind: _TokenType, value: str) -> str | None:
    category = _category(kind)
    if category == "drop" or not value.strip():
        return None
    return value.strip() if category == "keep" else category


def tokens(path: str, text: str) -> list[Tok]:
    """The normalised tokens of a file, with their 1-based lines; [] for a language not covered."""
    lang = language(path)
    if lang is None:
        return []
    out: list[Tok] = []
    line = 1
    for kind, value in _lexer(lang).get_tokens(text):
        norm = _norm(kind, value)
        # A string comes as several tokens (quote, text, quote): one literal.
        if norm is not None and not (norm == "$lit" and out and out[-1].text == "$lit"):
            out.append(Tok(norm, line))
        line += value.count("\n")
    return _without_imports(out)


IMPORT_WORDS = frozenset({"import", "from", "package"})
_OPEN, _CLOSE = frozenset({"(", "{", "["}), frozenset({")", "}", "]"})


def _without_imports(toks: list[Tok]) -> list[Tok]:
    """Import and package statements left out: every file has them, and sharing them is not copying code.
    A statement starts with one of IMPORT_WORDS as its line's first token and runs to the end of the line,
    or on to its closing bracket when it opens one (Go's `import (`, a multi-line JS or Python import)."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        first_on_line = i == 0 or toks[i - 1].line != t.line
        if not (first_on_line and t.text in IMPORT_WORDS):
            out.append(t)
            i += 1
            continue
        depth, j, line = 0, i, t.line
        while j < len(toks) and (toks[j].line == line or depth > 0):
            depth += (toks[j].text in _OPEN) - (toks[j].text in _CLOSE)
            line = toks[j].line  # `} from "x";` after a multi-line brace belongs to the statement too
            j += 1
        i = j
    return out


def gram_hash(texts: list[str]) -> int:
    """A stable signed 64-bit hash of K token texts (SQLite's INTEGER), the same in every process."""
    digest = hashlib.blake2b("\x1f".join(texts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def grams(toks: list[Tok]) -> list[int]:
    """The hash of every K-token window, by its first token's position."""
    texts = [t.text for t in toks]
    return [gram_hash(texts[i : i + K]) for i in range(len(texts) - K + 1)]


def winnow(hashes: list[int]) -> list[int]:
    """Positions of the fingerprints kept: the rightmost minimum of each WINDOW-wide window."""
    kept: list[int] = []
    if not hashes:
        return kept
    if len(hashes) <= WINDOW:
        return [min(range(len(hashes)), key=lambda i: (hashes[i], -i))]
    last = -1
    for start in range(len(hashes) - WINDOW + 1):
        best = start
        for i in range(start + 1, start + WINDOW):
            if hashes[i] <= hashes[best]:
                best = i
        if best != last:
            kept.append(best)
            last = best
    return kept
