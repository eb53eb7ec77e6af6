"""Computed traits per profile: activity, spend, RFM, lifecycle, engagement, sentiment, CLV.

Traits are properties `trait_*` of the Profile node (so segments filter on them directly and
the API's profile loader brings them along), recomputed for the profiles that are due
(resolution wrote them, or their touchpoints changed: `refresh_pending`), or for the whole
base (`refresh_all`).
"""

from graph.traits.config import TraitConfig
from graph.traits.model import TraitModel
from graph.traits.refresh import RefreshReport, refresh, refresh_all, refresh_pending

__all__ = ["RefreshReport", "TraitConfig", "TraitModel", "refresh", "refresh_all", "refresh_pending"]
