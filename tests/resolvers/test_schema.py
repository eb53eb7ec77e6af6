"""The SDL in schema.graphql is the contract front ends code against: it must match the code.
And every API catalog query is exercised by these tests."""

from pathlib import Path

import typer
from typer.testing import CliRunner

import queries
from c360.cli import _serve
from resolvers.schema import sdl

ROOT = Path(__file__).resolve().parents[2]


def test_schema_file_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == sdl(), "schema.graphql is out of date: run `c360 export-schema schema.graphql`"


def test_the_contract_names_are_there():
    text = sdl()
    for expected in (
        "interface Node {",
        "node(id: ID!): Node",
        "profile(id: ID!): Profile",
        "profileByIdentifier(kind: String!, value: String!): Profile",
        (
            "searchProfiles(query: String!, first: Int = null, after: String = null, "
            "consentedTo: ConsentFilter = null): ProfileConnection!"
        ),
        "household(id: ID!): Household",
        "organization(id: ID!): Organization",
        "path(fromId: ID!, toId: ID!",
        "neighborhood(id: ID!",
        "explainLink(recordA: ID!, recordB: ID!)",
        "linkRecords(",
        "unlinkRecords(",
        "splitProfile(",
        "setGoldenValue(",
        "ingestEvent(input:",
        "pageInfo: PageInfo!",
        "totalCount: Int!",
        "hasNextPage: Boolean!",
        "endCursor: String",
        "consents(first: Int = null): [ConsentStatement!]!",
        "setConsent(",
        "restrictProfile(",
        "exportSubject(",
        "eraseSubject(",
        "auditLog(",
    ):
        assert expected in text


def test_export_schema_command(tmp_path):
    app = typer.Typer()
    app.callback()(lambda: None)
    _serve.register(app)
    result = CliRunner().invoke(app, ["export-schema", str(tmp_path / "s.graphql")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s.graphql").read_text(encoding="utf-8") == sdl()
    assert "--port" in CliRunner().invoke(app, ["serve", "--help"]).output


def test_every_api_query_file_is_used_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "resolvers").rglob("*.py"))
    unused = [n for n in queries.names() if n.startswith("api_") and f'"{n}"' not in code]
    assert not unused


def test_api_enums_are_the_engines_lists() -> None:
    from graph.identity import steward
    from graph.privacy import consent
    from resolvers.mutation import GoldenField
    from resolvers.types.consent import ConsentStatus

    assert [member.value for member in GoldenField] == list(steward.GOLDEN_FIELDS)
    assert [member.value for member in ConsentStatus] == list(consent.STATUSES)
    assert "DISPLAY_NAME" not in sdl()  # the engine never allowed overriding it
