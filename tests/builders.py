"""Small records for hand-built test networks: an institution or a tie in one line."""

from __future__ import annotations

from netmap.model import Institution, Tie


def institution(id, *, country="RS", city="Niš", sector="police", **fields) -> Institution:
    """An institution named after its id unless ``name`` is given."""
    return Institution(
        id=id, name=fields.pop("name", id), sector=sector, country=country, city=city, **fields
    )


def tie(from_id, to_id, kind="coordination", strength=2, **fields) -> Tie:
    """A tie whose id is made of its ends and kind unless ``id`` is given."""
    return Tie(
        id=fields.pop("id", f"{from_id}.{to_id}.{kind}"),
        source_id=from_id,
        target_id=to_id,
        kind=kind,
        strength=strength,
        **fields,
    )
