"""People with several records each and the corruption real exports have, with the truth.

For the scoring tests and bench: typos and transposed letters in names and streets, first and
last name swapped, day and month of the birth date transposed or one component off, postcode
characters swapped, one-digit national id errors, missing values. Deterministic per seed.
"""

import random
from collections.abc import Iterator

__all__ = ["people"]

FIRST = (
    "olivia amelia isla ava mia ivy lily isabella rosie sophia grace freya noah oliver george arthur leo harry "
    "oscar archie henry theo jack charlie jacob thomas"
).split()
LAST = (
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker "
    "white edwards hughes green hall lewis harris clarke patel jackson"
).split()
STREETS = "high station church park victoria green manor kings queens mill school chapel".split()


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # transposed letters
    return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]


def _digit_off(rng: random.Random, value: str) -> str:
    i = rng.randrange(len(value))
    return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1 :]


def people(n: int, seed: int = 1, *, max_records: int = 4, noise: float = 0.3) -> Iterator[tuple[str, dict[str, str]]]:
    """(person id, customers-mapping row with a national_id column) for `n` people."""
    rng = random.Random(seed)
    for p in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        born = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        district = f"{rng.choice('ABLMS')}{rng.choice('ES')}{rng.randint(1, 30)}"
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}"
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)} {rng.choice(['road', 'street', 'lane'])}"
        nid = f"{rng.randrange(10**8, 10**9)}"
        for k in range(rng.randint(1, max_records)):
            row = {
                "first_name": first,
                "last_name": last,
                "birth_date": born,
                "postcode": postcode,
                "street": street,
                "national_id": nid,
            }
            if rng.random() < noise:
                row["first_name"] = _typo(rng, first)
            if rng.random() < noise / 2:
                row["last_name"] = _typo(rng, last)
            if rng.random() < noise / 5:
                row["first_name"], row["last_name"] = row["last_name"], row["first_name"]
            if rng.random() < noise / 3:
                y, m, d = born.split("-")
                row["birth_date"] = (
                    f"{y}-{d}-{m}" if int(d) <= 12 and rng.random() < 0.5 else f"{y}-{m}-{(int(d) % 28) + 1:02d}"
                )
            if rng.random() < noise / 3:
                row["postcode"] = postcode[0] + postcode[2] + postcode[1] + postcode[3:]
            if rng.random() < noise / 2:
                row["street"] = _typo(rng, street)
            if rng.random() < noise / 2:
                row["national_id"] = _digit_off(rng, nid)
            for column in ("birth_date", "postcode", "street", "national_id"):
                if rng.random() < noise / 4:
                    row[column] = ""
            row["first_name"], row["last_name"] = row["first_name"].title(), row["last_name"].title()
            yield f"P{p}", {"source_id": f"{seed}-{p}-{k}", **row}
