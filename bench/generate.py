"""Generate a synthetic anti-trafficking network in the table format, for benchmarks.

    python bench/generate.py --institutions 100000 --seed 1 --out bench/data/100k

The structure imitates real networks: countries with a capital and cities of different
sizes; institutions per city by sector in the proportions local networks show; a national
coordinator per country; dense ties inside a city, fewer within a country and few across
borders (about ten ties per institution in all); contacts per institution; initiatives
with participants; dates over twenty years; names in Latin, Cyrillic and Greek scripts.
The same size and seed always give the same files.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

# A country: code, languages, script of local names, approximate centre (lat, lon).
COUNTRIES = [
    ("GR", "el", "greek", 39.0, 22.0),
    ("BG", "bg", "cyrillic", 42.7, 25.3),
    ("RS", "sr", "cyrillic", 44.0, 20.9),
    ("RO", "ro", "latin", 45.9, 24.9),
    ("MK", "mk", "cyrillic", 41.6, 21.7),
    ("AL", "sq", "latin", 41.2, 20.0),
    ("BA", "bs", "latin", 44.0, 17.8),
    ("HR", "hr", "latin", 45.1, 15.2),
    ("SI", "sl", "latin", 46.1, 14.8),
    ("HU", "hu", "latin", 47.2, 19.5),
    ("AT", "de", "latin", 47.5, 14.6),
    ("DE", "de", "latin", 51.2, 10.4),
    ("CH", "de", "latin", 46.8, 8.2),
    ("IT", "it", "latin", 42.8, 12.6),
    ("BE", "fr", "latin", 50.5, 4.5),
    ("NL", "nl", "latin", 52.1, 5.3),
    ("CZ", "cs", "latin", 49.8, 15.5),
    ("PL", "pl", "latin", 51.9, 19.1),
    ("UA", "uk", "cyrillic", 49.0, 31.2),
    ("MD", "ro", "latin", 47.4, 28.4),
    ("CY", "el", "greek", 35.1, 33.4),
    ("ES", "es", "latin", 40.4, -3.7),
    ("FR", "fr", "latin", 46.2, 2.2),
    ("SE", "sv", "latin", 60.1, 18.6),
]

# Sector shares of a local network (seeds 002 and 003) with the bodies a country adds.
SECTOR_SHARES = {
    "civil_society": 18,
    "social_services": 11,
    "health": 11,
    "police": 9,
    "education": 9,
    "local_government": 7,
    "prosecution": 6,
    "employment": 5,
    "humanitarian": 4,
    "youth": 4,
    "child_protection": 4,
    "judiciary": 3,
    "labour_inspection": 2,
    "migration_asylum": 2,
    "international_organisation": 1,
    "research": 1,
    "consular": 1,
    "other": 2,
}
KIND_OF_SECTOR = {
    "civil_society": "ngo",
    "humanitarian": "ngo",
    "international_organisation": "international",
    "research": "academic",
    "other": "other",
}
TIE_KINDS = [
    "coordination",
    "referral",
    "case_coordination",
    "information_exchange",
    "meeting",
    "joint_training",
    "protocol",
    "mou",
    "joint_project",
    "funding",
]
TIE_WEIGHTS = [22, 20, 14, 12, 10, 7, 5, 4, 4, 2]
SERVICES = [
    "identification",
    "outreach",
    "hotline",
    "shelter",
    "medical",
    "psychosocial",
    "legal_aid",
    "interpretation",
    "case_management",
    "repatriation",
    "reintegration",
    "employment_support",
    "education",
    "training",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "no",
    "vi",
    "sa",
    "de",
    "po",
    "li",
    "ta",
    "ne",
    "ko",
    "ri",
    "va",
    "go",
    "za",
    "bo",
    "ja",
    "te",
    "ni",
    "mo",
    "lu",
    "sta",
    "dra",
    "kra",
    "ple",
]
FIRST_NAMES = [
    "Maria",
    "Elena",
    "Ivan",
    "Nikos",
    "Ana",
    "Jelena",
    "Georgi",
    "Dimitra",
    "Marko",
    "Katerina",
    "Petar",
    "Sofia",
    "Milan",
    "Eleni",
    "Stefan",
    "Ioana",
    "Luca",
    "Anna",
]
LAST_NAMES = [
    "Petrova",
    "Papadopoulou",
    "Jovanović",
    "Ivanov",
    "Georgiou",
    "Nikolić",
    "Popescu",
    "Dimitrova",
    "Kovač",
    "Horvat",
    "Novak",
    "Rossi",
    "Müller",
    "Nagy",
    "Kowalska",
]
_CYRILLIC = dict(zip("abvgdežzijklmnoprstufhcčšćđ", "абвгдежзијклмнопрстуфхцчшћђ", strict=True))
_GREEK = dict(zip("abgdezhiklmnxoprstyfcv", "αβγδεζηικλμνξοπρστυφχβ", strict=True))
TABLES = {
    "cities": ["name", "name_local", "country", "lat", "lon", "source"],
    "institutions": [
        "id",
        "name",
        "name_local",
        "sector",
        "kind",
        "level",
        "country",
        "city",
        "services",
        "languages",
        "email",
        "phone",
        "source",
        "last_verified",
    ],
    "contacts": [
        "id",
        "institution_id",
        "name",
        "role",
        "email",
        "phone",
        "languages",
        "focal_point",
        "legal_basis",
        "source",
        "last_verified",
    ],
    "ties": ["id", "source_id", "target_id", "kind", "strength", "since", "until", "source"],
    "initiatives": ["id", "name", "kind", "funder", "start", "end", "countries", "source"],
    "participations": ["institution_id", "initiative_id", "role", "source"],
}
SOURCE = "synthetic (bench/generate.py)"


def local_script(name: str, script: str) -> str:
    """Write a Latin name in the country's own script, letter by letter."""
    table = {"cyrillic": _CYRILLIC, "greek": _GREEK}.get(script)
    if table is None:
        return name
    return "".join(table.get(ch.lower(), ch) for ch in name).capitalize()


def place_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def a_date(rng: random.Random, first: int, last: int) -> str:
    year = rng.randint(first, last)
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class Generator:
    """Builds the six tables in memory, then writes them; one instance per size and seed."""

    def __init__(self, institutions: int, seed: int, ties_per_institution: float = 10.0):
        self.rng = random.Random(seed)
        self.target = institutions
        self.ties_per_institution = ties_per_institution
        self.rows: dict[str, list[list]] = {table: [] for table in TABLES}
        self.by_city: dict[tuple[str, str], list[str]] = {}
        self.by_country: dict[str, list[str]] = {}
        self.coordinators: dict[str, str] = {}

    def make_cities(self) -> list[tuple[str, str, str, float, float]]:
        """Cities with sizes following a power law, so a few capitals hold many actors."""
        count = max(len(COUNTRIES), self.target // 25)
        cities, names = [], set()
        for index in range(count):
            code, _, script, lat, lon = COUNTRIES[index % len(COUNTRIES)]
            name = place_name(self.rng)
            while (code, name) in names:
                name = place_name(self.rng) + " " + place_name(self.rng)
            names.add((code, name))
            point = (lat + self.rng.uniform(-2, 2), lon + self.rng.uniform(-3, 3))
            cities.append((code, name, script, *point))
            self.rows["cities"].append(
                [
                    name,
                    local_script(name, script),
                    code,
                    f"{point[0]:.4f}",
                    f"{point[1]:.4f}",
                    SOURCE,
                ]
            )
        return cities

    def phone(self) -> str:
        rng = self.rng
        return f"+{rng.randint(30, 49)} {rng.randint(100, 999)} {rng.randint(100000, 999999)}"

    def make_institutions(self, cities) -> None:
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(cities))]
        self.rng.shuffle(weights)
        sectors, shares = zip(*SECTOR_SHARES.items(), strict=True)
        languages = {code: lang for code, lang, *_ in COUNTRIES}
        chosen_cities = self.rng.choices(cities, weights=weights, k=self.target)
        chosen_sectors = self.rng.choices(sectors, weights=shares, k=self.target)
        for number, (city, sector) in enumerate(zip(chosen_cities, chosen_sectors, strict=True)):
            code, city_name, script, *_ = city
            identifier = f"{code.lower()}-{number:07d}"
            name = f"{sector.replace('_', ' ').title()} {place_name(self.rng)} {city_name}"
            services = ";".join(self.rng.sample(SERVICES, 2)) if self.rng.random() < 0.3 else ""
            self.rows["institutions"].append(
                [
                    identifier,
                    name,
                    local_script(name, script),
                    sector,
                    KIND_OF_SECTOR.get(sector, "government"),
                    self.rng.choices(["local", "regional", "national"], [70, 22, 8])[0],
                    code,
                    city_name,
                    services,
                    f"{languages[code]};en",
                    f"office@{identifier}.example.org",
                    self.phone(),
                    SOURCE,
                    a_date(self.rng, 2019, 2026),
                ]
            )
            self.by_city.setdefault((code, city_name), []).append(identifier)
            self.by_country.setdefault(code, []).append(identifier)
        for code, members in self.by_country.items():
            # The first institution of each country becomes its national coordinator.
            coordinator = members[0]
            row = next(r for r in self.rows["institutions"] if r[0] == coordinator)
            row[3], row[4], row[5] = "national_coordination", "government", "national"
            self.coordinators[code] = coordinator

    def make_ties(self) -> None:
        rng = self.rng
        budget = int(self.target * self.ties_per_institution)
        seen: set[tuple[str, str]] = set()
        local, national = int(budget * 0.80), int(budget * 0.17)
        cross = budget - local - national
        clusters = [m for m in self.by_city.values() if len(m) > 1]
        cluster_weights = [len(m) for m in clusters]
        countries = [m for m in self.by_country.values() if len(m) > 1]
        country_codes = list(self.by_country)

        def add(a: str, b: str) -> None:
            if a == b or (a, b) in seen or (b, a) in seen:
                return
            seen.add((a, b))
            kind = rng.choices(TIE_KINDS, TIE_WEIGHTS)[0]
            since = a_date(rng, 2005, 2025)
            until = a_date(rng, int(since[:4]) + 1, 2026) if rng.random() < 0.15 else ""
            self.rows["ties"].append(
                [
                    f"t{len(self.rows['ties']):08d}",
                    a,
                    b,
                    kind,
                    rng.choice("1223"),
                    since,
                    until,
                    SOURCE,
                ]
            )

        for cluster in rng.choices(clusters, weights=cluster_weights, k=local):
            add(rng.choice(cluster), rng.choice(cluster))
        for code, coordinator in self.coordinators.items():
            for member in rng.sample(self.by_country[code], min(40, len(self.by_country[code]))):
                add(coordinator, member)
        while len(self.rows["ties"]) < local + national:
            members = rng.choice(countries)
            add(rng.choice(members), rng.choice(members))
        while len(self.rows["ties"]) < local + national + cross:
            first, second = rng.sample(country_codes, 2)
            add(rng.choice(self.by_country[first]), rng.choice(self.by_country[second]))

    def make_contacts(self) -> None:
        rng = self.rng
        roles = [
            "Focal point for trafficking",
            "Social worker",
            "Case manager",
            "Inspector",
            "Prosecutor",
            "Coordinator",
            "Psychologist",
            "Lawyer",
        ]
        for row in self.rows["institutions"]:
            for number in range(rng.choice((1, 2, 2, 3, 3, 4))):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                self.rows["contacts"].append(
                    [
                        f"{row[0]}-c{number}",
                        row[0],
                        f"{first} {last}",
                        rng.choice(roles),
                        f"{first.lower()}.{row[0]}@example.org",
                        "",
                        row[9],
                        "yes" if number == 0 and rng.random() < 0.6 else "no",
                        rng.choice(["public_task", "legitimate_interests", "consent"]),
                        SOURCE,
                        a_date(rng, 2018, 2026),
                    ]
                )

    def make_initiatives(self) -> None:
        rng = self.rng
        count = max(6, self.target // 50)
        codes = list(self.by_country)
        kinds = ["project", "network", "protocol", "event", "mechanism"]
        for number in range(count):
            home = rng.choice(codes)
            countries = {home} | ({rng.choice(codes)} if rng.random() < 0.3 else set())
            start = a_date(rng, 2008, 2025)
            identifier = f"init-{number:06d}"
            self.rows["initiatives"].append(
                [
                    identifier,
                    f"Initiative {place_name(rng)} {number}",
                    rng.choice(kinds),
                    rng.choice(["European Union", "National budget", "Council of Europe", ""]),
                    start,
                    f"{int(start[:4]) + rng.randint(0, 4)}",
                    ";".join(sorted(countries)),
                    SOURCE,
                ]
            )
            members = set()
            for code in countries:
                pool = self.by_country[code]
                members |= set(rng.sample(pool, min(len(pool), rng.randint(3, 15))))
            for position, member in enumerate(sorted(members)):
                role = "lead" if position == 0 else rng.choice(["partner", "participant"])
                self.rows["participations"].append([member, identifier, role, SOURCE])

    def build(self) -> dict[str, list[list]]:
        self.make_institutions(self.make_cities())
        self.make_ties()
        self.make_contacts()
        self.make_initiatives()
        return self.rows


def write(rows: dict[str, list[list]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table, columns in TABLES.items():
        with (out / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows[table])


def generate(institutions: int, seed: int, out: Path) -> dict[str, int]:
    """Write a network of ``institutions`` institutions to ``out``; return row counts."""
    rows = Generator(institutions, seed).build()
    write(rows, out)
    return {table: len(items) for table, items in rows.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.institutions < len(COUNTRIES):
        parser.error(f"--institutions must be at least {len(COUNTRIES)}")
    counts = generate(args.institutions, args.seed, args.out)
    print(", ".join(f"{n:,} {table}" for table, n in counts.items()), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["generate"]
