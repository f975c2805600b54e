"""Read a request body with a size cap, without buffering more than the cap."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.requests import Request


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is (or declares itself) larger than `limit` bytes."""
    return await read_signed(request, limit, lambda _chunk: None)


class Slots:
    """Bounds how many request bodies are held at once: many small ones, few large ones.

    A body declaring at most `small_bytes` takes a small slot, anything else (or undeclared) a large
    one, so at most small_slots * small_bytes + large_slots * limit bytes are buffered in all.
    """

    def __init__(self, *, small_bytes: int, small_slots: int, large_slots: int) -> None:
        self.small_bytes = small_bytes
        self._small = asyncio.Semaphore(small_slots)
        self._large = asyncio.Semaphore(large_slots)

    def for_request(self, request: Request) -> asyncio.Semaphore:
        declared = request.headers.get("content-length", "")
        small = declared.isdigit() and int(declared) <= self.small_bytes
        return self._small if small else self._large


async def acquire(slot: asyncio.Semaphore, wait_s: float) -> bool:
    try:
        await asyncio.wait_for(slot.acquire(), timeout=wait_s)
    except TimeoutError:
        return False
    return True


async def read_signed(request: Request, limit: int, update: Callable[[bytes], None]) -> bytes | None:
    """Like read_limited, feeding each chunk to `update` (an HMAC) as it arrives."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        update(chunk)
        chunks.append(chunk)
    return b"".join(chunks)
