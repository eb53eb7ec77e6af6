"""Why records share a profile: the shortest chain of records and identifiers that links them.

Explanations are computed on the profile's own evidence graph with networkx (one component
is small), using exactly the evidence resolution used: strong identifiers not held out,
steward same-person links and scored links (with the waterfall of their score).
"""

from typing import Any

import networkx as nx

from graph.connection import Graph
from graph.identity import evidence
from graph.identity.fuzzy import fuzzy_pairs
from graph.identity.rules import MatchRules
from graph.identity.scoring import waterfall

__all__ = ["link", "profile"]


def _graph(graph: Graph, rules: MatchRules, uids: list[str]) -> tuple[nx.Graph, evidence.Evidence]:
    facts = evidence.gather(graph, rules, uids)
    strong = set(rules.strong)
    g = nx.Graph()
    for record in facts.records:
        g.add_node(("record", record.uid), source=record.source)
        for key, kind, _, held in record.ids:
            # The held-out mark is resolution's own verdict (graph/identity/people.py).
            if kind in strong and not held:
                g.add_edge(("record", record.uid), ("identifier", key), kind=kind)
        for other in record.same:
            if other in facts.index:
                g.add_edge(("record", record.uid), ("record", other), kind="steward")
    for record in facts.records if rules.scoring_on is not None else []:
        for other in record.scored:
            if other in facts.index and not g.has_edge(("record", record.uid), ("record", other)):
                g.add_edge(("record", record.uid), ("record", other), kind="scored")
    for i, j, kind in fuzzy_pairs(facts.records, rules):
        g.add_edge(("record", facts.records[i].uid), ("record", facts.records[j].uid), kind=f"fuzzy:{kind}")
    return g, facts


_LINK_TYPES = {"steward": "steward_link", "scored": "scored_link"}


def _path_items(graph: Graph, g: nx.Graph, path: list[tuple[str, str]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for position, (kind, key) in enumerate(path):
        if kind == "record":
            if position and path[position - 1][0] == "record":
                rule = g.edges[path[position - 1], (kind, key)]["kind"]
                items.append({"type": _LINK_TYPES.get(rule, "fuzzy_link"), "rule": rule})
                if rule == "scored":
                    # The waterfall: what each comparison contributed to this pair's score.
                    items[-1]["score"] = waterfall.pair(graph, path[position - 1][1], key)
            items.append({"type": "record", "uid": key, "source": g.nodes[(kind, key)].get("source")})
        else:
            ident_kind = key.split(":", 1)[0]
            items.append({"type": "identifier", "key": key, "kind": ident_kind, "rule": f"shared {ident_kind}"})
    return items


def link(graph: Graph, uid_a: str, uid_b: str, *, rules: MatchRules) -> list[dict[str, Any]]:
    """The chain between two records of one profile; empty if they are in different profiles."""
    rows = graph.read("profile_of_records", uids=[uid_a, uid_b])
    pids = {row["pid"] for row in rows}
    if len(pids) != 1 or None in pids:
        return []
    members = [row["uid"] for row in graph.read("profile_records", pid=pids.pop())]
    g, _ = _graph(graph, rules, members)
    try:
        path = nx.shortest_path(g, ("record", uid_a), ("record", uid_b))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return _path_items(graph, g, path)


def profile(graph: Graph, pid: str, *, rules: MatchRules) -> list[dict[str, Any]]:
    """For each record of a profile, the chain that ties it to the profile's first record."""
    members = [row["uid"] for row in graph.read("profile_records", pid=pid)]
    if not members:
        return []
    g, _ = _graph(graph, rules, members)
    anchor = ("record", members[0])
    paths = nx.single_source_shortest_path(g, anchor)
    return [
        {"uid": uid, "path": _path_items(graph, g, paths[("record", uid)]) if ("record", uid) in paths else []}
        for uid in members
    ]
