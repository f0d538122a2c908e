"""Drawing networks with pyvis (vis-network): styling, safe tooltips, layouts, aggregation;
and the map of places with pydeck (:func:`place_map`).

The only module that imports pyvis. It takes networkx graphs (from :mod:`netmap.graph`)
and returns a :class:`Drawing`, whose :meth:`Drawing.html` is a self-contained page:
vis-network's script and style are written into it, so it shows without internet, in the
app's iframe or saved to a file and opened from a USB stick.

Safety. Every user-supplied string (names, cities, notes, sources…) is escaped before it
reaches the page:

- tooltips are HTML built here, each user string passed through :func:`html.escape`;
  the page turns them into elements (vis-network shows a *string* title as plain text);
- labels are drawn on the canvas as plain text (:func:`label_text`), which the browser
  never parses as HTML;
- the page template is netmap's, not pyvis's: pyvis's stock template writes its
  ``heading`` unescaped, loads Bootstrap from a CDN, and switches to
  ``popup.innerHTML = title`` as soon as any title contains ``href``. None of that is
  here, and ``select_menu``/``heading`` are never used.

Size. Up to :data:`PHYSICS_LIMIT` institutions the browser lays the graph out with
physics; up to :data:`DRAW_LIMIT` the positions are computed here (grouped by place, so it
takes a fraction of a second) and physics is off; past that, draw places instead
(:func:`place_drawing`) and let the user open one.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pydeck as pdk
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydeck.bindings.json_tools import default_serialize
from pyvis.network import Network as PyvisNetwork

from netmap.codes import country_name
from netmap.graph import tie_strength
from netmap.i18n import N_, current_language, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.names import display_names
from netmap.resources import data_file
from netmap.taxonomy import load_taxonomy

#: Up to this many institutions, the browser lays the graph out with physics.
PHYSICS_LIMIT = 300
#: Up to this many institutions, each is drawn (positions computed here, physics off);
#: past it, draw places (cities or countries) instead.
DRAW_LIMIT = 3000

_VIS_ASSETS = "lib/vis-9.1.2"

# One colour per sector, in the taxonomy's order; a sector added to the taxonomy takes the
# next colour (the list repeats past its end).
_SECTOR_PALETTE = (
    "#1f4e99",
    "#6a3d9a",
    "#9e7bc4",
    "#2ca02c",
    "#7bc96f",
    "#e377c2",
    "#8c564b",
    "#c49c94",
    "#bcbd22",
    "#17becf",
    "#0b7285",
    "#7f7f7f",
    "#d62728",
    "#f0a04b",
    "#ff7f0e",
    "#393b79",
    "#74a9cf",
    "#637939",
    "#b8b8b8",
    "#843c39",
)
_UNKNOWN_COLOUR = "#b8b8b8"
# Shapes with the label underneath, one per institution kind in the taxonomy's order.
_KIND_SHAPES = ("dot", "diamond", "star", "triangle", "square", "triangleDown")
_UNKNOWN_SHAPE = "hexagon"

_DOMESTIC_EDGE = "#9aa5b1"
_CROSS_BORDER_EDGE = "#c2255c"
_IMPLIED_EDGE = "#cfd6de"
_PATH_COLOUR = "#111111"

# How a tie kind is drawn: a line pattern (vis-network ``dashes``). Formal and operational
# ties are solid; joint work dashed; occasional contact dotted.
_DASHED = (8, 6)
_DOTTED = (2, 5)
_TIE_PATTERNS: dict[str, Any] = {
    "joint_project": list(_DASHED),
    "joint_training": list(_DASHED),
    "meeting": list(_DOTTED),
    "information_exchange": list(_DOTTED),
}
# When one line stands for several ties, it takes the pattern of the most formal one.
_FORMALITY = (
    "protocol",
    "mou",
    "funding",
    "referral",
    "case_coordination",
    "coordination",
    "joint_project",
    "joint_training",
    "information_exchange",
    "meeting",
)
_STRENGTH_WORDS = {
    # Translators: the strength of a tie, after its kind in a tooltip: "Referral; weak".
    1: N_("weak"),
    # Translators: the strength of a tie, after its kind in a tooltip: "Referral; working".
    2: N_("working"),
    # Translators: the strength of a tie, after its kind in a tooltip: "Referral; strong".
    3: N_("strong"),
}


# --- escaping ---------------------------------------------------------------------------


def escape(value: Any) -> str:
    """Return ``value`` as text safe to place in HTML (``None`` becomes empty)."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def label_text(value: Any, width: int = 30) -> str:
    """Return ``value`` as a node label: one line of plain text, at most ``width`` long.

    Labels are drawn on the canvas as plain text (``font.multi`` is off), never parsed as
    HTML, so they are not HTML-escaped: ``&lt;`` would show as such. (vis-network's own
    ``html`` label markup is not used either: it builds a regular expression from any
    label holding ``&`` and fails on names with brackets.)
    """
    if value is None:
        return ""
    return shorten(str(value), width)


def shorten(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shown_name(data: Mapping[str, Any], fallback: Any = "") -> tuple[str, str | None]:
    """An institution's or a city's name as the reader sees it first (its local name when
    that is in the reader's language or script, :func:`netmap.names.display_names`), and
    its other name (None when it has one)."""
    first, other = display_names(
        data.get("name"), data.get("name_local"), country=data.get("country")
    )
    # A Serbian name written in Latin letters for a sr_Latn reader may be the other one.
    return first or str(fallback), other if other != first else None


def _place_name(key: Any, data: Mapping[str, Any], level: str) -> tuple[str, str | None]:
    """A place's name for the reader, and its other name: a country named in the reader's
    language (from its code: a graph of places may have been built in another language),
    a city as :func:`shown_name` says."""
    if level == "country":
        code = data.get("country") or str(key)
        return country_name(code) or data.get("name") or code, None
    return shown_name(data, key)


# --- styling ----------------------------------------------------------------------------


def sector_colour(sector: str | None) -> str:
    """Return the colour of ``sector`` (by its place in the taxonomy)."""
    sectors = list(load_taxonomy().sectors)
    if sector not in sectors:
        return _UNKNOWN_COLOUR
    return _SECTOR_PALETTE[sectors.index(sector) % len(_SECTOR_PALETTE)]


def kind_shape(kind: str | None) -> str:
    """Return the vis-network shape of an institution ``kind``."""
    kinds = list(load_taxonomy().kinds)
    if kind not in kinds:
        return _UNKNOWN_SHAPE
    return _KIND_SHAPES[kinds.index(kind) % len(_KIND_SHAPES)]


def tie_pattern(kinds: Iterable[str | None]) -> Any:
    """Return the line pattern for ties of ``kinds`` (the most formal kind wins; None: a
    tie of no kind)."""
    kinds = set(kinds)
    for kind in _FORMALITY:
        if kind in kinds:
            return _TIE_PATTERNS.get(kind, False)
    return False


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a symbol (``dot``, ``shape`` or ``line``) and its meaning
    (in words a person reads, translated)."""

    symbol: str
    label: str
    colour: str = "#444444"
    shape: str = "dot"
    pattern: Any = False


# Their labels are English message ids, translated where a legend is made.
_LINE_LEGEND = {
    "domestic": LegendEntry("line", N_("Tie within a country"), _DOMESTIC_EDGE),
    "cross_border": LegendEntry("line", N_("Cross-border tie"), _CROSS_BORDER_EDGE),
    "dashed": LegendEntry(
        "line", N_("Joint project or training"), _DOMESTIC_EDGE, pattern=list(_DASHED)
    ),
    "dotted": LegendEntry(
        "line", N_("Meeting or information exchange"), _DOMESTIC_EDGE, pattern=list(_DOTTED)
    ),
    "implied": LegendEntry(
        # Translators: a dotted line between two institutions that take part in the same
        # initiative (network, project, protocol, event).
        "line",
        N_("Take part in the same initiative"),
        _IMPLIED_EDGE,
        pattern=list(_DOTTED),
    ),
    "path": LegendEntry("line", N_("Introduction path"), _PATH_COLOUR),
}


def legend_entries(
    sectors: Iterable[str], kinds: Iterable[str | None], lines: Iterable[str] | None = None
) -> list[LegendEntry]:
    """Return the legend of a drawing that shows ``sectors``, ``kinds`` and ``lines``.

    ``lines`` names the kinds of line drawn (keys of ``_LINE_LEGEND``: ``domestic``,
    ``cross_border``, ``dashed``, ``dotted``, ``implied``, ``path``); all but the last
    two when not given.
    """
    taxonomy = load_taxonomy()
    entries = [
        LegendEntry("dot", taxonomy.label("sectors", s), sector_colour(s))
        for s in sorted(
            set(sectors),
            key=lambda s: list(taxonomy.sectors).index(s) if s in taxonomy.sectors else 99,
        )
    ]
    shown_kinds = sorted(
        {k or "" for k in kinds},
        key=lambda k: list(taxonomy.kinds).index(k) if k in taxonomy.kinds else 99,
    )
    entries += [
        LegendEntry(
            "shape",
            # Translators: in the legend: institutions whose kind is not recorded.
            taxonomy.label("kinds", k) if k else _("Kind not given"),
            "#555555",
            kind_shape(k or None),
        )
        for k in shown_kinds
    ]
    shown_lines = ["domestic", "cross_border", "dashed", "dotted"] if lines is None else lines
    entries += [
        replace(entry, label=_(entry.label))
        for key, entry in _LINE_LEGEND.items()
        if key in set(shown_lines)
    ]
    return entries


# --- colouring -------------------------------------------------------------------------

#: What institutions can be coloured by.
COLOUR_BY = ("sector", "country", "community")

# Colours told apart easily, for groups that have no colour of their own (countries,
# communities): the largest groups get them, the rest share _UNKNOWN_COLOUR.
_GROUP_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#ad494a",
)
#: A community drawn with fewer members than this shares the grey of the small ones.
SMALL_COMMUNITY = 3


@dataclass(frozen=True)
class Colouring:
    """The colour of each institution, and the legend entries that say what they mean."""

    by: str
    colours: dict[Hashable, str]
    legend: list[LegendEntry]


def colouring(
    nodes: Iterable[tuple[Hashable, Mapping[str, Any]]],
    by: str = "sector",
    communities: Mapping[Hashable, int] | None = None,
) -> Colouring:
    """Colour institutions by ``by``: ``"sector"``, ``"country"`` or ``"community"``.

    ``nodes`` are ``(id, fields)`` pairs (``graph.nodes(data=True)``). Sectors keep their
    own colours (:func:`sector_colour`). Countries, and communities (``communities``: the
    community number of each institution, as :class:`netmap.analysis.metrics.NetworkMetrics`
    gives it; missing or negative is none), get the twelve colours of the palette in order
    of size, largest first; smaller ones share grey, and so do communities of fewer than
    :data:`SMALL_COMMUNITY` of the institutions drawn. The legend names each colour with
    its number of institutions (a community also by where most of its members are).
    """
    fields = dict(nodes)
    if by == "sector":
        colours = {n: sector_colour(d.get("sector")) for n, d in fields.items()}
        sectors = {d["sector"] for d in fields.values() if d.get("sector")}
        return Colouring(by, colours, legend_entries(sectors, (), ()))
    if by == "country":
        groups = _groups(fields, lambda node, data: data.get("country") or "")
        return _group_colouring(
            by,
            groups,
            lambda code, members: (
                f"{country_name(code) or code or _('Country not given')} "
                f"({format_number(len(members))})"
            ),
            # Translators: in the legend: the countries that share the grey colour.
            _("Other countries"),
        )
    if by == "community":
        known = communities or {}
        groups = _groups(fields, lambda node, data: known.get(node, -1))
        small = [
            n
            for key, members in groups.items()
            if len(members) < SMALL_COMMUNITY or key < 0
            for n in members
        ]
        groups = {
            key: members
            for key, members in groups.items()
            if key >= 0 and len(members) >= SMALL_COMMUNITY
        }
        colouring_ = _group_colouring(
            by,
            groups,
            lambda key, members: _community_label([fields[n] for n in members]),
            # Translators: in the legend: the communities that share the grey colour.
            _("Other communities"),
        )
        if small:
            colouring_.colours.update(dict.fromkeys(small, _UNKNOWN_COLOUR))
            colouring_.legend.append(
                LegendEntry(
                    "dot",
                    _("Alone or in a group of fewer than %(size)d") % {"size": SMALL_COMMUNITY}
                    + f" ({format_number(len(small))})",
                    _UNKNOWN_COLOUR,
                )
            )
        return colouring_
    raise ValueError(f"cannot colour by {by!r}: choose one of {', '.join(COLOUR_BY)}")


def _groups(fields: Mapping[Hashable, Mapping[str, Any]], key: Any) -> dict[Any, list[Hashable]]:
    """Nodes grouped by ``key(node, fields)``, largest group first (then by key)."""
    groups: dict[Any, list[Hashable]] = defaultdict(list)
    for node, data in fields.items():
        groups[key(node, data)].append(node)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), str(item[0]))))


def _group_colouring(
    by: str, groups: Mapping[Any, list[Hashable]], label: Any, rest: str
) -> Colouring:
    """Palette colours for the largest groups (in ``groups``' order), grey for the rest."""
    colours: dict[Hashable, str] = {}
    legend: list[LegendEntry] = []
    others: list[Hashable] = []
    for index, (key, members) in enumerate(groups.items()):
        if index >= len(_GROUP_PALETTE):
            others += members
            continue
        colour = _GROUP_PALETTE[index]
        colours.update(dict.fromkeys(members, colour))
        legend.append(LegendEntry("dot", label(key, members), colour))
    if others:
        colours.update(dict.fromkeys(others, _UNKNOWN_COLOUR))
        legend.append(LegendEntry("dot", f"{rest} ({format_number(len(others))})", _UNKNOWN_COLOUR))
    return Colouring(by, colours, legend)


def _community_label(members: Sequence[Mapping[str, Any]]) -> str:
    """``"23 institutions, most in Niš"``: a community by its size and where it is."""
    size = len(members)
    written = format_number(size)
    for level in ("city", "country"):
        places = [m.get(level) for m in members if m.get(level)]
        if not places:
            continue
        place, count = max(
            ((p, places.count(p)) for p in dict.fromkeys(places)), key=lambda pc: pc[1]
        )
        if count * 2 > len(members):
            name = place if level == "city" else country_name(place) or place
            if count == len(members):
                return ngettext(
                    "%(count)s institution, all in %(place)s",
                    "%(count)s institutions, all in %(place)s",
                    size,
                ) % {"count": written, "place": name}
            return ngettext(
                "%(count)s institution, most in %(place)s",
                "%(count)s institutions, most in %(place)s",
                size,
            ) % {"count": written, "place": name}
    return ngettext(
        "%(count)s institution, in several places",
        "%(count)s institutions, in several places",
        size,
    ) % {"count": written}


# --- tooltips ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tip:
    """A tooltip as plain text: a title, a subtitle and ``(label, value)`` rows.

    :meth:`html` writes it for the standalone page, every string escaped; the app's graph
    builds it from :meth:`data` with ``textContent``, parsing nothing.
    """

    title: str
    subtitle: str | None = None
    rows: tuple[tuple[str, str], ...] = ()

    def html(self) -> str:
        """Return the tooltip as HTML: a bold title and ``label: value`` rows, escaped."""
        parts = [f"<b>{escape(self.title)}</b>"]
        if self.subtitle:
            parts.append(f"<i>{escape(self.subtitle)}</i>")
        for label, value in self.rows:
            if label:
                parts.append(f"<span class=k>{escape(label)}:</span> {escape(value)}")
            else:
                parts.append(escape(value))
        return "<br>".join(parts)

    def data(self) -> dict[str, Any]:
        """Return the tooltip as JSON-ready data (``title``, ``subtitle``, ``rows``)."""
        return {"title": self.title, "subtitle": self.subtitle, "rows": [*map(list, self.rows)]}


def tip(title: str, rows: Iterable[tuple[str, Any]] = (), subtitle: str | None = None) -> Tip:
    """Return a :class:`Tip`; empty values are left out, list values joined with commas."""
    kept = []
    for label, value in rows:
        if isinstance(value, (list, tuple, set, frozenset)):
            value = ", ".join(str(v) for v in value if v)
        if value in (None, ""):
            continue
        kept.append((label or "", str(value)))
    return Tip(str(title), subtitle or None, tuple(kept))


def tooltip(title: str, rows: Iterable[tuple[str, Any]] = (), subtitle: str | None = None) -> str:
    """Return a tooltip as HTML: a bold title and ``label: value`` rows, all escaped.

    Empty values are left out; list values are joined with commas.
    """
    return tip(title, rows, subtitle).html()


def _tips(shown: Tip) -> dict[str, Any]:
    """A drawing item's tooltip: ``title`` (HTML, for the standalone page) and ``tip``
    (data, for the app's graph)."""
    return {"title": shown.html(), "tip": shown.data()}


def _labels(vocabulary: str, keys: Iterable[str] | None) -> list[str]:
    taxonomy = load_taxonomy()
    return [taxonomy.label(vocabulary, k) for k in keys or ()]


def institution_tooltip(
    data: Mapping[str, Any],
    extra: Iterable[tuple[str, Any]] = (),
    cite: Callable[[Any], str] | None = None,
) -> str:
    """Return the tooltip of an institution from its node fields, as HTML."""
    return institution_tip(data, extra, cite).html()


def institution_tip(
    data: Mapping[str, Any],
    extra: Iterable[tuple[str, Any]] = (),
    cite: Callable[[Any], str] | None = None,
) -> Tip:
    """Return the tooltip of an institution from its node fields; ``cite`` writes its
    ``source`` cell (``netmap.tables.TableWords.source``: each registered source by its
    title, publisher and date), which is otherwise shown as recorded."""
    taxonomy = load_taxonomy()
    place = ", ".join(filter(None, [data.get("city"), country_name(data.get("country"))]))
    services = _labels(
        "services", taxonomy.services_of(data.get("sector") or "", data.get("services") or [])
    )
    # Translators: a tooltip's row: services assumed from the institution's sector, as
    # none are recorded.
    services_label = _("Services") if data.get("services") else _("Services (assumed)")
    source = data.get("source") or ""
    rows = [
        (
            # Translators: a tooltip's row, "Stands for: a group, not one body": the record
            # stands for several bodies (e.g. all the centres for social work of a region).
            _("Stands for"),
            _("a group, not one body") if data.get("collective") else None,
        ),
        (_("Acronym"), data.get("acronym")),
        # Translators: a tooltip's row: the institution's sector.
        (_("Sector"), taxonomy.label("sectors", data.get("sector"))),
        # Translators: a tooltip's row: the institution's kind (NGO, ministry, court…).
        (_("Kind"), taxonomy.label("kinds", data.get("kind"))),
        # Translators: a tooltip's row: national, regional or local level.
        (_("Level"), taxonomy.label("levels", data.get("level"))),
        # Translators: a tooltip's row: city and country.
        (_("Place"), place),
        (services_label, shorten(", ".join(services), 160)),
        (_("Languages"), data.get("languages")),
        *extra,
        # Translators: a tooltip's row: "Last verified: never".
        (_("Last verified"), data.get("last_verified") or _("never")),
        # Translators: a tooltip's row: where the record's information comes from.
        (_("Source"), shorten(cite(source) if cite else source, 160)),
    ]
    title, subtitle = shown_name(data)
    return tip(title, rows, subtitle=subtitle)


def _tie_line(tie: Mapping[str, Any], names: Mapping[Hashable, str]) -> str:
    taxonomy = load_taxonomy()
    # Translators: a tie whose kind is not recorded, in a tooltip.
    kind = taxonomy.label("tie_kinds", tie.get("kind")) or _("Tie")
    if tie.get("implied"):
        kind = _("Take part in the same initiative")
    words = [kind]
    strength = _STRENGTH_WORDS.get(tie.get("strength") or 0)
    if strength and not tie.get("implied"):
        words.append(_(strength))
    if tie.get("directed") and tie.get("source_id") in names and tie.get("target_id") in names:
        words.append(
            f"{shorten(names[tie['source_id']], 40)} → {shorten(names[tie['target_id']], 40)}"
        )
    span = " – ".join(filter(None, [tie.get("since"), tie.get("until")]))
    if span:
        # Translators: a tie's date in a tooltip: "since 2019-03-01".
        words.append(span if tie.get("until") else _("since %(date)s") % {"date": span})
    evidence = tie.get("evidence")
    if evidence and evidence != "reported" and not tie.get("implied"):
        words.append(taxonomy.label("evidence", evidence).lower())
    # Translators: between the facts of a tie in a tooltip ("Referral; strong; since 2019"):
    # a semicolon and a space, in Greek the upper stop ("· ").
    text = _("; ").join(words)
    if tie.get("notes"):
        text += f". {shorten(tie['notes'], 140)}"
    return text


def tie_tooltip(
    ties: Sequence[Mapping[str, Any]], ends: tuple[str, str], names: Mapping[Hashable, str]
) -> str:
    """Return the tooltip of the line between two institutions, as HTML."""
    return tie_tip(ties, ends, names).html()


def tie_tip(
    ties: Sequence[Mapping[str, Any]], ends: tuple[str, str], names: Mapping[Hashable, str]
) -> Tip:
    """Return the tooltip of the line between two institutions, listing each of its ties."""
    title = f"{shorten(ends[0], 50)} — {shorten(ends[1], 50)}"
    rows = [("", f"• {_tie_line(tie, names)}") for tie in ties[:8]]
    if len(ties) > 8:
        more = len(ties) - 8
        # Translators: the last line of a list of ties in a tooltip.
        rows.append(
            ("", ngettext("• and %(count)d more", "• and %(count)d more", more) % {"count": more})
        )
    verified = sorted(filter(None, (t.get("last_verified") for t in ties)))
    rows.append((_("Last verified"), verified[-1] if verified else _("never")))
    return tip(title, rows)


# --- layout -----------------------------------------------------------------------------


def _sunflower(nodes: Sequence[Hashable], radius: float) -> dict[Hashable, tuple[float, float]]:
    """Spread ``nodes`` evenly over a disc, the first ones in the middle."""
    golden = math.pi * (3 - math.sqrt(5))
    count = max(len(nodes), 1)
    return {
        node: (
            radius * math.sqrt((i + 0.5) / count) * math.cos(i * golden),
            radius * math.sqrt((i + 0.5) / count) * math.sin(i * golden),
        )
        for i, node in enumerate(nodes)
    }


_UNIT = 38.0  # pixels between neighbouring institutions
_SMALL = 150  # up to this many items, a spring layout; beyond, evenly on a disc


def _spread(items: list[Hashable], radii: Mapping[Hashable, float]) -> dict:
    """Place items of the given radii on a sunflower spiral, the first in the middle,
    each ring far enough out for the area of the items inside it (no overlaps)."""
    golden = math.pi * (3 - math.sqrt(5))
    positions, area = {}, 0.0
    for i, item in enumerate(items):
        area += math.pi * (radii[item] + _UNIT / 2) ** 2
        distance = 0.0 if i == 0 else math.sqrt(area / math.pi) * 1.1
        positions[item] = (distance * math.cos(i * golden), distance * math.sin(i * golden))
    return positions


# Positions by node, and the radius of the disc they take.
_Layout = tuple[dict[Hashable, tuple[float, float]], float]


def _leaf_layout(simple: nx.Graph, nodes: list[Hashable], seed: int) -> _Layout:
    """Members of one group around (0, 0): a spring layout when few, a disc when many."""
    radius = _UNIT * (0.6 + math.sqrt(len(nodes)))
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}, _UNIT / 2
    if len(nodes) <= _SMALL:
        local = nx.spring_layout(
            simple.subgraph(nodes), seed=seed, scale=radius * 0.85, iterations=60
        )
        return {n: (float(x), float(y)) for n, (x, y) in local.items()}, radius
    ordered = sorted(nodes, key=lambda n: (-simple.degree(n), str(n)))
    return _sunflower(ordered, radius), radius


def _nested_layout(
    simple: nx.Graph, nodes: list[Hashable], levels: Sequence[str], seed: int
) -> _Layout:
    """Lay out ``nodes`` grouped by the first of ``levels``, each group by the next ones.

    The last level (sector) only splits a group too big for one spring layout. Returns
    positions around (0, 0) and the radius the nodes take."""
    if len(levels) == 1 and len(nodes) <= _SMALL and levels[0] == "sector":
        levels = ()
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    while levels:
        groups = defaultdict(list)
        for node in nodes:
            groups[simple.nodes[node].get(levels[0]) or ""].append(node)
        if len(groups) > 1:
            break
        levels = levels[1:]  # one group only: group by the next level instead
    if not levels or len(groups) <= 1:
        return _leaf_layout(simple, nodes, seed)
    inner = {
        key: _nested_layout(simple, members, levels[1:], seed) for key, members in groups.items()
    }
    radii = {key: radius for key, (_, radius) in inner.items()}
    keys = sorted(groups, key=lambda k: (-len(groups[k]), str(k)))
    if len(keys) <= _SMALL:
        group_of = {node: key for key, members in groups.items() for node in members}
        between: nx.Graph[Hashable] = nx.Graph()
        between.add_nodes_from(keys)
        for u, v in simple.subgraph(nodes).edges():
            a, b = group_of[u], group_of[v]
            if a != b:
                weight = between.get_edge_data(a, b, {"weight": 0})["weight"]
                between.add_edge(a, b, weight=weight + 1)
        raw = nx.spring_layout(between, seed=seed, weight="weight", iterations=100)
        # Stretch the layout until (almost) no two neighbouring groups overlap.
        needed = []
        for key in keys:
            distance, other = min((math.dist(raw[key], raw[o]), o) for o in keys if o != key)
            needed.append((radii[key] + radii[other] + _UNIT / 2) / max(distance, 1e-3))
        needed.sort()
        scale = needed[len(needed) // 2]
        centres = {k: (float(raw[k][0]) * scale, float(raw[k][1]) * scale) for k in keys}
    else:
        centres = _spread(keys, radii)
    positions, reach = {}, 0.0
    for key, (local, radius) in inner.items():
        cx, cy = centres[key]
        reach = max(reach, math.hypot(cx, cy) + radius)
        for node, (x, y) in local.items():
            positions[node] = (cx + x, cy + y)
    return positions, reach


def grouped_layout(
    graph: nx.Graph, levels: Sequence[str] | None = None, seed: int = 42
) -> dict[Hashable, tuple[float, float]]:
    """Return positions (in pixels) for every node, computed fast for thousands of nodes.

    Nodes are grouped by the node attributes ``levels`` in turn (by default country, then
    city, then sector for a city too big for one spring layout; a level that makes only one
    group is skipped): up to 150 groups are
    placed by a spring layout of the ties between them, more on a spiral, largest first;
    each group's members around its centre, by a spring layout when they are few, evenly on
    a disc (most connected in the middle) when many. No layout ever sees more than 150
    items, so the cost grows about linearly with the number of nodes, where a spring
    layout of all of them grows with its square.
    """
    simple: nx.Graph[Hashable] = nx.Graph(graph)
    if simple.number_of_nodes() == 0:
        return {}
    if levels is None:
        levels = ("country", "city", "sector")
    positions, _radius = _nested_layout(simple, list(simple.nodes), tuple(levels), seed)
    return positions


def geographic_positions(
    places: Mapping[Hashable, tuple[float | None, float | None]], width: float = 1400.0
) -> dict[Hashable, tuple[float, float]]:
    """Return pixel positions for places with ``(lat, lon)`` (Mercator; north up)."""
    known = {
        key: (lat, lon) for key, (lat, lon) in places.items() if lat is not None and lon is not None
    }
    if not known:
        return {}
    projected = {
        key: (math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
        for key, (lat, lon) in known.items()
    }
    xs = [x for x, _ in projected.values()]
    ys = [y for _, y in projected.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    factor = width / span
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {key: ((x - mx) * factor, (y - my) * factor) for key, (x, y) in projected.items()}


# --- drawings ---------------------------------------------------------------------------


@dataclass
class Drawing:
    """A network ready to show: vis-network nodes, edges and options, and what it is.

    ``mode`` is ``physics`` (the browser lays it out), ``layout`` (positions computed
    here, physics off), ``places`` (cities or countries instead of institutions) or
    ``empty``. ``note`` says in words what the user is looking at.
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    mode: str
    note: str
    legend: list[LegendEntry] = field(default_factory=list)
    height: int = 640

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    def html(self, title: str | None = None) -> str:
        """Return the page: for the app's iframe, or with ``title`` as a standalone file."""
        return render_html(self, title=title)


def mode_for(count: int) -> str:
    """Return how a graph of ``count`` institutions is drawn (see the module docstring)."""
    if count == 0:
        return "empty"
    if count <= PHYSICS_LIMIT:
        return "physics"
    if count <= DRAW_LIMIT:
        return "layout"
    return "places"


def _options(physics: bool, count: int, navigation: bool = True) -> dict[str, Any]:
    options: dict[str, Any] = {
        "nodes": {
            "font": {
                "size": 16,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1,
            "scaling": {"label": {"enabled": False}},
        },
        "edges": {
            "smooth": {"enabled": physics and count <= 150, "type": "continuous"},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
            "arrows": {"to": {"scaleFactor": 0.6}},
            "color": {"highlight": _PATH_COLOUR, "hover": _PATH_COLOUR, "opacity": 0.85},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": navigation,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "hideEdgesOnDrag": count > 500,
            "hideEdgesOnZoom": count > 1500,
        },
        "layout": {"improvedLayout": physics and count <= 100, "randomSeed": 42},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.015,
                "springLength": 100,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
            "minVelocity": 1.0,
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _scaled_sizes(values: Mapping[Hashable, float], low: float, high: float) -> dict:
    if not values:
        return {}
    top = max(values.values()) or 1.0
    return {k: low + (high - low) * math.sqrt(max(v, 0.0) / top) for k, v in values.items()}


_LABEL_WIDTH = 26


def _node_label(data: Mapping[str, Any]) -> str:
    """An institution's short label: its acronym when short, else :func:`_name_label`."""
    acronym = data.get("acronym")
    if acronym and len(acronym) <= 14:
        return label_text(acronym)
    return _name_label(data)


def _name_label(data: Mapping[str, Any]) -> str:
    """An institution's name, cut; a long name that holds its city keeps the city
    (``"Centre for social work · Kragujevac"``), which cutting the end would lose."""
    name = " ".join(shown_name(data)[0].split())
    city = " ".join(str(data.get("city") or "").split())
    if len(name) > _LABEL_WIDTH and city:
        found = re.search(rf"(?:\s+\w{{1,3}})?\s+{re.escape(city)}\b", name, re.IGNORECASE)
        rest = (name[: found.start()] + name[found.end() :]).strip(" ,–-") if found else ""
        if rest:  # the same cut for every city, so that siblings read alike
            return f"{shorten(rest, _LABEL_WIDTH - 2)} · {shorten(city, 18)}"
    return label_text(name, _LABEL_WIDTH)


def _with_place(text: str, data: Mapping[str, Any]) -> str:
    """``text · city`` (or country), unless ``text`` names the place already."""
    place = data.get("city") or country_name(data.get("country")) or data.get("country")
    if not place or _same(str(place)) in _same(text):
        return text
    return f"{text} · {shorten(str(place), 18)}"


def _same(text: str) -> str:
    return " ".join(text.casefold().split())


def node_labels(nodes: Iterable[tuple[Hashable, Mapping[str, Any]]]) -> dict[Hashable, str]:
    """Return a label for each institution that tells equal names apart.

    ``nodes`` are ``(id, fields)`` pairs, as ``graph.nodes(data=True)`` gives them. An
    institution is labelled by its acronym when it is short, else by its name (cut to 26
    characters, keeping the city a long name ends with). Where several share a label,
    each gets its city too (``"CSR · Niš"``; its country when the city is not known);
    where that is still shared, its name and city; where even that is, a number in the
    order of the ids (``"… (2)"``). Labels are plain text (:func:`label_text`): the full
    name is in the tooltip.
    """
    fields = dict(nodes)
    labels = {node: _node_label(data) for node, data in fields.items()}
    steps: tuple[Callable[[Mapping[str, Any]], str], ...] = (
        lambda data: _with_place(_node_label(data), data),
        lambda data: _with_place(_name_label(data), data),
    )
    for step in steps:
        for members in _sharing(labels):
            for node in members:
                labels[node] = step(fields[node])
    for members in _sharing(labels):
        for number, node in enumerate(sorted(members, key=str), start=1):
            labels[node] = f"{labels[node]} ({number})"
    return labels


def _sharing(labels: Mapping[Hashable, str]) -> list[list[Hashable]]:
    """The groups of two or more nodes whose labels read the same."""
    groups: dict[str, list[Hashable]] = defaultdict(list)
    for node, label in labels.items():
        groups[_same(label)].append(node)
    return [members for members in groups.values() if len(members) > 1]


def institution_drawing(
    graph: nx.Graph,
    *,
    sizes: Mapping[Hashable, float] | None = None,
    size_label: str | None = None,
    highlight: Sequence[Hashable] = (),
    center: Hashable | None = None,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    labels: Mapping[Hashable, str] | None = None,
    colours: Colouring | None = None,
    height: int = 640,
    note: str | None = None,
    cite: Callable[[Any], str] | None = None,
) -> Drawing:
    """Draw institutions as nodes and their ties as lines.

    ``graph`` is an institution graph (:func:`netmap.graph.institution_graph`; parallel
    ties between two institutions become one line whose tooltip lists them).
    Nodes are coloured by sector (or by ``colours``, see :func:`colouring`), shaped by kind, sized by ``sizes`` (e.g. a centrality;
    by number of partners when not given); cross-border ties stand out; ``highlight``
    (a path of institution ids) is drawn in black and everything else faded; ``center``
    (of an ego view) gets a bold label. Labels tell equal names apart (:func:`node_labels`
    of the graph, or ``labels``: those of a larger network keep a label the same whatever
    part of it is drawn). Past :data:`PHYSICS_LIMIT` nodes, ``positions``
    (or :func:`grouped_layout`) fix the layout and physics is off. Raises ``ValueError``
    past :data:`DRAW_LIMIT` nodes: draw places instead. ``cite`` writes the sources the
    tooltips name (:func:`institution_tip`).
    """
    count = graph.number_of_nodes()
    mode = mode_for(count)
    if mode == "places":
        raise ValueError(
            f"{count} institutions are too many to draw one by one (the limit is "
            f"{DRAW_LIMIT}); draw places with place_drawing()"
        )
    physics = mode == "physics"
    if not physics and positions is None:
        positions = grouped_layout(graph)
    names = {n: shown_name(d, n)[0] for n, d in graph.nodes(data=True)}
    if labels is None:
        labels = node_labels(graph.nodes(data=True))
    if colours is None:
        colours = colouring(graph.nodes(data=True))
    degree = {n: len(set(graph.neighbors(n)) - {n}) for n in graph.nodes}
    size_values = sizes if sizes is not None else degree
    node_size = _scaled_sizes(
        {n: float(size_values.get(n, 0) or 0) for n in graph.nodes}, 9.0, 34.0
    )
    on_path = set(highlight)
    path_pairs = {frozenset(pair) for pair in pairwise(highlight)}

    nodes = []
    for node, data in graph.nodes(data=True):
        extra: list[tuple[str, Any]] = [(_("Partners"), degree[node])]
        if sizes is not None and size_label:
            value = sizes.get(node)
            if value is not None:
                extra.append(
                    (size_label, measure_text(value) if isinstance(value, float) else value)
                )
        label = labels.get(node) or _node_label(data)
        item: dict[str, Any] = {
            "id": str(node),
            "label": label,
            **_tips(institution_tip(data, extra, cite)),
            "shape": kind_shape(data.get("kind")),
            "color": colours.colours.get(node, _UNKNOWN_COLOUR),
            "size": round(node_size.get(node, 12.0), 1),
        }
        if on_path and node not in on_path:
            item["opacity"] = 0.25
        if node in on_path or node == center:
            item["borderWidth"] = 3
            item["color"] = {"background": item["color"], "border": _PATH_COLOUR}
            item["font"] = {"size": 15, "color": _PATH_COLOUR}
        if positions is not None and node in positions:
            x, y = positions[node]
            item["x"], item["y"] = round(x, 1), round(y, 1)
        nodes.append(item)

    edges = []
    lines: set[str] = set()
    pairs: dict[frozenset, list[dict[str, Any]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        if u != v:
            pairs[frozenset((u, v))].append({**data, "_ends": (u, v)})
    for pair, ties in pairs.items():
        u, v = ties[0]["_ends"]
        cross = graph.nodes[u].get("country") != graph.nodes[v].get("country")
        implied = all(t.get("implied") for t in ties)
        strength = max(tie_strength(t.get("strength")) for t in ties)
        width = 1.0 + strength * 0.8 + (1.2 if cross else 0.0) + min(len(ties) - 1, 3) * 0.5
        colour = _CROSS_BORDER_EDGE if cross else (_IMPLIED_EDGE if implied else _DOMESTIC_EDGE)
        item = {
            "from": str(u),
            "to": str(v),
            **_tips(tie_tip(ties, (names[u], names[v]), names)),
            # Highlight and hover colours are set once, in the options.
            "color": {"color": colour},
            "width": round(width, 1),
            "dashes": list(_DOTTED) if implied else tie_pattern(t.get("kind") for t in ties),
            "arrows": "",
        }
        directions = {(t.get("source_id"), t.get("target_id")) for t in ties if t.get("directed")}
        if len(directions) == 1 and all(t.get("directed") for t in ties):
            source, target = next(iter(directions))
            if {source, target} == set(pair):
                item["from"], item["to"], item["arrows"] = str(source), str(target), "to"
        lines.add("cross_border" if cross else "implied" if implied else "domestic")
        if item["dashes"] and not implied:
            lines.add("dotted" if item["dashes"] == list(_DOTTED) else "dashed")
        if pair in path_pairs:
            lines.add("path")
            item["color"] = {"color": _PATH_COLOUR, "opacity": 1.0}
            item["width"] = 5
            item["dashes"] = False
        elif on_path:
            item["color"]["opacity"] = 0.2
        edges.append(item)

    if note is None:
        note = view_note(count, len(edges), mode)
    kinds = {d.get("kind") for _, d in graph.nodes(data=True)}
    return Drawing(
        nodes=nodes,
        edges=edges,
        options=_options(physics, count, navigation=height >= 400),
        mode=mode,
        note=note,
        legend=colours.legend + legend_entries((), kinds, lines) if count else [],
        height=height,
    )


def measure_text(value: float) -> str:
    """A measure (betweenness, PageRank) to three significant digits, with no trailing
    zeros, written as the current language writes numbers (``0,0123`` in Bulgarian)."""
    if not math.isfinite(value):
        return str(value)
    if not value:
        return format_number(0)
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    rounded = round(value, digits)
    while digits and round(rounded, digits - 1) == rounded:
        digits -= 1
    return format_number(rounded, decimals=digits)


def view_note(institutions: int, lines: int, mode: str) -> str:
    """Return one sentence saying what a drawing of institutions shows and how."""
    if mode == "empty":
        return _("Nothing to draw: no institution matches the filters.")
    drawn = ngettext(
        "%(count)s institution drawn.", "%(count)s institutions drawn.", institutions
    ) % {"count": format_number(institutions)}
    between = ngettext(
        "%(count)s line between them (a line can stand for several ties; hover over it to "
        "see them).",
        "%(count)s lines between them (a line can stand for several ties; hover over it to "
        "see them).",
        lines,
    ) % {"count": format_number(lines)}
    if mode == "physics":
        how = _("The layout settles by itself; drag a node to move it.")
    else:
        how = _(
            "With more than %(limit)s institutions the positions are computed once, grouped "
            "by place, and do not move: zoom in to read the names."
        ) % {"limit": format_number(PHYSICS_LIMIT)}
    return f"{drawn} {between} {how}"


def place_drawing(
    graph: nx.Graph, level: str = "city", *, height: int = 640, note: str | None = None
) -> Drawing:
    """Draw places (cities or countries) instead of institutions, for very large networks.

    ``graph`` is a place graph (:func:`netmap.graph.place_graph`): nodes with ``name``,
    ``country``, ``lat``, ``lon`` and ``institutions`` (a count), edges with ``weight``
    (the number of ties). Places with coordinates are placed on a map projection; the
    others next to their partners. Node size follows the number of institutions.
    """
    coordinates = {n: (d.get("lat"), d.get("lon")) for n, d in graph.nodes(data=True)}
    positions = geographic_positions(coordinates)
    missing = [n for n in graph.nodes if n not in positions]
    if missing:
        if positions:
            spread = nx.spring_layout(
                graph,
                pos={n: (x / 700, y / 700) for n, (x, y) in positions.items()},
                fixed=list(positions),
                seed=42,
                iterations=50,
            )
            positions.update({n: (spread[n][0] * 700, spread[n][1] * 700) for n in missing})
        else:
            positions = grouped_layout(graph, levels=())
    counts = {n: float(d.get("institutions") or 0) for n, d in graph.nodes(data=True)}
    sizes = _scaled_sizes(counts, 8.0, 48.0)
    weights = [float(d.get("weight") or 1) for *_, d in graph.edges(data=True)]
    top = max(weights, default=1.0)
    nodes = []
    for node, data in graph.nodes(data=True):
        name, local = _place_name(node, data, level)
        country = data.get("country")
        label = name if level == "country" else f"{name} ({country})" if country else name
        ties = data.get("ties")
        rows = [
            # Translators: a tooltip's row: the country of a city.
            (_("Country"), country_name(country) if level != "country" else None),
            (_("Institutions"), format_number(int(counts[node]))),
            (_("Ties"), format_number(ties) if ties is not None else None),
        ]
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": str(node),
                "label": label_text(label, 30),
                **_tips(tip(name, rows, subtitle=local)),
                "shape": "dot",
                "color": "#1f4e99" if level == "country" else "#0b7285",
                "size": round(sizes.get(node, 10.0), 1),
                "x": round(x, 1),
                "y": round(y, 1),
            }
        )
    edges = []
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        cross = graph.nodes[u].get("country") != graph.nodes[v].get("country")
        weight = float(data.get("weight") or 1)
        names = (
            _place_name(u, graph.nodes[u], level)[0],
            _place_name(v, graph.nodes[v], level)[0],
        )
        edges.append(
            {
                "from": str(u),
                "to": str(v),
                **_tips(tip(f"{names[0]} — {names[1]}", [(_("Ties"), format_number(int(weight)))])),
                "width": round(1 + 7 * math.sqrt(weight / top), 1),
                "color": {"color": _CROSS_BORDER_EDGE if cross else _DOMESTIC_EDGE, "opacity": 0.7},
                "arrows": "",
            }
        )
    if note is None:
        if level == "country":
            note = ngettext(
                "Too many institutions to draw one by one: each circle is one of %(count)s "
                "country, sized by its number of institutions; each line carries the ties "
                "between two countries. Open a place to see its institutions.",
                "Too many institutions to draw one by one: each circle is one of %(count)s "
                "countries, sized by its number of institutions; each line carries the ties "
                "between two countries. Open a place to see its institutions.",
                len(nodes),
            ) % {"count": format_number(len(nodes))}
        else:
            note = ngettext(
                "Too many institutions to draw one by one: each circle is one of %(count)s "
                "city, sized by its number of institutions; each line carries the ties "
                "between two cities. Open a place to see its institutions.",
                "Too many institutions to draw one by one: each circle is one of %(count)s "
                "cities, sized by its number of institutions; each line carries the ties "
                "between two cities. Open a place to see its institutions.",
                len(nodes),
            ) % {"count": format_number(len(nodes))}
    legend = [
        LegendEntry(
            "dot",
            # Translators: in the legend of a graph of places: each circle is a city.
            _("A city") if level != "country" else _("A country"),
            nodes[0]["color"] if nodes else "#0b7285",
        ),
        LegendEntry("line", _("Ties within a country"), _DOMESTIC_EDGE),
        LegendEntry("line", _("Cross-border ties"), _CROSS_BORDER_EDGE),
    ]
    options = _options(False, len(nodes))
    options["nodes"]["font"]["size"] = 15
    return Drawing(nodes, edges, options, "places", note, legend, height)


def path_drawing(graph: nx.Graph, path: Sequence[Hashable], *, height: int = 200) -> Drawing:
    """Draw an introduction path (institution ids, from the asking institution on) left to
    right, saying what the written chain says: one arrow per step, from each institution
    to the next, whichever way the ties between them run (each arrow's tooltip lists
    those ties, a directed one with its own direction in words); other ties among the same
    institutions (a shortcut the path does not take) are left out."""
    steps = list(pairwise(path))
    sub: nx.MultiGraph = nx.MultiGraph()
    sub.add_nodes_from((node, graph.nodes[node]) for node in path if node in graph)
    for a, b in steps:
        ties = graph.get_edge_data(a, b) if graph.has_edge(a, b) else None
        if not ties:  # a step with no tie in ``graph``: still drawn, as the chain says
            sub.add_edge(a, b)
            continue
        for data in ties.values() if graph.is_multigraph() else [ties]:
            sub.add_edge(a, b, **data)
    step = 190.0
    positions = {node: (i * step, 0.0 if i % 2 == 0 else 30.0) for i, node in enumerate(path)}
    drawing = institution_drawing(
        sub,
        sizes={n: 1.0 for n in sub.nodes},
        highlight=list(path),
        positions=positions,
        height=height,
        note="",
    )
    for item in drawing.nodes:
        item.pop("opacity", None)
        item["label"] = label_text(shown_name(sub.nodes[item["id"]], item["id"])[0], 30)
    order = {frozenset((str(a), str(b))): (str(a), str(b)) for a, b in steps}
    for item in drawing.edges:
        item["from"], item["to"] = order[frozenset((item["from"], item["to"]))]
        item["arrows"] = "to"
    # An introduction path is tiny: a fixed layout reads left to right, whatever its size.
    drawing.options = _options(False, len(path))
    drawing.options["interaction"]["navigationButtons"] = False
    drawing.options["interaction"]["zoomView"] = False
    drawing.options["interaction"]["dragView"] = False
    drawing.legend = []
    drawing.mode = "path"
    return drawing


# --- the map ----------------------------------------------------------------------------

# RGBA colours of the map: cross-border arcs stand out in raspberry, as in the drawings;
# land is a pale sand under everything, borders grey, coasts a muted blue.
MAP_CROSS_BORDER = [194, 37, 92, 170]
MAP_DOMESTIC = [31, 78, 153, 120]
MAP_POINT = [11, 114, 133, 210]
MAP_GRID = [200, 206, 214, 90]
MAP_LAND = [242, 239, 230, 255]
MAP_BORDER = [150, 146, 160, 230]
MAP_COAST = [126, 160, 186, 230]
MAP_HEIGHT = 560
MAP_WIDTH = 900  # what the first view is fitted to (the page's map is about that wide)
#: Natural Earth's countries of Europe and its neighbours (see data/world/README.md).
WORLD_FILE = ("world", "countries-europe-50m.geojson")
# How much room a place's name takes on the map, in pixels: 13 px system-ui at weight 600
# averages under 8 px a letter; the name stands 16 px above the place's dot.
_LABEL_LETTER = 8.0
_LABEL_HEIGHT = 18.0
_LABEL_RISE = 16.0
_LABEL_GAP = 3.0


@cache
def natural_earth() -> dict[str, Any]:
    """Land, borders and coasts of Europe and its neighbours: Natural Earth 1:50m (public
    domain), shipped in ``data/world`` so the map reads offline. A GeoJSON feature
    collection: one ``land`` feature per country, one ``border`` and one ``coast``."""
    text = data_file(*WORLD_FILE).read_text(encoding="utf-8")
    world: dict[str, Any] = json.loads(text)
    return world


@cache
def country_centres() -> dict[str, tuple[float, float]]:
    """A point inside each country of :func:`natural_earth`, by ISO alpha-2 code:
    ``(lat, lon)``."""
    centres = {}
    for feature in natural_earth()["features"]:
        properties = feature["properties"]
        if properties.get("kind") == "land" and properties.get("iso_a2"):
            lon, lat = properties["centre"]
            centres[properties["iso_a2"]] = (float(lat), float(lon))
    return centres


@dataclass(frozen=True)
class PlaceMap:
    """Places on a map and the ties between them as arcs (see :func:`place_map`).

    ``points``: one row per place with coordinates (``key``, ``name``, ``label``,
    ``detail``, ``lat``, ``lon``, ``institutions``, ``radius`` in metres, and ``labelled``:
    whether its name is written at the first zoom). ``arcs``: one row per pair of such
    places with ties (``name``, ``detail``, ``weight`` in ties, ``width``, ``color``,
    ``cross_border`` and the ends' coordinates). ``missing``: the places left off for want
    of coordinates, in words, sorted. ``unplaced``: the same as a table (``key``, ``name``,
    ``country``, ``institutions``, and ``city``: False for the institutions of a country
    that name no city, which no coordinates can place).
    """

    points: pd.DataFrame
    arcs: pd.DataFrame
    missing: list[str]
    unplaced: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def cross_border(self) -> int:
        """How many of the arcs cross a border."""
        return int(self.arcs["cross_border"].sum()) if not self.arcs.empty else 0

    @property
    def labelled(self) -> pd.DataFrame:
        """The places whose names are written at the first zoom."""
        return self.points[self.points["labelled"]] if not self.points.empty else self.points

    def figure(self) -> pdk.Deck:
        """The pydeck map: land and borders from Natural Earth under the places and arcs,
        no base map, so nothing is fetched from the internet.

        Assumes at least one point (check ``points.empty`` first).
        """
        return _deck(self.points, self.arcs)


def place_map(graph: nx.Graph, level: str, *, only_cross_border: bool = False) -> PlaceMap:
    """Return the map of a graph of places (:func:`netmap.graph.place_graph`).

    ``level`` is ``"city"`` or ``"country"``, as the graph was built; with
    ``only_cross_border`` the arcs are those that cross a border. A country none of whose
    cities has coordinates stands at a point inside it (:func:`country_centres`). Names
    are chosen by :func:`label_choice` for the first view (:func:`view_state`).
    """
    points, arcs, unplaced = _place_tables(graph, level)
    if only_cross_border and not arcs.empty:
        arcs = arcs[arcs["cross_border"]]
    if not points.empty:
        points["labelled"] = label_choice(points, view_state(points))
    missing = sorted(
        f"{row['name']} ({row['country']})" if level == "city" else row["name"]
        for row in unplaced.to_dict("records")
    )
    return PlaceMap(points, arcs, missing, unplaced)


def _place_tables(graph: nx.Graph, level: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Points and arcs for the map, and the places without coordinates."""
    points, unplaced = [], []
    centres = country_centres() if level == "country" else {}
    for key, data in graph.nodes(data=True):
        name = data.get("name") or key
        institutions = int(data.get("institutions") or 0)
        lat, lon = data.get("lat"), data.get("lon")
        placed_in_country = False
        if (lat is None or lon is None) and key in centres:
            (lat, lon), placed_in_country = centres[key], True
        if lat is None or lon is None:
            unplaced.append(
                {
                    "key": key,
                    "name": name,
                    "country": data.get("country"),
                    "institutions": institutions,
                    "city": level == "city" and not str(key).endswith(":"),
                }
            )
            continue
        shown, other = _place_name(key, data, level)
        title = f"{shown} ({other})" if other else shown
        if level == "city":
            title = f"{title}, {country_name(data.get('country'))}"
        inside = int(data.get("internal_ties") or 0)
        # Two facts of a place on the map, as a list: "4 institutions, 2 ties inside".
        detail = ", ".join(
            [
                ngettext("%(count)s institution", "%(count)s institutions", institutions)
                % {"count": format_number(institutions)},
                # Translators: ties between two institutions of the same place (on the map).
                ngettext("%(count)s tie inside", "%(count)s ties inside", inside)
                % {"count": format_number(inside)},
            ]
        )
        if placed_in_country:
            detail += _("; ") + _(
                "placed in the middle of the country: none of its cities has coordinates"
            )
        points.append(
            {
                "key": key,
                "name": title,
                "label": shown,
                "detail": detail,
                "lat": float(lat),
                "lon": float(lon),
                "institutions": institutions,
                "radius": 9000 * (1 + math.sqrt(institutions)),  # metres
            }
        )
    located = {p["key"]: p for p in points}
    arcs = []
    for a, b, data in graph.edges(data=True):
        if a not in located or b not in located:
            continue
        weight = int(data.get("weight") or 1)
        arcs.append(
            {
                "name": f"{located[a]['label']} — {located[b]['label']}",
                "detail": (
                    ngettext(
                        "%(count)s tie across a border", "%(count)s ties across a border", weight
                    )
                    if data.get("cross_border")
                    else ngettext("%(count)s tie", "%(count)s ties", weight)
                )
                % {"count": format_number(weight)},
                "from_lon": located[a]["lon"],
                "from_lat": located[a]["lat"],
                "to_lon": located[b]["lon"],
                "to_lat": located[b]["lat"],
                "weight": weight,
                "width": 1 + 1.5 * math.sqrt(weight),
                "color": MAP_CROSS_BORDER if data.get("cross_border") else MAP_DOMESTIC,
                "cross_border": bool(data.get("cross_border")),
            }
        )
    unplaced_columns = ["key", "name", "country", "institutions", "city"]
    return (
        pd.DataFrame(points),
        pd.DataFrame(arcs),
        pd.DataFrame(unplaced, columns=unplaced_columns),
    )


def map_pixels(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Where a place falls on a Web Mercator map at ``zoom``, in pixels from the top left
    of the world (512 pixels wide at zoom 0, as deck.gl draws it)."""
    size = 512 * 2**zoom
    lat = max(min(lat, 85.05), -85.05)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size


def label_box(label: str, lat: float, lon: float, zoom: float) -> tuple[float, float, float, float]:
    """The pixels a place's name covers at ``zoom``: (left, top, right, bottom), with a
    margin of :data:`_LABEL_GAP` all round."""
    x, y = map_pixels(lat, lon, zoom)
    half = len(label) * _LABEL_LETTER / 2 + _LABEL_GAP
    middle = y - _LABEL_RISE
    return (x - half, middle - _LABEL_HEIGHT / 2, x + half, middle + _LABEL_HEIGHT / 2)


def label_choice(points: pd.DataFrame, view: pdk.ViewState) -> list[bool]:
    """Which places get their name written on the first view, so that no two names overlap.

    Places with more institutions come first (then by name); each name is written if its
    box (:func:`label_box` at the view's zoom) overlaps none already written. The others
    are named when hovered; choosing fewer places (a country) zooms in and names more.
    """
    zoom = float(view.zoom)
    order = sorted(
        range(len(points)),
        key=lambda i: (-int(points["institutions"].iloc[i]), str(points["label"].iloc[i])),
    )
    written: list[tuple[float, float, float, float]] = []
    chosen = [False] * len(points)
    for i in order:
        box = label_box(
            str(points["label"].iloc[i]),
            float(points["lat"].iloc[i]),
            float(points["lon"].iloc[i]),
            zoom,
        )
        if all(_apart(box, other) for other in written):
            written.append(box)
            chosen[i] = True
    return chosen


def _apart(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """True when two boxes (left, top, right, bottom) do not overlap."""
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def graticule(points: pd.DataFrame, step: int) -> pd.DataFrame:
    """Meridians and parallels every ``step`` degrees around the points: a sense of place."""
    south = math.floor((points["lat"].min() - step) / step) * step
    north = math.ceil((points["lat"].max() + step) / step) * step
    west = math.floor((points["lon"].min() - step) / step) * step
    east = math.ceil((points["lon"].max() + step) / step) * step
    lines = []
    for lon in range(west, east + 1, step):
        lines.append({"path": [[lon, lat] for lat in range(south, north + 1)]})
    for lat in range(south, north + 1, step):
        lines.append({"path": [[lon, lat] for lon in range(west, east + 1)]})
    return pd.DataFrame(lines)


def view_state(
    points: pd.DataFrame, width: int = MAP_WIDTH, height: int = MAP_HEIGHT
) -> pdk.ViewState:
    """Centre and zoom (Web Mercator) so that every point fits in a map of that size."""
    lat_mid = float((points["lat"].max() + points["lat"].min()) / 2)
    lon_span = max(float(points["lon"].max() - points["lon"].min()), 0.2)
    lat_span = max(float(points["lat"].max() - points["lat"].min()), 0.2)
    stretch = 1 / max(math.cos(math.radians(lat_mid)), 0.2)  # Mercator near that latitude
    fit_x = 0.8 * width * 360 / (512 * lon_span)
    fit_y = 0.75 * height * 360 / (512 * lat_span * stretch)
    zoom = max(min(math.log2(min(fit_x, fit_y)), 10.0), 1.0)
    return pdk.ViewState(
        latitude=lat_mid,
        longitude=float((points["lon"].max() + points["lon"].min()) / 2),
        zoom=zoom,
    )


class CompactDeck(pdk.Deck):  # type: ignore[misc]  # pydeck has no type hints
    """A pydeck map written as compact JSON: pydeck indents its JSON, which turns the
    borders' 290 kB of coordinates into 2 MB sent to the browser on every run."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def _world_layers() -> list[pdk.Layer]:
    """Natural Earth's land (filled) and its borders and coasts (lines), never picked."""
    features = natural_earth()["features"]
    land = [f for f in features if f["properties"].get("kind") == "land"]
    colours = {"border": MAP_BORDER, "coast": MAP_COAST}
    lines = [
        {**f, "properties": {**f["properties"], "color": colours[f["properties"]["kind"]]}}
        for f in features
        if f["properties"].get("kind") in colours
    ]
    return [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": land},
            id="land",
            filled=True,
            stroked=False,
            get_fill_color=MAP_LAND,
            pickable=False,
        ),
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": lines},
            id="borders",
            filled=False,
            stroked=True,
            get_line_color="properties.color",
            get_line_width=1,
            line_width_units='"pixels"',
            line_width_min_pixels=1,
            pickable=False,
        ),
    ]


def _deck(points: pd.DataFrame, arcs: pd.DataFrame) -> pdk.Deck:
    span = max(points["lat"].max() - points["lat"].min(), points["lon"].max() - points["lon"].min())
    land, borders = _world_layers()
    layers = [
        land,
        pdk.Layer(
            "PathLayer",
            graticule(points, 1 if span < 6 else 5),
            id="graticule",
            get_path="path",
            get_color=MAP_GRID,
            width_min_pixels=1,
            pickable=False,
        ),
        borders,
    ]
    if not arcs.empty:
        layers.append(
            pdk.Layer(
                "ArcLayer",
                arcs,
                id="ties",
                get_source_position="[from_lon, from_lat]",
                get_target_position="[to_lon, to_lat]",
                get_source_color="color",
                get_target_color="color",
                get_width="width",
                width_min_pixels=1,
                pickable=True,
                auto_highlight=True,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            points,
            id="places",
            get_position="[lon, lat]",
            get_radius="radius",
            radius_min_pixels=5,
            radius_max_pixels=30,
            get_fill_color=MAP_POINT,
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
            stroked=True,
            pickable=True,
            auto_highlight=True,
        )
    )
    # Only the names chosen for the first view, so that none overlaps another (deck.gl's
    # own collision filter draws no text at all in some browsers); the others are named
    # when hovered, and a narrower selection zooms in and names more.
    names = points.loc[points["labelled"], ["label", "lat", "lon"]]
    layers.append(
        pdk.Layer(
            "TextLayer",
            names,
            id="names",
            get_position="[lon, lat]",
            get_text="label",
            get_size=13,
            get_color=[30, 30, 30],
            get_pixel_offset=[0, -_LABEL_RISE],
            # pydeck sends string properties as expressions: constants are quoted.
            # "auto": every letter the labels use, not only ASCII (Niš, Zürich).
            character_set='"auto"',
            font_family='"system-ui, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"',
            font_weight=600,
            outline_width=3,
            outline_color=[255, 255, 255, 230],
            font_settings={"sdf": True},
        )
    )
    return CompactDeck(
        layers=layers,
        initial_view_state=view_state(points),
        # No base map, so nothing is fetched from the internet: with no provider, pydeck
        # leaves its map-style placeholder, which Streamlit reads as "no base map" (an
        # explicit map_style=None would make Streamlit fetch Carto's tiles instead).
        map_provider=None,
        # "text" tooltips are shown as plain text (an "html" one would parse user names).
        tooltip={"text": "{name}\n{detail}"},
        views=[pdk.View(type="MapView", controller=True)],
    )


# --- the live graph and pictures ------------------------------------------------------


@cache
def vis_network_assets() -> tuple[str, str]:
    """Return vis-network's script and style as pyvis ships them, for a page that draws
    live (the app's graph); the script's source-map comment, which points to a file that
    is not there, is left off."""
    folder = Path(pyvis.__file__).parent / "templates" / _VIS_ASSETS
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S*\s*$", "", script)
    return script, (folder / "vis-network.css").read_text(encoding="utf-8")


def live_data(drawing: Drawing) -> dict[str, Any]:
    """Return ``drawing`` as JSON-ready data for a graph drawn live in the app.

    Nodes and edges carry their tooltips as plain-text data (``tip``, see :class:`Tip`)
    instead of HTML, for the page to build with ``textContent``; with them come the
    vis-network ``options``, the ``legend`` entries and the ``mode``.
    """
    return {
        "nodes": [{k: v for k, v in item.items() if k != "title"} for item in drawing.nodes],
        "edges": [{k: v for k, v in item.items() if k != "title"} for item in drawing.edges],
        "options": drawing.options,
        "legend": [
            {
                "symbol": entry.symbol,
                "label": entry.label,
                "colour": entry.colour,
                "shape": entry.shape,
                "pattern": entry.pattern,
            }
            for entry in drawing.legend
        ],
        "mode": drawing.mode,
    }


_SVG_FONTS = "system-ui, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"
# Characters XML 1.0 refuses even escaped: a name holding one would spoil the whole file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(value: Any) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _svg_shape(shape: str, x: float, y: float, r: float) -> str:
    """An SVG element drawing vis-network's ``shape`` of size ``r`` centred on (x, y)."""

    def points(*pairs: tuple[float, float]) -> str:
        return " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in pairs)

    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"'
    if shape == "diamond":
        return f'<polygon points="{points((0, -1), (1, 0), (0, 1), (-1, 0))}"'
    if shape == "triangle":
        return f'<polygon points="{points((0, -1), (0.87, 0.5), (-0.87, 0.5))}"'
    if shape == "triangleDown":
        return f'<polygon points="{points((0, 1), (0.87, -0.5), (-0.87, -0.5))}"'
    if shape == "hexagon":
        corners = [(math.cos(a), math.sin(a)) for a in (i * math.pi / 3 for i in range(6))]
        return f'<polygon points="{points(*corners)}"'
    if shape == "star":
        corners = [
            (
                (1 if i % 2 == 0 else 0.45) * math.sin(i * math.pi / 5),
                -(1 if i % 2 == 0 else 0.45) * math.cos(i * math.pi / 5),
            )
            for i in range(10)
        ]
        return f'<polygon points="{points(*corners)}"'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"'


def _colours(value: Any) -> tuple[str, str]:
    """A vis-network colour (a string or ``{background, border}``): fill and outline."""
    if isinstance(value, Mapping):
        fill = value.get("background") or value.get("color") or _UNKNOWN_COLOUR
        return str(fill), str(value.get("border") or fill)
    return str(value or _UNKNOWN_COLOUR), "#ffffff"


def svg_picture(
    drawing: Drawing,
    positions: Mapping[str, Sequence[float]] | None = None,
    title: str | None = None,
) -> str:
    """Return ``drawing`` as an SVG picture: nodes, lines, labels and the legend.

    Each node stands at ``positions[id]`` (where the app's graph has it), else at its own
    ``x``, ``y``; nodes with neither (a graph the browser never laid out) are spread on a
    disc beside the others. Every user string is escaped as XML text; each node holds a
    ``<title>`` with the full name, shown on hover by most viewers. ``title`` goes on top.
    """
    where: dict[str, tuple[float, float]] = {}
    for item in drawing.nodes:
        at = (positions or {}).get(item["id"])
        if at is not None:
            where[item["id"]] = (float(at[0]), float(at[1]))
        elif "x" in item and "y" in item:
            where[item["id"]] = (float(item["x"]), float(item["y"]))
    missing = [item["id"] for item in drawing.nodes if item["id"] not in where]
    if missing:
        xs = [x for x, _ in where.values()] or [0.0]
        centre = (max(xs) + _UNIT * (2 + math.sqrt(len(missing))) if where else 0.0, 0.0)
        radius = _UNIT * (0.6 + math.sqrt(len(missing)))
        for node, (x, y) in _sunflower(missing, radius).items():
            where[str(node)] = (centre[0] + x, centre[1] + y)
    size = {item["id"]: float(item.get("size") or 12) for item in drawing.nodes}
    if where:
        left = min(x - size[n] for n, (x, _) in where.items()) - 90
        right = max(x + size[n] for n, (x, _) in where.items()) + 90
        top = min(y - size[n] for n, (_, y) in where.items()) - 20
        bottom = max(y + size[n] for n, (_, y) in where.items()) + 30
    else:
        left, right, top, bottom = 0.0, 400.0, 0.0, 100.0
    heading = 36.0 if title else 0.0
    per_row = max(int((right - left) // 230), 1)
    legend_rows = math.ceil(len(drawing.legend) / per_row)
    width, height = right - left, bottom - top + heading + 22 * legend_rows + 10
    box = f"{left:.1f} {top - heading:.1f} {width:.1f} {height:.1f}"
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{box}" font-family="{_SVG_FONTS}">'
    )
    background = (
        f'<rect x="{left:.1f}" y="{top - heading:.1f}" width="100%" height="100%" fill="#fff"/>'
    )
    out = [opening, background]
    if title:
        out.append(
            f'<text x="{left + 14:.1f}" y="{top - heading + 24:.1f}" font-size="18" '
            f'font-weight="600" fill="#222222">{_xml(title)}</text>'
        )
    arrows: dict[str, str] = {}
    lines = []
    for item in drawing.edges:
        if item["from"] not in where or item["to"] not in where:
            continue
        (x1, y1), (x2, y2) = where[item["from"]], where[item["to"]]
        colour = item.get("color") or {}
        stroke = str(colour.get("color") if isinstance(colour, Mapping) else colour or "#999999")
        opacity = colour.get("opacity", 0.85) if isinstance(colour, Mapping) else 0.85
        marker = ""
        if item.get("arrows") == "to":
            marker = f' marker-end="url(#{arrows.setdefault(stroke, f"arrow{len(arrows)}")})"'
            # End the line at the node's edge, where the arrow's tip should touch it.
            length = math.dist((x1, y1), (x2, y2)) or 1.0
            cut = min(size[item["to"]] + 2, length / 2) / length
            x2, y2 = x2 - (x2 - x1) * cut, y2 - (y2 - y1) * cut
        attributes = (
            f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{_xml(stroke)}" '
            f'stroke-width="{float(item.get("width") or 1):.1f}" stroke-opacity="{opacity}"'
            f"{marker}"
        )
        if item.get("dashes"):
            dashes = item["dashes"] if isinstance(item["dashes"], list) else [5, 5]
            attributes += f' stroke-dasharray="{",".join(str(int(d)) for d in dashes)}"'
        tip_title = (item.get("tip") or {}).get("title")
        inner = f"<title>{_xml(tip_title)}</title>" if tip_title else ""
        lines.append(f"<line {attributes}>{inner}</line>")
    if arrows:
        out.append("<defs>")
        for stroke, marker in arrows.items():
            out.append(
                f'<marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" '
                'markerWidth="5" markerHeight="5" orient="auto-start-reverse">'
                f'<path d="M0,0 L10,5 L0,10 z" fill="{_xml(stroke)}"/></marker>'
            )
        out.append("</defs>")
    out += lines
    for item in drawing.nodes:
        x, y = where[item["id"]]
        fill, outline = _colours(item.get("color"))
        r = size[item["id"]]
        opacity = item.get("opacity", 1)
        stroke_width = float(item.get("borderWidth") or 1)
        name = (item.get("tip") or {}).get("title") or item.get("label") or item["id"]
        out.append(
            f'<g opacity="{opacity}"><title>{_xml(name)}</title>'
            f'{_svg_shape(item.get("shape") or "dot", x, y, r)} fill="{_xml(fill)}" '
            f'stroke="{_xml(outline)}" stroke-width="{stroke_width:.1f}"/>'
            f'<text x="{x:.1f}" y="{y + r + 14:.1f}" font-size="13" text-anchor="middle" '
            'fill="#343434" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{_xml(item.get('label') or '')}</text></g>"
        )
    for index, entry in enumerate(drawing.legend):
        x = left + 14 + (index % per_row) * 230
        y = bottom + 12 + (index // per_row) * 22
        colour = _xml(entry.colour)
        if entry.symbol == "line":
            dash = ""
            if entry.pattern:
                dash = f' stroke-dasharray="{",".join(str(int(p)) for p in entry.pattern)}"'
            out.append(
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 24:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-width="3"{dash}/>'
            )
        else:
            shape = entry.shape if entry.symbol == "shape" else "dot"
            out.append(f'{_svg_shape(shape, x + 12, y, 6)} fill="{colour}"/>')
        out.append(
            f'<text x="{x + 32:.1f}" y="{y + 4:.1f}" font-size="12" fill="#333333">'
            f"{_xml(entry.label)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --- the page ---------------------------------------------------------------------------

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title or "netmap" }}</title>
<style>{% include assets ~ '/vis-network.css' %}</style>
<script>{% include assets ~ '/vis-network.min.js' %}</script>
<style>
  html, body { margin: 0; padding: 0; background: #ffffff;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; }
  header { padding: 10px 14px 4px; }
  header h1 { font-size: 20px; margin: 0 0 4px; }
  header p { margin: 0; color: #444; font-size: 14px; }
  #netmap-graph { width: 100%; height: {{ height }}px; position: relative;
    border: 1px solid #e3e6ea; border-radius: 6px; box-sizing: border-box; }
  #mynetwork:focus, #mynetwork *:focus { outline: none; }
  #netmap-legend { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center;
    padding: 2px 4px 6px; font-size: 12px; color: #333; }
  #netmap-legend .item { display: inline-flex; align-items: center; gap: 5px;
    white-space: nowrap; }
  #netmap-legend svg { flex: none; }
  div.vis-tooltip { font-family: inherit; font-size: 13px; white-space: normal;
    max-width: 380px; line-height: 1.35; background: #fffef8; }
  div.vis-tooltip .k { color: #666; }
</style>
</head>
<body>
{% if title %}<header><h1>{{ title }}</h1><p>{{ note }}</p></header>{% endif %}
{% if legend %}<div id="netmap-legend" aria-label="{{ legend_label }}">
{% for entry in legend %}<span class="item">{{ entry_symbol(entry) }}{{ entry.label }}</span>
{% endfor %}</div>{% endif %}
<div id="netmap-graph"><div id="mynetwork" style="width:100%;height:100%;"></div></div>
<script>
  // Tooltips arrive as HTML that netmap built with every user string escaped; a string
  // title would be shown by vis-network as plain text, so make each one an element.
  function netmapTip(markup) {
    var element = document.createElement("div");
    element.innerHTML = markup;
    return element;
  }
  function withTips(items) {
    for (var i = 0; i < items.length; i++) {
      if (typeof items[i].title === "string") { items[i].title = netmapTip(items[i].title); }
    }
    return items;
  }
  var nodes = new vis.DataSet(withTips({{ nodes | tojson }}));
  var edges = new vis.DataSet(withTips({{ edges | tojson }}));
  var options = {{ options | tojson }};
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  window.netmap = {mode: {{ mode | tojson }}, nodes: nodes.length, edges: edges.length,
                   ready: false};
  if (options.physics && options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.fit();
      window.netmap.ready = true;
    });
  } else {
    network.once("afterDrawing", function () { network.fit(); window.netmap.ready = true; });
  }
</script>
</body>
</html>
"""


def _entry_symbol(entry: LegendEntry) -> str:
    """An SVG swatch for a legend entry (built from netmap's own colours and shapes)."""
    colour = escape(entry.colour)
    if entry.symbol == "line":
        dash = ""
        if entry.pattern:
            dash = f" stroke-dasharray='{','.join(str(int(p)) for p in entry.pattern)}'"
        return (
            f"<svg width='26' height='12'><line x1='1' y1='6' x2='25' y2='6' "
            f"stroke='{colour}' stroke-width='3'{dash}/></svg>"
        )
    shapes = {
        "dot": "<circle cx='7' cy='7' r='6'/>",
        "diamond": "<polygon points='7,0 14,7 7,14 0,7'/>",
        "star": "<polygon points='7,0 9,5 14,5 10,8.5 11.5,14 7,10.5 2.5,14 4,8.5 0,5 5,5'/>",
        "triangle": "<polygon points='7,1 14,13 0,13'/>",
        "triangleDown": "<polygon points='0,1 14,1 7,13'/>",
        "square": "<rect x='1' y='1' width='12' height='12'/>",
        "hexagon": "<polygon points='3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7'/>",
    }
    shape = shapes.get(entry.shape if entry.symbol == "shape" else "dot", shapes["dot"])
    return f"<svg width='14' height='14' fill='{colour}'>{shape}</svg>"


@cache
def _environment() -> Environment:
    templates = Path(pyvis.__file__).parent / "templates"
    environment = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return environment


def _without_tip(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "tip"}


def render_html(drawing: Drawing, title: str | None = None) -> str:
    """Return the self-contained HTML page of ``drawing`` (see :class:`Drawing`)."""
    # pyvis holds the data and options the way vis-network reads them; the page itself is
    # netmap's template (see the module docstring for why not pyvis's).
    holder = PyvisNetwork(
        height=f"{drawing.height}px", width="100%", directed=True, cdn_resources="in_line"
    )
    holder.nodes = [_without_tip(item) for item in drawing.nodes]
    holder.edges = [_without_tip(item) for item in drawing.edges]
    holder.options = drawing.options
    nodes, edges, _heading, _height, _width, _options_json = holder.get_network_data()
    template = _environment().from_string(_TEMPLATE)
    return template.render(
        assets=_VIS_ASSETS,
        nodes=nodes,
        edges=edges,
        options=holder.options,
        mode=drawing.mode,
        height=drawing.height,
        title=title,
        lang=current_language().replace("_", "-"),
        # Translators: read by screen readers: the list of colours and shapes of a graph.
        legend_label=_("Legend"),
        note=drawing.note,
        legend=drawing.legend,
        entry_symbol=lambda entry: Markup(_entry_symbol(entry)),
    )


__all__ = [
    "COLOUR_BY",
    "DRAW_LIMIT",
    "PHYSICS_LIMIT",
    "Colouring",
    "Drawing",
    "LegendEntry",
    "PlaceMap",
    "Tip",
    "colouring",
    "escape",
    "geographic_positions",
    "grouped_layout",
    "institution_drawing",
    "institution_tip",
    "institution_tooltip",
    "kind_shape",
    "label_text",
    "legend_entries",
    "live_data",
    "mode_for",
    "node_labels",
    "path_drawing",
    "place_drawing",
    "place_map",
    "render_html",
    "sector_colour",
    "svg_picture",
    "tie_tip",
    "tie_tooltip",
    "tip",
    "tooltip",
    "view_note",
    "vis_network_assets",
]
