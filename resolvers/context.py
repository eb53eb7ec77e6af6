"""What every resolver gets: settings, the store, the caller, and this request's dataloaders."""

from dataclasses import dataclass, field

from c360.settings import Settings

from resolvers.auth import Principal, Role
from resolvers.config import ApiConfig
from resolvers.loaders import Loaders
from resolvers.metrics import Metrics
from resolvers.pii import PiiReads
from resolvers.store import Store

__all__ = ["Context"]


@dataclass
class Context:
    settings: Settings
    config: ApiConfig
    store: Store
    principal: Principal
    loaders: Loaders = field(init=False)
    """Created per request: a dataloader's cache must never serve one caller another's data."""
    pii_reads: PiiReads = field(default_factory=PiiReads)
    """Whose personal data this request showed unmasked: audited once, when it ends."""

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Forget what this request loaded: after a write, later fields must see the new graph."""
        self.loaders = Loaders(self.store, see_restricted=self.see_restricted)

    @property
    def metrics(self) -> Metrics:
        return self.store.metrics

    @property
    def masked(self) -> bool:
        """Personal data is partly hidden from front-end apps."""
        return self.principal.role < Role.STEWARD

    @property
    def see_restricted(self) -> bool:
        return self.principal.role >= Role.STEWARD
