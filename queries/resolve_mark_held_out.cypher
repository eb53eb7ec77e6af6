UNWIND $rows AS r
MATCH (i:Identifier {key: r.key})
SET i.held_out = r.held_out
