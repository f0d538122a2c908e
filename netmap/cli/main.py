"""The ``netmap`` command: the Typer app, its global options, and its commands, registered
here from the modules that define them."""

from __future__ import annotations

from typing import Annotated

import typer

from netmap.cli import analysis, privacy, records, stores
from netmap.cli.base import LANGUAGE_KEY, StoreOption, TranslatedGroup, out
from netmap.i18n import N_, UnknownLanguage, choose_language, reset_language, set_language
from netmap.version import __version__

app = typer.Typer(
    name="netmap",
    help=N_("A directory and contact graph of the institutions that fight human trafficking."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=TranslatedGroup,
)


def _choose_language(ctx: typer.Context, value: str | None) -> str | None:
    """Choose the language (--lang, else NETMAP_LANG, else the locale) as soon as --lang
    is read, so that ``netmap --lang bg --help`` is drawn in Bulgarian too (the help pages
    read it from ``ctx.meta``); :func:`main_options` speaks it for the command."""
    try:
        ctx.meta[LANGUAGE_KEY] = choose_language(value, use_locale=True)
    except UnknownLanguage as error:
        raise typer.BadParameter(str(error)) from None
    return value


def _version(value: bool) -> None:
    if value:
        out.print(f"netmap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    store: StoreOption = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="NETMAP_USER",
            help=N_("Act as this account, with its role (default: you, as admin)."),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            callback=_choose_language,
            is_eager=True,
            help=N_(
                "Language of what the command prints: en, el, bg, sr, sr_Latn, ro (default: "
                "NETMAP_LANG, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG). --json output is "
                "always English."
            ),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version.")),
    ] = False,
) -> None:
    """Map, analyse and explore anti-trafficking cooperation networks."""
    ctx.obj = {"store": store, "user": user}
    # The command speaks the language, which is given back when it ends (not before: an
    # option that exits early, --help or --version, never gets here), so a test or a
    # program that runs several commands in one process starts afresh each time.
    token = set_language(ctx.meta[LANGUAGE_KEY])
    ctx.call_on_close(lambda: reset_language(token))


for module in (records, analysis, privacy, stores):
    module.commands.register_on(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="netmap")
