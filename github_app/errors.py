"""Errors the command line reports as one line (no traceback)."""

from __future__ import annotations


class DemoError(Exception):
    pass


class ReplayError(Exception):
    pass
