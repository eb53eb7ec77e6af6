CREATE CONSTRAINT resolution_lock_name IF NOT EXISTS FOR (l:ResolutionLock) REQUIRE l.name IS UNIQUE
