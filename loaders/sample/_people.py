"""The ground truth: organizations, households and the people living in them."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from loaders.sample._identifiers import Identifiers, Phone, slug
from loaders.sample._pools import COUNTRIES, COUNTRY_MIX, EPOCH, SPAN_SECONDS, Pools, Weighted

_LEGAL_WORDS = frozenset("ltd plc llc inc group and sons gmbh co kg kgaa ag ohg mbh ug gbr sa sarl sas et fils".split())
_HOUSEHOLD_SIZE = Weighted({1: 45, 2: 35, 3: 12, 4: 8})
_TODAY = EPOCH.date()


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    postcode: str
    country: str


@dataclass(frozen=True, slots=True)
class Organization:
    org_id: str
    name: str
    domain: str
    parent_org_id: str | None
    country: str
    updated_at: int


@dataclass(frozen=True, slots=True)
class Person:
    person_id: str
    household_id: str
    first_name: str
    last_name: str
    birth_date: date
    address: Address
    old_address: Address | None
    """Where the person lived before moving; some record still says so."""
    emails: tuple[str, ...]
    """Canonical (lower-case) emails, the primary one first."""
    phone: Phone | None
    employer: Organization | None
    job_title: str
    employed_since: date | None


@dataclass(frozen=True, slots=True)
class Household:
    household_id: str
    members: tuple[Person, ...]


def _address(rng: random.Random, pools: Pools) -> Address:
    street = rng.choice(pools.streets)
    number = rng.randrange(100, 10_000) if pools.country.code == "US" else rng.randrange(1, 200)
    line = f"{number} {street}" if pools.country.house_number_first else f"{street} {number}"
    return Address(line, rng.choice(pools.cities), rng.choice(pools.postcodes), pools.country.code)


def make_organizations(count: int, pools: dict[str, Pools], rng: random.Random, ids: Identifiers) -> list[Organization]:
    """Organizations; a subsidiary's parent always comes earlier in the list, so no cycles."""
    orgs: list[Organization] = []
    for i in range(count):
        country = COUNTRY_MIX.pick(rng)
        name = pools[country.code].faker.company()
        words = [w for w in slug(name, " ").split() if w not in _LEGAL_WORDS]
        parent = orgs[rng.randrange(i)].org_id if i and rng.random() < 0.2 else None
        orgs.append(
            Organization(
                org_id=f"ORG-{i + 1:06d}",
                name=name,
                domain=ids.domain("-".join(words[:2]) or f"org{i + 1}", country.tld),
                parent_org_id=parent,
                country=country.code,
                updated_at=rng.randrange(SPAN_SECONDS),
            )
        )
    return orgs


class _PersonFactory:
    def __init__(self, orgs: list[Organization], rng: random.Random, ids: Identifiers) -> None:
        self._rng = rng
        self._ids = ids
        self._orgs = orgs
        self._orgs_by_country = {c.code: [o for o in orgs if o.country == c.code] for c in COUNTRIES}

    def person(
        self, person_id: str, household_id: str, pools: Pools, female: bool, last_name: str, age: int, address: Address
    ) -> Person:
        rng, ids = self._rng, self._ids
        first = rng.choice(pools.female if female else pools.male)
        birth = _TODAY - timedelta(days=age * 365 + rng.randrange(365))
        employer = None
        if rng.random() < 0.7:
            employer = rng.choice(self._orgs_by_country[address.country] or self._orgs)
        emails = [ids.email(first, last_name, rng.choice(pools.country.mail_domains))]
        if rng.random() < 0.3:
            if employer is not None and rng.random() < 0.7:
                emails.append(ids.work_email(first, last_name, employer.domain))
            else:
                emails.append(ids.email(first, last_name, rng.choice(pools.country.mail_domains)))
        since = None
        if employer is not None:
            earliest = max(birth + timedelta(days=18 * 365), date(1990, 1, 1))
            since = earliest + timedelta(days=rng.randrange(max(1, (_TODAY - earliest).days)))
        return Person(
            person_id=person_id,
            household_id=household_id,
            first_name=first,
            last_name=last_name,
            birth_date=birth,
            address=address,
            old_address=_address(rng, pools) if rng.random() < 0.05 else None,
            emails=tuple(emails),
            phone=ids.phone(address.country) if rng.random() < 0.85 else None,
            employer=employer,
            job_title=rng.choice(pools.jobs),
            employed_since=since,
        )


def make_households(
    people: int, pools: dict[str, Pools], orgs: list[Organization], rng: random.Random, ids: Identifiers
) -> Iterator[Household]:
    """Households of 1-4 people sharing an address (and mostly a surname), `people` in total."""
    factory = _PersonFactory(orgs, rng, ids)
    done = 0
    number = 0
    while done < people:
        number += 1
        household_id = f"H-{number:06d}"
        size = min(people - done, _HOUSEHOLD_SIZE.pick(rng))
        local = pools[COUNTRY_MIX.pick(rng).code]
        address = _address(rng, local)
        surname = rng.choice(local.surnames)
        head_female = rng.random() < 0.5
        head_age = rng.randrange(18, 90)
        members = []
        for k in range(size):
            if k == 0:
                female, age = head_female, head_age
            elif k == 1:
                # Mostly a partner of similar age; otherwise a flatmate or adult child.
                female = head_female != (rng.random() < 0.85)
                age = min(89, max(18, head_age + rng.randrange(-6, 7)))
            else:
                female, age = rng.random() < 0.5, rng.randrange(18, 35)
            last = surname if rng.random() < 0.85 else rng.choice(local.surnames)
            members.append(factory.person(f"P-{done + k + 1:07d}", household_id, local, female, last, age, address))
        done += size
        yield Household(household_id, tuple(members))
