"""What every resolver gets: the engine, the API config, the store, the caller, and this request's dataloaders."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from loaders.engine import Engine
from resolvers.auth import Principal, Role
from resolvers.config import ApiConfig
from resolvers.dataloaders import Loaders
from resolvers.errors import BadInput
from resolvers.feed import HeadWatcher
from resolvers.metrics import Metrics
from resolvers.pii import PiiReads
from resolvers.store import Store

__all__ = ["Context"]

T = TypeVar("T")


@dataclass
class Context:
    engine: Engine
    config: ApiConfig
    store: Store
    principal: Principal
    id_key: bytes
    """Keys the ids of masked identifiers (HMAC), so that they cannot be tested against guesses."""
    feed: HeadWatcher
    authenticated: bool = True
    """False on a websocket until its connection_init carried valid credentials."""
    connection_params: dict[str, Any] | None = None
    """A websocket's connection_init payload (strawberry sets it)."""
    loaders: Loaders = field(init=False)
    """Created per request: a dataloader's cache must never serve one caller another's data."""
    pii_reads: PiiReads = field(default_factory=PiiReads)
    """Whose personal data this request showed unmasked: audited once, when it ends."""

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Forget what this request loaded: after a write, later fields must see the new graph."""
        self.loaders = Loaders(self.store, see_restricted=self.see_restricted)

    async def run_engine(
        self,
        label: str,
        fn: Callable[[], T],
        *,
        refusals: type[Exception] | tuple[type[Exception], ...] = (),
        writes: bool = True,
    ) -> T:
        """Blocking engine work (identity, privacy) in a worker thread. The engine's `refusals`
        (unknown record, shared identifier) are the caller's to fix; after work that writes,
        later fields must see the new graph, whether it succeeded or not."""
        try:
            return await self.store.call(label, fn)
        except refusals as exc:
            raise BadInput(str(exc)) from None
        finally:
            if writes:
                self.refresh()

    @property
    def metrics(self) -> Metrics:
        return self.store.metrics

    @property
    def masked(self) -> bool:
        """Personal data is partly hidden from front-end apps."""
        return self.principal.role < Role.STEWARD

    @property
    def id_mask(self) -> bytes | None:
        """The key masked identifier ids are made with, for callers who see masked values."""
        return self.id_key if self.masked else None

    @property
    def see_restricted(self) -> bool:
        return self.principal.role >= Role.STEWARD

    @property
    def may_introspect(self) -> bool:
        """`C360_API_INTROSPECTION` names the lowest role that may (or `none`)."""
        lowest = Role.parse(self.config.introspection)
        return lowest is not None and self.principal.role >= lowest
