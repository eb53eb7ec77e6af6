UNWIND $hashes AS h
MERGE (s:Suppression {hash: h})
  ON CREATE SET s.at = $now
RETURN count(s) AS entries
