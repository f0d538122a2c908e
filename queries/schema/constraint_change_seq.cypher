// Number change-log entries uniquely (and index them for newest-first reads).
// Parameters: none
CREATE CONSTRAINT netmap_change_seq IF NOT EXISTS
FOR (c:Change) REQUIRE c.seq IS UNIQUE
