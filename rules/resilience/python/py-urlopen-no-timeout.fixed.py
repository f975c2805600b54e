import urllib.request
from urllib.request import urlopen


def get_json(url):
    # ruleid: py-urlopen-no-timeout
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def post(url, body):
    # ruleid: py-urlopen-no-timeout
    return urlopen(url, data=body, timeout=10).read()



def post_form(url, body):
    # ruleid: py-urlopen-no-timeout
    resp = urllib.request.urlopen(
        url,
        data=body, timeout=10,
    )
    return resp.read()

def ok(url):
    # ok: py-urlopen-no-timeout
    return urllib.request.urlopen(url, timeout=10).read()


def ok_positional(url):
    # ok: py-urlopen-no-timeout
    return urlopen(url, None, 5).read()


def ok_kwargs(url, **kw):
    # ok: py-urlopen-no-timeout
    return urlopen(url, **kw)
