"""Records accept what people write in spreadsheets and refuse what would mislead."""

from __future__ import annotations

from typing import Annotated, Optional

import pytest
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from netmap.model import (
    City,
    Contact,
    FieldKind,
    Initiative,
    Institution,
    Participation,
    RecordKind,
    Tie,
    derive_id,
    field_kinds,
    fold,
    slug,
)
from netmap.taxonomy import load_taxonomy


def errors_of(model, **values) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    return {".".join(map(str, e["loc"])) or "row": e["msg"] for e in caught.value.errors()}


def test_a_complete_institution_is_accepted_and_normalised():
    record = Institution(
        id="gr-thessaloniki-arsis",
        name="  ARSIS \u200b Social  Organisation ",
        name_local="ΑΡΣΙΣ",
        sector="Civil Society",
        kind="NGO",
        level="regional",
        country="gr",
        city="Thessaloniki",
        services="outreach; psychosocial;outreach",
        languages="EL;en",
        website="https://arsis.gr",
        email="info@arsis.gr",
        phone="+30 2310 526 150",
        last_verified="31.03.2026",
    )
    assert record.name == "ARSIS Social Organisation"
    assert record.sector == "civil_society"
    assert record.kind == "ngo"
    assert record.country == "GR"
    assert record.services == ["outreach", "psychosocial"]
    assert record.languages == ["el", "en"]
    assert record.last_verified == "2026-03-31"


def test_an_unknown_sector_suggests_the_closest_key():
    problems = errors_of(Institution, id="x", name="X", sector="polce", country="GR")
    assert "did you mean 'police'" in problems["sector"]


def test_a_country_name_is_refused_with_its_code():
    problems = errors_of(Institution, id="x", name="X", sector="police", country="Greece")
    assert "'GR'" in problems["country"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("languages", "greek"),
        ("email", "someone@"),
        ("phone", "call me"),
        ("website", "not a site"),
        ("services", "shelter;magic"),
        ("last_verified", "2026-13-01"),
        ("level", "galactic"),
    ],
)
def test_malformed_fields_are_refused(field, value):
    problems = errors_of(
        Institution, id="x", name="X", sector="police", country="GR", **{field: value}
    )
    assert any(key.startswith(field) for key in problems), problems


def test_required_fields_must_be_present():
    problems = errors_of(Institution, id="x", name="  ", sector=None, country="")
    assert {"name", "sector", "country"} <= set(problems)


def test_a_tie_needs_two_different_institutions_and_a_sane_span():
    problems = errors_of(Tie, id="t", source_id="a", target_id="a", kind="referral")
    assert "two different institutions" in problems["target_id"]
    problems = errors_of(
        Tie, id="t", source_id="a", target_id="b", kind="meeting", since="2024", until="2023-05"
    )
    assert "before since 2024" in problems["until"]


def test_tie_defaults_follow_the_taxonomy():
    referral = Tie(id="t", source_id="a", target_id="b", kind="referral", strength="")
    meeting = Tie(id="u", source_id="a", target_id="b", kind="Meeting", directed="No")
    assert referral.directed is True and referral.strength == 2
    assert meeting.directed is False and meeting.kind == "meeting"
    assert errors_of(Tie, id="t", source_id="a", target_id="b", kind="referral", strength=4)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2013", "2013"),
        ("2013-05", "2013-05"),
        ("2017-06-21", "2017-06-21"),
        ("21.06.2017", "2017-06-21"),
        ("21/06/2017", "2017-06-21"),
        ("2017-06-21 00:00:00", "2017-06-21"),
    ],
)
def test_dates_are_read_in_the_forms_people_write(written, stored):
    assert Initiative(id="i", name="I", start=written).start == stored


@pytest.mark.parametrize("word", ["yes", "YES", "true", "1", "да", "ναι", "Da"])
def test_booleans_in_any_case_and_language(word):
    assert Contact(id="c", institution_id="i", name="N", focal_point=word).focal_point is True


def test_coordinates_must_be_in_range_and_come_in_pairs():
    assert errors_of(City, name="X", country="GR", lat=95, lon=20)
    assert errors_of(City, name="X", country="GR", lat=40)
    assert City(name="Niš", country="RS", lat="43.32", lon="21.9").id == "rs-nis"


def test_participation_defaults_role_and_derives_its_id():
    participation = Participation(institution_id="a", initiative_id="b", role="")
    assert participation.role == "participant"
    assert participation.id == "a@b"


def test_ids_are_derived_from_place_and_name_across_scripts():
    row = {"name": "ΑΡΣΙΣ", "country": "GR", "city": "Θεσσαλονίκη"}
    assert derive_id(RecordKind.INSTITUTION, row) == "gr-thessaloniki-arsis"
    assert (
        derive_id(RecordKind.TIE, {"source_id": "a", "target_id": "b", "kind": "mou"}) == "a-b-mou"
    )
    assert slug("RS", "Ниш", "Полиција") == "rs-nish-politsija"


def test_folding_makes_scripts_and_accents_comparable():
    assert fold("Пловдив") == fold("Plovdiv") == "plovdiv"
    assert fold("Θεσσαλονίκη") == "thessaloniki"
    assert fold("NIŠ") == fold("Nis")


def test_invisible_and_control_characters_are_removed():
    record = Institution(id="x", name="Ma\u202eria\x00", sector="police", country="GR")
    assert record.name == "Maria"


def test_every_key_in_the_design_is_in_the_taxonomy():
    taxonomy = load_taxonomy()
    assert len(taxonomy.sectors) == 19
    assert "repatriation" in taxonomy.services
    # the stages of the Bulgarian NRM (seed 003), the TRM's and the child pathway's
    assert {
        "identification", "referral", "protection", "assistance", "social_inclusion",
        "formal_identification", "proceedings", "return", "reception", "child_notification",
        "guardianship", "best_interests", "interpretation",
    } == set(taxonomy.stages)  # fmt: skip
    assert taxonomy.services_of("health", []) == ("medical",)
    for key in ("referral", "case_coordination", "protocol", "joint_operation"):
        assert key in taxonomy.case_carrying_tie_kinds
    for key in ("funding", "hosting"):
        assert key not in taxonomy.case_carrying_tie_kinds | taxonomy.introducing_tie_kinds
    for key in ("joint_training", "meeting"):
        assert key in taxonomy.introducing_tie_kinds - taxonomy.case_carrying_tie_kinds
    assert set(taxonomy.evidence) == {"documented", "reported", "inferred", "modelled"}


def test_the_bundled_pathway_model_has_its_hand_overs_and_cites_its_basis():
    taxonomy = load_taxonomy()
    assert ("identification", "referral") in {tuple(h) for h in taxonomy.handovers}
    [across] = [h for h in taxonomy.handovers if h.across_border]
    assert (across.from_stage, across.to_stage) == ("return", "reception")
    assert all(stage.basis for stage in taxonomy.stages.values())
    assert taxonomy.stages["return"].where == "transnational"
    assert taxonomy.stages["guardianship"].victims == "children"
    # a composition is expected only where a basis sets one
    assert set(taxonomy.local_networks) == {"RS"}
    assert "seed 002" in taxonomy.local_networks["RS"].basis


def test_stages_are_matched_by_services_not_by_sector_alone():
    taxonomy = load_taxonomy()
    # an NGO that lists nothing carries no stage: its sector assumes nothing
    assert taxonomy.stages_of("civil_society", []) == ()
    assert taxonomy.stages_of("international_organisation", []) == ()
    assert "return" in taxonomy.stages_of("international_organisation", ["repatriation"])


def test_a_local_network_composition_without_its_basis_is_refused(tmp_path, monkeypatch):
    from netmap.errors import NetmapError
    from netmap.resources import data_file
    from netmap.taxonomy import reload_taxonomy

    text = data_file("pathway.toml").read_text(encoding="utf-8")
    added = text + '\n[local_network.BG]\nexpected_sectors = ["police"]\n'
    (tmp_path / "pathway.toml").write_text(added, encoding="utf-8")
    monkeypatch.setenv("NETMAP_PATHWAY", str(tmp_path / "pathway.toml"))
    try:
        with pytest.raises(NetmapError, match=r"\[local_network.BG\] needs a basis"):
            reload_taxonomy()
    finally:
        monkeypatch.undo()
        reload_taxonomy()


def test_a_key_misplaced_under_a_stage_is_refused(tmp_path, monkeypatch):
    from netmap.errors import NetmapError
    from netmap.resources import data_file
    from netmap.taxonomy import reload_taxonomy

    text = data_file("pathway.toml").read_text(encoding="utf-8")
    moved = text + '\n[stages.extra]\nlabel = "Extra"\norder = 9\nhandovers = []\n'
    (tmp_path / "pathway.toml").write_text(moved, encoding="utf-8")
    monkeypatch.setenv("NETMAP_PATHWAY", str(tmp_path / "pathway.toml"))
    try:
        with pytest.raises(NetmapError, match="stage 'extra' names unknown keys: handovers"):
            reload_taxonomy()
    finally:
        monkeypatch.delenv("NETMAP_PATHWAY")
        reload_taxonomy()


def test_each_field_says_what_it_holds_through_optional_and_annotated_types():
    institution = field_kinds(Institution)
    assert institution["services"] is FieldKind.LIST  # Keys(...): annotated list
    assert institution["languages"] is FieldKind.LIST
    assert institution["collective"] is FieldKind.BOOL  # Flag: annotated bool
    assert institution["version"] is FieldKind.INT
    assert institution["name"] is FieldKind.TEXT
    assert institution["last_verified"] is FieldKind.TEXT  # a partial date is text
    assert field_kinds(City)["lat"] is FieldKind.FLOAT  # annotated float inside `| None`
    tie = field_kinds(Tie)
    assert tie["strength"] is FieldKind.INT
    assert tie["directed"] is FieldKind.BOOL  # OptionalFlag: annotated `bool | None`
    assert list(field_kinds(Contact)) == list(Contact.model_fields)


def test_field_kinds_unwrap_old_style_optionals_and_nested_annotations():
    def keep(value):
        return value

    class Sample(BaseModel):
        tags: Optional[Annotated[list[str], BeforeValidator(keep)]] = None  # noqa: UP045
        count: Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(keep)] = None
        share: Annotated[float, Field(ge=0)] = 0.0
        note: str | None = None

    assert field_kinds(Sample) == {
        "tags": FieldKind.LIST,
        "count": FieldKind.INT,
        "share": FieldKind.FLOAT,
        "note": FieldKind.TEXT,
    }


def test_both_stores_keep_fields_as_the_model_says():
    from netmap.store.neo4j import _record
    from netmap.store.sqlite import column_codecs

    codecs = column_codecs(RecordKind.CITY) | column_codecs(RecordKind.CONTACT)
    assert codecs["lat"] == "real" and codecs["focal_point"] == "bool"
    assert codecs["languages"] == "list" and codecs["version"] == "int"
    assert codecs["name"] == "text"
    # Neo4j leaves empty lists out; reading one back gives the list, other fields None.
    read = _record(RecordKind.INSTITUTION, {"id": "gr-arsis", "name": "ARSIS"})
    assert read.services == [] and read.target_groups == [] and read.website is None
