"""Normalization of source values at load time: each rule lives here and only here.

Every function is pure and raises ``ValueError`` with a short, user-facing reason
(it is written to the quarantine file) when a value cannot be normalized.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email

__all__ = [
    "address_key",
    "country",
    "date",
    "email",
    "identifier",
    "name",
    "phone",
    "text",
    "timestamp",
]

# Entries are ~200 bytes: 2**16 stay under 20 MB yet catch repeats across sources.
_CACHE_SIZE = 2**16

# Invisible characters that sneak in from spreadsheets (BOM on the first cell,
# zero-width spaces from copy/paste) and never carry meaning in our fields.
# Removed before NFC because removing them can bring a combining mark next to
# its base letter, which must then be composed.
# Control characters go too (NUL from a UTF-16 export read as UTF-8, terminal escapes): they
# are no part of any name or identifier and would keep "A\x00nn" from matching "Ann". The
# whitespace ones among them are folded to a space instead, by str.split.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060")) | {
    code: None for code in (*range(0x20), *range(0x7F, 0xA0)) if not chr(code).isspace()
}

_UTC = dt.UTC
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=_UTC)
# 10**11 seconds is year 5138; no real epoch-seconds value gets that big, while
# epoch milliseconds passed it in 1973.
_EPOCH_MS_THRESHOLD = 10**11
_ISO_HINT = "use ISO 8601 (YYYY-MM-DD)"
_TIMESTAMP_HINT = "use ISO 8601 (YYYY-MM-DDTHH:MM:SS with optional Z or offset)"


def text(value: str) -> str:
    """NFC, trimmed, every run of Unicode whitespace folded to one space."""
    if value.isascii():  # ASCII is its own NFC: 5x cheaper
        folded = " ".join(value.split())
        # Only a control character keeps folded ASCII from being printable.
        return folded if folded.isprintable() else " ".join(folded.translate(_INVISIBLE).split())
    return " ".join(unicodedata.normalize("NFC", value.translate(_INVISIBLE)).split())


def name(value: str) -> str:
    """A person or organisation name; case is kept ("McDonald", "van der Berg")."""
    return text(value)


def email(value: str) -> str:
    """A syntactically valid address, fully lower-cased (we match case-insensitively)."""
    return _unwrap(_email(value))


def _unwrap(outcome: tuple[str, str | None]) -> str:
    result, error = outcome
    if error is not None:
        raise ValueError(error)
    return result


# Outcomes (errors included) are cached: lru_cache does not cache exceptions,
# and junk like "n/a" repeats as often as real addresses.
@lru_cache(maxsize=_CACHE_SIZE)
def _email(value: str) -> tuple[str, str | None]:
    cleaned = text(value)
    # A mailto: link or a display name ("Ann Lee <ann@x.org>") still names one address.
    address = cleaned[7:].lstrip() if cleaned[:7].casefold() == "mailto:" else cleaned
    try:
        parsed = validate_email(address, check_deliverability=False, allow_display_name=True)
    except EmailNotValidError as exc:
        return "", f"invalid email {cleaned!r}: {exc}"
    # lower() can denormalize a few Unicode letters, so recompose to stay idempotent.
    return unicodedata.normalize("NFC", parsed.normalized.lower()), None


def phone(value: str, default_region: str = "GB") -> str:
    """E.164 of a valid number, national ones read in default_region; drops extensions."""
    return _unwrap(_phone(value, default_region))


@lru_cache(maxsize=_CACHE_SIZE)
def _phone(value: str, default_region: str) -> tuple[str, str | None]:
    cleaned = text(value)
    region, region_error = _country(default_region)
    if region_error is not None or region not in phonenumbers.SUPPORTED_REGIONS:
        return "", f"invalid phone {cleaned!r}: unknown default region {default_region!r}"
    try:
        parsed = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException as exc:
        reason = exc.args[0] if exc.args else "not a phone number"
        return "", f"invalid phone {cleaned!r}: {reason.rstrip('.').lower()}"
    if not phonenumbers.is_valid_number(parsed):
        # Name the number's own region: "+1 …" dialled with default GB is a US number.
        number_region = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
        return "", f"invalid phone {cleaned!r}: not a valid number for region {number_region}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None


_DATE_FORMATS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
)
# DD/MM and MM/DD are both common in exports and cannot be told apart, so the
# whole shape is refused, even when the day happens to be > 12: accepting those
# would make a file load or quarantine row by row depending on the data.
_AMBIGUOUS_DATE = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{2,4}")
# Databases and spreadsheets export a date column as a datetime at midnight; any other time of
# day is an instant, not a calendar date, and stays refused.
_MIDNIGHT = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?([zZ]|[+-]\d{2}:?\d{2})?")


def date(value: str | dt.date) -> dt.date:
    """A calendar date from an ISO-like string, DD.MM.YYYY, or a date/datetime."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"invalid date {value!r}: expected text, {_ISO_HINT}")
    cleaned = text(value)
    midnight = _MIDNIGHT.fullmatch(cleaned)
    day = midnight["day"] if midnight else cleaned
    if _AMBIGUOUS_DATE.fullmatch(day):
        raise ValueError(f"ambiguous date {cleaned!r}: {_ISO_HINT}")
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(day)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError as exc:
                raise ValueError(f"invalid date {cleaned!r}: {exc}") from None
    raise ValueError(f"invalid date {cleaned!r}: {_ISO_HINT}")


def timestamp(value: str | int | float | dt.datetime) -> dt.datetime:
    """A timezone-aware UTC instant; naive input is taken to be UTC already.

    Epoch numbers above 10**11 are milliseconds; a date-only value is midnight UTC.
    """
    # bool is an int, but True is never meant as 1970-01-01T00:00:01.
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        raise ValueError(f"invalid timestamp {value!r}: expected ISO 8601 text or epoch number")
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    shown: object = value
    if isinstance(value, str):
        cleaned = shown = text(value)
        try:
            # 3.11+ fromisoformat takes Z, offsets, a space for T and any fraction
            # length (truncated to microseconds); upper() lets "t"/"z" through too.
            value = dt.datetime.fromisoformat(cleaned.upper())
        except ValueError as exc:
            try:  # Date-only forms date() knows but ISO does not, e.g. DD.MM.YYYY.
                day = date(cleaned)
            except ValueError:
                reason = str(exc) if "isoformat" not in str(exc) else _TIMESTAMP_HINT
                raise ValueError(f"invalid timestamp {cleaned!r}: {reason}") from None
            return dt.datetime(day.year, day.month, day.day, tzinfo=_UTC)
    elif not isinstance(value, dt.datetime):  # a plain date: its midnight
        return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=_UTC)
    try:
        return value.astimezone(_UTC)
    except OverflowError:  # an offset pushing year 1 or 9999 out of range
        raise ValueError(f"invalid timestamp {shown!r}: out of range") from None


def _from_epoch(value: int | float) -> dt.datetime:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"invalid timestamp {value!r}: not a finite number")
    # timedelta arithmetic rather than fromtimestamp(): no platform range limits.
    try:
        if abs(value) > _EPOCH_MS_THRESHOLD:
            return _EPOCH + dt.timedelta(milliseconds=value)
        return _EPOCH + dt.timedelta(seconds=value)
    except OverflowError:
        raise ValueError(f"invalid timestamp {value!r}: out of range") from None


# Names people write that pycountry does not know; keys are casefolded.
_COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "deutschland": "DE",
    "russia": "RU",
    "south korea": "KR",
}


def country(value: str) -> str:
    """ISO 3166-1 alpha-2 (upper-case) from a code or a common name."""
    return _unwrap(_country(value))


@lru_cache(maxsize=1024)
def _country(value: str) -> tuple[str, str | None]:
    cleaned = text(value)
    alias = _COUNTRY_ALIASES.get(cleaned.casefold())
    if alias is not None:
        return alias, None
    try:
        return pycountry.countries.lookup(cleaned).alpha_2, None
    except LookupError:
        return "", f"invalid country {cleaned!r}: not an ISO 3166 code or known country name"


def _code(value: str) -> str:
    # NFKC folds full-width digits and letters, which are typing accidents in codes.
    return unicodedata.normalize("NFKC", text(value)).upper()


def identifier(kind: str, value: str, default_region: str = "GB") -> str:
    """The normalized value of an identifier of the given kind."""
    if not text(value):
        raise ValueError(f"empty {kind}")
    if kind == "email":
        result = email(value)
    elif kind == "phone":
        result = phone(value, default_region)
    elif kind == "login":
        result = text(value).casefold()
    elif kind == "loyalty":
        result = "".join(_code(value).split())
    elif kind == "national_id":
        result = "".join(ch for ch in _code(value) if ch.isalnum())
    else:  # cookie, device, ad_id and unknown kinds: opaque, case-sensitive tokens.
        result = text(value)
    # casefold(), upper() and dropping spaces can leave a letter and its accent
    # apart; recompose so that normalizing the result again changes nothing.
    result = unicodedata.normalize("NFC", result)
    if not result:
        raise ValueError(f"empty {kind}")
    if _placeholder(result):
        raise ValueError(f"placeholder {kind} {value!r}: not an identifier")
    return result


# What systems write where they have no value: shared by strangers' rows, it would merge them
# (anonymous web visitors whose tag sends login "undefined"; loyalty "0" at every till).
_PLACEHOLDERS = frozenset(
    ["-", "0", "?", "n/a", "na", "n.a.", "nan", "nil", "none", "null", "undefined", "unknown", "not set"]
)


def _placeholder(value: str) -> bool:
    # One character repeated ("000000000", "XXXXXXXXX" from a masked "XXX-XX-XXXX") is a mask.
    return value.casefold() in _PLACEHOLDERS or (len(value) >= 3 and value.count(value[0]) == len(value))


_STREET_WORDS: dict[str, str] = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "ln": "lane",
    "sq": "square",
    "str": "strasse",
}
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u02bc`"))
_NON_WORD = re.compile(r"[\W_]+")


def _fold(value: str) -> str:
    # NFKC before casefold so styled letters ("𝘈", "Ａ") fold too; NFKD after, as
    # casefold can produce letters that split into base + accent ("ǰ").
    folded = unicodedata.normalize("NFKC", text(value)).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def address_key(street: str, postcode: str, country: str) -> str:
    """A household matching key: f"{country}|{postcode}|{street}"."""
    # Apostrophes are dropped rather than spaced so "St John's" matches "St Johns".
    words = _NON_WORD.sub(" ", _fold(street).translate(_APOSTROPHES)).split()
    first_word = next((i for i, w in enumerate(words) if not w.isdigit()), None)
    normalized: list[str] = []
    for i, word in enumerate(words):
        # A leading "St" is Saint ("St Mary's Road"); anywhere else it is Street.
        if word in ("st", "saint") and i == first_word:
            normalized.append("st")
        elif word in _STREET_WORDS:
            normalized.append(_STREET_WORDS[word])
        elif len(word) > 3 and word.endswith("str"):  # German "Hauptstr." is "Hauptstrasse"
            normalized.append(word + "asse")
        else:
            normalized.append(word)
    street_key = " ".join(normalized)
    postcode_key = _NON_WORD.sub("", _fold(postcode))
    if not street_key:
        raise ValueError(f"empty street in address {street!r}")
    if not postcode_key:
        raise ValueError(f"empty postcode in address {postcode!r}")
    # The parameter shadows country(), hence the helper behind it.
    return f"{_unwrap(_country(country))}|{postcode_key.upper()}|{street_key}"
