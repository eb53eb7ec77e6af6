// Whole-graph counts for the data-quality dashboard (steward): one row.
RETURN COUNT { (:Profile) } AS profiles,
       COUNT { (:Customer) } AS records,
       COUNT { (:Household) } AS households,
       COUNT { (:Identifier) } AS identifiers,
       COUNT { (i:Identifier) WHERE i.held_out = true } AS held_out,
       COUNT { (p:Profile) WHERE p.conflicts IS NOT NULL } AS conflicts,
       COUNT { (p:Profile) WHERE p.restricted = true } AS restricted,
       COUNT { (:Touchpoint) } AS touchpoints
