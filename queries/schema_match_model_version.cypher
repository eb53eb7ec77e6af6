CREATE CONSTRAINT match_model_version IF NOT EXISTS FOR (n:MatchModel) REQUIRE n.version IS UNIQUE
