"""bodies.py: the bound on request bodies held at once."""

from __future__ import annotations

import asyncio

from starlette.requests import Request

from github_app.bodies import Slots, acquire


def _request(length: str | None) -> Request:
    headers = [(b"content-length", length.encode())] if length is not None else []
    return Request({"type": "http", "method": "POST", "path": "/webhooks", "headers": headers})


def test_large_and_undeclared_bodies_share_the_few_large_slots() -> None:
    async def scenario() -> list[bool]:
        slots = Slots(small_bytes=1024, small_slots=3, large_slots=1)
        big, chunked, small = _request(str(10**7)), _request(None), _request("100")
        assert slots.for_request(big) is slots.for_request(chunked)
        assert slots.for_request(small) is not slots.for_request(big)
        got = [await acquire(slots.for_request(big), 0.05), await acquire(slots.for_request(chunked), 0.05)]
        got += [await acquire(slots.for_request(small), 0.05) for _ in range(4)]
        return got

    assert asyncio.run(scenario()) == [True, False, True, True, True, False]
