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

FromOption = Annotated[
    str, typer.Option("--from", help="Your institution's id (e.g. gr-thessaloniki-arsis).")
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
    from netmap.analysis.metrics import METRIC_STEPS, network_metrics

    with progress_bar() as bar:
        task = bar.add_task("Reading the network", total=len(METRIC_STEPS) + 1)
        network = store.snapshot()

        def heard(done: int, total: int, step: str) -> None:
            description = METRIC_STEPS.get(step, "Done")
            bar.update(task, completed=1 + done, description=description, refresh=True)

        # The pairs straight from the snapshot's tables: a networkx graph of every tie
        # would take longer to build than the metrics take to work out.
        return network_metrics(network, flt, implied, seed=seed, progress=heard)


@commands.command("metrics")
def metrics_command(
    ctx: typer.Context,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Only these countries (repeatable).")
    ] = None,
    sector: Annotated[
        list[str] | None, typer.Option("--sector", help="Only these sectors (repeatable).")
    ] = None,
    implied: Annotated[
        bool,
        typer.Option("--implied", help="Count taking part in the same initiative as a weak tie."),
    ] = False,
    top: Annotated[int, typer.Option(help="How many institutions to list per table.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed for communities and sampled betweenness.")] = 42,
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
    out.print(
        f"{result.institutions} institutions, {result.ties} ties ({result.working_ties} pairs "
        f"working together, {result.case_ties} linked by ties that carry cases), density "
        f"{result.density:.3f}, {len(result.communities)} communities. {result.betweenness_note}"
    )
    central = nodes.sort_values(["betweenness", "degree"], ascending=False, kind="stable")
    out.print()
    out.print(
        table(
            "Most central (betweenness: how often an institution lies on the shortest chain "
            "of ties that carry cases between two others)",
            [
                "institution",
                "country",
                "sector",
                "partners",
                "betweenness",
                "pagerank",
                "community",
            ],
            [
                [
                    row["name"],
                    row["country"],
                    taxonomy.label("sectors", row["sector"]),
                    row["degree"],
                    f"{row['betweenness']:.3f}",
                    f"{row['pagerank']:.3f}",
                    row["community"],
                ]
                for _, row in central.head(top).iterrows()
            ],
        )
    )
    out.print()
    out.print(
        "[bold]Single points of failure[/bold] (the chains that carry cases split if one of "
        "them leaves):"
    )
    out.print(
        "  " + ("; ".join(names[i] for i in result.articulation_points) or "none"), markup=False
    )
    out.print(
        "[bold]Bridges[/bold] (the only tie that carries cases between two parts of the network):"
    )
    for a, b in result.bridges[:top]:
        out.print(f"  {names[a]} — {names[b]}", markup=False)
    if len(result.bridges) > top:
        out.print(f"  … and {len(result.bridges) - top} more (--json lists all)")
    if not result.bridges:
        out.print("  none")
    out.print("[bold]Isolated[/bold] (no recorded tie of working together):")
    out.print("  " + ("; ".join(names[i] for i in result.isolated) or "none"), markup=False)
    if not result.brokers.empty:
        out.print()
        out.print(
            table(
                "Brokers between sectors and countries",
                ["institution", "why"],
                [[row["name"], row["why"]] for _, row in result.brokers.head(top).iterrows()],
            )
        )
    if result.cross_border_share:
        out.print()
        out.print(
            table(
                "Share of each country's ties that cross a border",
                ["country", "share"],
                [[c, f"{share:.0%}"] for c, share in result.cross_border_share.items()],
            )
        )


@commands.command("gaps")
def gaps_command(
    ctx: typer.Context,
    city: Annotated[
        str | None, typer.Option("--city", help="A city, in any script (e.g. Plovdiv, Ниш).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="A country code (e.g. RS).")
    ] = None,
    stale_months: Annotated[
        int, typer.Option("--stale-months", help="Call records verified longer ago stale.")
    ] = 24,
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """Gaps in referral pathways: missing stages, sectors and hand-overs, and weak points.

    Every finding says how sure it is: confirmed by a source that lists everything, not
    recorded, or outside what the sources cover."""
    from netmap.analysis.gaps import FINDING_LISTS, gaps

    report = gaps(
        guarded_store(ctx).snapshot(),
        city=city,
        country=country,
        stale_months=stale_months,
        include_modelled=include_modelled,
    )
    if as_json:
        print_json(report.to_json())
        return
    titles = {
        "missing_stages": "Pathway stages no recorded actor carries",
        "missing_sectors": "Sectors not recorded in local networks",
        "missing_handovers": "Hand-overs no recorded tie carries",
        "cross_sector_pairs": "Sectors in the same city not recorded working together",
        "missing_return_ties": "Countries that work together but have no recorded return route",
        "stale": f"Not verified for over {stale_months} months, or never",
        "single_points_of_failure": "Single points of failure (in the recorded ties)",
    }
    scope = report.scope
    out.print(f"Gaps in {scope['place']}", style="bold", markup=False)
    say_modelled(include_modelled)
    _print_coverage(scope)
    for name in FINDING_LISTS:
        findings = getattr(report, name)
        out.print()
        graded = Counter(f["grade_label"] for f in findings if "grade_label" in f)
        grades = f" ({', '.join(f'{n} {label}' for label, n in graded.items())})" if graded else ""
        out.print(f"[bold]{titles[name]}[/bold]: {len(findings) or 'none'}{grades}")
        for finding in findings[:SHOWN_FINDINGS]:
            out.print(f"  - {finding['why']}", markup=False)
        if len(findings) > SHOWN_FINDINGS:
            out.print(f"  … and {len(findings) - SHOWN_FINDINGS} more (--json lists all)")


def _print_coverage(scope: dict[str, Any]) -> None:
    """What the data of a scope holds and how far its sources reach, before its findings."""
    coverage = scope["coverage"]
    records = coverage["records"]
    evidence = ", ".join(f"{n} {kind}" for kind, n in coverage["evidence"].items() if n)
    out.print(
        f"The records: {records['institutions']} institutions "
        f"({records['collective_institutions']} standing for a group), {records['ties']} ties "
        f"({records['ties_that_carry_cases']} carry cases), {records['participations']} "
        f"participations; known as: {evidence or 'nothing recorded'}.",
        markup=False,
    )
    sources = coverage["sources"]
    if sources:
        out.print("Their sources:", markup=False)
        for source in sources:
            covers = ", ".join(source["covers"]) or "not said"
            complete = (
                f"claims to list all its {', '.join(source['complete'])}"
                if source["complete"]
                else "does not claim to list everything"
            )
            out.print(
                f"  - {source['title']} ({source['records']} records): covers {covers}; "
                f"{complete}.",
                markup=False,
            )
    if coverage["unregistered_sources"]:
        named = ", ".join(list(coverage["unregistered_sources"])[:5])
        out.print(
            f"Sources named but not described in the sources table (what they cover is not "
            f"known): {named}.",
            markup=False,
        )
    for entry in scope["not_assessed"]:
        out.print(entry["why"], markup=False)


@commands.command("path")
def path_command(
    ctx: typer.Context,
    from_id: Annotated[str, typer.Argument(metavar="FROM", help="The id of your institution.")],
    to_id: Annotated[str, typer.Argument(metavar="TO", help="The id of the one to reach.")],
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """The chain of partners who can introduce FROM to TO (strong ties first), over ties
    whose two ends know each other (not funding or hosting)."""
    from netmap.analysis.actors import short_names
    from netmap.analysis.pathways import introduction_path, path_steps

    network = guarded_store(ctx).snapshot()
    path = introduction_path(network, from_id, to_id, include_modelled=include_modelled)
    steps = path_steps(network, path, include_modelled=include_modelled)
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
            f"No recorded chain of partners who know each other links {names[from_id]} and "
            f"{names[to_id]}.",
            markup=False,
        )
        return
    hops = len(path) - 1
    out.print(f"{_chain(path, names)} ({hops} hop{'s' * (hops != 1)})", markup=False)
    strength = {1: "weak", 2: "working", 3: "strong"}
    if steps:
        out.print(
            table(
                None,
                ["from", "to", "ties", "strongest"],
                [
                    [
                        s["from_name"],
                        s["to_name"],
                        ", ".join(s["kinds"]),
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
        typer.Option("--from", help="The institution that identified the victim (its id)."),
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", help="Or: the city where the victim was identified.")
    ] = None,
    child: Annotated[
        bool, typer.Option("--child", help="The victim is a child (guardian, best interests).")
    ] = False,
    origin: Annotated[
        str | None,
        typer.Option(
            "--origin",
            help="The victim's country of origin, when not where identified (adds return).",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="At most this many actors per stage (default: all).")
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
                f"{stage['reached']} of {stage['actors']}",
                nearest["institution_name"] if nearest else "none reachable",
                nearest["hops"] if nearest else "",
                _chain(nearest["path"], names) if nearest else stage["why"],
            ]
        )
    out.print(table(None, ["stage", "reachable actors", "nearest", "hops", "chain"], rows))
    for stage in stages:
        others = stage["reachable"][1:shown]
        if others:
            listed = "; ".join(f"{r['institution_name']} ({r['hops']})" for r in others)
            out.print(f"{stage['label']}, next nearest: {listed}", markup=False)


@commands.command("find-contact")
def find_contact_command(
    ctx: typer.Context,
    from_id: FromOption,
    country: Annotated[str, typer.Option("--country", help="Target country code (e.g. BG).")],
    city: Annotated[
        str | None, typer.Option("--city", help="Target city, in any script (e.g. Пловдив).")
    ] = None,
    service: Annotated[
        str | None, typer.Option("--service", help="Needed service (e.g. repatriation, shelter).")
    ] = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help="Needed sector (e.g. child_protection).")
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option("--language", help="A language you speak, ISO code (repeatable)."),
    ] = None,
    limit: Annotated[int, typer.Option(help="How many candidates to list.")] = 20,
    include_modelled: ModelledOption = False,
    as_json: JsonOption = False,
) -> None:
    """Whom to call in another country, ranked, with the partners who can introduce you."""
    from netmap.analysis.actors import short_names
    from netmap.analysis.finder import find_contacts
    from netmap.codes import language_name
    from netmap.taxonomy import load_taxonomy

    network = guarded_store(ctx).snapshot()
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
        wanted = [
            f"offers {service}" if service else "",
            f"is in sector {sector}" if sector else "",
        ]
        place = f"{city} ({country})" if city else country
        condition = " and ".join(w for w in wanted if w)
        out.print(f"No institution in {place}{' ' + condition if condition else ''}.", markup=False)
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
                _chain(c.path, names) if c.reachable else "no known path",
                c.last_verified or "never",
            ]
        )
    out.print(
        table(
            None,
            ["#", "institution", "contact", "where", "score", "introduced by", "verified"],
            rows,
        )
    )
    for rank, c in enumerate(candidates[:EXPLAINED_CANDIDATES], start=1):
        who = f"{c.contact_name} at {c.institution_name}" if c.contact_name else c.institution_name
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
    text: Annotated[str, typer.Argument(help="Words to look for, in any script.")],
    kind: Annotated[
        list[str] | None,
        # written out, not read from netmap.search: --help must not load pandas
        typer.Option(
            "--kind", help="Only this kind (city, institution, initiative, contact; repeatable)."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="How many results to list.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Search institutions, contacts, cities and initiatives (any script, typos forgiven)."""
    from netmap.search_index import SearchIndex

    index = SearchIndex.build(guarded_store(ctx).snapshot())
    hits = index.search(text, limit=limit, kinds=kind or None)
    if as_json:
        print_json([hit.to_json() for hit in hits])
        return
    if not hits:
        out.print(f"Nothing matches {text!r}.", markup=False)
        return
    out.print(
        table(
            None,
            ["kind", "name", "detail", "id", "score"],
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
