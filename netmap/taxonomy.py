"""The taxonomy and the referral-pathway model, read from ``data/``.

The code holds no sector, service or stage of its own: it reads ``taxonomy.toml`` and
``pathway.toml`` (or the files named by ``NETMAP_TAXONOMY`` and ``NETMAP_PATHWAY``), so a
user can adapt both to their country's mechanism without touching code.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from netmap.errors import NetmapError
from netmap.resources import data_file


@dataclass(frozen=True)
class Stage:
    """A stage of the referral pathway and the services and sectors that carry it."""

    key: str
    label: str
    order: int
    services: frozenset[str]
    sectors: frozenset[str]


@dataclass(frozen=True)
class Taxonomy:
    """Every key a record may use, with its label.

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
    stages: dict[str, Stage] = field(default_factory=dict)
    handovers: tuple[tuple[str, str], ...] = ()
    expected_local_sectors: tuple[str, ...] = ()

    def vocabulary(self, name: str) -> dict[str, str]:
        """Return the key -> label map of the vocabulary ``name`` (e.g. ``"sectors"``)."""
        return getattr(self, name)

    def label(self, vocabulary: str, key: str | None) -> str:
        """Return the label of ``key`` in ``vocabulary``, or the key itself if unknown."""
        if key is None:
            return ""
        return self.vocabulary(vocabulary).get(key, key)

    def services_of(self, sector: str, services: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Return what an institution offers: its own services, else its sector's defaults."""
        return tuple(services) if services else self.default_services.get(sector, ())

    def stages_of(self, sector: str, services: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Return the keys of the pathway stages an institution carries, in pathway order."""
        offered = set(self.services_of(sector, services))
        return tuple(
            stage.key
            for stage in sorted(self.stages.values(), key=lambda s: s.order)
            if sector in stage.sectors or offered & stage.services
        )


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise NetmapError(f"{path}: cannot read the file: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NetmapError(f"{path}: not valid TOML: {exc}") from exc


def _check_keys(path: Path, what: str, keys, allowed) -> None:
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise NetmapError(f"{path}: {what} names unknown keys: {', '.join(unknown)}")


def _parse(taxonomy_path: Path, pathway_path: Path) -> Taxonomy:
    raw = _read_toml(taxonomy_path)
    try:
        sectors = {key: spec["label"] for key, spec in raw["sectors"].items()}
        default_services = {
            key: tuple(spec.get("default_services", [])) for key, spec in raw["sectors"].items()
        }
        tie_kinds = {key: spec["label"] for key, spec in raw["tie_kinds"].items()}
        directed = frozenset(k for k, spec in raw["tie_kinds"].items() if spec.get("directed"))
        plain = {
            name: dict(raw[name])
            for name in (
                "kinds",
                "levels",
                "services",
                "target_groups",
                "participation_roles",
                "initiative_kinds",
                "legal_bases",
            )
        }
    except KeyError as exc:
        raise NetmapError(f"{taxonomy_path}: the section or label {exc} is missing") from exc
    for sector, services in default_services.items():
        _check_keys(taxonomy_path, f"sector {sector!r}", services, plain["services"])

    model = _read_toml(pathway_path)
    _check_keys(pathway_path, "the pathway model", model, ("stages", "handovers", "local_network"))
    for key, spec in model.get("stages", {}).items():
        # A key after a [stages.x] table belongs to that table in TOML: catch a misplaced one.
        _check_keys(pathway_path, f"stage {key!r}", spec, ("label", "order", "services", "sectors"))
    try:
        stages = {
            key: Stage(
                key=key,
                label=spec["label"],
                order=int(spec["order"]),
                services=frozenset(spec.get("services", [])),
                sectors=frozenset(spec.get("sectors", [])),
            )
            for key, spec in model["stages"].items()
        }
        handovers = tuple((a, b) for a, b in model.get("handovers", []))
        expected = tuple(model.get("local_network", {}).get("expected_sectors", []))
    except (KeyError, ValueError, TypeError) as exc:
        raise NetmapError(f"{pathway_path}: malformed stage or hand-over ({exc})") from exc
    for stage in stages.values():
        _check_keys(pathway_path, f"stage {stage.key!r}", stage.services, plain["services"])
        _check_keys(pathway_path, f"stage {stage.key!r}", stage.sectors, sectors)
    _check_keys(pathway_path, "handovers", {k for pair in handovers for k in pair}, stages)
    _check_keys(pathway_path, "local_network", expected, sectors)

    return Taxonomy(
        sectors=sectors,
        default_services=default_services,
        tie_kinds=tie_kinds,
        directed_tie_kinds=directed,
        stages=stages,
        handovers=handovers,
        expected_local_sectors=expected,
        **plain,
    )


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
