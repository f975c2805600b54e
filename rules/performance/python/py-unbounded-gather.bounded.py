import asyncio

# A module that bounds its concurrency: the mapped coroutines take a semaphore slot.
MAX_PARALLEL = asyncio.Semaphore(8)


async def bounded_locally(urls):
    sem = asyncio.Semaphore(10)

    async def one(u):
        async with sem:
            return await get(u)

    # ok: py-unbounded-gather
    return await asyncio.gather(*[one(u) for u in urls])


async def limited(url):
    async with MAX_PARALLEL:
        return await get(url)


async def bounded_by_mapped(urls):
    # the mapped coroutine takes a slot of a module-level semaphore
    # ok: py-unbounded-gather
    return await asyncio.gather(*[limited(u) for u in urls])


async def with_task_group(urls):
    sem = asyncio.Semaphore(20)
    async with asyncio.TaskGroup() as tg:
        for u in urls:
            # ok: py-unbounded-gather
            tg.create_task(limited(u))
