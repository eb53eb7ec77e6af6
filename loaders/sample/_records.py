"""Person-level source records: which systems know a person, and by which identifiers.

Records hold canonical values; noise is applied only when rows are written. That keeps the
guarantee the identity resolver is measured against checkable here: whenever a person has two or
more records, each one shares a strong identifier with another (see `_tie`).
"""

import random
from dataclasses import dataclass, field
from typing import Protocol

from loaders.sample._high import COOKIES_PER_SHOPPER, CRM_PER_PERSON, SHOP_PER_PERSON
from loaders.sample._identifiers import JUNK_DEVICE_ID, Identifiers
from loaders.sample._people import Address, Household, Person
from loaders.sample._pools import SPAN_SECONDS, Weighted

_SUBJECTS = (
    "Where is my order?",
    "Refund request",
    "Cannot log in",
    "Change of address",
    "Item arrived damaged",
    "Copy of invoice",
    "Cancel my subscription",
    "Update payment details",
    "Wrong size delivered",
    "Loyalty points missing",
    "Delete my account",
    "Question about a product",
)
_CHANNELS = ("email", "phone", "chat")
_DEVICE_TYPE = Weighted({"desktop": 45, "mobile": 45, "tablet": 10})
_TICKETS_PER_REQUESTER = Weighted({1: 60, 2: 30, 3: 10})
_COOKIES_PER_SHOPPER = Weighted({0: 10, 1: 35, 2: 35, 3: 20})


class _Record(Protocol):
    def keys(self) -> set[str]: ...

    def adopt_primary(self) -> bool:
        """Carry the person's primary email; False if it already does (or cannot)."""
        ...


@dataclass(slots=True)
class CrmContact:
    person: Person
    email: str | None
    shows_phone: bool
    shows_birth_date: bool
    address: Address
    shows_employer: bool
    updated_at: int
    contact_id: str = ""

    def keys(self) -> set[str]:
        return _keys(self.person, self.email, self.shows_phone)

    def adopt_primary(self) -> bool:
        return _adopt(self, self.person.emails[0])


@dataclass(slots=True)
class ShopCustomer:
    person: Person
    login: str
    email: str | None
    """None stands for the junk address test@test.com."""
    shows_phone: bool
    loyalty_id: str | None
    shows_birth_date: bool
    address: Address
    created_at: int
    updated_at: int
    customer_id: str = ""

    def keys(self) -> set[str]:
        keys = _keys(self.person, self.email, self.shows_phone)
        keys.add("login:" + self.login.lower())
        if self.loyalty_id:
            keys.add("loyalty:" + self.loyalty_id)
        return keys

    def adopt_primary(self) -> bool:
        return _adopt(self, self.person.emails[0])


@dataclass(slots=True)
class Subscriber:
    person: Person
    email: str
    subscriber_id: str = ""

    def keys(self) -> set[str]:
        return {"email:" + self.email}

    def adopt_primary(self) -> bool:
        return _adopt(self, self.person.emails[0])


@dataclass(slots=True)
class Ticket:
    email: str | None
    shows_phone: bool
    junk_phone: bool
    opened_at: int
    subject: str
    channel: str
    ticket_id: str = ""


@dataclass(slots=True)
class Requester:
    person: Person
    tickets: list[Ticket]
    requester_id: str = ""

    def keys(self) -> set[str]:
        keys: set[str] = set()
        for ticket in self.tickets:
            keys |= _keys(self.person, ticket.email, ticket.shows_phone)
        return keys

    def adopt_primary(self) -> bool:
        return _adopt(self.tickets[0], self.person.emails[0])


@dataclass(slots=True)
class Cookie:
    person_id: str
    household_id: str
    logins: list[str]
    """Shop logins this cookie signs in with; empty for anonymous visitors."""
    device_id: str
    device_type: str
    cookie_id: str

    def keys(self) -> set[str]:
        return {"login:" + login.lower() for login in self.logins}

    def adopt_primary(self) -> bool:
        return False


@dataclass(slots=True)
class Account:
    account_type: str
    holders: list[ShopCustomer]
    account_id: str = ""


@dataclass(slots=True)
class Records:
    crm: list[CrmContact] = field(default_factory=list)
    shop: list[ShopCustomer] = field(default_factory=list)
    cookies: list[Cookie] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)
    requesters: list[Requester] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)


def _keys(person: Person, email: str | None, shows_phone: bool) -> set[str]:
    keys = {"email:" + email} if email else set()
    if shows_phone and person.phone:
        keys.add("phone:" + person.phone.e164)
    return keys


def _adopt(holder: CrmContact | ShopCustomer | Subscriber | Ticket, primary: str) -> bool:
    if holder.email == primary:
        return False
    holder.email = primary
    return True


def _tie(records: list[_Record]) -> None:
    """Make every record share a strong identifier with another record of the same person.

    A loose record takes the primary email; if it already has it, nobody else does, so the
    first other record that can takes it too. Each step adds the primary email to one more
    record, so this ends after at most len(records) rounds.
    """
    if len(records) < 2:
        return
    for _ in range(len(records)):
        keys = [record.keys() for record in records]
        loose = [i for i, mine in enumerate(keys) if not any(mine & other for j, other in enumerate(keys) if j != i)]
        if not loose:
            return
        for i in loose:
            if records[i].adopt_primary():
                continue
            for j, other in enumerate(records):
                if j != i and other.adopt_primary():
                    break


class RecordMaker:
    """Builds the records of one household at a time into `records`."""

    def __init__(self, rng: random.Random, ids: Identifiers, *, high: bool = False) -> None:
        self._rng = rng
        self._ids = ids
        self._high = high
        """--noise high: up to ten records per person (see _high.py)."""
        self.records = Records()

    def _crm_count(self) -> int:
        rng = self._rng
        if self._high:
            return CRM_PER_PERSON.pick(rng)
        return 0 if rng.random() >= 0.40 else 2 if rng.random() < 0.075 else 1

    def _shop_count(self) -> int:
        rng = self._rng
        if self._high:
            return SHOP_PER_PERSON.pick(rng)
        return 0 if rng.random() >= 0.70 else 2 if rng.random() < 0.03 else 1

    def household(self, household: Household) -> None:
        rng = self._rng
        shop_by_member: list[list[ShopCustomer]] = []
        cookies_by_member: list[list[Cookie]] = []
        for person in household.members:
            shop, cookies = self._person(person)
            shop_by_member.append(shop)
            cookies_by_member.append(cookies)
        holders = [shop[0] for shop in shop_by_member if shop]
        if len(holders) >= 2 and rng.random() < 0.55:
            self.records.accounts.append(Account("joint", holders))
        # A shared family computer: weak evidence that must never merge two people.
        with_cookies = [cookies for cookies in cookies_by_member if cookies]
        if len(with_cookies) >= 2 and rng.random() < 0.95:
            device_id = self._ids.hex_id("dv_", 12)
            device_type = rng.choice(("desktop", "tablet"))
            for cookies in rng.sample(with_cookies, 2):
                cookie = rng.choice(cookies)
                cookie.device_id, cookie.device_type = device_id, device_type

    def anonymous(self, number: int) -> None:
        self.records.cookies.append(
            Cookie(f"ANON-{number:06d}", f"HA-{number:06d}", [], *self._device(), self._ids.hex_id("ck_", 16))
        )

    def _email(self, person: Person, secondary_odds: float) -> str:
        if len(person.emails) > 1 and self._rng.random() < secondary_odds:
            return person.emails[1]
        return person.emails[0]

    def _person(self, person: Person) -> tuple[list[ShopCustomer], list[Cookie]]:
        rng, ids = self._rng, self._ids
        crm: list[CrmContact] = []
        for _ in range(self._crm_count()):
            email = None if person.phone and rng.random() < 0.08 else self._email(person, 0.6)
            crm.append(
                CrmContact(
                    person,
                    email,
                    rng.random() < 0.8,
                    rng.random() < 0.7,
                    person.address,
                    person.employer is not None and rng.random() < 0.95,
                    rng.randrange(SPAN_SECONDS),
                )
            )
        shop: list[ShopCustomer] = []
        shop_count = self._shop_count()
        loyalty = ids.loyalty_id() if shop_count and rng.random() < 0.6 else None
        for _ in range(shop_count):
            # The junk email only replaces the real one where phone and login still identify.
            # _tie undoes some of these (where the real email is the only tie), hence above 0.5%.
            junk = person.phone is not None and rng.random() < 0.0075
            created = rng.randrange(SPAN_SECONDS - 86_400)
            shop.append(
                ShopCustomer(
                    person,
                    ids.login(person.first_name, person.last_name),
                    None if junk else self._email(person, 0.05),
                    junk or rng.random() < 0.75,
                    loyalty,
                    rng.random() < 0.5,
                    person.address,
                    created,
                    rng.randrange(created + 1, SPAN_SECONDS),
                )
            )
        addressed: list[CrmContact | ShopCustomer] = [*crm, *shop]
        if person.old_address is not None and addressed:
            rng.choice(addressed).address = person.old_address
        mine: list[_Record] = [*addressed]
        subscriber = Subscriber(person, self._email(person, 0.25)) if rng.random() < 0.45 else None
        if subscriber:
            mine.append(subscriber)
        requester = None
        if rng.random() < 0.25:
            count = _TICKETS_PER_REQUESTER.pick(rng)
            requester = Requester(person, [self._ticket(person) for _ in range(count)])
            mine.append(requester)
        # Only shop customers sign in, so only they have cookies that can be tied to them.
        cookie_count = (COOKIES_PER_SHOPPER if self._high else _COOKIES_PER_SHOPPER).pick(rng) if shop else 0
        cookies = [self._cookie(person, shop) for _ in range(cookie_count)]
        _tie([*mine, *cookies])
        out = self.records
        out.crm.extend(crm)
        out.shop.extend(shop)
        out.subscribers.extend([subscriber] if subscriber else [])
        out.requesters.extend([requester] if requester else [])
        out.cookies.extend(cookies)
        out.accounts.extend(Account("personal", [c]) for c in shop if rng.random() < 0.2)
        return shop, cookies

    def _ticket(self, person: Person) -> Ticket:
        rng = self._rng
        opened = rng.randrange(SPAN_SECONDS)
        subject, channel = rng.choice(_SUBJECTS), rng.choice(_CHANNELS)
        if rng.random() < 0.03:
            # The agent typed the call-centre number; the caller's real email is still there.
            return Ticket(person.emails[0], False, True, opened, subject, channel)
        email: str | None = self._email(person, 0.2)
        phone = False
        if person.phone:
            roll = rng.random()
            phone = roll < 0.5 or roll >= 0.8
            email = None if roll >= 0.8 else email
        return Ticket(email, phone, False, opened, subject, channel)

    def _cookie(self, person: Person, shop: list[ShopCustomer]) -> Cookie:
        rng = self._rng
        if rng.random() < 0.3:
            logins = [account.login for account in shop]
        else:
            logins = [rng.choice(shop).login]
        return Cookie(person.person_id, person.household_id, logins, *self._device(), self._ids.hex_id("ck_", 16))

    def _device(self) -> tuple[str, str]:
        device_type = _DEVICE_TYPE.pick(self._rng)
        if self._rng.random() < 0.01:
            return JUNK_DEVICE_ID, device_type
        return self._ids.hex_id("dv_", 12), device_type
