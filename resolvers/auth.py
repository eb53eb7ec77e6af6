"""Who is calling: an API key or a JWT from `Authorization: Bearer ...`, and with which role."""

import enum
import time
from dataclasses import dataclass

import jwt

from resolvers import apikeys
from resolvers.config import ApiConfig
from resolvers.store import Store

__all__ = ["Authenticator", "Principal", "Role"]


class Role(enum.IntEnum):
    """Ordered: each role may do everything the ones below it may."""

    APP = 1
    STEWARD = 2
    ADMIN = 3

    @classmethod
    def parse(cls, name: object) -> "Role | None":
        return cls.__members__.get(name.upper()) if isinstance(name, str) else None


@dataclass(frozen=True)
class Principal:
    name: str
    """Recorded as `by` on steward operations: `apikey:<id>[:<name>]` or `jwt:<subject>`."""
    role: Role


_CACHE_LIMIT = 10_000


class Authenticator:
    """Turns an Authorization header into a Principal, or None (the caller then gets a 401).

    Verified API keys are remembered for `key_cache_seconds` (by digest, never the key itself),
    so a busy front end costs one Neo4j lookup per key and interval rather than per request.
    """

    def __init__(self, config: ApiConfig, store: Store) -> None:
        self._config = config
        self._store = store
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._algorithms = [a for a in config.jwt_algorithms if a.lower() != "none"]

    async def __call__(self, authorization: str | None) -> Principal | None:
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        if token.startswith(apikeys.PREFIX):
            return await self._api_key(token)
        if self._config.jwt_key and token.count(".") == 2:
            return self._jwt(token)
        return None

    async def _api_key(self, key: str) -> Principal | None:
        key_id = apikeys.split(key)
        if key_id is None:
            return None
        fingerprint = apikeys.digest(key)
        cached = self._verified.get(fingerprint)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        rows = await self._store.read("api_key_by_id", id=key_id)
        if not rows or not apikeys.matches(key, rows[0]["hash"]):
            return None
        role = Role.parse(rows[0]["role"])
        if role is None:
            return None
        name = f"apikey:{key_id}" + (f":{rows[0]['name']}" if rows[0]["name"] else "")
        principal = Principal(name, role)
        if len(self._verified) >= _CACHE_LIMIT:
            self._verified.clear()
        self._verified[fingerprint] = (principal, time.monotonic() + self._config.key_cache_seconds)
        return principal

    def _jwt(self, token: str) -> Principal | None:
        config = self._config
        assert config.jwt_key is not None  # only called when a key is configured
        required = ["exp", "sub"] + (["iss"] if config.jwt_issuer else []) + (["aud"] if config.jwt_audience else [])
        try:
            claims = jwt.decode(
                token,
                config.jwt_key,
                algorithms=self._algorithms,
                issuer=config.jwt_issuer,
                audience=config.jwt_audience,
                options={"require": required},
                leeway=30,
            )
        except jwt.PyJWTError:
            return None
        role = Role.parse(claims.get(config.jwt_role_claim))
        subject = claims.get("sub")
        if role is None or not isinstance(subject, str):
            return None
        return Principal(f"jwt:{subject}", role)
