"""How source systems mangle values: format variants, typos, nicknames, Unicode forms.

Everything here except name typos and nicknames is undone by ordinary normalization (trim,
case-fold, E.164, NFC, ISO dates, ISO country codes), which is what the loader is tested on.
"""

import random
import unicodedata
from collections.abc import Callable
from datetime import date

from loaders.sample._identifiers import Phone
from loaders.sample._pools import BY_CODE

_ENGLISH_FEMALE: dict[str, tuple[str, ...]] = {
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Margaret": ("Maggie", "Peggy"),
    "Katherine": ("Kate", "Katie"),
    "Catherine": ("Cathy", "Kate"),
    "Jennifer": ("Jen", "Jenny"),
    "Susan": ("Sue",),
    "Patricia": ("Pat", "Trish"),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky",),
    "Deborah": ("Debbie",),
    "Samantha": ("Sam",),
    "Jessica": ("Jess",),
}
_ENGLISH_MALE: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "James": ("Jim", "Jamie"),
    "Richard": ("Rick", "Dick"),
    "Michael": ("Mike", "Mick"),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe",),
    "Daniel": ("Dan", "Danny"),
    "Anthony": ("Tony",),
    "Christopher": ("Chris",),
    "Alexander": ("Alex",),
    "Edward": ("Ed", "Ted"),
    "Benjamin": ("Ben",),
    "Matthew": ("Matt",),
    "Nicholas": ("Nick",),
    "Andrew": ("Andy",),
    "David": ("Dave",),
    "Stephen": ("Steve",),
    "Jonathan": ("Jon",),
}
_GERMAN_FEMALE: dict[str, tuple[str, ...]] = {
    "Elisabeth": ("Lisa", "Elli"),
    "Margarete": ("Grete",),
    "Katharina": ("Kathi",),
    "Susanne": ("Susi",),
}
_GERMAN_MALE: dict[str, tuple[str, ...]] = {
    "Johannes": ("Hans",),
    "Friedrich": ("Fritz",),
    "Wolfgang": ("Wolf",),
    "Matthias": ("Matze",),
}
_FRENCH_FEMALE: dict[str, tuple[str, ...]] = {"Isabelle": ("Isa",), "Dominique": ("Do",)}
_FRENCH_MALE: dict[str, tuple[str, ...]] = {"Christophe": ("Chris",), "Frédéric": ("Fred",)}

NICKNAMES: dict[str, tuple[str, ...]] = {
    **_ENGLISH_FEMALE,
    **_ENGLISH_MALE,
    **_GERMAN_FEMALE,
    **_GERMAN_MALE,
    **_FRENCH_FEMALE,
    **_FRENCH_MALE,
}
"""Formal first name -> nicknames that some records use instead (not normalizable)."""

FORMAL_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "GB": (tuple(_ENGLISH_FEMALE), tuple(_ENGLISH_MALE)),
    "US": (tuple(_ENGLISH_FEMALE), tuple(_ENGLISH_MALE)),
    "DE": (tuple(_GERMAN_FEMALE), tuple(_GERMAN_MALE)),
    "FR": (tuple(_FRENCH_FEMALE), tuple(_FRENCH_MALE)),
}
"""Country code -> (female, male) names with nicknames, for the name pools."""


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _same(text: str) -> str:
    return text


class Noise:
    def __init__(self, rng: random.Random, default_region: str) -> None:
        self._rng = rng
        self._default_region = default_region

    def email(self, value: str) -> str:
        local, _, domain = value.partition("@")
        roll = self._rng.random()
        if roll < 0.10:
            value = ".".join(part.capitalize() for part in local.split(".")) + "@" + domain
        elif roll < 0.17:
            value = f"{local}@{domain.upper()}"
        elif roll < 0.21:
            value = value.upper()
        if self._rng.random() < 0.06:
            value = f" {value} "
        return value

    def phone(self, phone: Phone, country: str) -> str:
        """National formats only where the loader's default region will read them correctly."""
        roll = self._rng.random()
        if country == self._default_region and roll < 0.40:
            if roll < 0.32:
                return phone.national
            head, _, rest = phone.national.partition(" ")
            return phone.national if head.startswith("(") else f"({head}) {rest}"
        roll = self._rng.random()
        if roll < 0.45:
            return phone.international
        if roll < 0.70:
            return phone.e164
        if roll < 0.85:
            return phone.international.replace(" ", "-")
        return "00" + phone.international[1:]

    def login(self, value: str) -> str:
        roll = self._rng.random()
        if roll < 0.40:
            return value
        if roll < 0.75:
            return value.lower()
        if roll < 0.85:
            return value.upper()
        return value.swapcase()

    def first_name(self, name: str) -> str:
        nicknames = NICKNAMES.get(name)
        if nicknames and self._rng.random() < 0.25:
            name = self._rng.choice(nicknames)
        return self.name(name)

    def name(self, name: str) -> str:
        rng = self._rng
        if rng.random() < 0.03 and len(name) >= 4:
            i = rng.randrange(1, len(name) - 1)
            if rng.random() < 0.5:
                name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
            else:
                name = name[:i] + name[i + 1 :]
        roll = rng.random()
        if roll < 0.03:
            name = name.upper()
        elif roll < 0.05:
            name = name.lower()
        elif roll < 0.07:
            name = name.replace(" ", "  ") if " " in name else f"{name} "
        return name

    def full_name(self, first: str, last: str) -> str:
        sep = "  " if self._rng.random() < 0.03 else " "
        return f"{self.first_name(first)}{sep}{self.name(last)}"

    def birth_date(self, value: date) -> str:
        if self._rng.random() < 0.02:
            return value.strftime("%Y/%m/%d")
        return value.isoformat()

    def country(self, code: str) -> str:
        roll = self._rng.random()
        if roll < 0.05:
            return BY_CODE[code].name
        if roll < 0.10:
            return BY_CODE[code].alpha3
        return code

    def text_form(self) -> Callable[[str], str]:
        """The Unicode form for one record's free text: NFD on ~2% of records."""
        return _nfd if self._rng.random() < 0.02 else _same
