"""Who is calling: an API key or a JWT from `Authorization: Bearer ...`, with which role and scopes."""

import enum
import time
from dataclasses import dataclass

import jwt

from resolvers import apikeys
from resolvers.config import ApiConfig
from resolvers.scopes import Scope, for_role
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
    scopes: frozenset[Scope]
    mappings: frozenset[str] | None = None
    """The mappings it may ingest through; None for every built-in one."""

    def can(self, scope: Scope) -> bool:
        return scope in self.scopes

    def may_ingest(self, mapping: str) -> bool:
        return self.can(Scope.INGEST) and (self.mappings is None or mapping in self.mappings)


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
        row = rows[0]
        role = Role.parse(row["role"])
        if role is None:
            return None
        name = f"apikey:{key_id}" + (f":{row['name']}" if row["name"] else "")
        principal = _principal(name, role, row.get("scopes"), row.get("mappings"))
        if principal is None:
            return None
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
        scope = claims.get(config.jwt_scope_claim)
        requested = scope.split() if isinstance(scope, str) else scope
        return _principal(f"jwt:{subject}", role, requested, claims.get(config.jwt_mappings_claim))


def _principal(name: str, role: Role, scopes: object, mappings: object) -> Principal | None:
    """None when the stored or claimed scopes are malformed or beyond the role: refused, not reduced."""
    if scopes is not None and not (isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)):
        return None
    if mappings is not None and not (isinstance(mappings, list) and all(isinstance(m, str) for m in mappings)):
        return None
    try:
        granted = for_role(role.name.lower(), scopes)
    except ValueError:
        return None
    return Principal(name, role, granted, frozenset(mappings) if mappings is not None else None)
