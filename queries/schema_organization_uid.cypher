CREATE CONSTRAINT organization_uid IF NOT EXISTS FOR (n:Organization) REQUIRE n.uid IS UNIQUE
