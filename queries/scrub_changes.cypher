// Rewrite change-log entries after an erasure: the record id becomes a pseudonym and the
// fields lose personal values (netmap computes both).
// Parameters: $entries (list of maps: seq, record_id, fields as JSON text)
UNWIND $entries AS entry
MATCH (c:Change {seq: entry.seq})
SET c.record_id = entry.record_id, c.fields = entry.fields
