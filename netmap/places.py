"""Places: cities and countries, and their names compared across scripts.

Names of places are compared with :func:`name_key`, so a city may be given in any script
(``Ниш``, ``Niš`` and ``Nis`` are the same city). :class:`Places` reads a network's cities
from its cities table and its institutions' ``city`` cells.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pycountry

from netmap.codes import country_name
from netmap.errors import NetmapError
from netmap.i18n import gettext
from netmap.model import fold, name_key
from netmap.store.base import Network, iter_rows
from netmap.suggestions import not_found

# Place names repeat: 100,000 institutions name a few thousand cities, and every graph of
# places reads them again.
cached_name_key = functools.lru_cache(maxsize=1 << 16)(name_key)


@dataclass(frozen=True)
class City:
    """A city as the analysis sees it: its country, display name and coordinates.

    ``key`` is ``"{country}:{name}"``; institutions whose ``city`` is empty belong to the
    city ``"{country}:"`` named after their country.
    """

    country: str
    name: str
    name_local: str | None = None
    lat: float | None = None
    lon: float | None = None
    unnamed: bool = False
    spellings: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def key(self) -> str:
        return f"{self.country}:" if self.unnamed else f"{self.country}:{self.name}"

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}"


class Places:
    """The cities of a network: from the cities table and the institutions' ``city`` cells.

    Two spellings of one city in one country (``Niš`` in the cities table, ``Nis`` in an
    institution row) are one city, named as in the cities table.
    """

    def __init__(self, network: Network):
        self._cities: dict[tuple[str, str], City] = {}
        spellings: dict[tuple[str, str], set[str]] = {}
        for row in iter_rows(network.cities):
            key = (row["country"], cached_name_key(row["name"]))
            if key in self._cities:
                continue
            lat, lon = row.get("lat"), row.get("lon")
            self._cities[key] = City(
                country=row["country"],
                name=row["name"],
                name_local=row.get("name_local"),
                lat=float(lat) if lat is not None else None,
                lon=float(lon) if lon is not None else None,
            )
            spellings[key] = {row["name"], *([row["name_local"]] if row.get("name_local") else [])}
        # Each spelling once, in the order the institutions first use it.
        located = zip(network.institutions["country"], network.institutions["city"], strict=True)
        for country, city in dict.fromkeys(located):
            key = (country, cached_name_key(city))
            if key not in self._cities:
                name = city if city else country_name(country)
                self._cities[key] = City(country=country, name=name, unnamed=not city)
                spellings[key] = set()
            if city:
                spellings[key].add(city)
        for key, city in list(self._cities.items()):
            self._cities[key] = City(
                country=city.country,
                name=city.name,
                name_local=city.name_local,
                lat=city.lat,
                lon=city.lon,
                unnamed=city.unnamed,
                spellings=frozenset(spellings[key]),
            )
        self._by_spelling: dict[str, list[tuple[str, str]]] = {}
        for key, city in self._cities.items():
            for spelling in city.spellings:
                found = self._by_spelling.setdefault(cached_name_key(spelling), [])
                if key not in found:
                    found.append(key)

    def of(self, country: str, city: str | None) -> City:
        """Return the city of an institution located in ``country`` and ``city``."""
        return self._cities[(country, cached_name_key(city))]

    def __iter__(self) -> Iterator[City]:
        return iter(sorted(self._cities.values(), key=lambda c: (c.country, fold(c.name))))

    def resolve(self, name: str, country: str | None = None) -> list[City]:
        """Return the cities called ``name`` (in any script), in ``country`` when given.

        Raises :class:`NotFound` listing the closest city names when none matches.
        """
        keys = self._by_spelling.get(name_key(name), [])
        found = [self._cities[k] for k in keys if country is None or k[0] == country]
        if not found:
            named = [
                city
                for city in self._cities.values()
                if not city.unnamed and (country is None or city.country == country)
            ]
            raise not_found(
                "city",
                name,
                (city.name for city in named),
                where="" if country is None else gettext("in %(country)s") % {"country": country},
                also_known_as=(spelling for city in named for spelling in city.spellings),
            )
        return sorted(found, key=lambda c: (c.country, c.name))

    def resolve_one(self, name: str, country: str | None = None) -> City:
        """Like :meth:`resolve`, but the name must pick out one city (else ``NetmapError``)."""
        found = self.resolve(name, country)
        if len(found) > 1:
            where = ", ".join(c.label for c in found)
            raise NetmapError(
                gettext("%(name)s names more than one city (%(cities)s): give the country")
                % {"name": repr(name), "cities": where}
            )
        return found[0]


def check_country(network: Network, country: str) -> str:
    """Return ``country`` as the network spells it (upper-case code).

    A country name is read too (``"Bulgaria"`` -> ``"BG"``). Raises :class:`NotFound`
    listing the countries of the network when no institution is in that country.
    """
    present = set(network.institutions["country"])
    code = country.strip().upper()
    if code not in present:
        try:
            code = pycountry.countries.lookup(country.strip()).alpha_2
        except LookupError:
            pass
    if code not in present:
        raise not_found("country", country, present)
    return code
