"""Admin: accounts, the change log, backups, a person's data and the retention report.

The same operations as ``netmap users``, ``netmap log``, ``netmap backup``/``restore``,
``netmap person export``/``erase`` and ``netmap stale``, through the same library calls;
the store checks the admin role again on each of them.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from netmap import accounts
from netmap.backup import (
    SQLITE_HEADER,
    BackupContents,
    account_risks,
    backup_folder,
    backup_to_folder,
    describe_accounts,
    read_backup,
    restore,
)
from netmap.errors import NetmapError, ValidationFailed
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.io.plan import frame_header, table_name
from netmap.model import RecordKind
from netmap.privacy import erase_person, person_export, stale_contacts, uninformed_contacts
from netmap.tables import (
    DATE_COLUMNS,
    MOMENT_COLUMNS,
    cell_text,
    human_date,
    human_moment,
    readable,
)
from netmap.ui import cached
from netmap.ui.access import (
    ROLES,
    current_user_record,
    forget_accounts,
    guarded_store,
    mode,
    require,
    role_label,
)
from netmap.ui.text import action_label, field_label, kind_count, md, shown_as
from netmap.ui.widgets import csv_download, run_page

LOG_LIMIT = 2000
BACKUP_KEY = "admin-backup"


# --- accounts ---------------------------------------------------------------------------


def accounts_section(store) -> None:
    people = store.accounts()
    st.subheader(_("Accounts"), anchor=False)
    if people:
        columns = [
            # Translators: a column header: the name an account signs in with.
            _("Name"),
            _("Role"),
            _("Sign-in e-mail"),
            _("Password"),
            # Translators: a column header: when an account was added.
            _("Added"),
        ]
        st.dataframe(
            pd.DataFrame(
                [
                    dict(
                        zip(
                            columns,
                            (
                                a.name,
                                role_label(a.role),
                                a.email or "",
                                # Translators: whether an account has a password.
                                _("yes") if a.password_hash else _("no"),
                                human_moment(a.created_at),
                            ),
                            strict=True,
                        )
                    )
                    for a in people
                ],
                columns=columns,
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(
            _(
                "This netmap has no accounts: it runs in local mode, for this computer only. "
                "Adding the first account turns on **team mode**: from then on everyone, you "
                "included, signs in. Make the first account your own, as an admin."
            ),
            icon=":material/group_add:",
        )
    add_account_form(store, first=not people)
    if people:
        change_account_form(store, people)


def add_account_form(store, first: bool) -> None:
    with st.form("admin-add-account", clear_on_submit=True):
        st.markdown(_("**Add an account**"))
        left, right = st.columns(2)
        name = left.text_input(_("Sign-in name"), key="admin-add-name")
        role = right.selectbox(
            _("Role"),
            ROLES,
            index=3 if first else 0,
            format_func=role_label,
            key="admin-add-role",
            help=_(ROLE_HELP),
        )
        password = left.text_input(
            ngettext(
                "Password (at least %(count)d character)",
                "Password (at least %(count)d characters)",
                accounts.MIN_PASSWORD_LENGTH,
            )
            % {"count": accounts.MIN_PASSWORD_LENGTH},
            type="password",
            key="admin-add-password",
            autocomplete="new-password",
        )
        email = right.text_input(
            _("E-mail for sign-in with your organisation (optional)"), key="admin-add-email"
        )
        submitted = st.form_submit_button(_("Add the account"), key="admin-add-submit")
    if not submitted:
        return
    try:
        account = accounts.add_account(
            store, current_user_record(), name, role, password or None, email.strip() or None
        )
    except NetmapError as error:
        st.error(_("Not added: %(reason)s") % {"reason": error}, icon=":material/error:")
        return
    forget_accounts()
    said = [
        _("Added %(name)s as %(role)s.") % {"name": account.name, "role": role_label(account.role)}
    ]
    if first:
        said.append(_("Team mode is on: sign in with the new account."))
    st.session_state["admin-message"] = " ".join(said)
    st.rerun()


ROLE_HELP = N_(
    "viewer: institutions, ties and analysis; member: also contacts' names, e-mails and "
    "phones; editor: also edits and imports; admin: also accounts, the change log, erasure, "
    "backups and restores."
)


def change_account_form(store, people) -> None:
    st.markdown(_("**Change or remove an account**"))
    names = [a.name for a in people]
    left, middle, right = st.columns([2, 1, 1])
    name = left.selectbox(
        _("Account"),
        names,
        index=None,
        key="admin-account",
        # Translators: the placeholder of a choice that is not made yet.
        placeholder=_("Choose"),
    )
    if name is None:
        return
    account = next(a for a in people if a.name == name)
    admins = [a.name for a in people if a.role == "admin"]
    last_admin = admins == [name] and mode() == "team"
    role = middle.selectbox(
        _("New role"),
        ROLES,
        index=ROLES.index(account.role),
        format_func=role_label,
        key="admin-role",
    )
    if right.button(_("Change the role"), key="admin-set-role"):
        if last_admin and role != "admin":
            st.error(_(KEEP_AN_ADMIN))
            return
        try:
            accounts.set_role(store, current_user_record(), name, role)
        except NetmapError as error:
            st.error(_("Not changed: %(reason)s") % {"reason": error})
            return
        forget_accounts()
        st.session_state["admin-message"] = _("%(name)s is now %(role)s.") % {
            "name": name,
            "role": role_label(role),
        }
        st.rerun()
    sure = st.checkbox(
        _("Yes, remove the account %(name)s") % {"name": name}, key="admin-remove-sure"
    )
    if st.button(_("Remove the account"), disabled=not sure, key="admin-remove"):
        if last_admin:
            st.error(_(KEEP_AN_ADMIN))
            return
        accounts.remove_account(store, current_user_record(), name)
        forget_accounts()
        st.session_state["admin-message"] = _("Removed %(name)s.") % {"name": name}
        st.rerun()


KEEP_AN_ADMIN = N_("Keep at least one admin: give another account the admin role first.")


# --- the change log ---------------------------------------------------------------------


def _cell(field: str, value: Any) -> str:
    """A logged value of ``field`` as people read it (one type per column, as a table
    needs): dates in words, lists joined, nested values as ``Label: value`` text."""
    if field in DATE_COLUMNS | MOMENT_COLUMNS:
        return human_date(value)
    return str(cell_text(value))


def change_rows(changes) -> pd.DataFrame:
    """One row per changed field: who, when, which record, the value before and after.

    An update's entry holds ``{field: [before, after]}``; a delete's, the deleted record
    (shown as "before"); an erasure, the fields it scrubbed.
    """
    when, who, what, table, record, field_header, before_header, after_header = (
        # Translators: a column header of the change log: when a change was made.
        _("When"),
        # Translators: a column header of the change log: who made a change.
        _("Who"),
        # Translators: a column header of the change log: what was done (added, changed…).
        _("What"),
        frame_header("table"),
        frame_header("record"),
        frame_header("field"),
        frame_header("before"),
        frame_header("after"),
    )
    rows = []
    for change in changes:
        base = {
            when: human_moment(change.at),
            who: change.actor,
            what: action_label(change.action),
            table: table_name(change.kind),
            record: change.record_id,
        }
        fields = change.fields or {}
        if change.action in ("update", "conflict"):  # {field: [before, after]}
            items = [
                (f, v[0], v[1]) if isinstance(v, list | tuple) and len(v) == 2 else (f, v, None)
                for f, v in fields.items()
            ]
        elif change.action == "erase":
            items = [(f, None, None) for f in fields.get("fields", [])]
        else:
            items = [(f, v, None) for f, v in fields.items()]
        if not items:
            rows.append({**base, field_header: "", before_header: "", after_header: ""})
        for field, before, after in sorted(items, key=lambda item: item[0]):
            rows.append(
                {
                    **base,
                    field_header: field_label(field),
                    before_header: _cell(field, before),
                    after_header: _cell(field, after),
                }
            )
    columns = [when, who, what, table, record, field_header, before_header, after_header]
    return pd.DataFrame(rows, columns=columns).astype(object)


def log_section(store) -> None:
    st.subheader(_("Change log"), anchor=False)
    record = st.text_input(
        _("Only changes to the record with this id"),
        key="admin-log-record",
        placeholder=_("for example gr-athens-ekka (empty: every record)"),
    ).strip()
    changes = store.changes(record_id=record or None, limit=LOG_LIMIT)
    if not changes:
        st.caption(
            _("No change recorded for %(record)s.") % {"record": md(record)}
            if record
            else _("No change recorded.")
        )
        return
    table = change_rows(changes)
    st.dataframe(table, hide_index=True, width="stretch")
    count = len(changes)
    values = {"count": format_number(count)}
    st.caption(
        (
            _("The latest %(count)s changes, newest first.") % values
            if count == LOG_LIMIT
            else ngettext(
                "%(count)s change, newest first.", "%(count)s changes, newest first.", count
            )
            % values
        )
        + " "
        + _(
            "Before and after values may be personal data: keep the download as safe as the "
            "store. An erasure keeps only that it happened."
        )
    )
    csv_download(
        table,
        f"netmap-change-log{'-' + record if record else ''}.csv",
        _("Download the change log as CSV"),
        key="admin-log-download",
    )


# --- backups ----------------------------------------------------------------------------


def backup_section(store) -> None:
    st.subheader(_("Backup"), anchor=False)
    folder = backup_folder(store)
    st.caption(
        _(
            "A copy of the whole store, checked by reading it back: every record, the change "
            "log and the accounts (with their password hashes). It is written on the server, "
            "in `%(folder)s` (`NETMAP_BACKUP_DIR` sets another folder), and never sent to a "
            "browser. Keep it as safe as the store."
        )
        % {"folder": folder}
    )
    if st.button(_("Make a backup"), key="admin-backup-make", icon=":material/backup:"):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        with st.spinner(_("Backing up and checking…")):
            written = backup_to_folder(store, current_user_record(), folder, f"netmap-{stamp}")
        st.session_state[BACKUP_KEY] = (str(written), written.stat().st_size)
    made = st.session_state.get(BACKUP_KEY)
    if made:
        path, size = made
        st.success(
            _("The backup reads back the same (%(size)s MB). It is on the server: `%(path)s`")
            % {"size": format_number(size / 1e6, decimals=1), "path": path}
        )


RESTORE_KEY = "admin-restore-read"


def _read_upload(upload) -> BackupContents | ValidationFailed:
    """The uploaded backup, read and validated (once per upload), or why it cannot be."""
    stored = st.session_state.get(RESTORE_KEY)
    if stored is not None and stored[0] == upload.file_id:
        return stored[1]
    data = upload.getvalue()
    # The client's file name is never a path: only its letters name the file (for the
    # change log) inside a folder of our own, and the content decides the kind.
    suffix = "db" if data.startswith(SQLITE_HEADER) else "json"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(upload.name).stem)[:60] or "upload"
    with (
        tempfile.TemporaryDirectory() as folder,
        st.spinner(_("Reading and checking the backup…")),
    ):
        path = Path(folder) / f"{stem}.{suffix}"
        path.write_bytes(data)
        try:
            read: BackupContents | ValidationFailed = read_backup(path)
        except ValidationFailed as failed:
            read = failed
    st.session_state[RESTORE_KEY] = (upload.file_id, read)
    return read


def restore_section(store) -> None:
    st.subheader(_("Restore"), anchor=False)
    st.caption(
        _(
            "Replaces **everything** in the store (records, change log and accounts) with a "
            "backup made by netmap, checked first as an import is. Make a backup of the "
            "present state first."
        )
    )
    upload = st.file_uploader(_("Backup file"), type=["db", "json"], key="admin-restore-file")
    if upload is None:
        st.session_state.pop(RESTORE_KEY, None)
        return
    contents = _read_upload(upload)
    if isinstance(contents, ValidationFailed):
        count = len(contents.problems)
        st.error(
            ngettext(
                "%(count)s problem in %(file)s: it cannot be restored, and nothing was changed.",
                "%(count)s problems in %(file)s: it cannot be restored, and nothing was changed.",
                count,
            )
            % {"count": format_number(count), "file": md(upload.name)},
            icon=":material/error:",
        )
        st.code("\n".join(str(p) for p in contents.problems), language=None, wrap_lines=True)
        return
    st.markdown(_("It brings %(contents)s.") % {"contents": md(contents.summary())})
    for warning in contents.warnings:
        st.warning(md(str(warning)), icon=":material/warning:")
    risks = account_risks(store.accounts(), contents.accounts)
    for risk in risks:
        st.warning(_("Careful: %(risk)s.") % {"risk": md(risk)}, icon=":material/group_off:")
    accepted = not risks or st.checkbox(
        _("Yes, restore these accounts anyway"), key="admin-restore-accounts"
    )
    sure = st.checkbox(
        _("Yes, replace everything in this store with %(file)s") % {"file": md(upload.name)},
        key="admin-restore-sure",
    )
    if not st.button(
        # Translators: the button that restores a backup.
        _("Restore"),
        type="primary",
        disabled=not (sure and accepted),
        key="admin-restore",
    ):
        return
    counts = restore(store, current_user_record(), contents, accept_accounts=bool(risks))
    forget_accounts()
    st.session_state.pop(BACKUP_KEY, None)
    st.session_state.pop(RESTORE_KEY, None)
    st.session_state["admin-message"] = _(
        "Restored %(institutions)s, %(contacts)s and %(ties)s from %(file)s, with %(accounts)s."
    ) % {
        "institutions": kind_count(RecordKind.INSTITUTION, counts["institutions"]),
        "contacts": kind_count(RecordKind.CONTACT, counts["contacts"]),
        "ties": kind_count(RecordKind.TIE, counts["ties"]),
        "file": upload.name,
        "accounts": describe_accounts(contents.accounts),
    }
    st.rerun()


# --- a person's data --------------------------------------------------------------------


def person_json(store, acting, contact_id: str) -> str:
    """Everything held about one contact (:func:`netmap.privacy.person_export`) as JSON."""
    everything = person_export(store, acting, contact_id)
    return json.dumps(everything, ensure_ascii=False, indent=2, default=str)


def person_section(store, network) -> None:
    st.subheader(_("A person's data"), anchor=False)
    st.caption(
        _(
            "Answer a person's request: everything held about them (GDPR article 15), or "
            "erase them (article 17): the contact is removed and their details scrubbed from "
            "the change log, which keeps only that an erasure happened."
        )
    )
    contacts = network.contacts
    institutions = cached.institution_names(store)
    labels = {
        row["id"]: f"{row['name'] or row['id']} — {institutions.get(row['institution_id'], '')} "
        f"({row['id']})"
        for row in contacts.to_dict("records")
    }
    chosen = st.selectbox(
        # Translators: a person listed as a contact of an institution.
        _("Contact"),
        list(labels),
        index=None,
        format_func=shown_as(labels),
        key="admin-person",
        placeholder=_("Choose a contact (type to search)"),
    )
    deleted = st.text_input(
        _("Or a contact that was deleted (the change log remembers it until it is erased): its id"),
        key="admin-person-deleted",
    ).strip()
    contact_id = chosen or deleted or None
    if contact_id is None:
        return
    if contact_id not in labels and not store.changes(record_id=contact_id, limit=1):
        st.caption(_("Neither the store nor its change log knows %(id)s.") % {"id": md(contact_id)})
        return
    st.download_button(
        _("Download everything held about them (JSON)"),
        data=functools.partial(person_json, store, current_user_record(), contact_id),
        file_name=f"netmap-person-{contact_id}.json",
        mime="application/json",
        key="admin-person-export",
        icon=":material/download:",
    )
    st.markdown(_("**Erase this person**"))
    typed = st.text_input(
        _("To erase them for good, type their contact id: %(id)s") % {"id": contact_id},
        key="admin-erase-typed",
    )
    if st.button(
        # Translators: the button that erases a person's data for good (GDPR article 17).
        _("Erase"),
        type="primary",
        disabled=typed.strip() != contact_id,
        key="admin-erase",
        icon=":material/delete_forever:",
    ):
        alias = erase_person(store, current_user_record(), contact_id)
        for key in ("admin-person", "admin-person-deleted", "admin-erase-typed"):
            st.session_state.pop(key, None)
        st.session_state["admin-message"] = _(
            "Erased. The change log keeps that an erasure happened, as %(alias)s."
        ) % {"alias": alias}
        st.rerun()


# --- retention --------------------------------------------------------------------------


def retention_section(store, network) -> None:
    # Translators: how long personal data is kept (GDPR storage limitation).
    st.subheader(_("Retention"), anchor=False)
    months = int(
        st.number_input(
            _("Not verified for more than (months)"), 1, 240, 12, key="admin-stale-months"
        )
    )
    stale = stale_contacts(network, months=months, today=date.today())
    st.markdown(
        ngettext(
            "**Contacts not verified for over %(months)d month** (%(count)s)",
            "**Contacts not verified for over %(months)d months** (%(count)s)",
            months,
        )
        % {"months": months, "count": format_number(len(stale))}
    )
    if stale.empty:
        st.caption(_("None: every contact was verified recently."))
    else:
        shown = readable(stale, cached.table_words(store))
        st.dataframe(shown, hide_index=True, width="stretch")
        csv_download(shown, "netmap-stale-contacts.csv", key="admin-stale-download")
    waiting = uninformed_contacts(network)
    st.markdown(
        _("**Contacts not yet told that they are listed** (GDPR art. 14) (%(count)s)")
        % {"count": format_number(len(waiting))}
    )
    if waiting.empty:
        st.caption(_("None: everyone listed has been told."))
    else:
        waiting = readable(waiting, cached.table_words(store))
        st.dataframe(waiting, hide_index=True, width="stretch")
        csv_download(waiting, "netmap-not-informed.csv", key="admin-informed-download")
    st.caption(
        _(
            "Ask those contacts to confirm their details, then record the date on the "
            "**Edit** page (Last verified; Told they are listed on)."
        )
    )


def main() -> None:
    require("admin")
    store = guarded_store()
    network = cached.network(store)
    st.title(_("Admin"))
    if message := st.session_state.pop("admin-message", None):
        st.success(md(message))
    people, log, backups, person, retention = st.tabs(
        [
            _("Accounts"),
            _("Change log"),
            _("Backup and restore"),
            _("A person's data"),
            _("Retention"),
        ]
    )
    with people:
        run_page(lambda: accounts_section(store))
    with log:
        run_page(lambda: log_section(store))
    with backups:
        run_page(lambda: backup_section(store))
        run_page(lambda: restore_section(store))
    with person:
        run_page(lambda: person_section(store, network))
    with retention:
        run_page(lambda: retention_section(store, network))


run_page(main)
