"""Per-country vocabularies, drawn from Faker once per run.

Faker providers cost microseconds to tens of microseconds per call; drawing pools up front and
sampling them with the run's own seeded Random keeps 100k people fast and makes the output
depend only on (people, seed) and the Faker version.
"""

from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

from faker import Faker

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 730 * 86_400
"""Every timestamp is EPOCH plus an offset in [0, SPAN_SECONDS)."""


T = TypeVar("T")


@cache
def _day(days: int) -> str:
    return (EPOCH + timedelta(days=days)).date().isoformat()


def iso(offset: int) -> str:
    """EPOCH + offset seconds as 2024-03-05T10:22:31Z (strftime per row is a hot spot)."""
    days, rest = divmod(offset, 86_400)
    hours, rest = divmod(rest, 3600)
    return f"{_day(days)}T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


class Weighted(Generic[T]):
    """A fixed weighted choice; Random.choices re-accumulates the weights on every call."""

    __slots__ = ("_values", "_cumulative", "_total")

    def __init__(self, weights: dict[T, float]) -> None:
        self._values = tuple(weights)
        self._cumulative = tuple(accumulate(weights.values()))
        self._total = self._cumulative[-1]

    def pick(self, rng: Random) -> T:
        return self._values[bisect(self._cumulative, rng.random() * self._total)]


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    alpha3: str
    name: str
    locale: str
    currency: str
    tld: str
    mail_domains: tuple[str, ...]
    house_number_first: bool


COUNTRIES: tuple[Country, ...] = (
    Country(
        "GB",
        "GBR",
        "United Kingdom",
        "en_GB",
        "GBP",
        "co.uk",
        ("gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "btinternet.com", "icloud.com"),
        True,
    ),
    Country(
        "DE",
        "DEU",
        "Germany",
        "de_DE",
        "EUR",
        "de",
        ("gmx.de", "web.de", "gmail.com", "t-online.de", "outlook.de"),
        False,
    ),
    Country(
        "FR",
        "FRA",
        "France",
        "fr_FR",
        "EUR",
        "fr",
        ("orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr"),
        True,
    ),
    Country(
        "US",
        "USA",
        "United States",
        "en_US",
        "USD",
        "com",
        ("gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com"),
        True,
    ),
)
COUNTRY_MIX: Weighted[Country] = Weighted(dict(zip(COUNTRIES, (60, 15, 15, 10), strict=True)))
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


@dataclass(frozen=True, slots=True)
class Pools:
    country: Country
    faker: Faker
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[str, ...]
    postcodes: tuple[str, ...]
    jobs: tuple[str, ...]


def _draw(provider: Callable[[], str], n: int, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    # dict.fromkeys de-duplicates while keeping first-seen order, so the pool is deterministic.
    return tuple(dict.fromkeys([*extra, *(provider() for _ in range(n))]))


def build_pools(seed: int, formal_names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, Pools]:
    """Pools per country code. `formal_names` maps a country code to (female, male) names that
    have nicknames; they join that country's pools so that every nickname can actually occur."""
    pools: dict[str, Pools] = {}
    for country in COUNTRIES:
        fake = Faker(country.locale)
        fake.seed_instance(seed)
        female_extra, male_extra = formal_names.get(country.code, ((), ()))
        pools[country.code] = Pools(
            country=country,
            faker=fake,
            female=_draw(fake.first_name_female, 400, female_extra),
            male=_draw(fake.first_name_male, 400, male_extra),
            surnames=_draw(fake.last_name, 600),
            streets=_draw(fake.street_name, 800),
            cities=_draw(fake.city, 300),
            postcodes=_draw(fake.postcode, 4000),
            jobs=_draw(fake.job, 200),
        )
    return pools
