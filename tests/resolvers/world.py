"""The data the API tests read: a generated sample loaded and resolved for real, plus a merge
(an alias id), a restricted profile and one API key per role.

Built once per session and rebuilt if another test emptied the database.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c360.settings import Settings
from graph import stats
from graph.connection import Graph
from graph.identity import load_rules, resolve
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from loaders.sample import generate
from resolvers import apikeys

PEOPLE = 200
SEED = 7
CRM_COLUMNS = (
    "contact_id,first_name,last_name,email,phone,birth_date,street,city,postcode,country,"
    "employer_org_id,job_title,employed_since,updated_at"
)


@dataclass
class World:
    sample: Path
    truth: list[dict[str, str]]
    keys: dict[str, str] = field(default_factory=dict)
    restricted_pid: str = ""
    restricted_email: str = ""
    alias_pid: str = ""
    survivor_pid: str = ""

    def uids_of_person(self, person_id: str) -> set[str]:
        return {f"{row['source']}:{row['source_id']}" for row in self.truth if row["person_id"] == person_id}


def cypher(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    """Test-only plain Cypher, for setting up and checking the graph behind the API."""
    return [r.data() for r in graph.driver.execute_query(text, params, database_=graph.database).records]


def _load(graph: Graph, settings: Settings, paths: list[Path], quarantine: Path, mapping: str | None = None) -> None:
    with Quarantine(quarantine) as q:
        load(graph, plan(paths, mapping, None), q, LoadOptions(batch_size=1000, region=settings.default_region))


def build(graph: Graph, settings: Settings, folder: Path) -> World:
    stats.reset(graph)
    sample = folder / "sample"
    generate(PEOPLE, SEED, sample, default_region=settings.default_region)
    _load(graph, settings, [sample], folder / "quarantine.jsonl")
    rules = load_rules()
    resolve(graph, rules, full=True)
    with (sample / "truth.csv").open(encoding="utf-8") as f:
        world = World(sample, list(csv.DictReader(f)))
    _merge_two_profiles(graph, settings, folder, world)
    resolve(graph, rules)
    _restrict_one_profile(graph, world)
    for role in apikeys.ROLES:
        world.keys[role] = apikeys.create(graph, role, f"test-{role}").key
    # A front end's backend: reads, and ingests contacts and web events, nothing else.
    world.keys["ingest"] = apikeys.create(
        graph, "app", "test-ingest", scopes=["read", "ingest"], mappings=["crm_contacts", "web_events"]
    ).key
    return world


def _merge_two_profiles(graph: Graph, settings: Settings, folder: Path, world: World) -> None:
    """A new CRM contact carrying A's email and B's phone merges A and B: one id becomes an alias.

    It carries no name: a name of its own would make it a different person on A's email and B's
    phone, which would then be held out (graph/identity/people.py) instead of merging."""
    a, b = cypher(
        graph,
        """
        MATCH (p:Profile) WHERE p.email IS NOT NULL AND p.record_count >= 2
        WITH p ORDER BY p.pid LIMIT 1
        MATCH (q:Profile) WHERE q.phone IS NOT NULL AND q <> p AND q.record_count >= 2
          AND NOT (p)-[:IN_HOUSEHOLD]->()<-[:IN_HOUSEHOLD]-(q)
        WITH p, q ORDER BY q.pid DESC LIMIT 1
        RETURN [p.pid, p.email] AS a, [q.pid, q.phone] AS b""",
    )[0].values()
    extra = folder / "extra"
    extra.mkdir()
    (extra / "crm_contacts.csv").write_text(
        f"{CRM_COLUMNS}\nC-9999999,,,{a[1]},{b[1]},,,Merge,,GB,,,,2026-01-01T00:00:00Z\n", encoding="utf-8"
    )
    _load(graph, settings, [extra / "crm_contacts.csv"], folder / "quarantine-extra.jsonl", "crm_contacts")
    resolve(graph, load_rules())
    row = cypher(
        graph,
        "MATCH (a:ProfileAlias)-[:ALIAS_OF]->(p:Profile) WHERE a.pid IN $pids RETURN a.pid AS alias, p.pid AS survivor",
        pids=[a[0], b[0]],
    )[0]
    world.alias_pid, world.survivor_pid = row["alias"], row["survivor"]


def _restrict_one_profile(graph: Graph, world: World) -> None:
    """A profile in a household with others, so that tests can see it vanish from them for apps."""
    row = cypher(
        graph,
        """
        MATCH (p:Profile)-[:IN_HOUSEHOLD]->(:Household)<-[:IN_HOUSEHOLD]-(:Profile)
        WHERE p.email IS NOT NULL AND NOT p.pid IN $taken
        WITH DISTINCT p ORDER BY p.pid LIMIT 1
        SET p.restricted = true
        RETURN p.pid AS pid, p.email AS email""",
        taken=[world.alias_pid, world.survivor_pid],
    )[0]
    world.restricted_pid, world.restricted_email = row["pid"], row["email"]


def intact(graph: Graph, world: World) -> bool:
    return bool(cypher(graph, "MATCH (p:Profile {pid: $pid}) RETURN p.pid AS pid", pid=world.restricted_pid))
