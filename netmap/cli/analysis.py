"""The analysis commands of ``netmap``: metrics, gaps, path, pathways, find-contact, search.

Each command reads the store's current network, calls one library function and prints
its result: a readable table by default, JSON with ``--json`` (shapes in
``docs/analysis-json.md``). The analysis is imported when a command runs, not before.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netmap.cli.base import (
    Commands,
    JsonOption,
    ModelledOption,
    guarded_store,
    out,
    print_json,
    progress_bar,
    say_modelled,
    table,
)
from netmap.i18n import N_, format_list, format_number, format_percent, ngettext
from netmap.i18n import gettext as _

FromOption = Annotated[
    str, typer.Option("--from", help=N_("Your institution's id (e.g. gr-thessaloniki-arsis)."))
]
if TYPE_CHECKING:
    from netmap.analysis.metrics import NetworkMetrics
    from netmap.graph import NetworkFilter
    from netmap.store.base import GraphStore

commands = Commands()
# How many findings of each kind the readable gap report shows (JSON has them all).
SHOWN_FINDINGS = 12
# How many of the best contact candidates the readable report explains reason by reason.
EXPLAINED_CANDIDATES = 3


def _chain(path: list[str], names: dict[str, str]) -> str:
    return " → ".join(names.get(i, i) for i in path)


def _measured(store: GraphStore, flt: NetworkFilter, implied: bool, seed: int) -> NetworkMetrics:
    """Read the network and measure it, with a progress bar on the terminal: at a hundred
    thousand institutions this takes a while. Each step is drawn as it starts, however
    short."""
    from netmap.analysis import reads
    from netmap.analysis.metrics import METRIC_STEPS, network_metrics, step_name

    with progress_bar() as bar:
        task = bar.add_task(_("Reading the network"), total=len(METRIC_STEPS) + 1)
        network = store.columns(reads.METRICS)

        def heard(done: int, total: int, step: str) -> None:
            description = step_name(step)
            bar.update(task, completed=1 + done, description=description, refresh=True)

        # The pairs straight from the snapshot's tables: a networkx graph of every tie
        # would take longer to build than the metrics take to work out.
        return network_metrics(network, flt, implied, seed=seed, progress=heard)


@commands.command("metrics")
def metrics_command(
    ctx: typer.Context,
    country: Annotated[
        list[str] | None, typer.Option("--country", help=N_("Only these countries (repeatable)."))
    ] = None,
    sector: Annotated[
        list[str] | None, typer.Option("--sector", help=N_("Only these sectors (repeatable)."))
    ] = None,
    implied: Annotated[
        bool,
        typer.Option(
            "--implied", help=N_("Count taking part in the same initiative as a weak tie.")
        ),
    ] = False,
    top: Annotated[int, typer.Option(help=N_("How many institutions to list per table."))] = 10,
    seed: Annotated[
        int, typer.Option(help=N_("Seed for communities and sampled betweenness."))
    ] = 42,
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """Centrality, communities, single points of failure, bridges and brokers.

    Who brokers, who lies on the chains between others and whose departure cuts them are
    measured over ties that carry cases; centrality and communities over every tie that
    means working together. Funding and hosting are neither."""
    from netmap.graph import NetworkFilter
    from netmap.taxonomy import load_taxonomy

    flt = NetworkFilter(
        countries=tuple(country or ()),
        sectors=tuple(sector or ()),
        include_modelled=include_modelled,
    )
    result = _measured(guarded_store(ctx), flt, implied, seed)
    if as_json:
        print_json({**result.to_json(), "modelled_included": include_modelled})
        return
    nodes = result.nodes
    names = nodes["name"].to_dict()
    taxonomy = load_taxonomy()
    say_modelled(include_modelled)
    communities = len(result.communities)
    out.print(
        _(
            "%(institutions)s, %(ties)s ties (%(working)s pairs working together, "
            "%(carrying)s linked by ties that carry cases), density %(density)s, "
            "%(communities)s. %(note)s"
        )
        % {
            "institutions": ngettext(
                "%(count)s institution", "%(count)s institutions", result.institutions
            )
            % {"count": format_number(result.institutions)},
            "ties": format_number(result.ties),
            "working": format_number(result.working_ties),
            "carrying": format_number(result.case_ties),
            "density": format_number(result.density, decimals=3),
            "communities": ngettext("%(count)d community", "%(count)d communities", communities)
            % {"count": communities},
            "note": result.betweenness_note,
        }
    )
    central = nodes.sort_values(["betweenness", "degree"], ascending=False, kind="stable")
    out.print()
    out.print(
        table(
            _(
                "Most central (betweenness: how often an institution lies on the shortest "
                "chain of ties that carry cases between two others)"
            ),
            [
                _("institution"),
                _("country"),
                _("sector"),
                _("partners"),
                _("betweenness"),
                _("pagerank"),
                _("community"),
            ],
            [
                [
                    row["name"],
                    row["country"],
                    taxonomy.label("sectors", row["sector"]),
                    row["degree"],
                    format_number(row["betweenness"], decimals=3),
                    format_number(row["pagerank"], decimals=3),
                    row["community"],
                ]
                for _index, row in central.head(top).iterrows()
            ],
        )
    )
    none = _("none")
    out.print()
    out.print(
        _(
            "[bold]Single points of failure[/bold] (the chains that carry cases split if one "
            "of them leaves):"
        )
    )
    out.print(
        "  " + ("; ".join(names[i] for i in result.articulation_points) or none), markup=False
    )
    out.print(
        _(
            "[bold]Bridges[/bold] (the only tie that carries cases between two parts of the "
            "network):"
        )
    )
    for a, b in result.bridges[:top]:
        out.print(f"  {names[a]} — {names[b]}", markup=False)
    if len(result.bridges) > top:
        out.print("  " + _more(len(result.bridges) - top))
    if not result.bridges:
        out.print(f"  {none}")
    out.print(_("[bold]Isolated[/bold] (no recorded tie of working together):"))
    out.print("  " + ("; ".join(names[i] for i in result.isolated) or none), markup=False)
    if not result.brokers.empty:
        out.print()
        out.print(
            table(
                _("Brokers between sectors and countries"),
                [_("institution"), _("why")],
                [[row["name"], row["why"]] for _index, row in result.brokers.head(top).iterrows()],
            )
        )
    if result.cross_border_share:
        out.print()
        out.print(
            table(
                _("Share of each country's ties that cross a border"),
                [_("country"), _("share")],
                [[c, format_percent(share)] for c, share in result.cross_border_share.items()],
            )
        )


def _more(count: int) -> str:
    """The line after a list cut short: how many more, and where to find them all."""
    return ngettext(
        "… and %(count)d more (--json lists all)", "… and %(count)d more (--json lists all)", count
    ) % {"count": count}


@commands.command("gaps")
def gaps_command(
    ctx: typer.Context,
    city: Annotated[
        str | None, typer.Option("--city", help=N_("A city, in any script (e.g. Plovdiv, Ниш)."))
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help=N_("A country code (e.g. RS)."))
    ] = None,
    stale_months: Annotated[
        int, typer.Option("--stale-months", help=N_("Call records verified longer ago stale."))
    ] = 24,
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """Gaps in referral pathways: missing stages, sectors and hand-overs, and weak points.

    Every finding says how sure it is: confirmed by a source that lists everything, not
    recorded, or outside what the sources cover."""
    from netmap.analysis import reads
    from netmap.analysis.gaps import FINDING_LISTS, gaps

    report = gaps(
        guarded_store(ctx).columns(reads.GAPS),
        city=city,
        country=country,
        stale_months=stale_months,
        include_modelled=include_modelled,
    )
    if as_json:
        print_json(report.to_json())
        return
    titles = {
        "missing_stages": _("Pathway stages no recorded actor carries"),
        "missing_sectors": _("Sectors not recorded in local networks"),
        "missing_handovers": _("Hand-overs no recorded tie carries"),
        "cross_sector_pairs": _("Sectors in the same city not recorded working together"),
        "missing_return_ties": _("Countries that work together but have no recorded return route"),
        "stale": ngettext(
            "Not verified for over %(months)d month, or never",
            "Not verified for over %(months)d months, or never",
            stale_months,
        )
        % {"months": stale_months},
        "single_points_of_failure": _("Single points of failure (in the recorded ties)"),
    }
    scope = report.scope
    out.print(_("Gaps in %(place)s") % {"place": scope["place"]}, style="bold", markup=False)
    say_modelled(include_modelled)
    _print_coverage(scope)
    for name in FINDING_LISTS:
        findings = getattr(report, name)
        out.print()
        graded = Counter(f["grade_label"] for f in findings if "grade_label" in f)
        grades = f" ({', '.join(f'{n} {label}' for label, n in graded.items())})" if graded else ""
        count = str(len(findings)) if findings else _("none")
        out.print(f"[bold]{titles[name]}[/bold]: {count}{grades}", markup=True)
        for finding in findings[:SHOWN_FINDINGS]:
            out.print(f"  - {finding['why']}", markup=False)
        if len(findings) > SHOWN_FINDINGS:
            out.print("  " + _more(len(findings) - SHOWN_FINDINGS))


def _print_coverage(scope: dict[str, Any]) -> None:
    """What the data of a scope holds and how far its sources reach, before its findings."""
    from netmap.analysis.actors import in_sentence
    from netmap.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    coverage = scope["coverage"]
    records = coverage["records"]
    evidence = ", ".join(
        f"{n} ({taxonomy.label('evidence', kind)})" for kind, n in coverage["evidence"].items() if n
    )
    out.print(
        _(
            "The records: %(institutions)d institutions (%(collective)d standing for a group), "
            "%(ties)d ties (%(carrying)d carry cases), %(participations)d participations; "
            "known as: %(evidence)s."
        )
        % {
            "institutions": records["institutions"],
            "collective": records["collective_institutions"],
            "ties": records["ties"],
            "carrying": records["ties_that_carry_cases"],
            "participations": records["participations"],
            "evidence": evidence or _("nothing recorded"),
        },
        markup=False,
    )
    sources = coverage["sources"]
    if sources:
        out.print(_("Their sources:"), markup=False)
        for source in sources:
            covers = format_list(
                in_sentence(taxonomy.label("source_covers", key)) for key in source["covers"]
            ) or _("not said")
            complete = (
                _("claims to list all its %(what)s")
                % {
                    "what": format_list(
                        in_sentence(taxonomy.label("source_covers", key))
                        for key in source["complete"]
                    )
                }
                if source["complete"]
                else _("does not claim to list everything")
            )
            out.print(
                ngettext(
                    "  - %(title)s (%(records)d record): covers %(covers)s; %(complete)s.",
                    "  - %(title)s (%(records)d records): covers %(covers)s; %(complete)s.",
                    source["records"],
                )
                % {
                    "title": source["title"],
                    "records": source["records"],
                    "covers": covers,
                    "complete": complete,
                },
                markup=False,
            )
    if coverage["unregistered_sources"]:
        named = ", ".join(list(coverage["unregistered_sources"])[:5])
        out.print(
            _(
                "Sources named but not described in the sources table (what they cover is "
                "not known): %(sources)s."
            )
            % {"sources": named},
            markup=False,
        )
    for entry in scope["not_assessed"]:
        out.print(entry["why"], markup=False)


@commands.command("path")
def path_command(
    ctx: typer.Context,
    from_id: Annotated[str, typer.Argument(metavar="FROM", help=N_("The id of your institution."))],
    to_id: Annotated[str, typer.Argument(metavar="TO", help=N_("The id of the one to reach."))],
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """The chain of partners who can introduce FROM to TO (strong ties first), over ties
    whose two ends know each other (not funding or hosting)."""
    from netmap.analysis import reads
    from netmap.analysis.actors import short_names
    from netmap.analysis.pathways import introduction_route

    network = guarded_store(ctx).columns(reads.PATH)
    path, steps = introduction_route(network, from_id, to_id, include_modelled=include_modelled)
    if as_json:
        print_json(
            {
                "from": from_id,
                "to": to_id,
                "path": path,
                "hops": len(path) - 1 if path else None,
                "steps": steps,
                "modelled_included": include_modelled,
            }
        )
        return
    names = short_names(network)
    say_modelled(include_modelled)
    if not path:
        out.print(
            _("No recorded chain of partners who know each other links %(one)s and %(other)s.")
            % {"one": names[from_id], "other": names[to_id]},
            markup=False,
        )
        return
    hops = len(path) - 1
    out.print(
        ngettext("%(chain)s (%(hops)d hop)", "%(chain)s (%(hops)d hops)", hops)
        % {"chain": _chain(path, names), "hops": hops},
        markup=False,
    )
    strength = {1: _("weak"), 2: _("working"), 3: _("strong")}
    if steps:
        from netmap.taxonomy import load_taxonomy

        taxonomy = load_taxonomy()
        out.print(
            table(
                None,
                [_("from"), _("to"), _("ties"), _("strongest")],
                [
                    [
                        s["from_name"],
                        s["to_name"],
                        ", ".join(taxonomy.label("tie_kinds", kind) for kind in s["kinds"]),
                        strength.get(s["strength"], s["strength"]),
                    ]
                    for s in steps
                ],
            )
        )


@commands.command("pathways")
def pathways_command(
    ctx: typer.Context,
    from_id: Annotated[
        str | None,
        typer.Option("--from", help=N_("The institution that identified the victim (its id).")),
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", help=N_("Or: the city where the victim was identified."))
    ] = None,
    child: Annotated[
        bool, typer.Option("--child", help=N_("The victim is a child (guardian, best interests)."))
    ] = False,
    origin: Annotated[
        str | None,
        typer.Option(
            "--origin",
            help=N_("The victim's country of origin, when not where identified (adds return)."),
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help=N_("At most this many actors per stage (default: all)."))
    ] = None,
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """For a victim identified by one institution (or in one city): which actors of each
    later stage of their course recorded ties that carry cases reach, and in how many hops."""
    from netmap.analysis.actors import short_names
    from netmap.analysis.pathways import pathways

    network = guarded_store(ctx).snapshot()
    stages = pathways(
        network,
        from_id,
        city=city,
        child=child,
        origin=origin,
        limit=limit,
        include_modelled=include_modelled,
    )
    if as_json:
        print_json(stages)
        return
    say_modelled(include_modelled)
    names = short_names(network)
    shown = limit or 5
    rows = []
    for stage in stages:
        reach = stage["reachable"]
        nearest = reach[0] if reach else None
        rows.append(
            [
                f"{stage['label']} ({stage['country']})",
                _("%(reached)d of %(actors)d")
                % {"reached": stage["reached"], "actors": stage["actors"]},
                nearest["institution_name"] if nearest else _("none reachable"),
                nearest["hops"] if nearest else "",
                _chain(nearest["path"], names) if nearest else stage["why"],
            ]
        )
    out.print(
        table(None, [_("stage"), _("reachable actors"), _("nearest"), _("hops"), _("chain")], rows)
    )
    for stage in stages:
        others = stage["reachable"][1:shown]
        if others:
            listed = "; ".join(f"{r['institution_name']} ({r['hops']})" for r in others)
            out.print(
                _("%(stage)s, next nearest: %(listed)s")
                % {"stage": stage["label"], "listed": listed},
                markup=False,
            )


@commands.command("find-contact")
def find_contact_command(
    ctx: typer.Context,
    from_id: FromOption,
    country: Annotated[str, typer.Option("--country", help=N_("Target country code (e.g. BG)."))],
    city: Annotated[
        str | None, typer.Option("--city", help=N_("Target city, in any script (e.g. Пловдив)."))
    ] = None,
    service: Annotated[
        str | None,
        typer.Option("--service", help=N_("Needed service (e.g. repatriation, shelter).")),
    ] = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help=N_("Needed sector (e.g. child_protection)."))
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option("--language", help=N_("A language you speak, ISO code (repeatable).")),
    ] = None,
    limit: Annotated[int, typer.Option(help=N_("How many candidates to list."))] = 20,
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """Whom to call in another country, ranked, with the partners who can introduce you."""
    from netmap.analysis import reads
    from netmap.analysis.actors import short_names
    from netmap.analysis.finder import find_contacts
    from netmap.codes import language_name
    from netmap.taxonomy import load_taxonomy

    network = guarded_store(ctx).columns(reads.FINDER)
    candidates = find_contacts(
        network,
        from_id,
        country,
        city=city,
        service=service,
        sector=sector,
        languages=tuple(language or ()),
        limit=limit,
        include_modelled=include_modelled,
    )
    if as_json:
        print_json([c.to_json() for c in candidates])
        return
    say_modelled(include_modelled)
    if not candidates:
        from netmap.taxonomy import load_taxonomy

        taxonomy = load_taxonomy()
        place = f"{city} ({country})" if city else country
        values = {
            "place": place,
            "service": taxonomy.label("services", service) if service else service,
            "sector": taxonomy.label("sectors", sector) if sector else sector,
        }
        if service and sector:
            said = _("No institution in %(place)s offers %(service)s and is in sector %(sector)s.")
        elif service:
            said = _("No institution in %(place)s offers %(service)s.")
        elif sector:
            said = _("No institution in %(place)s is in sector %(sector)s.")
        else:
            said = _("No institution in %(place)s.")
        out.print(said % values, markup=False)
        return
    taxonomy = load_taxonomy()
    names = short_names(network)
    rows = []
    for rank, c in enumerate(candidates, start=1):
        rows.append(
            [
                rank,
                c.institution_name,
                c.contact_name or "",
                ", ".join(p for p in (c.city, c.country) if p),
                f"{c.score:.0f}",
                _chain(c.path, names) if c.reachable else _("no known path"),
                c.last_verified or _("never"),
            ]
        )
    out.print(
        table(
            None,
            [
                "#",
                _("institution"),
                _("contact"),
                _("where"),
                _("score"),
                _("introduced by"),
                _("verified"),
            ],
            rows,
        )
    )
    for rank, c in enumerate(candidates[:EXPLAINED_CANDIDATES], start=1):
        who = (
            _("%(contact)s at %(institution)s")
            % {"contact": c.contact_name, "institution": c.institution_name}
            if c.contact_name
            else c.institution_name
        )
        out.print()
        out.print(f"{rank}. {who}", style="bold", markup=False)
        details = [taxonomy.label("sectors", c.sector)]
        if c.languages:
            details.append(", ".join(language_name(code) for code in c.languages))
        details += [value for value in (c.role, c.email, c.phone) if value]
        out.print("   " + " · ".join(details), markup=False)
        for reason in c.reasons:
            out.print(f"   - {reason}", markup=False)


@commands.command("search")
def search_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=N_("Words to look for, in any script."))],
    kind: Annotated[
        list[str] | None,
        # written out, not read from netmap.search: --help must not load pandas
        typer.Option(
            "--kind",
            help=N_("Only this kind (city, institution, initiative, contact; repeatable)."),
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help=N_("How many results to list."))] = 20,
    as_json: JsonOption = False,
) -> None:
    """Search institutions, contacts, cities and initiatives (any script, typos forgiven)."""
    from netmap.search_index import search_store

    # The store's search table: indexing the whole network per call took 41 s at 100,000.
    hits = search_store(guarded_store(ctx), text, limit=limit, kinds=kind or None)
    if as_json:
        print_json([hit.to_json() for hit in hits])
        return
    if not hits:
        out.print(_("Nothing matches %(text)r.") % {"text": text}, markup=False)
        return
    out.print(
        table(
            None,
            [_("kind"), _("name"), _("detail"), "id", _("score")],
            [[h.kind, h.name, h.detail, h.id, f"{h.score:.0f}"] for h in hits],
        )
    )


__all__ = [
    "find_contact_command",
    "gaps_command",
    "metrics_command",
    "path_command",
    "pathways_command",
    "search_command",
]
