import requests
from flask import Flask, abort, redirect, request, session

app = Flask(__name__)


@app.route("/oauth/callback")
def callback():
    # ruleid: py-oauth-callback-no-state-check
    code = request.args.get("code")
    token = requests.post("https://github.com/login/oauth/access_token",
                          data={"code": code, "client_id": "id", "client_secret": "s"}, timeout=5).json()
    session["token"] = token["access_token"]
    return redirect("/")


@app.get("/auth/google/callback")
async def google_callback(request):
    # ruleid: py-oauth-callback-no-state-check
    code = request.query_params["code"]
    return await exchange(code)


@app.route("/oauth/callback2")
def callback_checked():
    if request.args.get("state") != session.pop("oauth_state", None):
        abort(400)
    # ok: py-oauth-callback-no-state-check
    code = request.args.get("code")
    return exchange_sync(code)


@app.route("/login/authorized")
def authorized():
    token = oauth.github.authorize_access_token()
    # ok: py-oauth-callback-no-state-check
    code = request.args.get("code")
    return redirect("/")


@app.route("/coupon")
def coupon():
    # ok: py-oauth-callback-no-state-check
    return lookup(request.args.get("coupon"))
