"""The demo network: every record taken from its five public sources, and saying how.

The five documents travel with the demo in ``data/demo/sources/``; ``sources.csv`` describes
them. A ``documented`` record keeps the source's own words in ``quote`` (excerpts joined by
`` … ``) and says in ``quote_location`` on which line of the bundled text they stand.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from netmap.io import import_into
from netmap.model import RecordKind
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.taxonomy import load_taxonomy

DEMO = data_file("demo")
SEED_FOLDER = DEMO / "sources"
ELLIPSIS = " \u2026 "
# Every kind of record but the sources themselves says how it is known.
EVIDENCED = [kind for kind in RecordKind if kind is not RecordKind.SOURCE]
# Sources that are not one of the five documents: cited for a single outside fact each.
OUTSIDE = {"coordinates", "eu-seat"}


def normalised(text: str) -> str:
    """Unicode NFC with every run of white space (no-break spaces included) one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def excerpts(quote: str) -> list[str]:
    """The excerpts of a quote: normalised, split at each `` … ``."""
    return normalised(quote).split(ELLIPSIS)


def rows(network, kind: RecordKind) -> list[dict[str, Any]]:
    return network[kind].to_dict("records")


def label(kind: RecordKind, row: dict[str, Any]) -> str:
    return f"{kind.value} {row['id']}"


def cited(row: dict[str, Any]) -> list[str]:
    return [part.strip() for part in (row.get("source") or "").split(";") if part.strip()]


@pytest.fixture(scope="module")
def sources(demo_network) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rows(demo_network, RecordKind.SOURCE)}


@pytest.fixture(scope="module")
def seed_lines(sources) -> dict[str, list[str]]:
    """Each seed's text, line by line (as the file has them), normalised."""
    return {
        source_id: [
            normalised(line)
            for line in (SEED_FOLDER / source_id).read_text(encoding="utf-8").split("\n")
        ]
        for source_id in sources
        if source_id not in OUTSIDE
    }


def quotes_of(network) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every quote the demo keeps: (record label, row, quote), services quotes included."""
    for kind in EVIDENCED:
        for row in rows(network, kind):
            if row.get("quote"):
                yield label(kind, row), row, row["quote"]
            if row.get("services_quote"):
                yield f"{label(kind, row)} (services)", row, row["services_quote"]


def lines_named(location: str, seed_ids: list[str]) -> dict[str, set[int]]:
    """The lines ``quote_location`` names, per cited seed: ``line 9``, ``lines 5, 11`` or,
    for a record citing several seeds, ``000 line 9; 001 line 18``."""
    found: dict[str, set[int]] = {}
    for part in location.split(";"):
        prefix = re.match(r"\s*(\d{3})\s+line", part)
        numbers = {int(n) for n in re.findall(r"\d+", part.split("line", 1)[-1])}
        targets = [s for s in seed_ids if prefix is None or s.startswith(prefix[1])]
        for seed in targets:
            found.setdefault(seed, set()).update(numbers)
    return found


# --- the import ---------------------------------------------------------------------------


def test_the_demo_imports_cleanly_with_no_evidence_warning(tmp_path):
    store = SQLiteStore(tmp_path / "demo.db", actor="test")
    report = import_into(store, DEMO)
    assert report.written and report.ok
    assert not [w for w in report.warnings if w.field == "evidence"], report.warnings
    assert not [w for w in report.warnings if w.field == "city"], "a city has no place on the map"
    store.close()


# --- evidence -----------------------------------------------------------------------------


def test_every_record_is_documented_or_inferred_never_reported_or_modelled(demo_network):
    for kind in EVIDENCED:
        frame = demo_network[kind]
        assert len(frame), f"the demo has no {kind.value}"
        for row in rows(demo_network, kind):
            assert row["evidence"] in {"documented", "inferred"}, label(kind, row)
            assert row.get("reported_by") is None and row.get("reported_on") is None


def test_every_documented_record_keeps_the_sources_words(demo_network):
    for kind in EVIDENCED:
        for row in rows(demo_network, kind):
            if row["evidence"] == "documented":
                assert row["quote"] and row["quote_location"], label(kind, row)
                assert set(cited(row)) - OUTSIDE, f"{label(kind, row)} cites no document"


def test_every_quote_occurs_verbatim_in_a_document_the_record_cites(demo_network, seed_lines):
    for where, row, quote in quotes_of(demo_network):
        texts = [" ".join(seed_lines[s]) for s in cited(row) if s in seed_lines]
        assert texts, f"{where}: quotes, but cites no document"
        for excerpt in excerpts(quote):
            assert excerpt.strip(), f"{where}: an empty excerpt"
            assert any(excerpt in text for text in texts), f"{where}: not in its source: {excerpt}"


def test_every_quote_stands_on_the_lines_its_location_names(demo_network, seed_lines):
    # A services quote has no location column of its own, so only row quotes are placed.
    for where, row, quote in quotes_of(demo_network):
        if where.endswith("(services)"):
            continue
        seeds = [s for s in cited(row) if s in seed_lines]
        named = lines_named(row["quote_location"] or "", seeds)
        assert named, f"{where}: quote_location {row['quote_location']!r} names no line"
        for excerpt in excerpts(quote):
            assert any(
                excerpt in seed_lines[seed][number - 1]
                for seed, numbers in named.items()
                for number in numbers
                if 0 < number <= len(seed_lines[seed])
            ), f"{where}: not on {row['quote_location']}: {excerpt}"


def test_every_inferred_record_says_what_it_is_inferred_from(demo_network):
    for kind in EVIDENCED:
        for row in rows(demo_network, kind):
            if row["evidence"] == "inferred":
                assert len(row["inferred_from"] or "") > 40, label(kind, row)
                assert set(cited(row)) - OUTSIDE, f"{label(kind, row)} cites no document"
    for row in rows(demo_network, RecordKind.INSTITUTION):
        if row["services_evidence"] == "inferred":
            assert len(row["services_inferred_from"] or "") > 40, row["id"]


def test_services_are_listed_only_where_a_document_says_what_the_body_does(demo_network):
    listed = {
        row["id"]: (sorted(row["services"]), row["services_evidence"] or row["evidence"])
        for row in rows(demo_network, RecordKind.INSTITUTION)
        if row["services"]
    }
    assert listed == {
        # street work in Athens and Thessaloniki, under the action ARSIS implements in Greece
        "gr-thessaloniki-arsis": (["outreach"], "inferred"),
        # "co-financed by", "with the financial help of"
        "be-brussels-european-union": (["funding"], "documented"),
        "rs-civil-society-office": (["funding"], "documented"),
        "de-giz": (["funding"], "documented"),
        # "the first specialised shelters were opened"
        "bg-child-victims-shelters": (["shelter"], "documented"),
        "bg-transit-centre-shelter": (["shelter"], "documented"),
    }


# --- sources ------------------------------------------------------------------------------


def test_no_record_cites_a_source_that_is_not_a_row_of_sources_csv(demo_network, sources):
    for kind in EVIDENCED:
        for row in rows(demo_network, kind):
            assert cited(row), f"{label(kind, row)} cites no source"
            assert set(cited(row)) <= set(sources), label(kind, row)


def test_the_five_documents_travel_with_the_demo_unchanged(sources):
    seeds = {s: row for s, row in sources.items() if s not in OUTSIDE}
    assert sorted(seeds) == sorted(p.name for p in SEED_FOLDER.glob("*.txt"))
    assert [s[:3] for s in sorted(seeds)] == ["000", "001", "002", "003", "004"]
    for source_id, row in seeds.items():
        digest = hashlib.sha256((SEED_FOLDER / source_id).read_bytes()).hexdigest()
        assert f"sha256 {digest}" in row["notes"], f"{source_id} differs from the copy described"


def test_each_document_is_described_by_what_it_states(sources, seed_lines):
    languages = {"000": "el", "001": "el", "002": "sr", "003": "bg", "004": "bg"}
    for source_id, lines in seed_lines.items():
        row = sources[source_id]
        text = " ".join(lines)
        assert row["language"] == languages[source_id[:3]]
        assert normalised(row["title_local"]) in text, f"{source_id}: title_local not its heading"
        assert row["url"] is None or row["url"] in text, f"{source_id}: a url the text lacks"
        assert row["published"] is None, f"{source_id}: no document states its publication date"
        assert row["countries"] and row["covers"], source_id
    # Only the Serbian project claims a complete list: the sectors its local networks hold.
    assert [s[:3] for s, row in sources.items() if row["complete"]] == ["002"]
    assert set(sources[next(s for s in sources if s.startswith("002"))]["sectors"]) == {
        "police",
        "prosecution",
        "social_services",
        "education",
        "health",
        "local_government",
        "employment",
        "humanitarian",
        "youth",
        "civil_society",
    }
    # The seminar report lists participants "and other institutions": never complete.
    assert "participants" in sources[next(s for s in sources if s.startswith("003"))]["covers"]


def test_facts_from_outside_the_documents_cite_a_source_of_their_own(
    demo_network, sources, seed_lines
):
    assert "GeoNames" in sources["coordinates"]["about"]
    for source_id in OUTSIDE:
        assert "Not from the five documents" in sources[source_id]["about"]
    institutions = rows(demo_network, RecordKind.INSTITUTION)
    assert {row["id"] for row in institutions if set(cited(row)) & OUTSIDE} == {
        "be-brussels-european-union"
    }
    for row in institutions:
        assert row["website"] is None and row["email"] is None and row["phone"] is None, row["id"]
        assert not row["languages"], f"{row['id']}: languages are not in the documents"
        if row["address"]:
            text = " ".join(line for s in cited(row) if s in seed_lines for line in seed_lines[s])
            assert normalised(row["address"]) in text, f"{row['id']}: an address not in the text"


# --- people, groups, names and places -----------------------------------------------------


# The people the documents name, by the words of their names (Serbian inflects them).
PEOPLE = {
    "c-nshc-korac-mandic": ("Korać", "Mandić", "Danijel"),
    "c-plovdiv-valkov": ("Valkov", "Вълков", "Емил"),
}


def test_contacts_are_only_those_the_documents_publish(demo_network, seed_lines):
    contacts = {row["id"]: row for row in rows(demo_network, RecordKind.CONTACT)}
    assert {(c["institution_id"], c["email"]) for c in contacts.values()} == {
        ("gr-thessaloniki-arsis", "arsis.antitrafficking@gmail.com"),
        ("rs-novi-sad-nshc", "danijela.nshc@gmail.com"),
        ("bg-plovdiv-municipality", None),
    }
    for contact in contacts.values():
        assert contact["last_verified"] is None, "publication is not verification"
        assert contact["collected_on"], contact["id"]
        assert contact["legal_basis"] == "legitimate_interests"
        assert contact["phone"] is None
        # The address and the person stand on the lines the contact's quote names.
        quoted = " ".join(
            seed_lines[seed][number - 1]
            for seed, numbers in lines_named(contact["quote_location"], cited(contact)).items()
            for number in numbers
        )
        if contact["email"]:
            assert contact["email"] in quoted, contact["id"]
        if contact["id"] in PEOPLE:
            assert any(word in quoted for word in PEOPLE[contact["id"]]), contact["id"]
    # The document does not say whose coordinator she is: her organisation is inferred.
    assert contacts["c-nshc-korac-mandic"]["evidence"] == "inferred"


def test_no_quote_repeats_a_persons_name_or_address(demo_network):
    """Personal data lives only in a contact's personal fields, which a redacted export
    leaves out and an erasure scrubs: a quote or a note that repeated it would keep it."""
    personal = {email for email in demo_network.contacts["email"] if email}
    personal |= {word for words in PEOPLE.values() for word in words}
    for kind in EVIDENCED:
        for row in rows(demo_network, kind):
            for field in ("quote", "services_quote", "inferred_from", "notes"):
                text = row.get(field) or ""
                assert not [p for p in personal if p in text], f"{label(kind, row)}: {field}"


def test_records_standing_for_a_group_are_marked_collective(demo_network):
    institutions = demo_network.institutions
    collective = set(institutions[institutions["collective"].astype(bool)]["id"])
    group_words = ("Schools", "Health institutions", "Civil-society", "Prosecutors' offices")
    serbian_groups = {
        row["id"]
        for row in rows(demo_network, RecordKind.INSTITUTION)
        if row["country"] == "RS" and row["name"].startswith(group_words)
    }
    assert len(serbian_groups) == 7 * 4
    assert collective == serbian_groups | {
        "bg-plovdiv-ngos",
        "bg-pazardzhik-ngos",
        "bg-child-victims-shelters",
    }
    # A single unnamed body of a known kind is not a group, and says it has no proper name.
    for single in ("rs-nis-police", "rs-nis-csw", "rs-nis-city", "bg-plovdiv-police"):
        row = institutions.set_index("id").loc[single]
        assert not row["collective"]
        assert "proper name" in row["notes"]


def test_names_are_kept_in_their_own_scripts(demo_network):
    def local(kind: RecordKind) -> str:
        return " ".join(filter(None, demo_network[kind]["name_local"]))

    greek, cyrillic = re.compile(r"[\u0370-\u03ff]"), re.compile(r"[\u0400-\u04ff]")
    for kind in (RecordKind.INSTITUTION, RecordKind.INITIATIVE, RecordKind.CITY):
        assert greek.search(local(kind)), f"no Greek in {kind.value}"
        assert cyrillic.search(local(kind)), f"no Cyrillic in {kind.value}"
    # Serbian as the document writes it: Latin script.
    initiatives = demo_network.initiatives.set_index("id")
    assert initiatives.loc["rs-local-communities-2013", "name_local"] == (
        "Lokalne zajednice u borbi protiv trgovine ljudima"
    )
    assert "Пловдив" in local(RecordKind.INSTITUTION)
    assert "Θεσσαλονίκη" in local(RecordKind.CITY)


def test_every_city_in_use_has_coordinates_from_the_cited_gazetteer(demo_network):
    cities = {(c["country"], c["name"]): c for c in rows(demo_network, RecordKind.CITY)}
    used = {
        (row["country"], row["city"])
        for row in rows(demo_network, RecordKind.INSTITUTION)
        if row["city"]
    }
    assert used <= set(cities)
    for city in cities.values():
        assert city["lat"] is not None and city["lon"] is not None, city["name"]
        assert round(city["lat"], 2) == city["lat"] and round(city["lon"], 2) == city["lon"]
        assert "coordinates" in cited(city), f"{city['name']}: coordinates without their source"
        assert set(cited(city)) - OUTSIDE, f"{city['name']}: no document names it"
        assert city["name_local"], city["name"]


def test_nothing_is_marked_verified_since_publication(demo_network):
    for kind in EVIDENCED:
        if "last_verified" in demo_network[kind]:
            assert demo_network[kind]["last_verified"].isna().all(), kind.value


# --- ties and participations ---------------------------------------------------------------


def test_cases_travel_only_over_the_protocol_of_the_special_action(demo_network):
    taxonomy = load_taxonomy()
    initiatives = demo_network.initiatives.set_index("id")
    carrying = [
        row
        for row in rows(demo_network, RecordKind.TIE)
        if row["kind"] in taxonomy.case_carrying_tie_kinds
    ]
    assert carrying, "the protocol's ties carry cases"
    for row in carrying:
        assert row["kind"] == "protocol", row["id"]
        assert initiatives.loc[row["initiative_id"], "kind"] == "protocol", row["id"]
        assert row["evidence"] == "documented" or "protocol" in row["inferred_from"].casefold()
    # The protocol's stated purpose covers case work: identification, support, return.
    protocol = initiatives.loc["see-transnational-protocol"]
    assert "επαναπατρισμό" in protocol["quote"] and "repatriation" in protocol["notes"]


def test_every_tie_joins_two_bodies_that_take_part_in_its_initiative(demo_network):
    taxonomy = load_taxonomy()
    working = {
        (p["institution_id"], p["initiative_id"])
        for p in rows(demo_network, RecordKind.PARTICIPATION)
        if p["role"] in taxonomy.taking_part_roles
    }
    for row in rows(demo_network, RecordKind.TIE):
        assert row["initiative_id"], f"tie {row['id']} belongs to no initiative"
        for end in (row["source_id"], row["target_id"]):
            assert (end, row["initiative_id"]) in working, f"tie {row['id']}: {end}"
        assert row["kind"] not in ("funding", "hosting", "referral", "case_coordination")


def test_funders_hosts_and_attendees_are_participations_not_ties(demo_network):
    tied = set(demo_network.ties["source_id"]) | set(demo_network.ties["target_id"])
    roles: dict[str, set[str]] = {}
    for p in rows(demo_network, RecordKind.PARTICIPATION):
        roles.setdefault(p["institution_id"], set()).add(p["role"])
    for institution, held in roles.items():
        if held <= {"funder", "host", "supporter"}:
            assert institution not in tied, f"{institution} is only a {held} but has a tie"
    assert roles["be-brussels-european-union"] == {"funder"}
    assert roles["gr-athens-gsfpge"] == {"host"}
    attendees = {
        p["institution_id"]
        for p in rows(demo_network, RecordKind.PARTICIPATION)
        if p["initiative_id"] == "amelie-athens-workshops-2023" and p["role"] == "participant"
    }
    assert len(attendees) == 12 and not attendees & tied


def test_the_seven_serbian_local_networks_hold_the_ten_sectors_the_project_names(demo_network):
    institutions = demo_network.institutions.set_index("id")
    members: dict[str, set[str]] = {}
    for p in rows(demo_network, RecordKind.PARTICIPATION):
        if p["initiative_id"].endswith("-local-network-2013"):
            assert p["role"] == "member" and p["evidence"] == "documented"
            members.setdefault(p["initiative_id"], set()).add(
                institutions.loc[p["institution_id"], "sector"]
            )
    assert len(members) == 7
    for network, sectors in members.items():
        assert sectors == {
            "police",
            "prosecution",
            "social_services",
            "health",
            "local_government",
            "employment",
            "humanitarian",
            "youth",
            "education",
            "civil_society",
        }, network


def test_the_return_instruments_the_documents_describe_are_there(demo_network):
    initiatives = demo_network.initiatives.set_index("id")
    guide = initiatives.loc["bg-ch-return-guide"]
    assert guide["kind"] == "publication"
    assert guide["name_local"].startswith(
        "Практическо ръководство за идентификация, защита и връщане"
    )
    assert initiatives.loc["bg-nrm-2016", "start"] == "2016-07"
    assert initiatives.loc["rs-nap-2013-2018", "name_local"].startswith("Nacionalni plan akcije")
    shelters = demo_network.institutions.set_index("id").loc[
        ["bg-child-victims-shelters", "bg-transit-centre-shelter"]
    ]
    # Who runs the shelters is not stated: they are tied to no body.
    tied = set(demo_network.ties["source_id"]) | set(demo_network.ties["target_id"])
    assert not set(shelters.index) & tied
