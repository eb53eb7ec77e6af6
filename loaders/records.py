"""Validated records, one pydantic model per entity kind; values are normalized as they validate.

Validation context: `{"region": "GB"}` sets the default region for national phone numbers.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from graph import normalize

__all__ = [
    "AccountRecord",
    "ConsentRecord",
    "DeviceRecord",
    "OrganizationRecord",
    "PersonRecord",
    "RECORD_MODELS",
    "RelationshipProps",
    "TouchpointRecord",
    "Validated",
]


def _str(value: Any) -> Any:
    # CSV gives strings, JSON may give numbers: postcodes and ids must not fail on an int.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_str), AfterValidator(normalize.text), Field(min_length=1)]
Name = Annotated[str, BeforeValidator(_str), AfterValidator(normalize.name), Field(min_length=1)]
Country = Annotated[str, AfterValidator(normalize.country)]
Date = Annotated[dt.date, BeforeValidator(normalize.date)]
Timestamp = Annotated[dt.datetime, BeforeValidator(normalize.timestamp)]
Domain = Annotated[str, AfterValidator(lambda v: normalize.text(v).lower().removeprefix("www."))]
Currency = Annotated[str, AfterValidator(str.upper), Field(pattern=r"^[A-Za-z]{3}$")]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def props(self) -> dict[str, Any]:
        # Every field is a plain value (no nested models), so the instance dict in field order is
        # what model_dump(exclude_none=True) returns, at half its cost on the load's hot path.
        return {key: value for key, value in self.__dict__.items() if value is not None}


Validated = _Record
"""What every record model is: validated on construction, `props()` for the graph."""


class PersonRecord(_Record):
    first_name: Name | None = None
    last_name: Name | None = None
    full_name: Name | None = None
    birth_date: Date | None = None
    gender: Text | None = None
    street: Text | None = None
    city: Text | None = None
    postcode: Text | None = None
    country: Country | None = None

    def props(self) -> dict[str, Any]:
        props = super().props()
        if self.full_name is None and (self.first_name or self.last_name):
            props["full_name"] = " ".join(p for p in (self.first_name, self.last_name) if p)
        return props


class OrganizationRecord(_Record):
    name: Text
    domain: Domain | None = None
    industry: Text | None = None
    country: Country | None = None
    registry_id: Text | None = None


class DeviceRecord(_Record):
    device_type: Text | None = None
    os: Text | None = None


class AccountRecord(_Record):
    account_type: Text | None = None
    opened_at: Timestamp | None = None
    status: Text | None = None


class TouchpointRecord(_Record):
    channel: Text
    type: Text | None = None
    at: Timestamp
    amount: float | None = None
    currency: Currency | None = None
    items: int | None = Field(None, ge=0)
    campaign: Text | None = None
    subject: Text | None = None
    page: Text | None = None


class ConsentRecord(_Record):
    """One consent statement (privacy): the latest per purpose and channel wins."""

    purpose: Annotated[str, AfterValidator(lambda v: normalize.text(v).lower()), Field(min_length=1)]
    channel: Annotated[str, AfterValidator(lambda v: normalize.text(v).lower()), Field(min_length=1)]
    status: Annotated[Literal["granted", "denied", "withdrawn"], BeforeValidator(lambda v: str(v).strip().lower())]
    at: Timestamp
    evidence: Text | None = None


class RelationshipProps(_Record):
    role: Text | None = None
    title: Text | None = None
    since: Date | None = None
    until: Date | None = None


RECORD_MODELS: dict[str, type[_Record]] = {
    "person": PersonRecord,
    "organization": OrganizationRecord,
    "device": DeviceRecord,
    "account": AccountRecord,
    "touchpoint": TouchpointRecord,
    "consent": ConsentRecord,
}
