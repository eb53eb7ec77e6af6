"""Records and activities rendered as source rows, noise applied.

Column lists here are the contract the loader mappings are written against: do not rename.
"""

import json
import random
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from loaders.sample._activity import EmailEvent, Order, WebEvent
from loaders.sample._high import HighNoise
from loaders.sample._identifiers import JUNK_EMAIL, JUNK_PHONE
from loaders.sample._noise import Noise
from loaders.sample._people import Address, Organization, Person
from loaders.sample._pools import iso
from loaders.sample._records import Account, Cookie, CrmContact, Requester, ShopCustomer, Ticket

ORG_COLUMNS = ("org_id", "name", "domain", "parent_org_id", "country", "updated_at")
CRM_COLUMNS = (
    "contact_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "street",
    "city",
    "postcode",
    "country",
    "employer_org_id",
    "job_title",
    "employed_since",
    "updated_at",
)
ACCOUNT_COLUMNS = ("account_id", "account_type", "customer_id", "role")
EMAIL_EVENT_COLUMNS = ("event_id", "ts", "subscriber_id", "email", "campaign_id", "event_type")
TICKET_COLUMNS = ("ticket_id", "requester_id", "opened_at", "name", "email", "phone", "subject", "channel")
CRM_COLUMNS_HIGH = (*CRM_COLUMNS, "national_id")
"""--noise high adds the national id (default files keep their columns)."""
TRUTH_COLUMNS = ("source", "source_id", "person_id", "household_id")
_CRM_PERSON = ("first_name", "last_name", "email", "phone", "birth_date", "street", "city", "postcode")

CYPHER_JOB_TITLE = "'}) MATCH (n) DETACH DELETE n //"
CYPHER_SUBJECT = '"; DROP CONSTRAINT x; //'
"""Valid values that would break a loader splicing them into Cypher instead of passing parameters."""

Row = list[str]


# The same output as json.dumps(obj, ensure_ascii=False, separators=(",", ":")), without building
# a new encoder for every line.
jsonl: Callable[[dict[str, Any]], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _phone(noise: Noise, person: Person, shown: bool) -> str | None:
    return noise.phone(person.phone, person.address.country) if shown and person.phone else None


def organization_rows(orgs: list[Organization]) -> Iterator[Row]:
    for org in orgs:
        yield [org.org_id, org.name, org.domain, org.parent_org_id or "", org.country, iso(org.updated_at)]


def _high_crm(noise: HighNoise, row: Row, person: Person) -> Row:
    fields = {key: row[i + 1] or None for i, key in enumerate(_CRM_PERSON)}
    out = noise.person(fields, noise.national(person.person_id), ("email", "phone"))
    return [row[0], *(out[key] or "" for key in _CRM_PERSON), *row[1 + len(_CRM_PERSON) :], out["national_id"] or ""]


def _high_shop(noise: HighNoise, obj: dict[str, Any], person: Person) -> dict[str, Any]:
    address = obj["address"]
    fields = {**obj, **{key: address[key] for key in ("street", "city", "postcode")}}
    out = noise.person(fields, noise.national(person.person_id), ("email", "phone", "loyalty_id"))
    obj = {key: out[key] for key in obj} | {"national_id": out["national_id"]}
    obj["address"] = {**address, **{key: out[key] for key in ("street", "city", "postcode")}}
    return obj


def crm_rows(contacts: list[CrmContact], noise: Noise, rng: random.Random) -> Iterator[Row]:
    for row, contact in _crm_rows(contacts, noise, rng):
        yield _high_crm(noise, row, contact.person) if isinstance(noise, HighNoise) else row


def _crm_rows(contacts: list[CrmContact], noise: Noise, rng: random.Random) -> Iterator[tuple[Row, CrmContact]]:
    injected = rng.randrange(len(contacts)) if contacts else -1
    for i, contact in enumerate(contacts):
        person, address, form = contact.person, contact.address, noise.text_form()
        employer = person.employer if contact.shows_employer else None
        job_title = person.job_title if employer else ""
        yield (
            [
                contact.contact_id,
                form(noise.first_name(person.first_name)),
                form(noise.name(person.last_name)),
                noise.email(contact.email) if contact.email else "",
                _phone(noise, person, contact.shows_phone) or "",
                noise.birth_date(person.birth_date) if contact.shows_birth_date else "",
                form(address.street),
                form(address.city),
                address.postcode,
                noise.country(address.country),
                employer.org_id if employer else "",
                CYPHER_JOB_TITLE if i == injected else job_title,
                person.employed_since.isoformat() if employer and person.employed_since else "",
                iso(contact.updated_at),
            ],
            contact,
        )


def _address(address: Address, noise: Noise, form: Callable[[str], str]) -> dict[str, str]:
    return {
        "street": form(address.street),
        "city": form(address.city),
        "postcode": address.postcode,
        "country": noise.country(address.country),
    }


_TIERS = ("bronze", "bronze", "bronze", "silver", "silver", "gold", "platinum")


def _attributes(customer: ShopCustomer) -> dict[str, Any]:
    """Custom attributes (the built-in mapping types them): drawn from a hash of the customer id,
    not from a random stream, so adding them left every other generated value as it was."""
    draw = zlib.crc32(customer.customer_id.encode())
    return {
        "loyalty_tier": _TIERS[draw % len(_TIERS)] if customer.loyalty_id else None,
        "household_size": 1 + (draw >> 8) % 5,
    }


def shop_lines(customers: list[ShopCustomer], noise: Noise) -> Iterator[str]:
    for customer in customers:
        person, form = customer.person, noise.text_form()
        obj = {
            "customer_id": customer.customer_id,
            "login": customer.login,
            "email": noise.email(customer.email) if customer.email else JUNK_EMAIL,
            "phone": _phone(noise, person, customer.shows_phone),
            "first_name": form(noise.first_name(person.first_name)),
            "last_name": form(noise.name(person.last_name)),
            "loyalty_id": customer.loyalty_id,
            "birth_date": noise.birth_date(person.birth_date) if customer.shows_birth_date else None,
            "address": _address(customer.address, noise, form),
            "created_at": iso(customer.created_at),
            "updated_at": iso(customer.updated_at),
        } | _attributes(customer)
        yield jsonl(_high_shop(noise, obj, person) if isinstance(noise, HighNoise) else obj)


def account_rows(accounts: list[Account]) -> Iterator[Row]:
    for account in accounts:
        for k, holder in enumerate(account.holders):
            yield [account.account_id, account.account_type, holder.customer_id, "owner" if k == 0 else "joint_holder"]


def order_line(
    order_id: str, customer_id: str, ordered_at: int, total: str, currency: str, items: list[dict[str, Any]]
) -> str:
    """The total is spliced in as text so that it always has exactly two decimals (json.dumps
    would write 12.5 for 12.50)."""
    head = jsonl({"order_id": order_id, "customer_id": customer_id, "ordered_at": iso(ordered_at)})
    return f'{head[:-1]},"total":{total},{jsonl({"currency": currency, "items": items})[1:]}'


def order_lines(orders: list[Order]) -> Iterator[str]:
    for order in orders:
        yield order_line(
            order.order_id,
            order.customer.customer_id,
            order.ordered_at,
            f"{order.cents // 100}.{order.cents % 100:02d}",
            order.currency,
            order.items,
        )


def web_event(event_id: str, ts: int, cookie: Cookie, event_type: str, page: str, login: str | None) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "ts": iso(ts),
        "cookie_id": cookie.cookie_id,
        "device_id": cookie.device_id,
        "device_type": cookie.device_type,
        "event_type": event_type,
        "page": page,
        "login": login,
    }


def web_lines(events: list[WebEvent], noise: Noise) -> Iterator[str]:
    for e in events:
        login = noise.login(e.login) if e.login else None
        yield jsonl(web_event(e.event_id, e.ts, e.cookie, e.event_type, e.page, login))


def email_event_rows(events: list[EmailEvent], noise: Noise) -> Iterator[Row]:
    for e in events:
        yield [
            e.event_id,
            iso(e.ts),
            e.subscriber.subscriber_id,
            noise.email(e.subscriber.email),
            e.campaign_id,
            e.event_type,
        ]


def ticket_rows(tickets: list[tuple[Requester, Ticket]], noise: Noise, rng: random.Random) -> Iterator[Row]:
    injected = rng.randrange(len(tickets)) if tickets else -1
    for i, (requester, ticket) in enumerate(tickets):
        person = requester.person
        phone = JUNK_PHONE if ticket.junk_phone else _phone(noise, person, ticket.shows_phone) or ""
        yield [
            ticket.ticket_id,
            requester.requester_id,
            iso(ticket.opened_at),
            noise.text_form()(noise.full_name(person.first_name, person.last_name)),
            noise.email(ticket.email) if ticket.email else "",
            phone,
            CYPHER_SUBJECT if i == injected else ticket.subject,
            ticket.channel,
        ]
