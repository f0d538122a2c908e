"""Tables as people read them (netmap.tables): headers, dates, names for ids, no dicts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from netmap.i18n import language
from netmap.tables import TableWords, citation, human_date, human_moment, readable, web_link


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2026-12-03", "3 Dec 2026"),
        ("2013-06", "Jun 2013"),
        ("2013", "2013"),
        (date(2021, 2, 1), "1 Feb 2021"),
        ("2026-12-03T15:07:51+00:00", "3 Dec 2026, 15:07 UTC"),
        ("2026-12-03T16:07:51+01:00", "3 Dec 2026, 15:07 UTC"),
        (None, ""),
        ("about 2015", "about 2015"),  # not a date: as written
        ("2013-13", "2013-13"),
    ],
)
def test_dates_read_as_people_write_them_at_the_precision_they_were_given(stored, shown):
    assert human_date(stored) == shown


def test_a_moment_that_is_not_one_comes_back_as_written():
    assert human_moment("yesterday") == "yesterday"


def test_snake_case_headers_become_words_and_the_keys_their_labels():
    frame = pd.DataFrame(
        [
            {
                "place": "Bulgaria",
                "stage": "interpretation",
                "stage_label": "Interpretation",
                "grade": "not_recorded",
                "grade_label": "not recorded",
                "last_verified": None,
                "peers_with_it": 2,
            }
        ]
    )
    shown = readable(frame)
    assert list(shown.columns) == [
        "Place",
        "Stage",
        "How sure",
        "Last verified",
        "Peer networks with one",
    ]
    row = shown.iloc[0].to_dict()
    assert row["Stage"] == "Interpretation" and row["How sure"] == "not recorded"
    assert row["Last verified"] == "never"
    assert not any("_" in column for column in shown.columns)


def test_nested_values_are_written_out_never_printed_as_python():
    frame = pd.DataFrame(
        [
            {
                "id": "bg-sofia-sacp",
                "cut_off": ["gr-athens-ekka", "bg-plovdiv-police"],
                "broken_handovers": [
                    {"place": "Greece", "from_stage": "identification", "to_stage": "referral"}
                ],
                "extra": {"peers": 3, "basis": "the model"},
                "sources": ["000_99ebc6db12e554c9.txt", "a phone call"],
                "articulation": True,
            }
        ]
    )
    words = TableWords(
        names={"gr-athens-ekka": "EKKA", "bg-plovdiv-police": "Police in Plovdiv"},
        sources={"000_99ebc6db12e554c9.txt": "Announcement (ARSIS, 2026)"},
    )
    row = readable(frame, words).iloc[0].to_dict()
    assert row["Would be cut off"] == "EKKA, Police in Plovdiv"
    assert row["Hand-overs that would break"] == "Greece: Identification → Referral"
    assert row["Extra"] == "Peer networks: 3; Basis: the model"
    assert row["Sources"] == "Announcement (ARSIS, 2026); a phone call"
    assert row["Cut point"] == "yes"
    for cell in row.values():
        assert not str(cell).startswith(("{", "[")), cell


def test_missing_numbers_read_as_nothing_and_counts_stay_whole():
    frame = pd.DataFrame({"hops": [1.0, None], "betweenness": [0.123456789, 0.0]})
    shown = readable(frame)
    assert list(shown["Steps"]) == ["1", ""]
    assert list(shown["Betweenness"]) == [0.1235, 0.0]


def test_a_source_is_cited_by_title_publisher_and_date_with_only_a_web_link():
    source = {
        "id": "002_eb249d8f9d4fab59.txt",
        "title": "Local communities in the fight against trafficking",
        "publisher": "Atina",
        "published": "2013-06",
        "url": "https://atina.org.rs/en/local-communities",
    }
    assert citation(source) == (
        "Local communities in the fight against trafficking (Atina, Jun 2013) "
        "https://atina.org.rs/en/local-communities"
    )
    assert citation({**source, "url": "javascript:alert(1)"}).endswith("(Atina, Jun 2013)")
    assert citation({"id": "x.txt", "title": "A leaflet"}) == "A leaflet"
    assert web_link("file:///C:/sources/x.txt") is None
    assert web_link("http://example.org/a") == "http://example.org/a"


def test_the_demo_sources_are_cited_by_title_never_by_file_name(demo_network):
    words = TableWords.of(demo_network)
    frame = pd.DataFrame({"source": list(demo_network.contacts["source"])})
    for cell in readable(frame, words)["Source"]:
        assert ".txt" not in cell, cell


def test_text_columns_with_gaps_read_as_text():
    frame = pd.DataFrame({"city": pd.Series(["Pazardzhik", None], dtype="str")})
    assert list(readable(frame)["City"]) == ["Pazardzhik", ""]


@pytest.mark.parametrize(
    ("lang", "day", "month", "moment"),
    [
        ("el", "3 Δεκ 2026", "Ιουν 2013", "3 Δεκ 2026, 15:07 UTC"),
        ("bg", "3.12.2026\u202fг.", "06.2013\u202fг.", "3.12.2026\u202fг., 15:07 ч. UTC"),
        ("sr", "3. дец 2026.", "јун 2013.", "3. дец 2026. у 15:07 UTC"),
        ("sr_Latn", "3. dec 2026.", "jun 2013.", "3. dec 2026. u 15:07 UTC"),
        ("ro", "3 dec. 2026", "iun. 2013", "3 dec. 2026, ora 15:07 UTC"),
    ],
)
def test_dates_are_written_as_the_readers_language_writes_them(lang, day, month, moment):
    with language(lang):
        assert human_date("2026-12-03") == day
        assert human_date(date(2026, 12, 3)) == day
        assert human_date("2013-06") == month
        assert human_date("2013") == "2013"
        assert human_moment("2026-12-03T16:07:51+01:00") == moment
        assert human_date("2013-02-30") == "2013-02-30"  # not a day: as written


def test_headers_and_words_of_a_table_follow_the_language():
    frame = pd.DataFrame(
        [{"last_verified": None, "articulation": True, "action": "create", "cut_off": None}]
    )
    with language("bg"):
        row = readable(frame).iloc[0].to_dict()
        assert row == {
            "Последна проверка": "никога",
            "Точка на разкъсване": "да",
            "Какво": "добавен",
            "Биха били откъснати": "",
        }
        assert readable(frame, headers={"cut_off": "Откъснати"}).columns[-1] == "Откъснати"
        source = {"title": "Местни общности", "publisher": "Атина", "published": "2013-06"}
        assert citation(source) == "Местни общности (Атина, 06.2013\u202fг.)"  # CLDR's narrow space
    with language("en"):  # the headers are translated when shown, not when imported
        assert list(readable(frame).columns) == [
            "Last verified",
            "Cut point",
            "What",
            "Would be cut off",
        ]
