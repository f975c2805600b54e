import httpx
import requests

session = requests.Session()


def user(uid):
    # ruleid: py-http-status-unchecked
    return requests.get(f"https://api.example.com/users/{uid}", timeout=5).json()


def orders(uid):
    resp = session.get("https://api.example.com/orders", params={"u": uid}, timeout=5)
    # ruleid: py-http-status-unchecked
    return resp.json()["items"]


async def price(client: httpx.AsyncClient, sku):
    r = await client.get(f"/prices/{sku}")
    # ruleid: py-http-status-unchecked
    data = r.json()
    return data["amount"]


def checked(uid):
    resp = requests.get(f"https://api.example.com/users/{uid}", timeout=5)
    resp.raise_for_status()
    # ok: py-http-status-unchecked
    return resp.json()


def branch_on_status(uid):
    resp = session.post("https://api.example.com/users", json={"id": uid}, timeout=5)
    if resp.status_code != 201:
        raise RuntimeError(f"create failed: {resp.status_code}")
    # ok: py-http-status-unchecked
    return resp.json()


async def ok_flag(client: httpx.AsyncClient, sku):
    r = await client.get(f"/prices/{sku}")
    if not r.is_success:
        return None
    # ok: py-http-status-unchecked
    return r.json()


def not_a_response(payload):
    # ok: py-http-status-unchecked
    return payload.json()


class Registry:
    def get(self, url):
        ...

    def lookup(self, name):
        answer = self.get(f"https://registry.example.com/{name}")
        # ok: py-http-status-unchecked
        return answer.json()


def aiohttp_style(session, url):
    resp = session.get(url)
    if resp.status != 200:
        return None
    # ok: py-http-status-unchecked
    return resp.json()


def handled_by_the_except(url):
    try:
        r = requests.get(url, timeout=5)
        # ok: py-http-status-unchecked
        return r.json()["rate"]
    except (ValueError, KeyError) as exc:
        raise LookupError(f"no rate from {url}") from exc


def outside_the_try(url):
    try:
        r = requests.get(url, timeout=5)
    except requests.ConnectionError:
        return None
    # the request is made inside the try: not followed out of it (known miss)
    # todoruleid: py-http-status-unchecked
    return r.json()
