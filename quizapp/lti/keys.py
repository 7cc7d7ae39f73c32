"""The tool's RSA signing keys: the newest signs, retired ones stay in the published key set for a grace period."""

from __future__ import annotations

import secrets
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import delete, select, update

from quizapp import clock
from quizapp.extensions import db
from quizapp.models import LtiKey

ALGORITHM = "RS256"
# Platforms cache the tool's key set; a retired key is published this long so messages it signed still verify.
RETIRED_GRACE = timedelta(days=2)


def new_private_pem() -> str:
    """Return a fresh 2048-bit RSA private key as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def current() -> LtiKey | None:
    """Return the signing key: the newest that is not retired."""
    stmt = select(LtiKey).where(LtiKey.retired_at.is_(None)).order_by(LtiKey.created_at.desc(), LtiKey.id.desc())
    return db.session.execute(stmt.limit(1)).scalar_one_or_none()


def signing_key() -> LtiKey:
    """Return the signing key, making the first one if the tool has none yet (flushed, the caller commits)."""
    return current() or rotate()


def rotate() -> LtiKey:
    """Make a new signing key, retire the others, and forget keys retired longer than the grace period."""
    moment = clock.now()
    db.session.execute(delete(LtiKey).where(LtiKey.retired_at < moment - RETIRED_GRACE))
    db.session.execute(update(LtiKey).where(LtiKey.retired_at.is_(None)).values(retired_at=moment))
    key = LtiKey(kid=secrets.token_urlsafe(16), private_pem=new_private_pem(), created_at=moment)
    db.session.add(key)
    db.session.flush()
    return key


def public_jwk(key: LtiKey) -> dict:
    """Return a key's public half as a JWK with its kid, algorithm and use."""
    private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return {**jwk, "kid": key.kid, "alg": ALGORITHM, "use": "sig"}


def key_set() -> dict:
    """Return the published JWKS: the signing key and keys retired within the grace period."""
    since = clock.now() - RETIRED_GRACE
    stmt = select(LtiKey).where((LtiKey.retired_at.is_(None)) | (LtiKey.retired_at >= since)).order_by(LtiKey.id)
    return {"keys": [public_jwk(k) for k in db.session.execute(stmt).scalars()]}


def sign(claims: dict) -> str:
    """Sign claims as a JWT with the current key (its kid in the header)."""
    key = signing_key()
    return jwt.encode(claims, key.private_pem, algorithm=ALGORITHM, headers={"kid": key.kid})
