"""Commands for accounts, personal data, the change log and backups (admins)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from netmap.cli.base import Commands, JsonOption, err, guarded_store, out, print_json, table
from netmap.errors import NetmapError
from netmap.i18n import N_, ngettext
from netmap.i18n import gettext as _

commands = Commands()
commands.group("users", N_("Accounts that may sign in to a shared netmap (admins)."))
commands.group("person", N_("A person's data: export it, or erase it (admins)."))


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@commands.command("add", group="users")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=N_("The sign-in name."))],
    role: Annotated[str, typer.Option(help=N_("viewer, member, editor or admin."))] = "viewer",
    email: Annotated[
        str | None, typer.Option(help=N_("E-mail an identity provider signs them in with."))
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=N_("Read the password from standard input."))
    ] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help=N_("Identity-provider sign-in only."))
    ] = False,
) -> None:
    """Add an account (netmap users add NAME --role editor)."""
    from netmap import accounts

    store = guarded_store(ctx)
    password = None if no_password else _read_password(password_stdin)
    account = accounts.add_account(store, store.user, name, role, password, email)
    out.print(
        _("Added %(name)s as %(role)s.") % {"name": account.name, "role": account.role},
        markup=False,
    )


@commands.command("remove", group="users")
def users_remove(ctx: typer.Context, name: str) -> None:
    """Remove an account (netmap users remove NAME)."""
    from netmap import accounts

    store = guarded_store(ctx)
    accounts.remove_account(store, store.user, name)
    out.print(_("Removed %(name)s.") % {"name": name}, markup=False)


@commands.command("set-role", group="users")
def users_set_role(ctx: typer.Context, name: str, role: str) -> None:
    """Change an account's role (netmap users set-role NAME ROLE)."""
    from netmap import accounts

    store = guarded_store(ctx)
    account = accounts.set_role(store, store.user, name, role)
    out.print(
        _("%(name)s is now %(role)s.") % {"name": account.name, "role": account.role},
        markup=False,
    )


@commands.command("list", group="users")
def users_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the accounts and their roles (netmap users list)."""
    store = guarded_store(ctx)
    rows = [
        {"name": a.name, "role": a.role, "email": a.email, "password": bool(a.password_hash)}
        for a in store.accounts()
    ]
    if as_json:
        print_json(rows)
        return
    out.print(
        table(
            None,
            [_("name"), _("role"), _("email"), _("password")],
            [
                [r["name"], r["role"], r["email"] or "", _("yes") if r["password"] else _("no")]
                for r in rows
            ],
        )
    )


@commands.command("export", group="person")
def person_export_command(ctx: typer.Context, contact_id: str) -> None:
    """Print everything held about one contact as JSON (netmap person export ID)."""
    from netmap.privacy import person_export

    store = guarded_store(ctx)
    print_json(person_export(store, store.user, contact_id))


@commands.command("erase", group="person")
def person_erase_command(
    ctx: typer.Context,
    contact_id: str,
    yes: Annotated[bool, typer.Option("--yes", help=N_("Do not ask for confirmation."))] = False,
) -> None:
    """Erase a contact and scrub them from the change log (netmap person erase ID)."""
    from netmap.privacy import erase_person

    store = guarded_store(ctx)
    if not yes and not typer.confirm(
        _(
            "Erase contact %(id)s for good? Their name, e-mail and phone will be removed from "
            "the store and its change log."
        )
        % {"id": repr(contact_id)},
        default=False,
    ):
        err.print(_("Nothing was erased."))
        raise typer.Exit(1)
    alias = erase_person(store, store.user, contact_id)
    out.print(
        _("Erased. The change log keeps that an erasure happened, as %(alias)s.")
        % {"alias": alias},
        markup=False,
    )


@commands.command("stale")
def stale_command(
    ctx: typer.Context,
    months: Annotated[int, typer.Option(help=N_("Verified longer ago than this is stale."))] = 12,
    as_json: JsonOption = False,
) -> None:
    """Contacts not verified within N months, and contacts not yet told they are listed."""
    import pandas as pd

    from netmap.privacy import stale_contacts, uninformed_contacts
    from netmap.store.base import iter_rows

    network = guarded_store(ctx).snapshot()
    stale = stale_contacts(network, months=months, today=date.today())
    waiting = uninformed_contacts(network)
    if as_json:
        print_json(
            {
                "stale": stale.astype(object).where(stale.notna(), None).to_dict("records"),
                "not_informed": waiting.to_dict("records"),
            }
        )
        return
    out.print(
        table(
            ngettext(
                "Not verified for over %(months)d month (%(count)d)",
                "Not verified for over %(months)d months (%(count)d)",
                months,
            )
            % {"months": months, "count": len(stale)},
            ["id", _("name"), _("institution"), _("last verified"), _("months")],
            [
                [
                    r["id"],
                    r["name"] or "",
                    r["institution_id"],
                    r["last_verified"] or _("never"),
                    "" if pd.isna(r["months_since"]) else int(r["months_since"]),
                ]
                for r in iter_rows(stale)
            ],
        )
    )
    out.print()
    out.print(
        table(
            _("Not yet told they are listed (GDPR art. 14) (%(count)d)") % {"count": len(waiting)},
            ["id", _("name"), _("institution")],
            [[r.id, r.name or "", r.institution_id] for r in waiting.itertuples()],
        )
    )


@commands.command("log")
def log_command(
    ctx: typer.Context,
    record: Annotated[str | None, typer.Option(help=N_("Only changes to this record id."))] = None,
    limit: Annotated[int, typer.Option(help=N_("How many entries, newest first."))] = 50,
    as_json: JsonOption = False,
) -> None:
    """The change log: who changed what, when (admins)."""
    changes = guarded_store(ctx).changes(record_id=record, limit=limit)
    if as_json:
        print_json([asdict(c) for c in changes])
        return
    out.print(
        table(
            None,
            [_("when"), _("who"), _("action"), _("table"), _("record"), _("fields")],
            [[c.at, c.actor, c.action, c.kind, c.record_id, ", ".join(c.fields)] for c in changes],
        )
    )


@commands.command("backup")
def backup_command(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help=N_("A new file."))],
) -> None:
    """Back up the whole store to a file, checked by reading it back (admins)."""
    from netmap.backup import backup

    store = guarded_store(ctx)
    written = backup(store, store.user, out_path)
    out.print(
        _("Backed up %(store)s to %(file)s.") % {"store": store.url, "file": written},
        markup=False,
    )


@commands.command("restore")
def restore_command(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="IN", help=N_("A backup file."))],
    yes: Annotated[bool, typer.Option("--yes", help=N_("Do not ask for confirmation."))] = False,
    accept_accounts: Annotated[
        bool,
        typer.Option(
            "--accept-accounts",
            help=N_(
                "Restore even a backup that brings no admin, or no account at all (team "
                "mode would end)."
            ),
        ),
    ] = False,
) -> None:
    """Replace the store's whole content with a backup, checked first as an import is
    (admins). A backup that would leave no admin, or remove every account, needs
    --accept-accounts."""
    from netmap.backup import AccountsChange, describe_accounts, read_backup, restore

    store = guarded_store(ctx)
    contents = read_backup(source)
    for warning in contents.warnings:
        err.print(_("warning: %(message)s") % {"message": warning}, markup=False)
    if not yes and not typer.confirm(
        _("Replace everything in %(store)s with %(file)s? It brings %(contents)s.")
        % {"store": store.url, "file": source, "contents": contents.summary()},
        default=False,
    ):
        raise NetmapError(_("nothing was restored"))
    try:
        counts = restore(store, store.user, contents, accept_accounts=accept_accounts)
    except AccountsChange as refused:
        raise NetmapError(
            _("%(refusal)s; to restore it anyway, add --accept-accounts") % {"refusal": refused}
        ) from None
    out.print(
        _("Restored %(institutions)d institutions and %(ties)d ties, with %(accounts)s.")
        % {
            "institutions": counts["institutions"],
            "ties": counts["ties"],
            "accounts": describe_accounts(contents.accounts),
        },
        markup=False,
    )
