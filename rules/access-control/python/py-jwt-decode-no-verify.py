import jwt


def current_user(token):
    # ruleid: py-jwt-decode-no-verify
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]


def legacy(token, key):
    # ruleid: py-jwt-decode-no-verify
    return jwt.decode(token, key, verify=False)


def none_alg(token):
    # ruleid: py-jwt-decode-no-verify
    return jwt.decode(token, "", algorithms=["HS256", "none"])


def ok(token, key):
    # ok: py-jwt-decode-no-verify
    return jwt.decode(token, key, algorithms=["RS256"], audience="api")


def ok_exp_only(token, key):
    # ok: py-jwt-decode-no-verify
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})
