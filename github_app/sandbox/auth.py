"""App JWT checks and installation tokens, as GitHub enforces them.

Installation tokens are stateless (HMAC over installation id and expiry, keyed by
the app's identity), like GitHub's newer `ghs_APPID_JWT` tokens. That matters to
tests: githubkit caches tokens process-wide by installation id, not by base URL,
so a token minted by one sandbox must stay valid on another sandbox of the same app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# docs: "generating-a-json-web-token-jwt-for-a-github-app": exp at most 10 minutes out.
JWT_MAX_LIFETIME = 600
# GitHub tolerates some clock drift on iat; its docs advise iat 60 s in the past.
CLOCK_SKEW = 60
# docs: installation access tokens expire after one hour.
TOKEN_LIFETIME = 3600

MSG_JWT_UNDECODABLE = "A JSON web token could not be decoded"
MSG_JWT_EXPIRED = (
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which "
    "the assertion expires"
)
MSG_JWT_TOO_LONG = "'Expiration time' claim ('exp') is too far in the future"
MSG_JWT_IAT = (
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
)


class AuthError(Exception):
    """A credential GitHub would answer 401 for; the message is GitHub's."""


def generate_app_key() -> tuple[str, str]:
    """(private_pem, public_pem): an RSA 2048 key pair in the PKCS#1 form GitHub hands out."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return private, public


def verify_app_jwt(token: str, *, public_key_pem: str, app_id: int, now: float) -> None:
    """Raise AuthError unless token is an RS256 JWT of this app, live and at most 10 min long."""
    try:
        claims = jwt.decode(
            token,
            public_key_pem,
            algorithms=["RS256"],
            # Time claims are checked below against the sandbox clock, which tests can move.
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                     "verify_iss": False, "require": ["exp", "iat", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise AuthError(MSG_JWT_UNDECODABLE) from exc
    iat, exp, iss = claims.get("iat"), claims.get("exp"), claims.get("iss")
    if not isinstance(iat, int | float):
        raise AuthError(MSG_JWT_IAT)
    if not isinstance(exp, int | float) or exp <= now:
        raise AuthError(MSG_JWT_EXPIRED)
    if iat > now + CLOCK_SKEW:
        raise AuthError(MSG_JWT_IAT)
    if exp - iat > JWT_MAX_LIFETIME or exp > now + JWT_MAX_LIFETIME + CLOCK_SKEW:
        raise AuthError(MSG_JWT_TOO_LONG)
    if str(iss) != str(app_id):
        raise AuthError(MSG_JWT_UNDECODABLE)


def jwt_issuer(token: str) -> int | None:
    """The `iss` of a JWT, read only to pick the key it is then verified against (verify_app_jwt)."""
    try:
        segment = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        return int(str(claims["iss"]))
    except (IndexError, KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class TokenMinter:
    key: bytes

    @classmethod
    def for_app(cls, app_id: int, public_key_pem: str) -> TokenMinter:
        digest = hashlib.sha256(f"prodready-sandbox:{app_id}:{public_key_pem.strip()}".encode()).digest()
        return cls(digest)

    def mint(self, installation_id: int, expires_at: int) -> str:
        body = f"{installation_id}.{expires_at}.{secrets.token_hex(8)}".encode().hex()
        return f"ghs_{body}_{self._sign(body)}"

    def check(self, token: str, now: float) -> int:
        """The installation id a live token was minted for; AuthError otherwise."""
        if not token.startswith("ghs_"):
            raise AuthError("Bad credentials")
        body, _, sig = token[4:].rpartition("_")
        if not body or not hmac.compare_digest(sig, self._sign(body)):
            raise AuthError("Bad credentials")
        try:
            inst_s, exp_s, _ = bytes.fromhex(body).decode().split(".")
            inst, exp = int(inst_s), int(exp_s)
        except ValueError as exc:
            raise AuthError("Bad credentials") from exc
        if exp <= now:
            raise AuthError("Bad credentials")
        return inst

    def _sign(self, body: str) -> str:
        return hmac.new(self.key, body.encode(), hashlib.sha256).hexdigest()[:40]
