CREATE CONSTRAINT change_event_position IF NOT EXISTS FOR (n:ChangeEvent) REQUIRE n.position IS UNIQUE
