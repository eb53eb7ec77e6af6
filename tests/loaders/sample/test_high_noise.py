"""`generate(noise="high")`: more records per person, corrupted the way real exports are."""

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from loaders.sample import generate
from loaders.sample._high import national_id


@pytest.fixture(scope="module")
def high(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("high")
    generate(1500, 4, out, noise="high")
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _persons(high: Path) -> dict[str, str]:
    return {f"{r['source']}:{r['source_id']}": r["person_id"] for r in _csv(high / "truth.csv")}


def test_people_have_up_to_ten_records(high: Path) -> None:
    per_person = Counter(_persons(high).values())
    assert max(per_person.values()) <= 10
    assert sum(1 for n in per_person.values() if n >= 7) > 30


def test_same_seed_same_bytes_and_manifest_says_high(high: Path, tmp_path: Path) -> None:
    generate(1500, 4, tmp_path, noise="high")
    for name in ("crm_contacts.csv", "shop_customers.jsonl", "truth.csv"):
        assert (
            hashlib.sha256((tmp_path / name).read_bytes()).digest()
            == hashlib.sha256((high / name).read_bytes()).digest()
        )
    assert 'noise = "high"' in (high / "manifest.toml").read_text()
    with pytest.raises(ValueError, match="noise"):
        generate(10, 4, tmp_path / "x", noise="loud")


def test_the_corruption_is_there(high: Path) -> None:
    crm = _csv(high / "crm_contacts.csv")
    persons = _persons(high)
    shop = [json.loads(line) for line in (high / "shop_customers.jsonl").read_text().splitlines()]
    dates = [r["birth_date"] for r in crm] + [s["birth_date"] or "" for s in shop]
    assert sum("-45-" in d for d in dates) > 5 and sum(d.endswith("-92") for d in dates) > 5
    # National ids: most right, some one digit off, never more.
    wrong = 0
    for row in crm:
        if row["national_id"]:
            right = national_id(persons[f"crm:{row['contact_id']}"], 4)
            diff = sum(a != b for a, b in zip(row["national_id"], right, strict=True))
            assert diff <= 1
            wrong += diff
    assert 10 < wrong < sum(1 for r in crm if r["national_id"]) * 0.2
    # Records that keep no identifier at all, and missing values.
    bare = [r for r in crm if not (r["email"] or r["phone"] or r["national_id"])]
    assert len(bare) > 10
    assert sum(1 for r in crm if not r["last_name"]) > 0.05 * len(crm)
    # First and last name swapped: some record's first name is the surname in truth.
    surnames = {r["last_name"].casefold() for r in crm if r["last_name"]}
    assert sum(1 for r in crm if r["first_name"].casefold() in surnames) > 10


def test_truth_stays_exact(high: Path) -> None:
    persons = _persons(high)
    crm = {f"crm:{r['contact_id']}" for r in _csv(high / "crm_contacts.csv") if r["contact_id"]}
    shop = {
        "shop:" + json.loads(line)["customer_id"] for line in (high / "shop_customers.jsonl").read_text().splitlines()
    }
    assert {uid for uid in persons if uid.startswith("crm:")} <= crm
    assert {uid for uid in persons if uid.startswith("shop:")} == shop
