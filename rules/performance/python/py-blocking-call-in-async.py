import asyncio
import subprocess
import time

import aiofiles
import httpx
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


async def sync_httpx_in_async(url):
    # ruleid: py-blocking-call-in-async
    with httpx.Client(timeout=5) as client:
        return client.get(url).json()


async def sync_httpx_function(url):
    # ruleid: py-blocking-call-in-async
    return httpx.get(url, timeout=5).json()


async def shell_in_async():
    # ruleid: py-blocking-call-in-async
    return subprocess.getoutput("git rev-parse HEAD")


async def read_file_in_async(path):
    # small local file reads are left out on purpose (see the rule)
    # ok: py-blocking-call-in-async
    with open(path) as fh:
        return fh.read()


async def read_path_in_async(path):
    # ok: py-blocking-call-in-async
    return path.read_text()


async def async_httpx_ok(url):
    # ok: py-blocking-call-in-async
    async with httpx.AsyncClient(timeout=5) as client:
        return (await client.get(url)).json()


async def file_read_off_loop(path):
    # ok: py-blocking-call-in-async
    return await asyncio.to_thread(path.read_text)


async def aiofiles_ok(path):
    # ok: py-blocking-call-in-async
    async with aiofiles.open(path) as fh:
        return await fh.read()


def sync_open_ok(path):
    # ok: py-blocking-call-in-async
    with open(path) as fh:
        return fh.read()
