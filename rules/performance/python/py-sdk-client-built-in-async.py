import asyncio
import contextlib
import functools
from contextlib import asynccontextmanager

import aiohttp
import boto3
import httpx
import requests

SHARED = httpx.AsyncClient(timeout=10)


class GitHubService:
    async def _make_request(self, url, params=None):
        # ruleid: py-sdk-client-built-in-async
        async with httpx.AsyncClient(timeout=10) as client:
            resp = await client.get(url, headers=self.headers, params=params)
            resp.raise_for_status()
            return resp.json()


@router.post("/hooks/{name}")
async def receive_hook(name, request):
    body = await request.json()
    # ruleid: py-sdk-client-built-in-async
    async with httpx.AsyncClient(timeout=5) as client:
        await client.post(FORWARD_URL, json=body)


async def check_all(urls):
    results = {}
    for url in urls:
        # ruleid: py-sdk-client-built-in-async
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as resp:
                results[url] = resp.status
    return results


async def fetch_openid_configuration(issuer):
    # a one-off lookup: how often it runs cannot be seen here
    # ok: py-sdk-client-built-in-async
    async with httpx.AsyncClient(timeout=10) as client:
        return (await client.get(f"{issuer}/.well-known/openid-configuration")).json()


async def check_all_shared(urls):
    # ok: py-sdk-client-built-in-async
    async with aiohttp.ClientSession() as session:
        for url in urls:
            async with session.get(url) as resp:
                print(resp.status)


async def disconnect(self):
    # shutdown runs once
    # ok: py-sdk-client-built-in-async
    async with aiohttp.ClientSession() as session:
        await session.delete(self.webhook_url)


async def notify(url, payload):
    # ruleid: py-sdk-client-built-in-async
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=payload) as resp:
            return resp.status


async def put_object(bucket, key, body):
    # ruleid: py-sdk-client-built-in-async
    s3 = boto3.client("s3", region_name="eu-west-1")
    await asyncio.to_thread(s3.put_object, Bucket=bucket, Key=key, Body=body)


async def read_secret(name):
    # ruleid: py-sdk-client-built-in-async
    session = boto3.Session()
    client = session.client("secretsmanager")
    return await asyncio.to_thread(client.get_secret_value, SecretId=name)


async def legacy_fetch(url):
    # ruleid: py-sdk-client-built-in-async
    s = requests.Session()
    return await asyncio.to_thread(s.get, url, timeout=5)


class Handler:
    async def handle(self, event):
        # ruleid: py-sdk-client-built-in-async
        client = httpx.AsyncClient(base_url="https://hooks.example.com")
        try:
            await client.post("/in", json=event)
        finally:
            await client.aclose()


class Service:
    def __init__(self):
        # ok: py-sdk-client-built-in-async
        self.s3 = boto3.client("s3")

    async def start(self):
        # ok: py-sdk-client-built-in-async
        self.http = aiohttp.ClientSession()

    async def _ensure(self):
        if self._client is None:
            # ok: py-sdk-client-built-in-async
            self._client = httpx.AsyncClient(timeout=5)
        return self._client

    async def __aenter__(self):
        # ok: py-sdk-client-built-in-async
        self._session = aiohttp.ClientSession()
        return self


@functools.lru_cache(maxsize=None)
def s3_client():
    # ok: py-sdk-client-built-in-async
    return boto3.client("s3")


async def uses_shared(user_id):
    resp = await SHARED.get(f"https://api.example.com/users/{user_id}")
    return resp.json()


@asynccontextmanager
async def lifespan(app):
    # ok: py-sdk-client-built-in-async
    async with httpx.AsyncClient() as client:
        app.state.http = client
        yield


@contextlib.asynccontextmanager
async def http_client():
    # ok: py-sdk-client-built-in-async
    async with httpx.AsyncClient() as client:
        yield client


async def main():
    # entry point: runs once per process
    # ok: py-sdk-client-built-in-async
    async with aiohttp.ClientSession() as session:
        await serve_forever(session)


async def call_app(app, path):
    # an in-process transport opens no sockets
    # ok: py-sdk-client-built-in-async
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.get(path)


async def make_client(token):
    # a factory: the caller keeps the client
    # ok: py-sdk-client-built-in-async
    return httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"})


async def open_pty(entry, url):
    # ok: py-sdk-client-built-in-async
    session = aiohttp.ClientSession()
    entry.http_session = session
    return await session.ws_connect(url)


async def offloaded(url):
    def fetch():
        # runs in a worker thread, and is py-requests' business there
        # ok: py-sdk-client-built-in-async
        with requests.Session() as s:
            return s.get(url, timeout=5).text

    return await asyncio.to_thread(fetch)


class Uploader:
    @staticmethod
    async def upload_report(path, bucket):
        # ruleid: py-sdk-client-built-in-async
        s3 = boto3.client("s3")
        await asyncio.to_thread(s3.upload_file, path, bucket, path)


@app.get("/status")
async def status():
    def probe():
        # ok: py-sdk-client-built-in-async
        return requests.Session().get(STATUS_URL, timeout=3).status_code

    return {"upstream": await asyncio.to_thread(probe)}
