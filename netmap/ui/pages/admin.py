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
from netmap.privacy import erase_person, person_export, stale_contacts, uninformed_contacts
from netmap.tables import (
    ACTIONS,
    DATE_COLUMNS,
    MOMENT_COLUMNS,
    cell_text,
    header,
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
)
from netmap.ui.text import md, shown_as
from netmap.ui.widgets import csv_download, run_page

LOG_LIMIT = 2000
BACKUP_KEY = "admin-backup"


# --- accounts ---------------------------------------------------------------------------


def accounts_section(store) -> None:
    people = store.accounts()
    st.subheader("Accounts", anchor=False)
    if people:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Name": a.name,
                        "Role": a.role,
                        "Sign-in e-mail": a.email or "",
                        "Password": "yes" if a.password_hash else "no",
                        "Added": human_moment(a.created_at),
                    }
                    for a in people
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(
            "This netmap has no accounts: it runs in local mode, for this computer only. "
            "Adding the first account turns on **team mode**: from then on everyone, you "
            "included, signs in. Make the first account your own, as an admin.",
            icon=":material/group_add:",
        )
    add_account_form(store, first=not people)
    if people:
        change_account_form(store, people)


def add_account_form(store, first: bool) -> None:
    with st.form("admin-add-account", clear_on_submit=True):
        st.markdown("**Add an account**")
        left, right = st.columns(2)
        name = left.text_input("Sign-in name", key="admin-add-name")
        role = right.selectbox(
            "Role", ROLES, index=3 if first else 0, key="admin-add-role", help=ROLE_HELP
        )
        password = left.text_input(
            f"Password (at least {accounts.MIN_PASSWORD_LENGTH} characters)",
            type="password",
            key="admin-add-password",
            autocomplete="new-password",
        )
        email = right.text_input(
            "E-mail for sign-in with your organisation (optional)", key="admin-add-email"
        )
        submitted = st.form_submit_button("Add the account", key="admin-add-submit")
    if not submitted:
        return
    try:
        account = accounts.add_account(
            store, current_user_record(), name, role, password or None, email.strip() or None
        )
    except NetmapError as error:
        st.error(f"Not added: {error}", icon=":material/error:")
        return
    forget_accounts()
    st.session_state["admin-message"] = f"Added {account.name} as {account.role}." + (
        " Team mode is on: sign in with the new account." if first else ""
    )
    st.rerun()


ROLE_HELP = (
    "viewer: institutions, ties and analysis; member: also contacts' names, e-mails and "
    "phones; editor: also edits and imports; admin: also accounts, the change log, erasure, "
    "backups and restores."
)


def change_account_form(store, people) -> None:
    st.markdown("**Change or remove an account**")
    names = [a.name for a in people]
    left, middle, right = st.columns([2, 1, 1])
    name = left.selectbox("Account", names, index=None, key="admin-account", placeholder="Choose")
    if name is None:
        return
    account = next(a for a in people if a.name == name)
    admins = [a.name for a in people if a.role == "admin"]
    last_admin = admins == [name] and mode() == "team"
    role = middle.selectbox("New role", ROLES, index=ROLES.index(account.role), key="admin-role")
    if right.button("Change the role", key="admin-set-role"):
        if last_admin and role != "admin":
            st.error("Keep at least one admin: give another account the admin role first.")
            return
        try:
            accounts.set_role(store, current_user_record(), name, role)
        except NetmapError as error:
            st.error(f"Not changed: {error}")
            return
        forget_accounts()
        st.session_state["admin-message"] = f"{name} is now {role}."
        st.rerun()
    sure = st.checkbox(f"Yes, remove the account {name}", key="admin-remove-sure")
    if st.button("Remove the account", disabled=not sure, key="admin-remove"):
        if last_admin:
            st.error("Keep at least one admin: give another account the admin role first.")
            return
        accounts.remove_account(store, current_user_record(), name)
        forget_accounts()
        st.session_state["admin-message"] = f"Removed {name}."
        st.rerun()


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
    rows = []
    for change in changes:
        base = {
            "When": human_moment(change.at),
            "Who": change.actor,
            "What": ACTIONS.get(change.action, change.action),
            "Table": str(change.kind).capitalize(),
            "Record": change.record_id,
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
            rows.append({**base, "Field": "", "Before": "", "After": ""})
        for field, before, after in sorted(items, key=lambda item: item[0]):
            rows.append(
                {
                    **base,
                    "Field": header(field),
                    "Before": _cell(field, before),
                    "After": _cell(field, after),
                }
            )
    columns = ["When", "Who", "What", "Table", "Record", "Field", "Before", "After"]
    return pd.DataFrame(rows, columns=columns).astype(object)


def log_section(store) -> None:
    st.subheader("Change log", anchor=False)
    record = st.text_input(
        "Only changes to the record with this id",
        key="admin-log-record",
        placeholder="for example gr-athens-ekka (empty: every record)",
    ).strip()
    changes = store.changes(record_id=record or None, limit=LOG_LIMIT)
    if not changes:
        st.caption("No change recorded" + (f" for {md(record)}." if record else "."))
        return
    table = change_rows(changes)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        f"{len(changes)} change{'s' * (len(changes) != 1)}, newest first"
        + (f" (the latest {LOG_LIMIT})" if len(changes) == LOG_LIMIT else "")
        + ". Before and after values may be personal data: keep the download as safe as the "
        "store. An erasure keeps only that it happened."
    )
    csv_download(
        table,
        f"netmap-change-log{'-' + record if record else ''}.csv",
        "Download the change log as CSV",
        key="admin-log-download",
    )


# --- backups ----------------------------------------------------------------------------


def backup_section(store) -> None:
    st.subheader("Backup", anchor=False)
    folder = backup_folder(store)
    st.caption(
        "A copy of the whole store, checked by reading it back: every record, the change "
        "log and the accounts (with their password hashes). It is written on the server, "
        f"in `{folder}` (`NETMAP_BACKUP_DIR` sets another folder), and never sent to a "
        "browser. Keep it as safe as the store."
    )
    if st.button("Make a backup", key="admin-backup-make", icon=":material/backup:"):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        with st.spinner("Backing up and checking…"):
            written = backup_to_folder(store, current_user_record(), folder, f"netmap-{stamp}")
        st.session_state[BACKUP_KEY] = (str(written), written.stat().st_size)
    made = st.session_state.get(BACKUP_KEY)
    if made:
        path, size = made
        st.success(
            f"The backup reads back the same ({size / 1e6:.1f} MB). It is on the server: `{path}`"
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
    with tempfile.TemporaryDirectory() as folder, st.spinner("Reading and checking the backup…"):
        path = Path(folder) / f"{stem}.{suffix}"
        path.write_bytes(data)
        try:
            read: BackupContents | ValidationFailed = read_backup(path)
        except ValidationFailed as failed:
            read = failed
    st.session_state[RESTORE_KEY] = (upload.file_id, read)
    return read


def restore_section(store) -> None:
    st.subheader("Restore", anchor=False)
    st.caption(
        "Replaces **everything** in the store (records, change log and accounts) with a "
        "backup made by netmap, checked first as an import is. Make a backup of the "
        "present state first."
    )
    upload = st.file_uploader("Backup file", type=["db", "json"], key="admin-restore-file")
    if upload is None:
        st.session_state.pop(RESTORE_KEY, None)
        return
    contents = _read_upload(upload)
    if isinstance(contents, ValidationFailed):
        count = len(contents.problems)
        st.error(
            f"{count} problem{'s' * (count != 1)} in {md(upload.name)}: it cannot be "
            "restored, and nothing was changed.",
            icon=":material/error:",
        )
        st.code("\n".join(str(p) for p in contents.problems), language=None, wrap_lines=True)
        return
    st.markdown(f"It brings {md(contents.summary())}.")
    for warning in contents.warnings:
        st.warning(md(str(warning)), icon=":material/warning:")
    risks = account_risks(store.accounts(), contents.accounts)
    for risk in risks:
        st.warning(f"Careful: {md(risk)}.", icon=":material/group_off:")
    accepted = not risks or st.checkbox(
        "Yes, restore these accounts anyway", key="admin-restore-accounts"
    )
    sure = st.checkbox(
        f"Yes, replace everything in this store with {md(upload.name)}",
        key="admin-restore-sure",
    )
    if not st.button(
        "Restore", type="primary", disabled=not (sure and accepted), key="admin-restore"
    ):
        return
    counts = restore(store, current_user_record(), contents, accept_accounts=bool(risks))
    forget_accounts()
    st.session_state.pop(BACKUP_KEY, None)
    st.session_state.pop(RESTORE_KEY, None)
    st.session_state["admin-message"] = (
        f"Restored {counts['institutions']:,} institutions, {counts['contacts']:,} contacts "
        f"and {counts['ties']:,} ties from {upload.name}, with "
        f"{describe_accounts(contents.accounts)}."
    )
    st.rerun()


# --- a person's data --------------------------------------------------------------------


def person_json(store, acting, contact_id: str) -> str:
    """Everything held about one contact (:func:`netmap.privacy.person_export`) as JSON."""
    everything = person_export(store, acting, contact_id)
    return json.dumps(everything, ensure_ascii=False, indent=2, default=str)


def person_section(store, network) -> None:
    st.subheader("A person's data", anchor=False)
    st.caption(
        "Answer a person's request: everything held about them (GDPR article 15), or erase "
        "them (article 17): the contact is removed and their details scrubbed from the "
        "change log, which keeps only that an erasure happened."
    )
    contacts = network.contacts
    institutions = cached.institution_names(store)
    labels = {
        row["id"]: f"{row['name'] or row['id']} — {institutions.get(row['institution_id'], '')} "
        f"({row['id']})"
        for row in contacts.to_dict("records")
    }
    chosen = st.selectbox(
        "Contact",
        list(labels),
        index=None,
        format_func=shown_as(labels),
        key="admin-person",
        placeholder="Choose a contact (type to search)",
    )
    deleted = st.text_input(
        "Or a contact that was deleted (the change log remembers it until it is erased): its id",
        key="admin-person-deleted",
    ).strip()
    contact_id = chosen or deleted or None
    if contact_id is None:
        return
    if contact_id not in labels and not store.changes(record_id=contact_id, limit=1):
        st.caption(f"Neither the store nor its change log knows {md(contact_id)}.")
        return
    st.download_button(
        "Download everything held about them (JSON)",
        data=functools.partial(person_json, store, current_user_record(), contact_id),
        file_name=f"netmap-person-{contact_id}.json",
        mime="application/json",
        key="admin-person-export",
        icon=":material/download:",
    )
    st.markdown("**Erase this person**")
    typed = st.text_input(
        f"To erase them for good, type their contact id: {contact_id}", key="admin-erase-typed"
    )
    if st.button(
        "Erase",
        type="primary",
        disabled=typed.strip() != contact_id,
        key="admin-erase",
        icon=":material/delete_forever:",
    ):
        alias = erase_person(store, current_user_record(), contact_id)
        for key in ("admin-person", "admin-person-deleted", "admin-erase-typed"):
            st.session_state.pop(key, None)
        st.session_state["admin-message"] = (
            f"Erased. The change log keeps that an erasure happened, as {alias}."
        )
        st.rerun()


# --- retention --------------------------------------------------------------------------


def retention_section(store, network) -> None:
    st.subheader("Retention", anchor=False)
    months = st.number_input(
        "Not verified for more than (months)", 1, 240, 12, key="admin-stale-months"
    )
    stale = stale_contacts(network, months=int(months), today=date.today())
    st.markdown(f"**Contacts not verified for over {int(months)} months** ({len(stale)})")
    if stale.empty:
        st.caption("None: every contact was verified recently.")
    else:
        shown = readable(stale, cached.table_words(store))
        st.dataframe(shown, hide_index=True, width="stretch")
        csv_download(shown, "netmap-stale-contacts.csv", key="admin-stale-download")
    waiting = uninformed_contacts(network)
    st.markdown(f"**Contacts not yet told that they are listed** (GDPR art. 14) ({len(waiting)})")
    if waiting.empty:
        st.caption("None: everyone listed has been told.")
    else:
        waiting = readable(waiting, cached.table_words(store))
        st.dataframe(waiting, hide_index=True, width="stretch")
        csv_download(waiting, "netmap-not-informed.csv", key="admin-informed-download")
    st.caption(
        "Ask those contacts to confirm their details, then record the date on the **Edit** "
        "page (Last verified; Told they are listed on)."
    )


def main() -> None:
    require("admin")
    store = guarded_store()
    network = cached.network(store)
    st.title("Admin")
    if message := st.session_state.pop("admin-message", None):
        st.success(md(message))
    people, log, backups, person, retention = st.tabs(
        ["Accounts", "Change log", "Backup and restore", "A person's data", "Retention"]
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
