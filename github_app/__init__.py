"""prodready: holds pull requests, above all AI-written ones, to a production bar."""

from __future__ import annotations

__version__ = "0.1.0"
