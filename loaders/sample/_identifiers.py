"""Strong identifiers (emails, phones, logins, loyalty ids) and opaque ids, unique per run.

Every strong identifier is handed out at most once across all people, which is what keeps
household members (and everybody else) from sharing one; the junk values below are the only
deliberate exceptions.
"""

import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from phonenumbers import PhoneMetadata

JUNK_EMAIL = "test@test.com"
JUNK_PHONE = "+44 20 7946 0000"
"""A call-centre number agents type in instead of the caller's own."""
JUNK_DEVICE_ID = "dv_000000000000"
"""What a privacy-hardened browser reports instead of a real device id."""

_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII letters and digits of `text`, runs of anything else replaced by `sep`."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub(sep, ascii_only).strip(sep)


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str
    national: str
    international: str


def _gb(n: str) -> tuple[str, str]:
    return f"0{n[:4]} {n[4:]}", f"+44 {n[:4]} {n[4:]}"


def _de(n: str) -> tuple[str, str]:
    # 015x numbers carry a four-digit network prefix (01512), 016x/017x a three-digit one.
    cut = 4 if n.startswith("15") else 3
    return f"0{n[:cut]} {n[cut:]}", f"+49 {n[:cut]} {n[cut:]}"


def _fr(n: str) -> tuple[str, str]:
    pairs = " ".join(n[i : i + 2] for i in range(1, 9, 2))
    return f"0{n[0]} {pairs}", f"+33 {n[0]} {pairs}"


def _us(n: str) -> tuple[str, str]:
    return f"({n[:3]}) {n[3:6]}-{n[6:]}", f"+1 {n[:3]}-{n[3:6]}-{n[6:]}"


# Mobile ranges per country: (calling code, national prefixes, digits after the prefix, layout).
# Candidates are checked against phonenumbers' own mobile pattern for the region, which is what
# makes them pass is_valid_number; calling is_valid_number itself (and format_number) per person
# would cost about a third of the whole run. Tests check both validity and layout against
# phonenumbers.
_MOBILE = {
    "GB": (44, ("71", "73", "74", "75", "77", "78", "79"), 8, _gb),
    "DE": (
        49,
        ("151", "152", "157", "160", "162", "170", "171", "172", "173", "174", "175", "176", "177", "178", "179"),
        8,
        _de,
    ),
    "FR": (33, ("6", "7"), 8, _fr),
    "US": (1, ("201", "212", "213", "305", "312", "415", "503", "617", "702", "713", "801", "917"), 7, _us),
}


def _mobile_pattern(region: str) -> re.Pattern[str]:
    metadata = PhoneMetadata.metadata_for_region(region)
    pattern = metadata.mobile.national_number_pattern if metadata and metadata.mobile else None
    if not pattern:
        raise LookupError(f"phonenumbers has no mobile pattern for {region}")
    return re.compile(pattern)


_MOBILE_PATTERN = {region: _mobile_pattern(region) for region in _MOBILE}


class Identifiers:
    """Hands out identifiers that never repeat within a run (case-insensitively)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[tuple[str, str]] = {("email", JUNK_EMAIL), ("hex", JUNK_DEVICE_ID)}

    def _claim(self, kind: str, value: str) -> bool:
        key = (kind, value.lower())
        if key in self._taken:
            return False
        self._taken.add(key)
        return True

    def _unique(self, kind: str, stem: str, suffix: str = "") -> str:
        """`stem + suffix`, or with random digits appended to the stem until it is unused."""
        candidate = stem
        while not self._claim(kind, candidate + suffix):
            candidate = f"{stem}{self._rng.randrange(1, 10_000)}"
        return candidate + suffix

    def email(self, first: str, last: str, domain: str) -> str:
        first_, last_ = slug(first) or "user", slug(last) or "mail"
        year = self._rng.randrange(60, 100)
        local = self._rng.choice(
            (
                f"{first_}.{last_}",
                f"{first_}{last_}",
                f"{first_[0]}{last_}",
                f"{first_}_{last_}",
                f"{last_}.{first_}",
                f"{first_}.{last_}{year}",
                f"{first_}{year}",
            )
        )
        return self._unique("email", local, f"@{domain}")

    def work_email(self, first: str, last: str, domain: str) -> str:
        return self._unique("email", f"{slug(first) or 'user'}.{slug(last) or 'mail'}", f"@{domain}")

    def login(self, first: str, last: str) -> str:
        """Mixed case on purpose: web events repeat it in other cases."""
        first_, last_ = slug(first) or "user", slug(last) or "shopper"
        digits = self._rng.randrange(10, 100)
        stem = self._rng.choice(
            (
                f"{first_.capitalize()}{last_[0].upper()}{digits}",
                f"{first_}.{last_}",
                f"{first_[0]}{last_}{digits}",
                f"{last_.capitalize()}{first_.capitalize()}",
                f"{first_}_{last_[:3]}{digits}",
            )
        )
        return self._unique("login", stem)

    def loyalty_id(self) -> str:
        while not self._claim("loyalty", value := f"LOY-{self._rng.randrange(10**8):08d}"):
            pass
        return value

    def hex_id(self, prefix: str, digits: int) -> str:
        while not self._claim("hex", value := f"{prefix}{self._rng.getrandbits(4 * digits):0{digits}x}"):
            pass
        return value

    def domain(self, name: str, tld: str) -> str:
        return self._unique("domain", name, f".{tld}")

    def phone(self, country: str) -> Phone:
        code, prefixes, digits, layout = _MOBILE[country]
        while True:
            national = f"{self._rng.choice(prefixes)}{self._rng.randrange(10**digits):0{digits}d}"
            e164 = f"+{code}{national}"
            if _MOBILE_PATTERN[country].fullmatch(national) and self._claim("phone", e164):
                return Phone(e164, *layout(national))
