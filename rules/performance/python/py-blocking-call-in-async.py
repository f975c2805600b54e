import asyncio
import subprocess
import time

import requests


async def get_profile(user_id):
    # ruleid: py-blocking-call-in-async
    resp = requests.get(f"https://api.example.com/users/{user_id}", timeout=5)
    return resp.json()


async def poll(job):
    while not job.done:
        # ruleid: py-blocking-call-in-async
        time.sleep(1)


async def render(path):
    # ruleid: py-blocking-call-in-async
    out = subprocess.run(["convert", path, "out.png"], check=True, timeout=60)
    return out


async def ok_async_sleep():
    # ok: py-blocking-call-in-async
    await asyncio.sleep(1)


async def ok_to_thread(url):
    # ok: py-blocking-call-in-async
    return await asyncio.to_thread(requests.get, url, timeout=5)


async def ok_executor(url):
    loop = asyncio.get_running_loop()

    def fetch():
        # ok: py-blocking-call-in-async
        return requests.get(url, timeout=5)

    return await loop.run_in_executor(None, fetch)


def ok_sync(url):
    # ok: py-blocking-call-in-async
    return requests.get(url, timeout=5)
