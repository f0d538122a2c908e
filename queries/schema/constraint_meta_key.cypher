// Keep a single bookkeeping node (revision and last change number): MERGEd on its key.
// Parameters: none
CREATE CONSTRAINT netmap_meta_key IF NOT EXISTS
FOR (m:NetmapMeta) REQUIRE m.key IS UNIQUE
