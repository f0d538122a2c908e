"""A coordinator finds whom to call in another country, and who can introduce them."""

from __future__ import annotations

import itertools
import json
from datetime import date
from functools import partial

import builders
import pytest

import netmap
from netmap.analysis.finder import Candidate, find_contacts
from netmap.errors import NotFound
from netmap.model import Contact
from netmap.store.base import Network

TODAY = date(2026, 11, 23)


institution = partial(builders.institution, country="BG", city="Sofia", sector="civil_society")
tie = builders.tie


def shelter(id, **fields):
    """A Bulgarian NGO that runs a shelter and works in Bulgarian and English."""
    fields.setdefault("languages", ["bg", "en"])
    return institution(id, services=["shelter"], **fields)


def me():
    return institution(
        "me", country="GR", city="Thessaloniki", services=["outreach"], languages=["el", "en"]
    )


def partners(*ids):
    """Greek partners of mine (not candidates: they are in Greece)."""
    return [institution(i, country="GR", city="Athens", sector="other") for i in ids]


def chain(*ids, strength=2):
    return [tie(a, b, strength=strength) for a, b in itertools.pairwise(ids)]


@pytest.fixture
def demo(demo_network):
    return demo_network


def ranked(network, **criteria):
    criteria.setdefault("service", "shelter")
    criteria.setdefault("today", TODAY)
    return find_contacts(network, "me", "BG", **criteria)


def test_contact_two_hops_away_ranks_above_five_hops():
    network = Network.from_records(
        [
            me(),
            *partners("x1", "y1", "y2", "y3", "y4"),
            shelter("far"),
            shelter("near"),
            *chain("me", "x1", "near"),
            *chain("me", "y1", "y2", "y3", "y4", "far"),
        ]
    )
    found = ranked(network)
    assert [c.institution_id for c in found] == ["near", "far"]
    assert [(c.hops, c.reachable) for c in found] == [(2, True), (5, True)]
    assert found[0].path == ["me", "x1", "near"]
    assert found[0].score > found[1].score


def test_two_weak_hops_still_rank_above_five_strong_ones():
    network = Network.from_records(
        [
            me(),
            *partners("x1", "y1", "y2", "y3", "y4"),
            shelter("far"),
            shelter("near"),
            *chain("me", "x1", "near", strength=1),
            *chain("me", "y1", "y2", "y3", "y4", "far", strength=3),
        ]
    )
    assert [c.institution_id for c in ranked(network)] == ["near", "far"]


def test_contact_sharing_no_language_ranks_below_one_who_does():
    network = Network.from_records(
        [
            me(),
            shelter("speaks-bulgarian-only", languages=["bg"]),
            shelter("speaks-english"),
            tie("me", "speaks-bulgarian-only"),
            tie("me", "speaks-english"),
        ]
    )
    found = ranked(network)
    assert [c.institution_id for c in found] == ["speaks-english", "speaks-bulgarian-only"]
    assert "The institution works in English, as you do." in found[0].reasons
    assert any(r.startswith("Shares no language with you") for r in found[1].reasons)


def test_a_contacts_own_languages_count_before_the_institutions():
    network = Network.from_records(
        [
            me(),
            shelter("ngo"),
            Contact(id="ivan", institution_id="ngo", name="Ivan", languages=["bg"]),
            Contact(id="maria", institution_id="ngo", name="Maria", languages=["el"]),
            tie("me", "ngo"),
        ]
    )
    found = ranked(network)
    assert [c.contact_id for c in found] == ["maria", "ivan"]
    assert "The contact speaks Greek, as you do." in found[0].reasons


def test_the_languages_asked_for_replace_my_institutions():
    network = Network.from_records(
        [
            me(),
            shelter("bulgarian", languages=["bg"]),
            shelter("english", languages=["en"]),
            tie("me", "bulgarian"),
            tie("me", "english"),
        ]
    )
    found = ranked(network, languages=["bg"])
    assert found[0].institution_id == "bulgarian"


def test_unreachable_candidates_come_last_and_say_so():
    network = Network.from_records(
        [
            me(),
            shelter("stranger", last_verified="2026-10"),
            Contact(id="focal", institution_id="stranger", name="Focal", focal_point=True),
            shelter("partner", languages=["bg"]),
            tie("me", "partner", strength=1),
        ]
    )
    found = ranked(network)
    assert [c.institution_id for c in found] == ["partner", "stranger"]
    stranger = found[1]
    assert stranger.score > found[0].score
    assert (stranger.reachable, stranger.hops, stranger.path) == (False, None, [])
    assert any("contacting them cold" in r for r in stranger.reasons)


def test_focal_points_and_recent_verification_rank_first_among_equals():
    network = Network.from_records(
        [
            me(),
            shelter("ngo"),
            Contact(id="a-member", institution_id="ngo", name="Member"),
            Contact(id="b-focal", institution_id="ngo", name="Focal", focal_point=True),
            Contact(id="c-checked", institution_id="ngo", name="Checked", last_verified="2026-09"),
            tie("me", "ngo"),
        ]
    )
    found = ranked(network)
    assert [c.contact_id for c in found] == ["b-focal", "c-checked", "a-member"]
    assert "A designated focal point." in found[0].reasons
    assert "Last verified 2026-09 (1 month ago)." in found[1].reasons


def test_a_listed_service_fits_better_than_a_sectors_usual_one():
    network = Network.from_records(
        [
            me(),
            institution("ngo", services=["child_protection"], languages=["bg", "en"]),
            institution("agency", sector="child_protection", languages=["bg", "en"]),
            tie("me", "ngo"),
            tie("me", "agency"),
        ]
    )
    found = ranked(network, service="child_protection")
    assert [c.institution_id for c in found] == ["ngo", "agency"]
    assert [c.service_known_as for c in found] == ["reported", "assumed"]
    assert found[0].reasons[0] == "Offers child protection (listed for the institution)."
    assert (
        found[1]
        .reasons[0]
        .startswith("Offers child protection, assumed: usual for child protection")
    )


def test_a_documented_service_says_so_and_an_inferred_one_ranks_below_it():
    network = Network.from_records(
        [
            me(),
            shelter("documented", evidence="documented", source="report", quote="runs a shelter"),
            shelter("inferred", services_evidence="inferred", services_inferred_from="its name"),
            tie("me", "documented"),
            tie("me", "inferred"),
        ]
    )
    found = ranked(network)
    assert [c.institution_id for c in found] == ["documented", "inferred"]
    assert found[0].reasons[0] == "Offers shelter and safe accommodation (a source says so)."
    assert found[1].reasons[0] == "Offers shelter and safe accommodation (inferred from a source)."


def test_a_collective_record_is_never_a_candidate():
    network = Network.from_records(
        [
            me(),
            shelter("ngos-of-sofia", collective=True),
            shelter("one-ngo"),
            tie("me", "ngos-of-sofia", "referral"),
        ]
    )
    assert [c.institution_id for c in ranked(network)] == ["one-ngo"]


def test_a_funder_does_not_introduce_anyone():
    """The donor funds both me and the shelter: it does not know either well enough to
    introduce us; a shared training does."""
    network = Network.from_records(
        [
            me(),
            institution(
                "donor", country="BE", city="Brussels", sector="international_organisation"
            ),
            shelter("ngo"),
            tie("donor", "me", "funding"),
            tie("donor", "ngo", "funding"),
        ]
    )
    [found] = ranked(network)
    assert (found.reachable, found.path) == (False, [])
    trained = Network.from_records(
        [
            me(),
            institution(
                "donor", country="BE", city="Brussels", sector="international_organisation"
            ),
            shelter("ngo"),
            tie("donor", "me", "joint_training"),
            tie("donor", "ngo", "joint_training"),
        ]
    )
    [found] = ranked(trained)
    assert found.path == ["me", "donor", "ngo"]


def test_a_modelled_tie_introduces_only_when_asked():
    network = Network.from_records(
        [me(), shelter("ngo"), tie("me", "ngo", "meeting", evidence="modelled")]
    )
    assert ranked(network)[0].reachable is False
    assert ranked(network, include_modelled=True)[0].path == ["me", "ngo"]


def test_city_and_sector_narrow_the_candidates(demo):
    in_plovdiv = find_contacts(demo, "gr-thessaloniki-arsis", "BG", city="Пловдив", today=TODAY)
    assert {c.city for c in in_plovdiv} == {"Plovdiv"}
    assert in_plovdiv == find_contacts(
        demo, "gr-thessaloniki-arsis", "BG", city="Plovdiv", today=TODAY
    )
    police = find_contacts(demo, "gr-thessaloniki-arsis", "BG", sector="police", today=TODAY)
    assert {c.sector for c in police} == {"police"}


def test_demo_safe_return_from_thessaloniki_starts_with_a_direct_partner(demo):
    found = netmap.find_contacts(
        demo, "gr-thessaloniki-arsis", "BG", service="child_protection", today=TODAY
    )
    assert isinstance(found[0], Candidate)
    assert found[0].institution_id == "bg-sofia-sacp"
    assert found[0].path == ["gr-thessaloniki-arsis", "bg-sofia-sacp"]
    assert all(c.reachable for c in found[: sum(c.reachable for c in found)])


def test_candidates_are_plain_json_with_the_documented_fields(demo):
    found = find_contacts(demo, "gr-thessaloniki-arsis", "RS", today=TODAY, limit=5)
    data = [c.to_json() for c in found]
    assert json.loads(json.dumps(data)) == data
    for key in ("institution_id", "institution_name", "contact_id", "contact_name", "score",
                "reachable", "hops", "path"):  # fmt: skip
        assert key in data[0]
    assert len(data) == 5


def test_the_same_request_gives_the_same_ranking_twice(demo):
    first = find_contacts(demo, "gr-thessaloniki-arsis", "RS", today=TODAY, limit=None)
    second = find_contacts(demo, "gr-thessaloniki-arsis", "RS", today=TODAY, limit=None)
    assert first == second


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"from_id": "gr-arsis"}, "unknown institution 'gr-arsis'; did you mean"),
        ({"country": "XX"}, r"unknown country 'XX' \(in the network: BE, BG, CH"),
        ({"service": "sheltr"}, "unknown service 'sheltr'; did you mean 'shelter'"),
        ({"sector": "polise"}, "unknown sector 'polise'; did you mean 'police'"),
        # the sources state no one's languages
        ({"languages": ["xx"]}, r"unknown language 'xx' \(the network has none\)"),
        ({"city": "Plovdv"}, "unknown city 'Plovdv' in BG; did you mean 'Plovdiv'"),
    ],
)
def test_unknown_names_are_refused_with_what_exists(demo, criteria, message):
    arguments = {"from_id": "gr-thessaloniki-arsis", "country": "BG", **criteria}
    with pytest.raises(NotFound, match=message):
        find_contacts(demo, arguments.pop("from_id"), arguments.pop("country"), **arguments)
