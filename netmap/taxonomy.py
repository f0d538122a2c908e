"""The taxonomy and the referral-pathway model, read from ``data/``.

The code holds no sector, service or stage of its own: it reads ``taxonomy.toml`` and
``pathway.toml`` (or the files named by ``NETMAP_TAXONOMY`` and ``NETMAP_PATHWAY``), so a
user can adapt both to their country's mechanism without touching code. Both files are
read strictly: a key netmap does not know is refused with the file and the key, so a typo
cannot silently change what an analysis reports.

Labels are data too, in every interface language: ``label`` is English and
``labels.<lang>`` the label in each other language (``labels.el = "Αστυνομία"``); a
language netmap does not speak is refused. Serbian in Latin script is transliterated from
the Cyrillic ``labels.sr`` unless ``labels.sr_Latn`` is written. :meth:`Taxonomy.label`
answers in the current language (:mod:`netmap.i18n`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from netmap.errors import NetmapError
from netmap.i18n import LANGUAGES, SOURCE_LANGUAGE, current_language
from netmap.resources import data_file
from netmap.transliteration import serbian_latin

#: The languages a label is written in beside English (``label``).
TRANSLATED_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)
#: Every label-holding part of the files: the vocabularies and the pathway's stages.
LABELLED = (
    "sectors", "kinds", "levels", "services", "tie_kinds", "target_groups",
    "participation_roles", "initiative_kinds", "evidence", "source_covers", "legal_bases",
    "stages",
)  # fmt: skip

#: Where a stage is expected to be found: in a city's own network, somewhere in the
#: country, or between two countries.
STAGE_WHERE = ("local", "national", "transnational")
#: Whom a stage applies to: every victim, children, or a person identified outside their
#: country of origin.
STAGE_VICTIMS = ("all", "children", "abroad")


@dataclass(frozen=True)
class Stage:
    """A stage of the referral pathway and the services that carry it.

    ``sectors`` names who usually does the work (for explanations only: a stage is carried
    by services, never by a sector alone). ``where`` is ``local``, ``national`` or
    ``transnational``; ``victims`` is ``all``, ``children`` or ``abroad``;
    ``cross_cutting`` marks a need at every stage (interpretation) rather than a step.
    """

    key: str
    label: str
    order: int
    services: frozenset[str]
    sectors: frozenset[str] = frozenset()
    where: str = "local"
    victims: str = "all"
    cross_cutting: bool = False
    basis: str = ""

    def applies_to(self, *, child: bool, abroad: bool) -> bool:
        """True when this stage is part of the course of a case of that kind of victim."""
        return (
            self.victims == "all"
            or (self.victims == "children" and child)
            or (self.victims == "abroad" and abroad)
        )


@dataclass(frozen=True)
class Handover:
    """A hand-over of a case from an actor of one stage to an actor of the next.

    ``across_border`` hand-overs (return to reception) run between two countries.
    """

    from_stage: str
    to_stage: str
    across_border: bool = False

    def __iter__(self) -> Iterator[str]:
        # Unpacks as the (from, to) pair it is: ``first, second = handover``.
        return iter((self.from_stage, self.to_stage))


@dataclass(frozen=True)
class LocalNetworkModel:
    """The sectors a country's local networks are expected to bring together, and why."""

    country: str
    expected_sectors: tuple[str, ...]
    basis: str
    #: ``basis`` in each other language (``bases.<lang>`` in the file).
    bases: Mapping[str, str] = field(default_factory=dict, compare=False)

    def basis_in(self, language: str | None = None) -> str:
        """``basis`` in ``language`` (default: the current one), else in English."""
        return self.bases.get(language or current_language(), self.basis)


@dataclass(frozen=True)
class Taxonomy:
    """Every key a record may use, with its label, and what the keys mean to the analysis.

    Each attribute named after a vocabulary (``sectors``, ``services``, …) maps key to label.
    """

    sectors: dict[str, str]
    default_services: dict[str, tuple[str, ...]]
    kinds: dict[str, str]
    levels: dict[str, str]
    services: dict[str, str]
    tie_kinds: dict[str, str]
    directed_tie_kinds: frozenset[str]
    target_groups: dict[str, str]
    participation_roles: dict[str, str]
    initiative_kinds: dict[str, str]
    legal_bases: dict[str, str]
    evidence: dict[str, str] = field(default_factory=dict)
    source_covers: dict[str, str] = field(default_factory=dict)
    #: Tie kinds along which a victim's case can travel.
    case_carrying_tie_kinds: frozenset[str] = frozenset()
    #: Tie kinds that mean the two ends know each other (worth asking for an introduction).
    introducing_tie_kinds: frozenset[str] = frozenset()
    #: Participation roles whose holders do the initiative's work with the others.
    taking_part_roles: frozenset[str] = frozenset()
    #: Initiative kinds whose participants (those taking part) work together.
    working_initiative_kinds: frozenset[str] = frozenset()
    stages: dict[str, Stage] = field(default_factory=dict)
    handovers: tuple[Handover, ...] = ()
    local_networks: dict[str, LocalNetworkModel] = field(default_factory=dict)
    #: vocabulary (or ``"stages"``) -> key -> language -> label, for every language but
    #: English (whose labels are the vocabularies themselves).
    translations: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def vocabulary(self, name: str) -> dict[str, str]:
        """Return the key -> English label map of the vocabulary ``name`` (e.g.
        ``"sectors"``; ``"stages"`` too)."""
        if name == "stages":
            return {key: stage.label for key, stage in self.stages.items()}
        labels: dict[str, str] = getattr(self, name)
        return labels

    def label(self, vocabulary: str, key: str | None, language: str | None = None) -> str:
        """Return the label of ``key`` in ``vocabulary`` (``"stages"`` too) in ``language``
        (default: the current one); the English label where that language has none, and
        the key itself if unknown."""
        if key is None:
            return ""
        language = language or current_language()
        if language != SOURCE_LANGUAGE:
            found = self.translations.get(vocabulary, {}).get(key, {}).get(language)
            if found:
                return found
        return self.vocabulary(vocabulary).get(key, key)

    def labels(self, vocabulary: str, language: str | None = None) -> dict[str, str]:
        """Return the key -> label map of ``vocabulary`` in ``language`` (default: the
        current one), in the file's order (for choosing one)."""
        return {key: self.label(vocabulary, key, language) for key in self.vocabulary(vocabulary)}

    def missing_labels(self) -> list[tuple[str, str, str]]:
        """Every (vocabulary, key, language) that has no label in that language."""
        return [
            (vocabulary, key, language)
            for vocabulary in LABELLED
            for key in self.vocabulary(vocabulary)
            for language in TRANSLATED_LANGUAGES
            if not self.translations.get(vocabulary, {}).get(key, {}).get(language)
        ]

    @property
    def working_tie_kinds(self) -> frozenset[str]:
        """Tie kinds that mean two institutions work together: those that carry cases or
        introduce (funding and hosting do neither)."""
        return self.case_carrying_tie_kinds | self.introducing_tie_kinds

    def services_of(self, sector: str, services: Iterable[str] | None) -> tuple[str, ...]:
        """Return what an institution offers: its own services, else its sector's defaults."""
        services = tuple(services or ())
        return services if services else self.default_services.get(sector, ())

    def stages_of(self, sector: str, services: Iterable[str] | None) -> tuple[str, ...]:
        """Return the keys of the pathway stages an institution carries, in pathway order:
        those one of whose services it offers (:meth:`services_of`)."""
        offered = set(self.services_of(sector, services))
        return tuple(stage.key for stage in self.ordered_stages() if offered & stage.services)

    def ordered_stages(self) -> list[Stage]:
        """Every stage, in pathway order (cross-cutting needs first, then by ``order``)."""
        return sorted(self.stages.values(), key=lambda s: (not s.cross_cutting, s.order, s.key))

    def expected_sectors(self, country: str) -> LocalNetworkModel | None:
        """The model's expectation for the local networks of ``country`` (None: none set)."""
        return self.local_networks.get(country)


# --- reading the files -------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise NetmapError(f"{path}: cannot read the file: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NetmapError(f"{path}: not valid TOML: {exc}") from exc


def _check_keys(path: Path, what: str, keys: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise NetmapError(f"{path}: {what} names unknown keys: {', '.join(unknown)}")


def _table(path: Path, raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    try:
        table = raw[name]
    except KeyError:
        raise NetmapError(f"{path}: the section [{name}] is missing") from None
    if not isinstance(table, Mapping):
        raise NetmapError(f"{path}: [{name}] must be a table")
    return table


def _translated(path: Path, where: str, spec: Mapping[str, Any], field: str) -> dict[str, str]:
    """The translations of a label (``field``: ``labels``) or of a basis (``bases``):
    language -> text, Serbian Latin transliterated from Serbian Cyrillic unless written.
    Refuses a language netmap does not speak."""
    written = spec.get(field, {})
    if not isinstance(written, Mapping):
        raise NetmapError(f"{path}: {where} {field} must be a table of languages")
    unknown = sorted(set(written) - set(TRANSLATED_LANGUAGES))
    if unknown:
        raise NetmapError(
            f"{path}: {where} {field} names languages netmap does not speak: "
            f"{', '.join(unknown)} (one of: {', '.join(TRANSLATED_LANGUAGES)}; English is "
            f"{field.removesuffix('s') if field == 'labels' else 'basis'})"
        )
    found = {language: str(text) for language, text in written.items()}
    if "sr" in found and "sr_Latn" not in found:
        found["sr_Latn"] = serbian_latin(found["sr"])
    return found


def _labelled(
    path: Path,
    raw: Mapping[str, Any],
    name: str,
    flags: tuple[str, ...] = (),
    translations: dict[str, dict[str, dict[str, str]]] | None = None,
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Read a vocabulary written either as ``key = "Label"`` or as ``[name.key]`` tables
    with a ``label``, its ``labels`` in other languages and the boolean ``flags``; return
    the labels and each key's flags, and put the translations in ``translations``."""
    labels: dict[str, str] = {}
    settings: dict[str, dict[str, Any]] = {}
    translated = {} if translations is None else translations.setdefault(name, {})
    for key, spec in _table(path, raw, name).items():
        if isinstance(spec, str):
            labels[key], settings[key] = spec, {}
            continue
        if not isinstance(spec, Mapping) or "label" not in spec:
            raise NetmapError(f"{path}: [{name}.{key}] needs a label")
        _check_keys(path, f"[{name}.{key}]", spec, ("label", "labels", *flags))
        labels[key] = str(spec["label"])
        translated[key] = _translated(path, f"[{name}.{key}]", spec, "labels")
        settings[key] = {flag: spec[flag] for flag in flags if flag in spec}
        for flag, value in settings[key].items():
            if not isinstance(value, bool):
                raise NetmapError(f"{path}: [{name}.{key}] {flag} must be true or false")
    return labels, settings


def _flagged(settings: dict[str, dict[str, Any]], flag: str) -> frozenset[str]:
    return frozenset(key for key, spec in settings.items() if spec.get(flag))


def _parse_taxonomy(path: Path) -> dict[str, Any]:
    raw = _read_toml(path)
    _check_keys(
        path,
        "the taxonomy",
        raw,
        (
            "sectors", "kinds", "levels", "services", "tie_kinds", "target_groups",
            "participation_roles", "initiative_kinds", "evidence", "source_covers",
            "legal_bases",
        ),
    )  # fmt: skip
    sectors: dict[str, str] = {}
    default_services: dict[str, tuple[str, ...]] = {}
    translations: dict[str, dict[str, dict[str, str]]] = {"sectors": {}}
    for key, spec in _table(path, raw, "sectors").items():
        if not isinstance(spec, Mapping) or "label" not in spec:
            raise NetmapError(f"{path}: [sectors.{key}] needs a label")
        _check_keys(path, f"[sectors.{key}]", spec, ("label", "labels", "default_services"))
        sectors[key] = str(spec["label"])
        translations["sectors"][key] = _translated(path, f"[sectors.{key}]", spec, "labels")
        default_services[key] = tuple(spec.get("default_services", []))
    tie_kinds, tie_settings = _labelled(
        path, raw, "tie_kinds", ("directed", "carries_cases", "introduces"), translations
    )
    roles, role_settings = _labelled(
        path, raw, "participation_roles", ("takes_part",), translations
    )
    initiative_kinds, initiative_settings = _labelled(
        path, raw, "initiative_kinds", ("members_work_together",), translations
    )
    plain = {
        name: _labelled(path, raw, name, translations=translations)[0]
        for name in ("kinds", "levels", "services", "target_groups", "legal_bases")
    }
    for name in ("evidence", "source_covers"):
        plain[name] = (
            _labelled(path, raw, name, translations=translations)[0] if name in raw else {}
        )
    for sector, services in default_services.items():
        _check_keys(path, f"sector {sector!r}", services, plain["services"])
    return {
        "sectors": sectors,
        "default_services": default_services,
        "tie_kinds": tie_kinds,
        "directed_tie_kinds": _flagged(tie_settings, "directed"),
        "case_carrying_tie_kinds": _flagged(tie_settings, "carries_cases"),
        "introducing_tie_kinds": _flagged(tie_settings, "introduces"),
        "participation_roles": roles,
        "taking_part_roles": _flagged(role_settings, "takes_part"),
        "initiative_kinds": initiative_kinds,
        "working_initiative_kinds": _flagged(initiative_settings, "members_work_together"),
        "translations": translations,
        **plain,
    }


_STAGE_KEYS = (
    "label", "labels", "order", "services", "sectors", "where", "victims", "cross_cutting",
    "basis",
)  # fmt: skip


def _parse_stage(path: Path, key: str, spec: Any) -> Stage:
    if not isinstance(spec, Mapping):
        raise NetmapError(f"{path}: [stages.{key}] must be a table")
    # A key after a [stages.x] table belongs to that table in TOML: catch a misplaced one.
    _check_keys(path, f"stage {key!r}", spec, _STAGE_KEYS)
    try:
        stage = Stage(
            key=key,
            label=str(spec["label"]),
            order=int(spec["order"]),
            services=frozenset(spec.get("services", [])),
            sectors=frozenset(spec.get("sectors", [])),
            where=str(spec.get("where", "local")),
            victims=str(spec.get("victims", "all")),
            cross_cutting=bool(spec.get("cross_cutting", False)),
            basis=str(spec.get("basis", "")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise NetmapError(f"{path}: stage {key!r} is malformed ({exc})") from exc
    if stage.where not in STAGE_WHERE:
        raise NetmapError(f"{path}: stage {key!r}: where must be one of {', '.join(STAGE_WHERE)}")
    if stage.victims not in STAGE_VICTIMS:
        raise NetmapError(
            f"{path}: stage {key!r}: victims must be one of {', '.join(STAGE_VICTIMS)}"
        )
    if not stage.services:
        raise NetmapError(f"{path}: stage {key!r} names no services: nothing could carry it")
    return stage


def _parse_handover(path: Path, spec: Any) -> Handover:
    if isinstance(spec, list) and len(spec) == 2:  # the first edition's [from, to] pairs
        return Handover(str(spec[0]), str(spec[1]))
    if not isinstance(spec, Mapping):
        raise NetmapError(f"{path}: a hand-over must be {{ from = …, to = … }}, not {spec!r}")
    _check_keys(path, "a hand-over", spec, ("from", "to", "across_border"))
    try:
        return Handover(str(spec["from"]), str(spec["to"]), bool(spec.get("across_border", False)))
    except KeyError as exc:
        raise NetmapError(f"{path}: a hand-over lacks {exc}") from None


def _parse_pathway(path: Path, taxonomy: Mapping[str, Any]) -> dict[str, Any]:
    model = _read_toml(path)
    _check_keys(path, "the pathway model", model, ("stages", "handovers", "local_network"))
    stages = {
        key: _parse_stage(path, key, spec) for key, spec in _table(path, model, "stages").items()
    }
    handovers = tuple(_parse_handover(path, spec) for spec in model.get("handovers", []))
    local_networks: dict[str, LocalNetworkModel] = {}
    for country, spec in model.get("local_network", {}).items():
        if not isinstance(spec, Mapping):
            raise NetmapError(
                f"{path}: [local_network.{country}] must be a table with expected_sectors "
                "and basis (one per country)"
            )
        _check_keys(
            path, f"[local_network.{country}]", spec, ("expected_sectors", "basis", "bases")
        )
        if not str(spec.get("basis", "")).strip():
            raise NetmapError(
                f"{path}: [local_network.{country}] needs a basis: say where the expected "
                "composition comes from"
            )
        local_networks[country] = LocalNetworkModel(
            country=country,
            expected_sectors=tuple(spec.get("expected_sectors", [])),
            basis=str(spec["basis"]),
            bases=_translated(path, f"[local_network.{country}]", spec, "bases"),
        )
    for stage in stages.values():
        _check_keys(path, f"stage {stage.key!r}", stage.services, taxonomy["services"])
        _check_keys(path, f"stage {stage.key!r}", stage.sectors, taxonomy["sectors"])
    _check_keys(path, "handovers", {k for pair in handovers for k in pair}, stages)
    for expectation in local_networks.values():
        _check_keys(
            path,
            f"[local_network.{expectation.country}]",
            expectation.expected_sectors,
            taxonomy["sectors"],
        )
    stage_labels = {
        key: _translated(path, f"[stages.{key}]", spec, "labels")
        for key, spec in _table(path, model, "stages").items()
    }
    return {
        "stages": stages,
        "handovers": handovers,
        "local_networks": local_networks,
        "stage_labels": stage_labels,
    }


def _parse(taxonomy_path: Path, pathway_path: Path) -> Taxonomy:
    vocabularies = _parse_taxonomy(taxonomy_path)
    pathway = _parse_pathway(pathway_path, vocabularies)
    vocabularies["translations"]["stages"] = pathway.pop("stage_labels")
    return Taxonomy(**vocabularies, **pathway)


@cache
def load_taxonomy() -> Taxonomy:
    """Return the taxonomy in force: read once per process, then cached.

    Validation calls this for every field of every row, so it must stay cheap. The files
    are the bundled ones unless ``NETMAP_TAXONOMY`` / ``NETMAP_PATHWAY`` name others; after
    changing either, call :func:`reload_taxonomy`.
    """
    return _parse(
        Path(os.environ.get("NETMAP_TAXONOMY") or data_file("taxonomy.toml")),
        Path(os.environ.get("NETMAP_PATHWAY") or data_file("pathway.toml")),
    )


def reload_taxonomy() -> Taxonomy:
    """Forget the cached taxonomy and read the files in force again."""
    load_taxonomy.cache_clear()
    return load_taxonomy()
