"""Why records share a profile: the shortest chain of records and identifiers that links them.

Explanations are computed on the profile's own evidence graph with networkx (one component
is small), using exactly the evidence resolution used: strong identifiers under their cap
and steward same-person links.
"""

from typing import Any

import networkx as nx

from graph.connection import Graph
from graph.identity import evidence
from graph.identity.fuzzy import fuzzy_pairs
from graph.identity.rules import MatchRules

__all__ = ["link", "profile"]


def _graph(graph: Graph, rules: MatchRules, uids: list[str]) -> tuple[nx.Graph, evidence.Evidence]:
    facts = evidence.gather(graph, rules, uids)
    caps = rules.caps()
    strong = set(rules.strong)
    g = nx.Graph()
    for record in facts.records:
        g.add_node(("record", record.uid), source=record.source)
        for key, kind, degree, _ in record.ids:
            if kind in strong and degree <= caps[kind]:
                g.add_edge(("record", record.uid), ("identifier", key), kind=kind)
        for other in record.same:
            if other in facts.index:
                g.add_edge(("record", record.uid), ("record", other), kind="steward")
    for i, j, kind in fuzzy_pairs(facts.records, rules):
        g.add_edge(("record", facts.records[i].uid), ("record", facts.records[j].uid), kind=f"fuzzy:{kind}")
    return g, facts


def _path_items(g: nx.Graph, path: list[tuple[str, str]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for position, (kind, key) in enumerate(path):
        if kind == "record":
            if position and path[position - 1][0] == "record":
                rule = g.edges[path[position - 1], (kind, key)]["kind"]
                items.append({"type": "steward_link" if rule == "steward" else "fuzzy_link", "rule": rule})
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
    return _path_items(g, path)


def profile(graph: Graph, pid: str, *, rules: MatchRules) -> list[dict[str, Any]]:
    """For each record of a profile, the chain that ties it to the profile's first record."""
    members = [row["uid"] for row in graph.read("profile_records", pid=pid)]
    if not members:
        return []
    g, _ = _graph(graph, rules, members)
    anchor = ("record", members[0])
    paths = nx.single_source_shortest_path(g, anchor)
    return [
        {"uid": uid, "path": _path_items(g, paths[("record", uid)]) if ("record", uid) in paths else []}
        for uid in members
    ]
