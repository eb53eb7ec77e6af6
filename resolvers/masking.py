"""Partial masking of personal data for callers with the `app` role."""

import phonenumbers

__all__ = ["mask_email", "mask_identifier", "mask_phone"]


def mask_email(value: str) -> str:
    """`ann.smith@example.org` -> `a***@example.org`: enough to recognise, not to contact."""
    local, at, domain = value.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str) -> str:
    """`+447911123456` -> `+44******3456`: country code and last four digits stay."""
    digits = value.lstrip("+")
    try:
        country = str(phonenumbers.parse(value).country_code)
    except phonenumbers.NumberParseException:
        country = ""
    if len(digits) < len(country) + 6:
        return "*" * len(value)
    hidden = len(digits) - len(country) - 4
    return f"+{country}" + "*" * hidden + digits[-4:] if country else "*" * hidden + digits[-4:]


# Kinds whose value is hidden whole: nothing partial of a national id is safe to show.
_HIDDEN_KINDS = frozenset({"national_id"})


def mask_identifier(kind: str, value: str) -> str:
    if kind == "email":
        return mask_email(value)
    if kind == "phone":
        return mask_phone(value)
    if kind in _HIDDEN_KINDS:
        return "***"
    return value
