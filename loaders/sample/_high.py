"""`--noise high`: what real exports do to person data, on top of the default noise.

Typos and transposed letters in names and streets, first and last name swapped, missing
values, postcodes with two characters swapped, impossible birth dates (month 45, day 92),
national ids with one digit wrong, and records that keep no shared identifier at all. Only
rendering changes: records, and so the truth, stay exact. Every extra draw comes from a stream
of its own, so the default noise level writes the same bytes as before this existed.
"""

import random
from typing import Any

from loaders.sample._noise import Noise
from loaders.sample._pools import Weighted

__all__ = ["CRM_PER_PERSON", "COOKIES_PER_SHOPPER", "SHOP_PER_PERSON", "HighNoise", "national_id"]

# Up to ten person records: 3 CRM + 2 shop + 3 cookies + subscriber + requester.
CRM_PER_PERSON = Weighted({0: 35, 1: 30, 2: 20, 3: 15})
SHOP_PER_PERSON = Weighted({0: 30, 1: 45, 2: 25})
COOKIES_PER_SHOPPER = Weighted({0: 15, 1: 35, 2: 30, 3: 20})

_TYPO = 0.12
_SWAP_NAMES = 0.06
_MISSING = 0.10
_POSTCODE_SWAP = 0.10
_STREET_TYPO = 0.12
_BAD_DATE = 0.04
_NATIONAL_ID_SHOWN = 0.6
_NATIONAL_ID_TYPO = 0.08
_NO_SHARED_ID = 0.04


def national_id(person_id: str, seed: int) -> str:
    """A nine-digit id per person, unique within a run, drawn from no random stream.

    Multiplying by a number coprime to 10**9 spreads consecutive people over the whole range,
    so a one-digit error almost never lands on somebody else's id.
    """
    number = int(person_id.rsplit("-", 1)[1])
    return f"{(number * 7_919 + seed * 104_729) % 10**9:09d}"


class HighNoise(Noise):
    def __init__(self, rng: random.Random, default_region: str, extra: random.Random, seed: int) -> None:
        super().__init__(rng, default_region)
        self._extra = extra
        self._seed = seed

    def national(self, person_id: str) -> str:
        return national_id(person_id, self._seed)

    def name(self, name: str) -> str:
        return super().name(self._typo(name) if self._extra.random() < _TYPO else name)

    def _typo(self, value: str) -> str:
        rng = self._extra
        if len(value) < 4:
            return value
        i = rng.randrange(1, len(value) - 1)
        roll = rng.random()
        if roll < 0.4:  # transposed letters
            return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
        if roll < 0.7:  # a letter dropped
            return value[:i] + value[i + 1 :]
        return value[:i] + rng.choice("aeioulnrst") + value[i + 1 :]  # a letter replaced

    def _swap_two(self, value: str) -> str:
        spots = [i for i in range(len(value) - 1) if value[i] != value[i + 1] and value[i] != " " != value[i + 1]]
        if not spots:
            return value
        i = self._extra.choice(spots)
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]

    def _bad_date(self, iso_date: str) -> str:
        year, month, day = iso_date.split("-")
        return f"{year}-45-{day}" if self._extra.random() < 0.5 else f"{year}-{month}-92"

    def _national_id(self, value: str) -> str:
        if self._extra.random() >= _NATIONAL_ID_TYPO:
            return value
        i = self._extra.randrange(len(value))
        digit = str((int(value[i]) + self._extra.randrange(1, 10)) % 10)
        return value[:i] + digit + value[i + 1 :]

    def person(self, fields: dict[str, Any], national: str, identifiers: tuple[str, ...]) -> dict[str, Any]:
        """Corrupt one record's person fields (keys: first_name, last_name, birth_date, street,
        city, postcode, phone, national_id, and the identifier keys named)."""
        rng = self._extra
        out = dict(fields)
        out["national_id"] = self._national_id(national) if rng.random() < _NATIONAL_ID_SHOWN else None
        if rng.random() < _SWAP_NAMES:
            out["first_name"], out["last_name"] = out["last_name"], out["first_name"]
        if out.get("street") and rng.random() < _STREET_TYPO:
            out["street"] = self._typo(out["street"])
        if out.get("postcode") and rng.random() < _POSTCODE_SWAP:
            out["postcode"] = self._swap_two(out["postcode"])
        date = out.get("birth_date")
        if date and len(date) == 10 and date[4] == "-" and rng.random() < _BAD_DATE:
            out["birth_date"] = self._bad_date(date)
        for key in ("first_name", "last_name", "birth_date", "street", "city", "postcode", "phone"):
            if out.get(key) and rng.random() < _MISSING:
                out[key] = None
        if rng.random() < _NO_SHARED_ID:
            for key in ("national_id", *identifiers):
                out[key] = None
        return out
