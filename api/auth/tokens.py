"""Short-lived access tokens: EdDSA (Ed25519) JWTs signed by a key only this server holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from api.auth.keyfiles import read_or_create

ISSUER = "hdt"
AUDIENCE = "hdt-api"
ALGORITHM = "EdDSA"
VERIFIED_CACHE = 10_000


class InvalidToken(Exception):
    """The token was refused; the message says why in words safe to show the caller."""


@dataclass(frozen=True)
class Claims:
    user_id: str
    role: str
    expires_at: datetime


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The token signing key, created on first start so that restarts keep sessions."""
    pem = read_or_create(path, lambda: Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


class TokenIssuer:
    """Issues and checks tokens. Only EdDSA with our key is accepted: `alg: none`, HS256 keyed
    with the public key, or a token of another issuer or audience are all refused."""

    def __init__(self, key: Ed25519PrivateKey, ttl: timedelta) -> None:
        self._key = key
        self._public: Ed25519PublicKey = key.public_key()
        self.ttl = ttl
        self._verified: dict[str, Claims] = {}

    def issue(self, user_id: str, role: str, now: datetime | None = None) -> tuple[str, datetime]:
        issued = now or datetime.now(UTC)
        expires = issued + self.ttl
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": user_id,
            "role": role,
            "iat": issued,
            "nbf": issued,
            "exp": expires,
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM), expires

    def verify(self, token: str) -> Claims:
        """The claims of a token we issued and that has not expired.

        A token seen before is not checked again (its signature cannot have changed), only
        its expiry: verifying an Ed25519 signature on every request was a fifth of a
        mutation's server time.
        """
        known = self._verified.get(token)
        if known is not None:
            if known.expires_at <= datetime.now(UTC):
                raise InvalidToken("the access token has expired; log in again")
            return known
        claims = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE:
            self._verified.clear()
        self._verified[token] = claims
        return claims

    def _verify(self, token: str) -> Claims:
        try:
            claims = jwt.decode(
                token,
                self._public,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("the access token has expired; log in again") from None
        except jwt.InvalidTokenError:
            raise InvalidToken("the access token is not valid") from None
        role = claims.get("role")
        if not isinstance(role, str):
            raise InvalidToken("the access token is not valid")
        return Claims(
            user_id=str(claims["sub"]),
            role=role,
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
