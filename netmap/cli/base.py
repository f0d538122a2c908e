"""What every ``netmap`` command shares: the consoles, the common options, the store the
command acts on and as whom, one-line errors, tables, JSON and progress bars.

Command modules import from here and from nowhere else in ``netmap.cli``; each keeps its
commands in a :class:`Commands`, which :mod:`netmap.cli.main` registers on the app. Nothing
is registered by importing a module.

Only the lightest libraries are imported here (Typer and rich): ``netmap --help`` must not
pay for pandas, networkx or the stores. A command imports what it needs when it runs.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from netmap.errors import NetmapError, ValidationFailed
from netmap.i18n import N_, choose_language, chosen_language, language, ngettext
from netmap.i18n import gettext as _

if TYPE_CHECKING:
    from netmap.access import GuardedStore, User
    from netmap.store.base import GraphStore

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="NETMAP_STORE",
        help=N_("Store URL: sqlite:///path/netmap.db (default: your data folder) or neo4j://…"),
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help=N_("Print JSON for scripts."))]
ModelledOption = Annotated[
    bool,
    typer.Option(
        "--include-modelled",
        help=N_("Count modelled records (illustrations, not facts) too; left out by default."),
    ),
]

# Columns whose numbers a table right-aligns (in English; translated where compared).
_NUMERIC_HEADERS = frozenset(
    {N_("count"), N_("new"), N_("updated"), N_("unchanged"), N_("score"), N_("hops"),
     N_("partners"), N_("betweenness"), N_("pagerank"), N_("share"), N_("months"),
     N_("in target"), N_("only in target")}
)  # fmt: skip


# --- commands ------------------------------------------------------------------------------


def one_line_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command so that every error a user can cause prints as one line on stderr and
    exits with status 1 (an import's mistakes one per line, then their count).

    With ``--json`` the command runs in English whatever the language: JSON is for
    programs, and the same network gives the same bytes (docs/analysis-json.md)."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            if kwargs.get("as_json"):
                with language("en"):
                    return function(*args, **kwargs)
            return function(*args, **kwargs)
        except ValidationFailed as failed:
            for problem in failed.problems:
                err.print(str(problem), markup=False)
            count = len(failed.problems)
            err.print(
                ngettext(
                    "%(count)d error: nothing was written.",
                    "%(count)d errors: nothing was written.",
                    count,
                )
                % {"count": count}
            )
            raise typer.Exit(1) from None
        except NetmapError as error:
            err.print(_("error: %(message)s") % {"message": error}, markup=False)
            raise typer.Exit(1) from None

    return run


# --- help in the reader's language ---------------------------------------------------------

#: Where ``--lang``, once read, leaves the chosen language for the help pages.
LANGUAGE_KEY = "netmap.language"


@contextlib.contextmanager
def _translated_help(command: Any, ctx: Any) -> Iterator[None]:
    """While a help page is drawn: the command's help, its options' and (for a group) its
    commands' in the current language; the English texts, marked with ``N_`` (and the
    commands' docstrings), are the catalogs' message ids."""
    # a group's commands too (Typer has a click of its own: no isinstance on click's classes)
    shown = [command, *command.get_params(ctx), *getattr(command, "commands", {}).values()]
    import typer.rich_utils  # drawing help only: every other run goes without it

    english = [(item, item.help) for item in shown if getattr(item, "help", None)]
    titles = {name: getattr(typer.rich_utils, name) for name in _PANEL_TITLES}
    try:
        for item, text in english:
            item.help = _(text)
        for name, title in _PANEL_TITLES.items():
            setattr(typer.rich_utils, name, _(title))
        yield
    finally:
        for item, text in english:
            item.help = text
        for name, title in titles.items():
            setattr(typer.rich_utils, name, title)


#: The --help option's own help (click's), translated with the others.
HELP_OPTION_HELP = N_("Show this message and exit.")
#: Typer's headings of a help page, translated while it is drawn.
_PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
}


class _HelpInReadersLanguage:
    def format_help(self, ctx: Any, formatter: Any) -> None:
        # ``netmap --help`` is drawn before any option but --lang has been read: without
        # --lang, the language is the environment's.
        chosen = chosen_language() or ctx.meta.get(LANGUAGE_KEY) or choose_language(use_locale=True)
        with language(chosen), _translated_help(self, ctx):
            super().format_help(ctx, formatter)  # type: ignore[misc]


class TranslatedGroup(_HelpInReadersLanguage, typer.core.TyperGroup):
    """A group of commands whose help page is in the reader's language."""


class TranslatedCommand(_HelpInReadersLanguage, typer.core.TyperCommand):
    """A command whose help page is in the reader's language."""


_Command = TypeVar("_Command", bound=Callable[..., Any])


@dataclass
class Commands:
    """The commands of one module, and the groups (``netmap users …``) they belong to,
    to be registered on the app by :meth:`register_on`."""

    commands: list[tuple[str, str | None, Callable[..., Any]]] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)  # name -> help

    def command(self, name: str, *, group: str | None = None) -> Callable[[_Command], _Command]:
        """Keep ``function`` as the command ``name`` (of ``group``, else of the app)."""

        def keep(function: _Command) -> _Command:
            self.commands.append((name, group, function))
            return function

        return keep

    def group(self, name: str, help: str) -> None:
        """Declare the group ``name`` (``netmap NAME …``) with its help."""
        self.groups[name] = help

    def register_on(self, app: typer.Typer) -> None:
        """Add these commands and groups to ``app``, each with one-line errors."""
        groups = {
            name: typer.Typer(help=text, cls=TranslatedGroup) for name, text in self.groups.items()
        }
        for name, group, function in self.commands:
            (groups[group] if group else app).command(name, cls=TranslatedCommand)(
                one_line_errors(function)
            )
        for name, group_app in groups.items():
            app.add_typer(group_app, name=name)


# --- the store a command acts on, and as whom ----------------------------------------------


def acting_user(store: GraphStore, name: str | None) -> User:
    """Who the command acts as: the named account, else the computer's user as admin.

    Whoever can run netmap against a store already holds its file or its server
    credentials, so local use is admin; ``--user`` acts with an account's (lesser) role,
    e.g. to produce exactly what a viewer would see.
    """
    from netmap.access import Role, User
    from netmap.accounts import find_account
    from netmap.store import current_user

    if name:
        account = find_account(store, name)
        return User(account.name, Role.parse(account.role))
    return User(current_user(), Role.ADMIN)


def guarded_store(ctx: typer.Context) -> GuardedStore:
    """The store named by ``--store`` (or the default), seen through the acting user's role."""
    from netmap.access import GuardedStore
    from netmap.store import open_store

    options = ctx.obj or {}
    store = open_store(options.get("store"))
    return GuardedStore(store, acting_user(store, options.get("user")))


# --- output --------------------------------------------------------------------------------


def table(title: str | None, headers: list[str], rows: list[list[Any]]) -> Table:
    """A table for the terminal. Cells are plain text, never rich markup: a name such as
    ``Ana [/b] Petrova`` is printed as written."""
    shown = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    numeric = {_(header) for header in _NUMERIC_HEADERS}
    for header in headers:
        shown.add_column(header, justify="right" if header in numeric else "left", overflow="fold")
    for row in rows:
        shown.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return shown


def print_json(data: Any) -> None:
    """Write ``data`` as JSON on stdout, without highlighting: indented on a terminal,
    where a person reads it; on one line into a pipe or a file, where a script does.

    A network's metrics are megabytes of JSON: Python writes indented JSON with its
    pure-Python encoder, four times slower than the compact one (15 s against 4 s for the
    metrics of 100,000 institutions).
    """
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent))
    sys.stdout.write("\n")
    sys.stdout.flush()


def progress_bar(disable: bool = False) -> Progress:
    """netmap's progress bar on stderr (what is being done, the bar, how many of how
    many, the time so far); it disappears when the work is done."""
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err, transient=True, disable=disable)


def say_modelled(included: bool) -> None:
    """Say whether modelled records (illustrations) were counted: a reader must know."""
    if included:
        out.print(_("Modelled records (illustrations, not facts) are included."), style="italic")
