"""Records entered in the app's short forms, checked as an import checks a row.

The Edit page's full forms build whole records; these are the few one-line forms other
pages offer (the Map page's "add coordinates"). Each validates with the record's own model
and reports problems in the words of an import, then writes through the store, which
checks the user's role and the record's version.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from netmap.errors import ValidationFailed
from netmap.i18n import N_
from netmap.i18n import gettext as _
from netmap.io.report import pydantic_problems
from netmap.model import City, Record, RecordKind, fold
from netmap.store.base import GraphStore

#: What a problem in a short form names as its "file" (translated where it is reported).
# Translators: where a problem is, in place of a file's name: a form of the app.
FORM = N_("form")


def locate_city(
    store: GraphStore,
    country: str,
    name: str,
    lat: float | None,
    lon: float | None,
    *,
    reported_by: str,
    today: date | None = None,
) -> Record:
    """Give the city ``name`` of ``country`` its coordinates (degrees, WGS 84); return it saved.

    The city's row of the cities table (matched by its name or local name, folded) gets
    ``lat`` and ``lon`` and keeps the rest; a city named only by institutions gets a new
    row, reported by ``reported_by`` on ``today``. Raises :class:`ValidationFailed` with
    the import's messages (a latitude outside -90..90, one coordinate without the other),
    :class:`~netmap.errors.Conflict` when someone changed the row meanwhile, and
    :class:`~netmap.errors.AccessDenied` when the store's user may not edit.
    """
    wanted = fold(name)
    existing = next(
        (
            city
            for city in store.list(RecordKind.CITY)
            if isinstance(city, City)
            and city.country == country
            and wanted in {fold(city.name), fold(city.name_local or "")}
        ),
        None,
    )
    if existing is not None:
        values = {**existing.model_dump(), "lat": lat, "lon": lon}
    else:
        day = (today or date.today()).isoformat()
        values = {
            "name": name,
            "country": country,
            "lat": lat,
            "lon": lon,
            "evidence": "reported",
            "reported_by": reported_by,
            "reported_on": day,
        }
    try:
        record = City.model_validate(values)
    except ValidationError as error:
        raise ValidationFailed(pydantic_problems(_(FORM), 0, error)) from None
    return store.update(record) if existing is not None else store.add(record)
