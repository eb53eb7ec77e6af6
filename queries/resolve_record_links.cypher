// Every steward decision and scored link between two records, for a streaming full rebuild.
MATCH (a:Customer)-[x:SAME_AS|NOT_SAME_AS|SCORED_LINK]->(b:Customer)
RETURN type(x) AS type, a.uid AS a, b.uid AS b
