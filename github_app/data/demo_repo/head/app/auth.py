import functools

from flask import abort, request


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not request.headers.get("Authorization"):
            abort(401)
        return view(*args, **kwargs)

    return wrapped
