import asyncio

import httpx

async def fetch(client, url):
    resp = await client.get(url)
    return resp.text


async def embed(text):
    return await model.embed(text)


async def fetch_all(client, urls):
    # ruleid: py-unbounded-gather
    return await asyncio.gather(*[fetch(client, u) for u in urls])


async def embed_documents(docs):
    # ruleid: py-unbounded-gather
    return await asyncio.gather(*(embed(d.text) for d in docs if d.text), return_exceptions=True)


class SandboxService:
    async def get_sandbox(self, sandbox_id):
        return await self.db.get(sandbox_id)

    async def batch_get(self, sandbox_ids):
        # ruleid: py-unbounded-gather
        return await asyncio.gather(*[self.get_sandbox(i) for i in sandbox_ids])


async def notify_all(rows):
    tasks = []
    for row in rows:
        if row.enabled:
            tasks.append(asyncio.create_task(send_webhook(row.url, row.payload)))
    # ruleid: py-unbounded-gather
    await asyncio.gather(*tasks)


async def lookup(ids):
    coros = [load_user(i) for i in ids]
    # ruleid: py-unbounded-gather
    return await asyncio.gather(*coros)


async def two_things(user_id):
    # a fixed number of awaitables
    # ok: py-unbounded-gather
    return await asyncio.gather(load_user(user_id), load_orders(user_id))


async def fixed_targets(a, b):
    # ok: py-unbounded-gather
    return await asyncio.gather(*[ping(h) for h in (a, b)])


async def in_batches(items):
    out = []
    for i in range(0, len(items), 50):
        # ok: py-unbounded-gather
        out += await asyncio.gather(*[embed(x) for x in items[i : i + 50]])
    return out


async def per_batch(batch):
    # ok: py-unbounded-gather
    return await asyncio.gather(*[embed(x) for x in batch])


async def worker_pool(queue, n):
    # a fixed-size pool of workers draining a queue
    # ok: py-unbounded-gather
    await asyncio.gather(*[consume(queue) for _ in range(n)])


class Hub:
    async def broadcast(self, msg):
        # the object's own registry, not an input
        # ok: py-unbounded-gather
        await asyncio.gather(*(c.send(msg) for c in self.connections))

    async def aclose(self):
        # ok: py-unbounded-gather
        await asyncio.gather(*[s.close() for s in open_sessions()])


async def stop_servers(servers):
    # ok: py-unbounded-gather
    await asyncio.gather(*[srv.wait_closed() for srv in servers])


async def run_checks(items):
    tasks = [asyncio.create_task(check_item(i)) for i in items]
    try:
        # ruleid: py-unbounded-gather
        return await asyncio.gather(*tasks)
    except Exception:
        for t in tasks:
            t.cancel()
        # waiting for the cancelled tasks to finish
        # ok: py-unbounded-gather
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def start(self):
    # startup over the configured plugins
    # ok: py-unbounded-gather
    await asyncio.gather(*[p.load() for p in configured()])


async def save_events(request):
    # ruleid: py-unbounded-gather
    await asyncio.gather(*[store.save(e) for e in request.events])


async def sync_callbacks(db, query):
    rows = (await db.execute(query)).scalars().all()
    # ruleid: py-unbounded-gather
    await asyncio.gather(*[deliver(r) for r in rows])


async def dispatch_rounds(call):
    for active in call.rounds():
        # a structure of the program's own making, not an input
        # ok: py-unbounded-gather
        await asyncio.gather(*(run_chain(c) for c in active))
