import httpx


def make_client():
    # ruleid: py-httpx-timeout-none
    return httpx.Client(base_url="https://api.example.com", timeout=None)


async def make_async():
    # ruleid: py-httpx-timeout-none
    async with httpx.AsyncClient(timeout=None) as c:
        return await c.get("/x")


def no_timeouts():
    # ruleid: py-httpx-timeout-none
    return httpx.Client(timeout=httpx.Timeout(None))


def ok_default():
    # ok: py-httpx-timeout-none
    return httpx.get("https://example.com")


def ok_finite():
    # ok: py-httpx-timeout-none
    return httpx.Client(timeout=httpx.Timeout(10.0, connect=3.0))


def ok_pool_only():
    # ok: py-httpx-timeout-none
    return httpx.Timeout(10.0, pool=None)
