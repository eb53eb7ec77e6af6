"""The sample data generator: determinism, file contracts, truth, and the properties the identity
resolver is scored on. Pure Python; no database."""

import csv
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tomllib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
import pycountry
import pytest

from loaders.sample import (
    DATA_FILES,
    JUNK_DEVICE_ID,
    JUNK_EMAIL,
    JUNK_PHONE,
    NICKNAMES,
    GenerationSummary,
    generate,
)
from loaders.sample._identifiers import Identifiers
from loaders.sample._pools import COUNTRIES

ROOT = Path(__file__).resolve().parents[3]
ORDER = [
    "crm_organizations.csv",
    "crm_contacts.csv",
    "shop_customers.jsonl",
    "shop_accounts.csv",
    "shop_orders.jsonl",
    "web_events.jsonl",
    "email_events.csv",
    "support_tickets.csv",
]
CSV_COLUMNS = {
    "crm_organizations.csv": ["org_id", "name", "domain", "parent_org_id", "country", "updated_at"],
    "crm_contacts.csv": [
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
    ],
    "shop_accounts.csv": ["account_id", "account_type", "customer_id", "role"],
    "email_events.csv": ["event_id", "ts", "subscriber_id", "email", "campaign_id", "event_type"],
    "support_tickets.csv": ["ticket_id", "requester_id", "opened_at", "name", "email", "phone", "subject", "channel"],
    "truth.csv": ["source", "source_id", "person_id", "household_id"],
}
JSON_KEYS = {
    "shop_customers.jsonl": [
        "customer_id",
        "login",
        "email",
        "phone",
        "first_name",
        "last_name",
        "loyalty_id",
        "birth_date",
        "address",
        "created_at",
        "updated_at",
        "loyalty_tier",
        "household_size",
    ],
    "shop_orders.jsonl": ["order_id", "customer_id", "ordered_at", "total", "currency", "items"],
    "web_events.jsonl": ["event_id", "ts", "cookie_id", "device_id", "device_type", "event_type", "page", "login"],
}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
JUNK_PHONE_E164 = "+442079460000"


@dataclass
class Dataset:
    path: Path
    summary: GenerationSummary
    csv: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    jsonl: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    broken_lines: dict[str, int] = field(default_factory=dict)

    @property
    def truth(self) -> list[dict[str, str]]:
        return self.csv["truth.csv"]


def _load(path: Path, summary: GenerationSummary) -> Dataset:
    data = Dataset(path, summary)
    for name in CSV_COLUMNS:
        with (path / name).open(encoding="utf-8", newline="") as f:
            data.csv[name] = list(csv.DictReader(f))
    for name in JSON_KEYS:
        objects, broken = [], 0
        for line in (path / name).read_text(encoding="utf-8").splitlines():
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError:
                broken += 1
        data.jsonl[name], data.broken_lines[name] = objects, broken
    return data


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    out = tmp_path_factory.mktemp("small")
    return _load(out, generate(300, 7, out))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    out = tmp_path_factory.mktemp("medium")
    return _load(out, generate(2000, 1, out))


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(small: Dataset, tmp_path: Path) -> None:
    again = generate(300, 7, tmp_path)
    assert _hashes(tmp_path) == _hashes(small.path)
    assert again == small.summary


def test_output_does_not_depend_on_string_hashing(small: Dataset, tmp_path: Path) -> None:
    # Another process with another hash seed would expose set/dict order leaking into the files.
    code = "import sys, pathlib; from loaders.sample import generate; generate(300, 7, pathlib.Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, cwd=ROOT, env=env)
    assert _hashes(tmp_path) == _hashes(small.path)


def test_different_seed_gives_different_files(small: Dataset, tmp_path: Path) -> None:
    generate(300, 8, tmp_path)
    theirs, ours = _hashes(tmp_path), _hashes(small.path)
    assert theirs.keys() == ours.keys()
    assert all(theirs[name] != ours[name] for name in ours)


# --- file contracts ----------------------------------------------------------------------------


def test_csv_headers(small: Dataset) -> None:
    for name, columns in CSV_COLUMNS.items():
        with (small.path / name).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == columns, name


def test_jsonl_keys(small: Dataset) -> None:
    for name, keys in JSON_KEYS.items():
        assert small.jsonl[name], name
        for obj in small.jsonl[name]:
            assert list(obj) == keys, name
    for customer in small.jsonl["shop_customers.jsonl"]:
        assert list(customer["address"]) == ["street", "city", "postcode", "country"]


def test_shop_customers_carry_custom_attributes(small: Dataset) -> None:
    customers = small.jsonl["shop_customers.jsonl"]
    tiers = Counter(c["loyalty_tier"] for c in customers if c["loyalty_id"])
    assert set(tiers) == {"bronze", "silver", "gold", "platinum"}
    assert all(c["loyalty_tier"] is None for c in customers if not c["loyalty_id"])
    assert {c["household_size"] for c in customers} == {1, 2, 3, 4, 5}


def test_line_endings_and_encoding(small: Dataset) -> None:
    for name in [*ORDER, "truth.csv", "manifest.toml"]:
        raw = (small.path / name).read_bytes()
        assert b"\r" not in raw, name
        assert raw.endswith(b"\n"), name
        raw.decode("utf-8")


def test_manifest_lists_data_files_in_load_order(small: Dataset) -> None:
    text = (small.path / "manifest.toml").read_text(encoding="utf-8")
    assert text.startswith("# written by c360 generate\n")
    manifest = tomllib.loads(text)
    assert (manifest["people"], manifest["seed"], manifest["default_region"]) == (300, 7, "GB")
    assert [entry["path"] for entry in manifest["files"]] == ORDER == list(DATA_FILES)
    assert [entry["mapping"] for entry in manifest["files"]] == [name.split(".")[0] for name in ORDER]
    assert all((small.path / name).is_file() for name in ORDER)


def test_summary_counts_rows(small: Dataset) -> None:
    summary = small.summary
    for name in [*ORDER, "truth.csv"]:
        lines = (small.path / name).read_text(encoding="utf-8").count("\n")
        assert summary.files[name] == lines - (0 if name.endswith(".jsonl") else 1), name
    assert summary.records == len(small.truth)
    assert summary.people == 300
    # A few people are known to no source system at all, and so are some single households.
    people = {row["person_id"] for row in small.truth if row["person_id"].startswith("P-")}
    households = {row["household_id"] for row in small.truth if row["household_id"].startswith("H-")}
    assert 0.85 * 300 < len(people) <= 300
    assert 0.85 * summary.households < len(households) <= summary.households
    assert 1.6 < 300 / summary.households < 2.0


def test_ids_are_zero_padded(data: Dataset) -> None:
    patterns = {
        ("crm_organizations.csv", "org_id"): r"ORG-\d{6}",
        ("crm_contacts.csv", "contact_id"): r"C-\d{7}",
        ("shop_accounts.csv", "account_id"): r"A-\d{6}",
        ("email_events.csv", "event_id"): r"M-\d{7}",
        ("email_events.csv", "subscriber_id"): r"NL-\d{7}",
        ("support_tickets.csv", "ticket_id"): r"T-\d{7}",
        ("support_tickets.csv", "requester_id"): r"R-\d{7}",
        ("shop_customers.jsonl", "customer_id"): r"S-\d{7}",
        ("shop_orders.jsonl", "order_id"): r"O-\d{7}",
        ("web_events.jsonl", "event_id"): r"E-\d{8}",
        ("web_events.jsonl", "cookie_id"): r"ck_[0-9a-f]{16}",
        ("web_events.jsonl", "device_id"): r"dv_[0-9a-f]{12}",
    }
    for (name, column), pattern in patterns.items():
        rows = data.csv.get(name) or data.jsonl[name]
        assert all(re.fullmatch(pattern, row[column]) for row in rows if row[column]), (name, column)
    for row in data.truth:
        assert re.fullmatch(r"P-\d{7}|ANON-\d{6}", row["person_id"])
        assert re.fullmatch(r"H-\d{6}|HA-\d{6}", row["household_id"])


def test_timestamps_are_iso_utc(data: Dataset) -> None:
    stamps = [o["ordered_at"] for o in data.jsonl["shop_orders.jsonl"]]
    stamps += [e["ts"] for e in data.jsonl["web_events.jsonl"]]
    stamps += [c[k] for c in data.jsonl["shop_customers.jsonl"] for k in ("created_at", "updated_at")]
    stamps += [r["ts"] for r in data.csv["email_events.csv"]]
    stamps += [r["updated_at"] for r in data.csv["crm_organizations.csv"]]
    stamps += [r["updated_at"] for r in data.csv["crm_contacts.csv"]]
    stamps += [r["opened_at"] for r in data.csv["support_tickets.csv"] if r["opened_at"] != "yesterday"]
    assert all(TIMESTAMP.fullmatch(s) and "2024-01-01" <= s < "2026-02-01" for s in stamps)


# --- truth -------------------------------------------------------------------------------------


def _valid_contacts(data: Dataset) -> list[dict[str, str]]:
    return [r for r in data.csv["crm_contacts.csv"] if r["contact_id"] and r["email"] != "not-an-email"]


def _valid_tickets(data: Dataset) -> list[dict[str, str]]:
    return [r for r in data.csv["support_tickets.csv"] if TIMESTAMP.fullmatch(r["opened_at"])]


def _source_ids(data: Dataset) -> dict[str, set[str]]:
    return {
        "crm": {r["contact_id"] for r in _valid_contacts(data)},
        "shop": {c["customer_id"] for c in data.jsonl["shop_customers.jsonl"]},
        "web": {e["cookie_id"] for e in data.jsonl["web_events.jsonl"]},
        "email": {r["subscriber_id"] for r in data.csv["email_events.csv"]},
        "support": {r["requester_id"] for r in _valid_tickets(data)},
    }


def test_truth_matches_the_person_records_exactly(data: Dataset) -> None:
    in_truth: dict[str, set[str]] = defaultdict(set)
    for row in data.truth:
        in_truth[row["source"]].add(row["source_id"])
    assert dict(in_truth) == _source_ids(data)


def test_truth_is_sorted_and_unique(data: Dataset) -> None:
    keys = [(row["source"], row["source_id"]) for row in data.truth]
    assert keys == sorted(set(keys))


def test_each_person_has_one_household(data: Dataset) -> None:
    households: dict[str, set[str]] = defaultdict(set)
    for row in data.truth:
        households[row["person_id"]].add(row["household_id"])
    assert all(len(h) == 1 for h in households.values())
    anonymous = [p for p in households if p.startswith("ANON-")]
    assert len(anonymous) == 2000 // 10
    assert all(households[p] == {"HA-" + p.removeprefix("ANON-")} for p in anonymous)


def test_shares_of_people_per_source(data: Dataset) -> None:
    people_in = defaultdict(set)
    for row in data.truth:
        people_in[row["source"]].add(row["person_id"])
    share = {source: len(people) / 2000 for source, people in people_in.items()}
    assert 0.35 < share["crm"] < 0.45
    assert 0.65 < share["shop"] < 0.75
    assert 0.40 < share["email"] < 0.50
    assert 0.20 < share["support"] < 0.30


# --- the resolver's yardstick ------------------------------------------------------------------


def _email(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value and value != JUNK_EMAIL else None


def _phone(value: str | None) -> str | None:
    if not value:
        return None
    number = phonenumbers.parse(value, "GB")
    assert phonenumbers.is_valid_number(number), value
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None if e164 == JUNK_PHONE_E164 else e164


def _identifiers(data: Dataset) -> dict[tuple[str, str], set[str]]:
    """(source, source_id) -> normalized strong identifiers, junk left out."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(key: tuple[str, str], *values: str | None) -> None:
        found[key].update(v for v in values if v)

    for r in _valid_contacts(data):
        add(("crm", r["contact_id"]), _email(r["email"]), _phone(r["phone"]))
    for c in data.jsonl["shop_customers.jsonl"]:
        add(
            ("shop", c["customer_id"]),
            _email(c["email"]),
            _phone(c["phone"]),
            "login:" + c["login"].lower(),
            c["loyalty_id"],
        )
    for e in data.jsonl["web_events.jsonl"]:
        add(("web", e["cookie_id"]), "login:" + e["login"].lower() if e["login"] else None)
    for r in data.csv["email_events.csv"]:
        add(("email", r["subscriber_id"]), _email(r["email"]))
    for r in _valid_tickets(data):
        add(("support", r["requester_id"]), _email(r["email"]), _phone(r["phone"]))
    return found


def test_every_record_shares_a_strong_identifier_with_a_sibling(data: Dataset) -> None:
    identifiers = _identifiers(data)
    records: dict[str, list[set[str]]] = defaultdict(list)
    for row in data.truth:
        records[row["person_id"]].append(identifiers[(row["source"], row["source_id"])])
    multi = [sets for sets in records.values() if len(sets) >= 2]
    assert len(multi) > 1000

    def tied(sets: list[set[str]]) -> bool:
        return all(any(mine & other for j, other in enumerate(sets) if j != i) for i, mine in enumerate(sets))

    assert sum(map(tied, multi)) / len(multi) >= 0.99


def test_no_two_people_share_a_strong_identifier_not_even_household_members(data: Dataset) -> None:
    identifiers = _identifiers(data)
    owner: dict[str, str] = {}
    for row in data.truth:
        for value in identifiers[(row["source"], row["source_id"])]:
            assert owner.setdefault(value, row["person_id"]) == row["person_id"], value


def test_household_members_share_address_and_mostly_surname(data: Dataset) -> None:
    person_of = {r["source_id"]: (r["person_id"], r["household_id"]) for r in data.truth if r["source"] == "shop"}
    postcodes: dict[str, set[str]] = defaultdict(set)
    surnames: dict[str, set[str]] = defaultdict(set)
    members: dict[str, set[str]] = defaultdict(set)
    for c in data.jsonl["shop_customers.jsonl"]:
        person, household = person_of[c["customer_id"]]
        postcodes[household].add(c["address"]["postcode"])
        surnames[household].add(c["last_name"].strip().lower())
        members[household].add(person)
    shared = [h for h, people in members.items() if len(people) >= 2]
    assert len(shared) > 100
    # Only people who moved carry another postcode; surnames differ for flatmates and typos.
    assert sum(len(postcodes[h]) == 1 for h in shared) / len(shared) > 0.85
    assert sum(len(surnames[h]) == 1 for h in shared) / len(shared) > 0.6


def test_web_cookies_of_shoppers_log_in_with_their_shop_login(data: Dataset) -> None:
    person = {(r["source"], r["source_id"]): r["person_id"] for r in data.truth}
    logins: dict[str, set[str]] = defaultdict(set)
    for c in data.jsonl["shop_customers.jsonl"]:
        logins[person[("shop", c["customer_id"])]].add(c["login"])
    events = data.jsonl["web_events.jsonl"]
    cookie_logins: dict[str, set[str]] = {}
    for e in events:
        seen = cookie_logins.setdefault(e["cookie_id"], set())
        if e["event_type"] == "login":
            seen.add(e["login"])
        else:
            assert e["login"] is None
    case_changed = 0
    for cookie, seen in cookie_logins.items():
        owner = person[("web", cookie)]
        if owner.startswith("ANON-"):
            assert not seen
            continue
        own = {login.lower() for login in logins[owner]}
        assert seen and {login.lower() for login in seen} <= own
        case_changed += bool(seen - logins[owner])
    assert case_changed > 100
    # Events arrive out of order: file order is not id order.
    ids = [e["event_id"] for e in events]
    assert ids != sorted(ids)


def test_devices(data: Dataset) -> None:
    person = {r["source_id"]: (r["person_id"], r["household_id"]) for r in data.truth if r["source"] == "web"}
    users: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for e in data.jsonl["web_events.jsonl"]:
        assert e["device_type"] in {"desktop", "mobile", "tablet"}
        users[e["device_id"]].add(person[e["cookie_id"]])
    family = [
        owners for device, owners in users.items() if device != JUNK_DEVICE_ID and len({p for p, _ in owners}) > 1
    ]
    assert len(family) > 50
    assert all(len({h for _, h in owners}) == 1 for owners in family)
    junk_owners = users[JUNK_DEVICE_ID]
    assert len({h for _, h in junk_owners}) >= 5


# --- junk, bad rows, noise ---------------------------------------------------------------------


def test_junk_identifiers_are_present_and_harmless(data: Dataset) -> None:
    call_centre = [r for r in _valid_tickets(data) if r["phone"] == JUNK_PHONE]
    assert len(call_centre) >= 5
    assert all(r["email"] for r in call_centre)
    test_emails = [c for c in data.jsonl["shop_customers.jsonl"] if c["email"] == JUNK_EMAIL]
    assert len(test_emails) >= 2
    assert all(c["phone"] and c["login"] for c in test_emails)


def test_bad_rows_are_present_and_counted(data: Dataset) -> None:
    bad = data.summary.bad_rows
    assert set(bad) == set(ORDER)
    contacts = data.csv["crm_contacts.csv"]
    no_id = sum(not r["contact_id"] for r in contacts)
    bad_email = sum(r["email"] == "not-an-email" for r in contacts)
    assert no_id >= 1 and bad_email >= 1
    assert bad["crm_contacts.csv"] == no_id + bad_email
    bad_totals = sum(not isinstance(o["total"], float) for o in data.jsonl["shop_orders.jsonl"])
    assert bad_totals >= 1
    assert bad_totals == bad["shop_orders.jsonl"] == sum(o["total"] == "abc" for o in data.jsonl["shop_orders.jsonl"])
    assert data.broken_lines["web_events.jsonl"] == bad["web_events.jsonl"] >= 1
    yesterday = sum(r["opened_at"] == "yesterday" for r in data.csv["support_tickets.csv"])
    assert yesterday == bad["support_tickets.csv"] >= 1
    for name in ("crm_organizations.csv", "shop_customers.jsonl", "shop_accounts.csv", "email_events.csv"):
        assert bad[name] == 0
    assert all(count <= 50 for count in bad.values())


def test_cypher_lookalikes_are_stored_as_data(data: Dataset) -> None:
    titles = [r["job_title"] for r in _valid_contacts(data)]
    assert titles.count("'}) MATCH (n) DETACH DELETE n //") == 1
    subjects = [r["subject"] for r in _valid_tickets(data)]
    assert subjects.count('"; DROP CONSTRAINT x; //') == 1


def _alpha2(value: str) -> str:
    return pycountry.countries.lookup(value).alpha_2


def test_phones_are_valid_and_national_only_for_the_default_region(data: Dataset) -> None:
    rows = [(r["phone"], r["country"]) for r in _valid_contacts(data)]
    rows += [(c["phone"], c["address"]["country"]) for c in data.jsonl["shop_customers.jsonl"]]
    forms: Counter[str] = Counter()
    for phone, country_value in rows:
        if not phone:
            continue
        country = _alpha2(country_value)
        number = phonenumbers.parse(phone, "GB")
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.region_code_for_number(number) == country, (phone, country)
        if not phone.startswith(("+", "00")):
            assert country == "GB", phone
        forms[phone[0] if phone[0] in "+0(" else "other"] += 1
        forms["dashes"] += "-" in phone and country != "US"
        forms["00"] += phone.startswith("00")
    assert forms["other"] == 0
    assert min(forms["+"], forms["0"], forms["("], forms["dashes"], forms["00"]) > 10


def test_phone_layout_matches_phonenumbers() -> None:
    ids = Identifiers(random.Random(3))
    for country in COUNTRIES:
        for _ in range(200):
            phone = ids.phone(country.code)
            number = phonenumbers.parse(phone.e164)
            assert phonenumbers.is_valid_number(number)
            assert phonenumbers.region_code_for_number(number) == country.code
            formats = phonenumbers.PhoneNumberFormat
            assert phone.national == phonenumbers.format_number(number, formats.NATIONAL)
            assert phone.international == phonenumbers.format_number(number, formats.INTERNATIONAL)


def test_noise_variants_occur(data: Dataset) -> None:
    contacts = _valid_contacts(data)
    customers = data.jsonl["shop_customers.jsonl"]
    emails = [r["email"] for r in contacts] + [c["email"] for c in customers]
    emails += [r["email"] for r in data.csv["email_events.csv"]]
    assert sum(e != e.strip() for e in emails) > 20
    assert sum(e.strip() != e.strip().lower() for e in emails) > 100
    countries = [r["country"] for r in contacts] + [c["address"]["country"] for c in customers]
    assert {"United Kingdom", "GBR"} <= set(countries)
    assert all(_alpha2(c) in {"GB", "DE", "FR", "US"} for c in countries)
    assert 0.05 < sum(len(c) != 2 for c in countries) / len(countries) < 0.15
    births = [r["birth_date"] for r in contacts if r["birth_date"]]
    births += [c["birth_date"] for c in customers if c["birth_date"]]
    assert all(re.fullmatch(r"\d{4}([-/])\d\d\1\d\d", b) for b in births)
    assert 0 < sum("/" in b for b in births) / len(births) < 0.05
    names = [r["first_name"] for r in contacts] + [c["first_name"] for c in customers]
    names += [r["name"] for r in _valid_tickets(data)]
    assert any(not unicodedata.is_normalized("NFC", n) for n in names)
    nicknames = {nick for nicks in NICKNAMES.values() for nick in nicks}
    assert sum(n in nicknames for n in names) > 10
    assert any("  " in n or n != n.strip() for n in names)
    assert any(n.isupper() and len(n) > 2 for n in names)


def test_shop_details(data: Dataset) -> None:
    person = {(r["source"], r["source_id"]): r["person_id"] for r in data.truth}
    customers = data.jsonl["shop_customers.jsonl"]
    loyalty: dict[str, set[str | None]] = defaultdict(set)
    for c in customers:
        loyalty[person[("shop", c["customer_id"])]].add(c["loyalty_id"])
        assert c["loyalty_id"] is None or re.fullmatch(r"LOY-\d{8}", c["loyalty_id"])
    assert all(len(ids) == 1 for ids in loyalty.values())
    assert 0.5 < sum(None not in ids for ids in loyalty.values()) / len(loyalty) < 0.7

    household = {r["source_id"]: r["household_id"] for r in data.truth if r["source"] == "shop"}
    accounts: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in data.csv["shop_accounts.csv"]:
        accounts[row["account_id"]].append(row)
    types = Counter(rows[0]["account_type"] for rows in accounts.values())
    assert types["joint"] > 50 and types["personal"] > 100
    for rows in accounts.values():
        assert [r["role"] for r in rows] == ["owner"] + ["joint_holder"] * (len(rows) - 1)
        assert all(r["customer_id"] in household for r in rows)
        if rows[0]["account_type"] == "joint":
            assert len(rows) >= 2
            assert len({household[r["customer_id"]] for r in rows}) == 1
            assert len({person[("shop", r["customer_id"])] for r in rows}) == len(rows)
        else:
            assert len(rows) == 1


def test_orders(data: Dataset) -> None:
    country = {c["customer_id"]: _alpha2(c["address"]["country"]) for c in data.jsonl["shop_customers.jsonl"]}
    currency = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "US": "USD"}
    lines = (data.path / "shop_orders.jsonl").read_text(encoding="utf-8").splitlines()
    valid = [line for line in lines if '"total":"abc"' not in line]
    assert all(re.search(r'"total":\d+\.\d\d,', line) for line in valid)
    for line in valid:
        order = json.loads(line)
        assert order["currency"] == currency[country[order["customer_id"]]]
        assert order["items"]
        assert round(sum(i["qty"] * i["price"] for i in order["items"]), 2) == order["total"]
    assert 1.3 < len(valid) / len(country) < 1.8


def test_organizations_form_a_forest(data: Dataset) -> None:
    orgs = {r["org_id"]: r for r in data.csv["crm_organizations.csv"]}
    assert len(orgs) == 2000 // 40
    assert 0.1 < sum(bool(r["parent_org_id"]) for r in orgs.values()) / len(orgs) < 0.3
    for org_id in orgs:
        seen = set()
        while org_id:
            assert org_id not in seen
            seen.add(org_id)
            org_id = orgs[org_id]["parent_org_id"]
    assert len({r["domain"] for r in orgs.values()}) == len(orgs)
    employers = [r["employer_org_id"] for r in _valid_contacts(data)]
    assert all(e in orgs for e in employers if e)
    assert 0.55 < sum(map(bool, employers)) / len(employers) < 0.8


# --- API ---------------------------------------------------------------------------------------


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    generate(2500, 1, tmp_path, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 2500
    assert 2 <= len(seen) <= 4


def test_tiny_runs_work(tmp_path: Path) -> None:
    summary = generate(1, 1, tmp_path)
    assert summary.people == summary.households == 1
    assert summary.files["crm_organizations.csv"] == 5


@pytest.mark.parametrize("people, region", [(0, "GB"), (10, "gb"), (10, 'GB"')])
def test_bad_arguments_are_refused(tmp_path: Path, people: int, region: str) -> None:
    with pytest.raises(ValueError):
        generate(people, 1, tmp_path, default_region=region)
