"""The ``netmap`` command: the Typer app, its global options, and its commands, registered
here from the modules that define them."""

from __future__ import annotations

from typing import Annotated

import typer

from netmap.cli import analysis, privacy, records, stores
from netmap.cli.base import StoreOption, out
from netmap.i18n import LANGUAGES, UnknownLanguage, choose_language, reset_language, set_language
from netmap.version import __version__

app = typer.Typer(
    name="netmap",
    help="A directory and contact graph of the institutions that fight human trafficking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


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
            help="Act as this account, with its role (default: you, as admin).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=(
                f"Language of what the command prints: {', '.join(LANGUAGES)} (default: "
                "NETMAP_LANG, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG). --json output is "
                "always English."
            ),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Map, analyse and explore anti-trafficking cooperation networks."""
    ctx.obj = {"store": store, "user": user}
    try:
        chosen = choose_language(lang, use_locale=True)
    except UnknownLanguage as error:
        raise typer.BadParameter(str(error), param_hint="--lang") from None
    # The command speaks it; the language is given back when the command is done, so a
    # test or a program that runs several commands in one process starts afresh each time.
    token = set_language(chosen)
    ctx.call_on_close(lambda: reset_language(token))


for module in (records, analysis, privacy, stores):
    module.commands.register_on(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="netmap")
