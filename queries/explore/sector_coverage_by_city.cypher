// Sector coverage by city: how many institutions of each sector a city has, and which of
// the sectors a local network is expected to include are missing there.
// Parameters: $expected (list of strings: sector keys, e.g. ['police', 'prosecution',
//   'social_services', 'health', 'local_government', 'civil_society'])
MATCH (i:Institution)
WHERE i.city IS NOT NULL
WITH i.country AS country, i.city AS city, i.sector AS sector, count(*) AS institutions
ORDER BY sector
WITH country, city, collect(sector) AS present,
  collect(sector + ': ' + toString(institutions)) AS sectors
RETURN country, city, sectors, [s IN $expected WHERE NOT s IN present] AS missing
ORDER BY size(missing) DESC, country, city
