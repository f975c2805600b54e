import time
import logging

import requests

log = logging.getLogger(__name__)


def fetch_forever(url):
    # ruleid: py-retry-loop-unbounded
    while True:
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            log.warning("retrying %s", url)
            time.sleep(1)


def connect_forever(db):
    # ruleid: py-retry-loop-unbounded
    while True:
        try:
            conn = db.connect()
            break
        except Exception:
            time.sleep(2)
            continue
    return conn


def ok_counter(url):
    attempts = 0
    # ok: py-retry-loop-unbounded
    while True:
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            attempts += 1
            if attempts >= 5:
                raise
            time.sleep(2 ** attempts)


def ok_bounded_for(url):
    for attempt in range(5):
        # ok: py-retry-loop-unbounded
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            time.sleep(2 ** attempt)
    raise RuntimeError("gave up")


def ok_deadline(url, deadline):
    # ok: py-retry-loop-unbounded
    while True:
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def ok_worker_loop(q):
    # ok: py-retry-loop-unbounded
    while True:
        try:
            handle(q.get())
        except Exception:
            log.exception("job failed")


def ok_unique_name(storage, name):
    # ok: py-retry-loop-unbounded
    while True:
        try:
            fd = os.open(name, os.O_CREAT | os.O_EXCL)
            break
        except FileExistsError:
            name = storage.next_name(name)
    return fd


async def watch_forever(client, key):
    # ruleid: py-retry-loop-unbounded
    while True:
        try:
            return await client.get(key)
        except ConnectionError:
            await asyncio.sleep(1)


def ok_optimistic_lock(pipe, func):
    # ok: py-retry-loop-unbounded
    while True:
        try:
            pipe.watch("k")
            return func(pipe)
        except WatchError:
            time.sleep(0.01)
            continue
