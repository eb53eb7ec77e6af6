"""Computed traits per profile: activity, spend, RFM, lifecycle, engagement, sentiment, CLV.

Traits are properties `trait_*` of the Profile node (so segments filter on them directly and
the API's profile loader brings them along), recomputed for the profiles that resolution wrote
or whose touchpoints changed (`after_resolution`), or for the whole base (`refresh_all`).
"""

from graph.traits.config import TraitConfig
from graph.traits.model import TraitModel
from graph.traits.refresh import RefreshReport, after_resolution, refresh, refresh_all

__all__ = ["RefreshReport", "TraitConfig", "TraitModel", "after_resolution", "refresh", "refresh_all"]
