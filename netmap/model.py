"""Domain records of netmap and their validation.

Six kinds of record make a network: institutions, their contacts, ties between
institutions, initiatives, participations of institutions in initiatives, and cities.
Every record is validated with pydantic at the edges (import, forms); taxonomy keys are
checked against the taxonomy in force (``netmap.taxonomy``), not against constants here.

Text is normalised on the way in: Unicode NFC, bidirectional controls and zero-width
characters removed, runs of white space folded in names.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from types import NoneType, UnionType
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

import pycountry
from anyascii import anyascii
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from rapidfuzz import process as fuzzy

from netmap.codes import EXTRA_COUNTRIES
from netmap.i18n import N_, gettext
from netmap.taxonomy import load_taxonomy

# Bidirectional controls and zero-width characters: invisible, and used to make two
# names look alike while comparing differently (UTS #39, "Trojan Source").
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\u061c",
    ),
    None,
)
# C0 and C1 control characters other than tab and newline: never meaningful in a record,
# and a workbook cannot hold most of them.
_INVISIBLE.update(
    dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)], None)
)
# A plain ASCII address (RFC 5322 dot-atom local part, a dotted host name): a fast path
# for what most rows hold; anything else goes to email_validator, which also explains.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_EMAIL = re.compile(
    rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,159}$")
_PHONE_PATTERN = re.compile(
    r"^[0-9+()./\s-]+(\s*(ext\.?|x|вн\.?|εσωτ\.?)\s*[0-9]+)?$", re.IGNORECASE
)
_TRUE = {"yes", "y", "true", "t", "1", "да", "ναι", "da", "ja", "oui"}
_FALSE = {"no", "n", "false", "f", "0", "не", "όχι", "οχι", "ne", "nein", "non"}


class RecordKind(StrEnum):
    """The kinds of record; the value is the table (and sheet) name."""

    SOURCE = "sources"
    CITY = "cities"
    INSTITUTION = "institutions"
    INITIATIVE = "initiatives"
    CONTACT = "contacts"
    TIE = "ties"
    PARTICIPATION = "participations"

    @property
    def model(self) -> type[Record]:
        return _MODELS[self]

    @property
    def label(self) -> str:
        """The record's name in the singular, as users say it (and Neo4j's node label)."""
        return self.model.__name__

    @property
    def references(self) -> dict[str, RecordKind]:
        """Fields of this kind that hold the id of another record, and that record's kind."""
        return self.model.references


# Dependency order: a record only refers to kinds listed before its own.
RECORD_KINDS: tuple[RecordKind, ...] = tuple(RecordKind)


# --- text -------------------------------------------------------------------------------


def clean_text(value: Any) -> Any:
    """NFC-normalise, drop invisible characters and strip; empty text becomes None."""
    if type(value) is str and value.isascii() and value.isprintable():
        # Most cells: plain ASCII needs neither NFC nor the invisible-mark table.
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):  # an empty spreadsheet cell
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.isascii():
        value = unicodedata.normalize("NFC", value.translate(_INVISIBLE))
    elif not value.isprintable():
        value = value.translate(_INVISIBLE)
    return value.strip() or None


def clean_name(value: Any) -> Any:
    """Like :func:`clean_text`, and fold runs of white space (names are one line)."""
    text = clean_text(value)
    return " ".join(text.split()) if isinstance(text, str) else text


def fold(text: str) -> str:
    """Return ``text`` reduced for comparison across scripts, accents and case.

    ``fold("Ниш") == fold("Niš") == fold("NIS")``; ``fold("Θεσσαλονίκη") == "thessaloniki"``.
    """
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", ascii_text).split())


# Spellings that differ between transliteration conventions of the same letter: Serbian
# Latin writes Niš, Šabac, Subotica where the Cyrillic Ниш, Шабац, Суботица transliterate
# to "nish", "shabats", "subotitsa"; Bulgarian writes "zh", "kh" where others write "z",
# "h". Both sides of a comparison are reduced the same way.
_DIGRAPHS = (("sh", "s"), ("ch", "c"), ("zh", "z"), ("kh", "h"), ("ts", "c"), ("dj", "d"))
_DIGRAPH_PATTERN = re.compile("|".join(a for a, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)


def name_key(text: str | None) -> str:
    """Return ``text`` reduced for comparing names across scripts and transliterations.

    The text is folded (:func:`netmap.model.fold`: ASCII, lower case, punctuation to single
    spaces) and the digraphs that transliteration conventions disagree on are reduced
    (``sh`` -> ``s``, ``ch`` -> ``c``, ``zh`` -> ``z``, ``kh`` -> ``h``, ``ts`` -> ``c``,
    ``dj`` -> ``d``), so ``name_key("Ниш") == name_key("Niš") == name_key("NIS") == "nis"``.
    Returns ``""`` for None or empty text.
    """
    if not text:
        return ""
    return _DIGRAPH_PATTERN.sub(lambda m: _DIGRAPH_MAP[m.group(0)], fold(text))


def slug(*parts: str | None) -> str:
    """Return a stable, readable ASCII id made of ``parts`` (``gr-thessaloniki-arsis``)."""
    words = [fold(str(part)) for part in parts if part]  # a cell may hold a number or a bool
    return "-".join(word.replace(" ", "-") for word in words if word)[:120].strip("-")


# --- field types ------------------------------------------------------------------------


def _list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if isinstance(value, (list, tuple, set)):
        items = [clean_text(item) for item in value]
        return list(dict.fromkeys(item for item in items if item))
    return value


def _key(value: Any) -> Any:
    value = clean_text(value)
    return value.casefold().replace(" ", "_").replace("-", "_") if isinstance(value, str) else value


def _check_key(vocabulary: str) -> Callable[[str | None], str | None]:
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        allowed = load_taxonomy().vocabulary(vocabulary)
        if value not in allowed:
            raise ValueError(_unknown_key_message(vocabulary, value, allowed))
        return value

    return check


# An unknown key, said whole for each vocabulary (a noun alone would not agree with the
# rest of the sentence in every language).
_UNKNOWN_KEY = {
    "sectors": N_("unknown sector %(value)s"),
    "kinds": N_("unknown kind %(value)s"),
    "levels": N_("unknown level %(value)s"),
    "services": N_("unknown service %(value)s"),
    "tie_kinds": N_("unknown tie kind %(value)s"),
    "target_groups": N_("unknown target group %(value)s"),
    "participation_roles": N_("unknown participation role %(value)s"),
    "initiative_kinds": N_("unknown initiative kind %(value)s"),
    "evidence": N_("unknown evidence %(value)s"),
    "source_covers": N_("unknown source cover %(value)s"),
    "legal_bases": N_("unknown legal basis %(value)s"),
}


def _unknown_key_message(vocabulary: str, value: str, allowed: dict[str, str]) -> str:
    unknown = _UNKNOWN_KEY.get(vocabulary)
    message = (
        gettext(unknown) % {"value": repr(value)}
        if unknown
        else gettext("unknown %(what)s %(value)s")
        % {"what": vocabulary.replace("_", " "), "value": repr(value)}
    )
    best = fuzzy.extractOne(value, list(allowed), score_cutoff=70)
    if best:
        message += gettext("; did you mean %(options)s?") % {"options": repr(best[0])}
    return message + " " + gettext("(one of: %(keys)s)") % {"keys": ", ".join(allowed)}


def _country(value: Any) -> Any:
    value = clean_text(value)
    if not isinstance(value, str):
        return value
    code = value.upper()
    if code in EXTRA_COUNTRIES or (len(code) == 2 and pycountry.countries.get(alpha_2=code)):
        return code
    try:
        found = pycountry.countries.lookup(value)
    except LookupError:
        raise ValueError(
            gettext("%(value)s is not an ISO 3166-1 country code (two letters, e.g. GR, BG, RS)")
            % {"value": repr(value)}
        ) from None
    raise ValueError(
        gettext("%(value)s is a country name: write its code %(code)s")
        % {"value": repr(value), "code": repr(found.alpha_2)}
    )


@lru_cache(maxsize=4096)
def _language(value: str) -> str:
    code = value.casefold()
    if len(code) == 2 and pycountry.languages.get(alpha_2=code):
        return code
    found = None
    try:
        found = pycountry.languages.lookup(value)
    except LookupError:
        pass
    if found is not None and hasattr(found, "alpha_2"):
        raise ValueError(
            gettext(
                "%(value)s is not an ISO 639-1 language code (e.g. el, bg, sr, en): write %(code)s"
            )
            % {"value": repr(value), "code": repr(found.alpha_2)}
        )
    raise ValueError(
        gettext("%(value)s is not an ISO 639-1 language code (e.g. el, bg, sr, en)")
        % {"value": repr(value)}
    )


def _languages(values: list[str]) -> list[str]:
    return list(dict.fromkeys(_language(value) for value in values))


def _email(value: str | None) -> str | None:
    if value is None:
        return None
    if _PLAIN_EMAIL.fullmatch(value):
        return value
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(
            gettext("%(value)s is not an e-mail address: %(reason)s")
            % {"value": repr(value), "reason": exc}
        ) from None
    return value


def _phone(value: str | None) -> str | None:
    if value is None:
        return None
    if not _PHONE_PATTERN.match(value) or sum(ch.isdigit() for ch in value) < 5:
        raise ValueError(
            gettext("%(value)s is not a phone number (digits, spaces, + ( ) - . /)")
            % {"value": repr(value)}
        )
    return value


def _website(value: str | None) -> str | None:
    if value is None:
        return None
    if " " in value or not re.match(r"^(https?://)?[^/\s.]+\.[^\s]+$", value, re.IGNORECASE):
        raise ValueError(
            gettext("%(value)s is not a web address (e.g. https://www.example.org)")
            % {"value": repr(value)}
        )
    return value


def _identifier(value: str | None) -> str | None:
    if value is not None and not _ID_PATTERN.match(value):
        raise ValueError(
            gettext(
                "%(value)s is not a usable id (letters, digits and . _ : @ - only, starting "
                "with a letter or digit)"
            )
            % {"value": repr(value)}
        )
    return value


def _partial_date(value: Any) -> Any:
    """Read a date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (also DD.MM.YYYY, DD/MM/YYYY)."""
    if isinstance(value, str):
        return _date_from_text(value)
    value = clean_text(value) if not isinstance(value, (date, datetime)) else value
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        # pydantic reports ValueError as a validation error; a TypeError would escape it.
        raise ValueError(gettext("%(value)s is not a date") % {"value": repr(value)})  # noqa: TRY004
    return _parse_date_text(value)


@lru_cache(maxsize=65536)  # a network holds few distinct dates, repeated on many rows
def _date_from_text(value: str) -> str | None:
    text = clean_text(value)
    return None if text is None else _parse_date_text(text)


def _parse_date_text(value: str) -> str:
    text = value.strip()
    if text.endswith(" 00:00:00"):  # a spreadsheet's date cell written out as text
        text = text.removesuffix(" 00:00:00")
    if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})\.?", text):
        text = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if m := re.fullmatch(r"(\d{1,2})[./](\d{4})", text):
        text = f"{m[2]}-{int(m[1]):02d}"
    try:
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            if not 1800 <= year <= 2200:
                raise ValueError
            return text
        if re.fullmatch(r"\d{4}-\d{2}", text):
            date(int(text[:4]), int(text[5:]), 1)
            return text
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            gettext("%(value)s is not a date (YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY or DD/MM/YYYY)")
            % {"value": repr(value)}
        ) from None


def _boolean(value: Any) -> Any:
    value = clean_text(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError(
        gettext("%(value)s is not yes/no (yes, no, true, false, 1 or 0)") % {"value": repr(value)}
    )


def _evidence(value: Any) -> Any:
    """Read an evidence cell: an empty one is ``reported`` (someone entered it), the
    default the import warns about."""
    value = _key(value)
    if value is None:
        return "reported"
    return _check_key("evidence")(value) if isinstance(value, str) else value


_ALL = "*"  # a ``complete`` cell that says yes: complete in all it covers


def _complete(value: Any) -> Any:
    """Read a source's ``complete`` cell: yes/no, or what of its ``covers`` it lists in full."""
    if isinstance(value, list):
        return [_key(item) for item in value]
    flag = clean_text(value)
    if flag is None:
        return []
    if isinstance(flag, bool) or (isinstance(flag, str) and flag.casefold() in _TRUE | _FALSE):
        return [_ALL] if _boolean(flag) else []
    check = _check_key("source_covers")
    return [check(_key(item)) for item in _list(flag)]


def _strength(value: Any) -> Any:
    value = clean_text(value)
    return 2 if value is None else value


def _then(check: Callable[[str], Any]) -> Callable[[Any], Any]:
    """Clean a cell, then check it, in one validator call (the import's hot loop)."""

    def clean_and_check(value: Any) -> Any:
        value = clean_text(value)
        return check(value) if isinstance(value, str) else value

    return clean_and_check


Text = Annotated[str | None, BeforeValidator(clean_text)]
Name = Annotated[str, BeforeValidator(clean_name), Field(min_length=1, max_length=300)]
OptionalName = Annotated[Annotated[str, Field(max_length=300)] | None, BeforeValidator(clean_name)]
Identifier = Annotated[str, BeforeValidator(_then(_identifier))]
OptionalIdentifier = Annotated[str | None, BeforeValidator(_then(_identifier))]
Country = Annotated[str, BeforeValidator(_country)]
Languages = Annotated[list[str], BeforeValidator(_list), AfterValidator(_languages)]
Email = Annotated[str | None, BeforeValidator(_then(_email))]
Phone = Annotated[str | None, BeforeValidator(_then(_phone))]
Website = Annotated[str | None, BeforeValidator(_then(_website))]
PartialDate = Annotated[str | None, BeforeValidator(_partial_date)]
Flag = Annotated[bool, BeforeValidator(_boolean)]
OptionalFlag = Annotated[bool | None, BeforeValidator(_boolean)]
Evidence = Annotated[str, BeforeValidator(_evidence)]
Language = Annotated[str | None, BeforeValidator(_then(_language))]
Latitude = Annotated[Annotated[float, Field(ge=-90, le=90)] | None, BeforeValidator(clean_text)]
Longitude = Annotated[Annotated[float, Field(ge=-180, le=180)] | None, BeforeValidator(clean_text)]


def Key(vocabulary: str) -> BeforeValidator:
    """Read a cell as a taxonomy key of ``vocabulary``, checked against the taxonomy in
    force: ``Annotated[str, Key("sectors")]`` (``str | None`` where it may be empty)."""
    check = _check_key(vocabulary)

    def clean_and_check(value: Any) -> Any:
        value = _key(value)
        return check(value) if isinstance(value, str) else value

    return BeforeValidator(clean_and_check)


def Keys(vocabulary: str) -> BeforeValidator:
    """Read a ``;``-separated list of taxonomy keys of ``vocabulary``:
    ``Annotated[list[str], Keys("services")]``."""
    check = _check_key(vocabulary)

    def clean_and_check(value: Any) -> Any:
        return [check(_key(item)) for item in _list(value)] if value is not None else []

    return BeforeValidator(clean_and_check)


def date_span_error(start: str | None, end: str | None) -> bool:
    """True when both partial dates are given and ``end`` is before ``start``."""
    if not start or not end:
        return False
    width = min(len(start), len(end))
    return end[:width] < start[:width]


# --- what a field holds, for the stores ----------------------------------------------------


class FieldKind(StrEnum):
    """What a record field holds once validated, as a store needs to know to keep it.

    Dates, ids and taxonomy keys are text; a flag is ``bool``; ``list`` is a list of text.
    """

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    LIST = "list"


def _bare_type(annotation: Any) -> Any:
    """``annotation`` without ``Annotated[…]`` metadata and without its ``| None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            annotation = next(a for a in get_args(annotation) if a is not NoneType)
        else:
            return annotation


def field_kinds(model: type[BaseModel]) -> dict[str, FieldKind]:
    """Return each field of ``model``, in the model's order, with what it holds.

    Optional and annotated types count as what they wrap (``PartialDate`` is text,
    ``Latitude`` a float); a type netmap has no special storage for is text.
    """
    kinds = {}
    for name, field in model.model_fields.items():
        bare = _bare_type(field.annotation)
        if get_origin(bare) is list:
            kinds[name] = FieldKind.LIST
        elif bare is bool:
            kinds[name] = FieldKind.BOOL
        elif bare is int:
            kinds[name] = FieldKind.INT
        elif bare is float:
            kinds[name] = FieldKind.FLOAT
        else:
            kinds[name] = FieldKind.TEXT
    return kinds


# --- records ----------------------------------------------------------------------------


class Record(BaseModel):
    """Fields every record carries: where it comes from and its bookkeeping."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)

    record_kind: ClassVar[RecordKind]
    references: ClassVar[dict[str, RecordKind]] = {}
    # Fields a person can be identified by: left out of redacted exports, scrubbed on erasure.
    personal_fields: ClassVar[tuple[str, ...]] = ()

    id: Identifier
    source: Text = None
    last_verified: PartialDate = None
    updated_at: str | None = None
    version: int = 0

    # The fields that are the record's content, as opposed to store bookkeeping.
    BOOKKEEPING: ClassVar[tuple[str, ...]] = ("updated_at", "version")

    @classmethod
    def data_fields(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.model_fields if name not in cls.BOOKKEEPING)

    def data(self) -> dict[str, Any]:
        """The record's content, without store bookkeeping, as plain Python values."""
        return self.model_dump(exclude=set(self.BOOKKEEPING))


#: The fields that say how a record is known (see :class:`Evidenced`).
EVIDENCE_FIELDS: tuple[str, ...] = (
    "evidence", "quote", "quote_location", "reported_by", "reported_on", "inferred_from",
)  # fmt: skip


class Evidenced(Record):
    """A record that says how it is known: its ``evidence`` and what backs it.

    - ``documented``: a source states it. ``source`` names the source and ``quote`` keeps
      its words, in its own language (several excerpts joined by `` … ``), and
      ``quote_location`` where they stand (a page, a paragraph).
    - ``reported``: someone said so: ``reported_by`` who, ``reported_on`` when. What was
      entered without saying is taken as reported.
    - ``inferred``: reasoned from a source; ``inferred_from`` says from what.
    - ``modelled``: an illustration only; analyses leave it out unless asked.

    The evidence covers what the row says, an institution's listed services included.
    """

    evidence: Evidence = "reported"
    quote: Text = None
    quote_location: Text = None
    reported_by: OptionalName = None
    reported_on: PartialDate = None
    inferred_from: Text = None

    @model_validator(mode="after")
    def _evidence_backed(self) -> Evidenced:
        if self.evidence == "documented":
            if not self.source:
                raise ValueError("source: " + gettext("a documented record names its source"))
            if not self.quote:
                raise ValueError(
                    "quote: " + gettext("a documented record keeps the source's words (the quote)")
                )
        if self.evidence == "inferred" and not self.inferred_from:
            raise ValueError(
                "inferred_from: " + gettext("an inferred record says what it is inferred from")
            )
        return self


class Source(Record):
    """A document (or a person, or a dataset) that records are taken from.

    Records name it by id in their ``source`` cell. What a source covers tells the gap
    analysis how far the data reaches: ``countries`` and ``cities`` (any script; a country
    with none of its cities listed means the whole country), ``covers`` (what it records:
    actors, members, participants, services, ties, contacts, funding), ``sectors`` (the
    sectors within its scope; empty: any) and ``complete`` (what of that it claims to list
    in full there, as an official directory lists actors or a network's statutes its
    members; ``yes`` in a cell: all it covers). Only a complete source lets netmap say that
    something is absent rather than not recorded.
    """

    record_kind: ClassVar[RecordKind] = RecordKind.SOURCE

    title: Name
    title_local: OptionalName = None
    publisher: OptionalName = None
    published: PartialDate = None
    url: Website = None
    language: Language = None
    about: Text = None
    countries: Annotated[list[Country], BeforeValidator(_list)] = []
    cities: Annotated[
        list[Annotated[str, BeforeValidator(clean_name)]], BeforeValidator(_list)
    ] = []
    covers: Annotated[list[str], Keys("source_covers")] = []
    sectors: Annotated[list[str], Keys("sectors")] = []
    complete: Annotated[list[str], BeforeValidator(_complete)] = []
    notes: Text = None

    @model_validator(mode="after")
    def _complete_about_what_it_covers(self) -> Source:
        if self.complete == [_ALL]:
            self.complete = list(self.covers)
        beyond = [item for item in self.complete if item not in self.covers]
        if beyond:
            raise ValueError(
                "complete: "
                + gettext("%(items)s is not among what the source covers (%(covers)s)")
                % {
                    "items": ", ".join(beyond),
                    "covers": ", ".join(self.covers) or gettext("nothing listed"),
                }
            )
        return self


class City(Evidenced):
    """A city with its coordinates; institutions name it in their ``city`` field."""

    record_kind: ClassVar[RecordKind] = RecordKind.CITY

    id: Identifier = ""
    name: Name
    name_local: OptionalName = None
    country: Country
    lat: Latitude = None
    lon: Longitude = None

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, values: Any) -> Any:
        if isinstance(values, dict) and not clean_text(values.get("id")):
            values = dict(values)
            values["id"] = slug(clean_text(values.get("country")), clean_name(values.get("name")))
        return values

    @model_validator(mode="after")
    def _both_coordinates(self) -> City:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lon: " + gettext("give both lat and lon, or neither"))
        return self


class Institution(Evidenced):
    """An organisation that takes part in the fight against trafficking."""

    record_kind: ClassVar[RecordKind] = RecordKind.INSTITUTION

    name: Name
    name_local: OptionalName = None
    acronym: OptionalName = None
    sector: Annotated[str, Key("sectors")]
    kind: Annotated[str | None, Key("kinds")] = None
    level: Annotated[str | None, Key("levels")] = None
    country: Country
    city: OptionalName = None
    services: Annotated[list[str], Keys("services")] = []
    languages: Languages = []
    target_groups: Annotated[list[str], Keys("target_groups")] = []
    website: Website = None
    email: Email = None
    phone: Phone = None
    address: Text = None
    notes: Text = None
    # How the listed services are known, when not as the rest of the row is (the source
    # names the body, but only reasoning says what it does): see _services_backed.
    services_evidence: Annotated[
        str | None, BeforeValidator(lambda v: _check_key("evidence")(_key(v)))
    ] = None
    services_quote: Text = None
    services_inferred_from: Text = None
    # Stands for a group ("the civil-society organisations of Niš"), not one body: shown
    # on the map and in coverage, never offered as a contact or as a stage's carrier.
    collective: Flag = False

    @property
    def services_known_as(self) -> str:
        """The evidence of the listed services: their own, else the row's."""
        return self.services_evidence or self.evidence

    @model_validator(mode="after")
    def _services_backed(self) -> Institution:
        evidence = self.services_evidence
        if evidence is not None and not self.services:
            raise ValueError(
                "services_evidence: " + gettext("says how services are known, but none is listed")
            )
        if evidence == "documented" and not (self.services_quote and self.source):
            raise ValueError(
                "services_quote: "
                + gettext("documented services keep the source's words about them")
            )
        if evidence == "inferred" and not self.services_inferred_from:
            raise ValueError(
                "services_inferred_from: "
                + gettext("inferred services say what they are inferred from")
            )
        return self


class Initiative(Evidenced):
    """A project, protocol, network, mechanism or event that institutions take part in."""

    record_kind: ClassVar[RecordKind] = RecordKind.INITIATIVE

    name: Name
    name_local: OptionalName = None
    kind: Annotated[str | None, Key("initiative_kinds")] = None
    funder: Text = None
    start: PartialDate = None
    end: PartialDate = None
    countries: Annotated[list[Country], BeforeValidator(_list)] = []
    notes: Text = None

    @field_validator("end")
    @classmethod
    def _span(cls, end: str | None, info: ValidationInfo) -> str | None:
        if date_span_error(info.data.get("start"), end):
            raise ValueError(
                gettext("%(end)s is before start %(start)s")
                % {"end": end, "start": info.data["start"]}
            )
        return end


class Contact(Evidenced):
    """A person or a functional mailbox at one institution."""

    record_kind: ClassVar[RecordKind] = RecordKind.CONTACT
    references: ClassVar[dict[str, RecordKind]] = {"institution_id": RecordKind.INSTITUTION}
    # The evidence of a contact may quote the person's own name and address.
    personal_fields: ClassVar[tuple[str, ...]] = (
        "name", "email", "phone", "verified_by", "quote", "inferred_from", "reported_by",
    )  # fmt: skip

    institution_id: Identifier
    name: Name
    role: Text = None
    email: Email = None
    phone: Phone = None
    languages: Languages = []
    focal_point: Flag = False
    legal_basis: Annotated[str | None, Key("legal_bases")] = None
    collected_on: PartialDate = None
    verified_by: OptionalName = None
    informed_on: PartialDate = None


class Tie(Evidenced):
    """A cooperation between two institutions."""

    record_kind: ClassVar[RecordKind] = RecordKind.TIE
    references: ClassVar[dict[str, RecordKind]] = {
        "source_id": RecordKind.INSTITUTION,
        "target_id": RecordKind.INSTITUTION,
        "initiative_id": RecordKind.INITIATIVE,
    }

    source_id: Identifier
    target_id: Identifier
    kind: Annotated[str, Key("tie_kinds")]
    directed: OptionalFlag = Field(default=None, validate_default=True)
    strength: Annotated[int, BeforeValidator(_strength), Field(ge=1, le=3)] = 2
    since: PartialDate = None
    until: PartialDate = None
    initiative_id: OptionalIdentifier = None
    notes: Text = None

    @field_validator("target_id")
    @classmethod
    def _two_ends(cls, target_id: str, info: ValidationInfo) -> str:
        if target_id == info.data.get("source_id"):
            raise ValueError(gettext("a tie needs two different institutions (same as source_id)"))
        return target_id

    @field_validator("until")
    @classmethod
    def _span(cls, until: str | None, info: ValidationInfo) -> str | None:
        if date_span_error(info.data.get("since"), until):
            raise ValueError(
                gettext("%(until)s is before since %(since)s")
                % {"until": until, "since": info.data["since"]}
            )
        return until

    @field_validator("directed")
    @classmethod
    def _default_direction(cls, directed: bool | None, info: ValidationInfo) -> bool | None:
        if directed is None and info.data.get("kind"):
            return info.data["kind"] in load_taxonomy().directed_tie_kinds
        return directed


class Participation(Evidenced):
    """An institution's part in an initiative."""

    record_kind: ClassVar[RecordKind] = RecordKind.PARTICIPATION
    references: ClassVar[dict[str, RecordKind]] = {
        "institution_id": RecordKind.INSTITUTION,
        "initiative_id": RecordKind.INITIATIVE,
    }

    id: Identifier = ""
    institution_id: Identifier
    initiative_id: Identifier
    role: Annotated[str, Key("participation_roles")] = "participant"

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, values: Any) -> Any:
        if isinstance(values, dict) and not clean_text(values.get("id")):
            values = dict(values)
            values["id"] = f"{clean_text(values.get('institution_id'))}@" + str(
                clean_text(values.get("initiative_id"))
            )
        return values

    @model_validator(mode="before")
    @classmethod
    def _default_role(cls, values: Any) -> Any:
        if isinstance(values, dict) and clean_text(values.get("role")) is None:
            values = dict(values)
            values["role"] = "participant"
        return values


_MODELS: dict[RecordKind, type[Record]] = {
    RecordKind.SOURCE: Source,
    RecordKind.CITY: City,
    RecordKind.INSTITUTION: Institution,
    RecordKind.INITIATIVE: Initiative,
    RecordKind.CONTACT: Contact,
    RecordKind.TIE: Tie,
    RecordKind.PARTICIPATION: Participation,
}


def derive_id(kind: RecordKind, row: dict[str, Any]) -> str | None:
    """Return the stable id for a row that has none, made from its identifying fields.

    Institutions: country, city and name; contacts: institution and name; ties: both ends
    and the kind; initiatives: the name; sources: the title. Cities and participations
    derive their own.
    """
    name = clean_name(row.get("name"))
    if kind is RecordKind.INSTITUTION and name:
        return slug(clean_text(row.get("country")), clean_name(row.get("city")), name)
    if kind is RecordKind.CONTACT and name:
        return slug(clean_text(row.get("institution_id")), name)
    if kind is RecordKind.TIE:
        ends = [clean_text(row.get(f)) for f in ("source_id", "target_id", "kind")]
        return slug(*ends) if all(ends) else None
    if kind is RecordKind.INITIATIVE and name:
        return slug(name)
    title = clean_name(row.get("title"))
    if kind is RecordKind.SOURCE and title:
        return slug(title)
    return None
