CREATE CONSTRAINT profile_alias_pid IF NOT EXISTS FOR (n:ProfileAlias) REQUIRE n.pid IS UNIQUE
