// Add an import of a file to the import history (in the transaction that writes it).
// Parameters: $source (string: the file's name), $sha256 (string: its content's hash),
//   $saved_at (string or null: when the file says it was saved), $at (string: ISO
//   timestamp), $actor (string), $revision (integer: the revision the import made)
CREATE (:Import {
  source: $source,
  sha256: $sha256,
  saved_at: $saved_at,
  at: $at,
  actor: $actor,
  revision: $revision
})
