// Find institutions by sector (coverage of the referral-pathway model).
// Parameters: none
CREATE INDEX netmap_institution_sector IF NOT EXISTS
FOR (n:Institution) ON (n.sector)
