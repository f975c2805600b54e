import requests


def fetch_user(user_id):
    # ruleid: py-requests-no-timeout
    resp = requests.get(f"https://api.example.com/users/{user_id}", timeout=(3.05, 30))
    return resp.json()


def push(payload):
    # ruleid: py-requests-no-timeout
    return requests.post("https://hooks.example.com/in", json=payload, timeout=(3.05, 30))



def push_many(payload):
    # ruleid: py-requests-no-timeout
    return requests.post(
        "https://hooks.example.com/in",
        json=payload,
        headers={"X-Source": "svc"}, timeout=(3.05, 30),
    )


def push_no_trailing_comma(payload):
    # ruleid: py-requests-no-timeout
    return requests.put(
        "https://hooks.example.com/in",
        data=payload, timeout=(3.05, 30)
    )


def push_commented(payload):
    # a comment inside the call leaves the insertion point unclear: reported, no fix
    # ruleid: py-requests-no-timeout
    return requests.patch(
        "https://hooks.example.com/in",  # the hook endpoint
        json=payload,
    )

def with_session(urls):
    s = requests.Session()
    s.headers["User-Agent"] = "svc"
    out = []
    for u in urls:
        # ruleid: py-requests-no-timeout
        out.append(s.get(u, timeout=(3.05, 30)))
    return out


def with_ctx():
    with requests.Session() as session:
        # ruleid: py-requests-no-timeout
        return session.request("GET", "https://example.com", timeout=(3.05, 30))


def ok_timeout(user_id):
    # ok: py-requests-no-timeout
    return requests.get("https://api.example.com/u", timeout=(3.05, 27))


def ok_kwargs(url, **kwargs):
    # ok: py-requests-no-timeout
    return requests.get(url, **kwargs)


def ok_adapter():
    s = requests.Session()
    s.mount("https://", TimeoutHTTPAdapter(timeout=5))
    # ok: py-requests-no-timeout
    return s.get("https://example.com")


def ok_partial():
    s = requests.Session()
    s.request = functools.partial(s.request, timeout=10)
    # ok: py-requests-no-timeout
    return s.get("https://example.com")


def ok_other_client(client):
    # ok: py-requests-no-timeout
    return client.get("https://example.com")


def ok_request_builder():
    # ok: py-requests-no-timeout
    return requests.Request("GET", "https://example.com")


def ok_nested_call_in_timed_request(url, payload):
    # ok: py-requests-no-timeout
    return requests.post(url, data=json.dumps(payload), headers={"a": "b"}, timeout=(3.05, 30))


def bad_nested_call_in_untimed_request(url, payload):
    # ruleid: py-requests-no-timeout
    return requests.post(url, data=json.dumps(payload), timeout=(3.05, 30))


def bad_explicit_none(url):
    # ruleid: py-requests-no-timeout
    return requests.get(url, timeout=None)


def bad_session_explicit_none(url):
    s = requests.Session()
    # ruleid: py-requests-no-timeout
    return s.post(url, json={}, timeout=None)


def ok_timeout_from_setting(url, settings):
    # ok: py-requests-no-timeout
    return requests.get(url, timeout=settings.http_timeout)
