// Delete every record, change-log entry, import and account, and their relationships,
// 10000 at a time; constraints, indexes and the bookkeeping node (so the revision moves on) stay.
// For tests and restores. Run it in an implicit (auto-commit) transaction: in Browser,
// prefix it with :auto.
// Parameters: none
MATCH (n)
WHERE n:Source OR n:City OR n:Institution OR n:Initiative OR n:Contact OR n:Change OR n:Account
  OR n:Import
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
