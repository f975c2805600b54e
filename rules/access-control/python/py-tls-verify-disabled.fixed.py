import aiohttp
import httpx
import requests


def fetch(url):
    # ruleid: py-tls-verify-disabled
    return requests.get(url, verify=True, timeout=10)



def post_internal(url, body):
    # ruleid: py-tls-verify-disabled
    return requests.post(
        url,
        json=body,
        verify=True,
        timeout=10,
    )

def client():
    # ruleid: py-tls-verify-disabled
    return httpx.Client(base_url="https://internal", verify=True)


def session():
    s = requests.Session()
    # ruleid: py-tls-verify-disabled
    s.verify = True
    return s


async def aio(url):
    # ruleid: py-tls-verify-disabled
    conn = aiohttp.TCPConnector(ssl=False)
    async with aiohttp.ClientSession(connector=conn) as s:
        return await s.get(url)


def ok_ca_bundle(url):
    # ok: py-tls-verify-disabled
    return requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=10)


def ok_default(url):
    # ok: py-tls-verify-disabled
    return requests.get(url, timeout=10)


def ok_unrelated(form):
    # ok: py-tls-verify-disabled
    return form.save(verify=False)


def one_finding_for_nested_calls(session, url, body):
    # ruleid: py-tls-verify-disabled
    return session.request("POST", url, data=body.encode("utf-8"), timeout=10, verify=True)
