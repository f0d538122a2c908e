// Append entries to the change log, numbered after the last one (the bookkeeping node,
// locked by lock_meta, holds the last number).
// Parameters: $entries (list of maps: action, kind, record_id, fields as JSON text),
//   $at (string: ISO timestamp), $actor (string), $revision (integer)
MATCH (m:NetmapMeta {key: 'meta'})
WITH m, coalesce(m.last_seq, 0) AS last
SET m.last_seq = last + size($entries)
WITH last
UNWIND range(0, size($entries) - 1) AS i
WITH last + i + 1 AS seq, $entries[i] AS entry
CREATE (:Change {
  seq: seq,
  at: $at,
  actor: $actor,
  action: entry.action,
  kind: entry.kind,
  record_id: entry.record_id,
  fields: entry.fields,
  revision: $revision
})
