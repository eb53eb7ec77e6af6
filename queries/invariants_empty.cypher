// Profiles without records, households without members, profiles in several households.
RETURN COLLECT { MATCH (p:Profile) WHERE NOT EXISTS { (p)-[:HAS_RECORD]->() } RETURN p.pid } AS empty_profiles,
       COLLECT { MATCH (h:Household) WHERE NOT EXISTS { (h)<-[:IN_HOUSEHOLD]-(:Profile) } RETURN h.hid }
         AS empty_households,
       COLLECT { MATCH (p:Profile) WHERE COUNT { (p)-[:IN_HOUSEHOLD]->() } > 1 RETURN p.pid } AS multi_household,
       COLLECT { MATCH (h:Household) WHERE h.size <> COUNT { (h)<-[:IN_HOUSEHOLD]-() } RETURN h.hid }
         AS wrong_size
