"""The demo network: real, sourced, multilingual, and big enough to show something."""

from __future__ import annotations

import re

from netmap.model import RecordKind
from netmap.resources import data_file

SOURCES = set(re.findall(r"\d{3}_[0-9a-f]{16}\.txt", data_file("demo", "SOURCES.md").read_text()))


def test_the_demo_network_meets_its_minimum_size(demo_network):
    counts = demo_network.counts()
    assert counts[RecordKind.INSTITUTION] >= 90
    assert demo_network.institutions["country"].nunique() >= 8
    assert counts[RecordKind.TIE] >= 150
    assert counts[RecordKind.INITIATIVE] >= 6


def test_every_record_cites_one_of_the_five_documents(demo_network):
    assert len(SOURCES) == 5
    for kind in RecordKind:
        for row in demo_network[kind].to_dict("records"):
            cited = set((row["source"] or "").split(";"))
            assert cited and cited <= SOURCES, f"{kind.value} {row['id']}: source {row['source']!r}"


def test_names_are_kept_in_their_own_scripts(demo_network):
    local = " ".join(filter(None, demo_network.institutions["name_local"]))
    assert re.search(r"[\u0370-\u03ff]", local), "no Greek names"
    assert re.search(r"[\u0400-\u04ff]", local), "no Cyrillic names"
    assert "Пловдив" in local and "Ниш" in local


def test_the_seven_serbian_local_networks_are_all_there(demo_network):
    serbian = demo_network.institutions[demo_network.institutions["country"] == "RS"]
    cities = set(serbian["city"])
    assert {
        "Niš",
        "Novi Sad",
        "Sremska Mitrovica",
        "Kraljevo",
        "Kragujevac",
        "Vranje",
        "Subotica",
    } <= cities
    nis = set(serbian[serbian["city"] == "Niš"]["sector"])
    assert {
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
    } <= nis


def test_contacts_are_only_those_the_documents_publish(demo_network):
    emails = set(filter(None, demo_network.contacts["email"]))
    assert emails == {"arsis.antitrafficking@gmail.com", "danijela.nshc@gmail.com"}
    assert not any(demo_network.contacts["phone"])


def test_every_city_in_use_has_coordinates(demo_network):
    places = {(c.country, c.name) for c in demo_network.cities.itertuples() if c.lat is not None}
    used = {(i.country, i.city) for i in demo_network.institutions.itertuples() if i.city}
    assert used <= places
