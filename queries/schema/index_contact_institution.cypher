// Find the contacts of an institution.
// Parameters: none
CREATE INDEX netmap_contact_institution IF NOT EXISTS
FOR (n:Contact) ON (n.institution_id)
