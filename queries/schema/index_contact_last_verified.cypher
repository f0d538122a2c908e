// Find contacts not verified recently (retention and accuracy reports).
// Parameters: none
CREATE INDEX netmap_contact_last_verified IF NOT EXISTS
FOR (n:Contact) ON (n.last_verified)
