// Find the imports of one file.
// Parameters: none
CREATE INDEX netmap_import_source IF NOT EXISTS
FOR (i:Import) ON (i.source)
